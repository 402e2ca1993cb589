/**
 * Ways in for users (through the app backend): a report of a message becomes a review item, one
 * per message (a message flagged or reported before gets the reporter counted on its item), and
 * an appeal of a decision becomes a new item, `appeal#<itemId>`, linked to the original. Both are
 * kept in the moderation log under the user's name (`user:<userID>`).
 */
import { readMessageTexts } from '../moderation/message-text.ts';
import { AppealNotAllowedError, ReviewItemNotFoundError } from './errors.ts';
import type { ModerationLogEntry } from './moderation-decided-event.ts';
import type { ModerationLog } from './moderation-log.ts';
import type { FlaggedMessage, ReviewItem } from './review-item.ts';
import { recordedEntry } from './review-service.ts';
import type { ReviewStore } from './review-store.ts';

/** How the log names a user who reported or appealed, apart from moderators. */
export const userActor = (userID: string) => `user:${userID}`;

export const appealItemId = (itemId: string) => `appeal#${itemId}`;

export class UserReports {
  constructor(
    private readonly items: ReviewStore,
    private readonly log: ModerationLog,
    private readonly now: () => number = Date.now,
  ) {}

  async report(request: { reporterID: string; category: string; text: string; message: FlaggedMessage }): Promise<{ item: ReviewItem; entry: ModerationLogEntry; created: boolean }> {
    const { message } = request;
    const itemId = message.clientMsgID || message.serverMsgID;
    const at = new Date(this.now());
    const created = await this.items.add({
      itemId,
      source: 'report',
      flaggedAt: at.toISOString(),
      policyVersion: 0,
      terms: [],
      // A report names no terms: the texts, with nothing to highlight.
      texts: readMessageTexts(message.contentType, message.content),
      highlights: [],
      message,
    });
    const item = await this.items.addReport(itemId, request.reporterID, request.category);
    const reason = request.text ? `${request.category}: ${request.text}` : request.category;
    const entry = recordedEntry('report', item, userActor(request.reporterID), reason, at);
    await this.log.append(entry);
    return { item, entry, created };
  }

  /** @throws ReviewItemNotFoundError, AppealNotAllowedError */
  async appeal(request: { itemId: string; userID: string; text: string }): Promise<{ item: ReviewItem; entry: ModerationLogEntry }> {
    const now = this.now();
    const original = await this.items.get(request.itemId, now);
    if (!original) throw new ReviewItemNotFoundError(request.itemId);
    if (original.source === 'appeal') throw new AppealNotAllowedError(request.itemId, 'it is an appeal already');
    if (original.state !== 'decided' || !original.decision || !original.decidedBy) throw new AppealNotAllowedError(request.itemId, 'it is not decided');
    if (original.message.sendID !== request.userID) throw new AppealNotAllowedError(request.itemId, `only its sender, ${original.message.sendID}, may appeal`);
    const at = new Date(now);
    const appeal = { of: original.itemId, by: request.userID, at: at.toISOString(), text: request.text, decision: original.decision, decidedBy: original.decidedBy };
    const itemId = appealItemId(original.itemId);
    const added = await this.items.add({
      itemId,
      source: 'appeal',
      appeal,
      flaggedAt: appeal.at,
      policyVersion: original.policyVersion,
      terms: original.terms,
      texts: original.texts,
      highlights: original.highlights,
      message: original.message,
    });
    if (!added) throw new AppealNotAllowedError(request.itemId, 'it was appealed already');
    const item = (await this.items.get(itemId, now))!;
    const entry = recordedEntry('appeal', item, userActor(request.userID), request.text, at);
    await this.log.append(entry);
    // The original's log shows the appeal too, so its history reads to the end.
    await this.log.append({ ...entry, entryId: `${entry.entryId}#original`, itemId: original.itemId });
    return { item, entry };
  }
}
