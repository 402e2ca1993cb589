/**
 * What the review worker does with one chat event:
 *   moderation.flagged -> a pending review item (idempotent on the message ID), with highlights;
 *   moderation.blocked -> the sender's violations are judged for a repeat-offender penalty.
 * The worker records the violation before counting (keyed on the message, so a redelivery counts
 * once); the blocked ones of a batch share BatchWriteItem calls.
 */
import { digitsAsSent, type ChatEvent } from '../events/chat-event.ts';
import { isUnusableSendTime, timeOfSend } from '../events/send-time.ts';
import { MODERATION_EVENT_TYPES, ModerationEventPayload } from '../moderation/moderation-event.ts';
import type { ViolationStore } from '../store/violation-store.ts';
import type { RepeatOffenders } from './repeat-offenders.ts';
import type { ReviewStore } from './review-store.ts';

/** The event cannot be handled however often it is retried; it goes to the DLQ for a look. */
export class UnreadableReviewEventError extends Error {
  constructor(eventType: string, detail: string) {
    super(`${eventType} event does not match its schema: ${detail}`);
    this.name = 'UnreadableReviewEventError';
  }
}

export type IntakeOutcome = 'queued' | 'already-queued' | 'judged' | 'ignored';

export class ReviewIntake {
  constructor(
    private readonly items: ReviewStore,
    private readonly repeatOffenders: RepeatOffenders,
    private readonly violations: ViolationStore,
  ) {}

  async handle(event: ChatEvent): Promise<IntakeOutcome> {
    if (event.eventType !== MODERATION_EVENT_TYPES.flagged && event.eventType !== MODERATION_EVENT_TYPES.blocked) return 'ignored';
    const parsed = ModerationEventPayload.safeParse(event.payload);
    if (!parsed.success) throw new UnreadableReviewEventError(event.eventType, parsed.error.message);
    const payload = parsed.data;
    const messageID = payload.clientMsgID || payload.serverMsgID;

    // Every blocked or flagged message counts once per user (the key is the message; a redelivery
    // adds nothing). The event's own time stands in for a missing send time, so it is stable too.
    const violation = {
      userID: payload.sendID,
      messageID,
      occurredAt: new Date(timeOfSend(payload.sendTime) ?? event.receivedAt),
      terms: [...new Set(payload.matches.map((match) => match.term))],
      policyVersion: payload.policyVersion,
      ...(payload.groupID ? { groupID: payload.groupID } : {}),
    };

    if (event.eventType === MODERATION_EVENT_TYPES.blocked) {
      await this.violations.recordBlocked(violation);
      await this.repeatOffenders.evaluate({
        userID: payload.sendID,
        groupID: payload.groupID,
        conversationID: payload.conversationID,
        triggerId: `blocked#${messageID}`,
        policyVersion: payload.policyVersion,
      });
      return 'judged';
    }
    // A flag may be confirmed later, so its record is written only once (a conditional put).
    await this.violations.record({ ...violation, kind: 'flagged' });
    const { terms } = violation;
    // The matcher (~50 KiB with its word forms) loads at the first flag, not at every cold start:
    // a spam wave is blocked messages, which need none of it.
    const { highlightTerms } = await import('./highlights.ts');
    const { texts, highlights } = highlightTerms(payload.contentType, payload.content, terms);
    const { decision: _decision, policyVersion, matches: _matches, ...message } = payload;
    // A sendTime that is no time (clients choose it) is kept as sent beside a message that says "unset".
    const unusable = isUnusableSendTime(message.sendTime) ? { unusableSendTime: digitsAsSent(event, '/sendTime', message.sendTime) } : {};
    const added = await this.items.add({
      itemId: messageID,
      flaggedAt: event.receivedAt,
      policyVersion,
      terms,
      texts,
      highlights,
      message: unusable.unusableSendTime ? { ...message, sendTime: 0 } : message,
      ...unusable,
    });
    return added ? 'queued' : 'already-queued';
  }
}
