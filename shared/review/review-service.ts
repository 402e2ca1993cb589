/**
 * The moderators' workflow on review items: claim, decide (carried out on OpenIM exactly once,
 * logged for good, published as `moderation.decided`), and the reads the console needs.
 *
 * Exactly once: `beginDecision` is a conditional write that only the claim holder with no decision
 * under way passes, so a double click or two tabs cannot both reach OpenIM.
 */
import { randomUUID } from 'node:crypto';
import type { AuditedMessage, ConversationHistory } from '../audit/conversation-history.ts';
import type { ChatEventPublisher } from '../events/chat-event-publisher.ts';
import { logger } from '../observability/logger.ts';
import type { ViolationStore } from '../store/violation-store.ts';
import { MS_PER_DAY } from '../time/durations.ts';
import { penaltyKeyOf, type Penalty, type PenaltyStore } from './penalty-store.ts';
import { DecisionNotApplicableError, OpenImActionFailedError, ReviewItemNotFoundError } from './errors.ts';
import type { EntryKind, ModerationLogEntry } from './moderation-decided-event.ts';
import type { ModerationLog } from './moderation-log.ts';
import { loggedResult, type OpenImActions } from './openim-actions.ts';
import { publishDecided } from './publish-decided.ts';
import type { RepeatOffenders } from './repeat-offenders.ts';
import { DECISIONS, type Decision, type ReviewItem } from './review-item.ts';
import type { ReviewStore } from './review-store.ts';

export interface ReviewServiceDeps {
  readonly items: ReviewStore;
  readonly log: ModerationLog;
  readonly violations: ViolationStore;
  readonly actions: OpenImActions;
  readonly repeatOffenders: RepeatOffenders;
  /** Penalties in force, shown beside an item's sender; absent, none are shown. */
  readonly penalties?: Pick<PenaltyStore, 'get'>;
  readonly publisher: ChatEventPublisher;
  /** The audit trail, for context; absent where the deployment has none. */
  readonly history?: ConversationHistory;
  readonly claimMs: number;
  readonly decisionLeaseMs: number;
  readonly muteSeconds: number;
  readonly now?: () => number;
}

const CONTEXT_MESSAGES = 10;
/** How far back the sender's violations are counted for the console. */
export const SENDER_HISTORY_DAYS = 30;

/** The sender of an item as a moderator needs them: their record, beside the message. */
export interface SenderRecord {
  readonly userID: string;
  readonly nickname: string;
  /** Violations in the last SENDER_HISTORY_DAYS days, per kind. */
  readonly violations: { readonly blocked: number; readonly flagged: number; readonly confirmed: number };
  /** Repeat-offender penalties not lifted: a ban, or a mute in the item's group. */
  readonly penalties: Penalty[];
}

/** Whether the server can carry a decision out on this item, and why not when it cannot. */
export interface DecisionAvailability {
  readonly decision: Decision;
  readonly available: boolean;
  readonly reason?: string;
}

/** A log entry for something a person added to an item without deciding it. */
export function recordedEntry(kind: Exclude<EntryKind, 'decision' | 'penalty' | 'penalty-lifted'>, item: ReviewItem, actor: string, reason: string, at: Date): ModerationLogEntry {
  return {
    entryId: `${kind}#${randomUUID()}`,
    kind,
    itemId: item.itemId,
    userID: item.message.sendID,
    groupID: item.message.groupID,
    conversationID: item.message.conversationID,
    actor,
    at: at.toISOString(),
    reason,
    policyVersion: item.policyVersion,
    outcome: 'recorded',
    openim: [],
  };
}

export class ReviewService {
  private readonly now: () => number;

  constructor(private readonly deps: ReviewServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async get(itemId: string): Promise<{ item: ReviewItem; context: AuditedMessage[] | null; decisions: DecisionAvailability[]; sender: SenderRecord }> {
    const item = await this.deps.items.get(itemId, this.now());
    if (!item) throw new ReviewItemNotFoundError(itemId);
    const [context, sender] = await Promise.all([
      this.deps.history
        ? this.deps.history.recentInConversation(item.message.conversationID, { limit: CONTEXT_MESSAGES, before: item.message.sendTime || this.now() })
        : null,
      this.senderRecord(item),
    ]);
    return { item, context, decisions: this.availability(item), sender };
  }

  private async senderRecord(item: ReviewItem): Promise<SenderRecord> {
    const { sendID: userID, senderNickname: nickname, groupID } = item.message;
    const since = new Date(this.now() - SENDER_HISTORY_DAYS * MS_PER_DAY);
    const [blocked, flagged, confirmed, ...penalties] = await Promise.all([
      this.deps.violations.countSince(userID, since, ['blocked']),
      this.deps.violations.countSince(userID, since, ['flagged']),
      this.deps.violations.countSince(userID, since, ['confirmed']),
      this.deps.penalties?.get(penaltyKeyOf('forbid', userID, '')),
      groupID ? this.deps.penalties?.get(penaltyKeyOf('mute', userID, groupID)) : undefined,
    ]);
    const inForce = penalties.filter((penalty): penalty is Penalty => penalty !== undefined && !penalty.liftedAt);
    return { userID, nickname, violations: { blocked, flagged, confirmed }, penalties: inForce };
  }

  /** What checkApplicable would refuse, without calling OpenIM (a mute's enforceability is checked on deciding). */
  availability(item: ReviewItem): DecisionAvailability[] {
    return DECISIONS.map((decision) => {
      try {
        this.deps.actions.checkApplicable(decision, item.message);
        return { decision, available: true };
      } catch (error) {
        if (error instanceof DecisionNotApplicableError) return { decision, available: false, reason: error.message };
        throw error;
      }
    });
  }

  claim(itemId: string, moderator: string): Promise<ReviewItem> {
    return this.deps.items.claim(itemId, moderator, this.now(), this.deps.claimMs);
  }

  /** Hands a claimed item back to the queue; `anyone` lets an admin clear a colleague's claim. */
  release(itemId: string, moderator: string, options: { anyone?: boolean } = {}): Promise<ReviewItem> {
    return this.deps.items.release(itemId, moderator, this.now(), options);
  }

  /** A note on an item, in its moderation log. */
  async annotate(itemId: string, author: string, text: string): Promise<ModerationLogEntry> {
    const item = await this.deps.items.get(itemId, this.now());
    if (!item) throw new ReviewItemNotFoundError(itemId);
    const entry = recordedEntry('note', item, author, text, new Date(this.now()));
    await this.deps.log.append(entry);
    return entry;
  }

  /** Marks an undecided item for another look, and logs why. */
  async escalate(itemId: string, by: string, reason: string): Promise<{ item: ReviewItem; entry: ModerationLogEntry }> {
    const at = new Date(this.now());
    const item = await this.deps.items.escalate(itemId, { by, at: at.toISOString(), reason }, this.now());
    const entry = recordedEntry('escalation', item, by, reason, at);
    await this.deps.log.append(entry);
    return { item, entry };
  }

  /**
   * @throws ReviewItemNotFoundError, NotClaimedByCallerError, DecisionNotApplicableError,
   * OpenImActionFailedError (nothing decided; the item stays claimed and the attempt is logged).
   */
  async decide(
    itemId: string,
    moderator: string,
    request: { decision: Decision; reason: string; muteSeconds?: number },
  ): Promise<{ item: ReviewItem; entry: ModerationLogEntry }> {
    try {
      return await this.carryOutDecision(itemId, moderator, request);
    } catch (error) {
      // The item stays claimed by this moderator; keeping why on it lets the console show the error
      // with a retry and a release, after a reload or on another screen too.
      const kind = error instanceof DecisionNotApplicableError ? 'notApplicable' : error instanceof OpenImActionFailedError ? 'openimFailed' : undefined;
      if (kind) {
        const failure = { decision: request.decision, by: moderator, at: new Date(this.now()).toISOString(), error: (error as Error).message, kind } as const;
        await this.deps.items.recordFailure(itemId, failure, this.now());
      }
      throw error;
    }
  }

  private async carryOutDecision(
    itemId: string,
    moderator: string,
    request: { decision: Decision; reason: string; muteSeconds?: number },
  ): Promise<{ item: ReviewItem; entry: ModerationLogEntry }> {
    const current = await this.deps.items.get(itemId, this.now());
    if (!current) throw new ReviewItemNotFoundError(itemId);
    await this.deps.actions.checkEnforceable(request.decision, current.message);
    const decisionId = `decision#${randomUUID()}`;
    const claimed = await this.deps.items.beginDecision(itemId, moderator, decisionId, this.now(), this.deps.decisionLeaseMs);
    const message = claimed.message;
    const result = await this.deps.actions.carryOut(request.decision, message, {
      muteSeconds: request.muteSeconds ?? this.deps.muteSeconds,
      reason: request.reason,
    });
    const entry: ModerationLogEntry = {
      entryId: decisionId,
      kind: 'decision',
      itemId,
      decision: request.decision,
      userID: message.sendID,
      groupID: message.groupID,
      conversationID: message.conversationID,
      actor: moderator,
      at: new Date(this.now()).toISOString(),
      reason: request.reason,
      policyVersion: claimed.policyVersion,
      ...loggedResult(result),
    };
    await this.deps.log.append(entry);
    if (result.failure) {
      await this.deps.items.abandonDecision(itemId, decisionId);
      throw new OpenImActionFailedError(`the decision was not carried out: ${result.failure}`, entry.entryId);
    }
    const item = await this.deps.items.completeDecision(itemId, decisionId, {
      decision: request.decision,
      reason: request.reason,
      decidedBy: moderator,
      decidedAt: entry.at,
    });
    await publishDecided(this.deps.publisher, entry);
    if (request.decision !== 'approved') await this.countConfirmedViolation(claimed, decisionId);
    return { item, entry };
  }

  /** A confirmed flag counts toward repeat-offender penalties; a failure here must not undo the decision. */
  private async countConfirmedViolation(item: ReviewItem, decisionId: string): Promise<void> {
    const { message } = item;
    try {
      await this.deps.violations.confirm({
        userID: message.sendID,
        kind: 'confirmed',
        messageID: message.clientMsgID || message.serverMsgID,
        occurredAt: new Date(message.sendTime || Date.parse(item.flaggedAt)),
        terms: item.terms,
        policyVersion: item.policyVersion,
        ...(message.groupID ? { groupID: message.groupID } : {}),
      });
      await this.deps.repeatOffenders.evaluate({
        userID: message.sendID,
        groupID: message.groupID,
        conversationID: message.conversationID,
        triggerId: decisionId,
        policyVersion: item.policyVersion,
      });
    } catch (error) {
      logger.error('repeat-offender evaluation after a decision failed; the next violation evaluates again', {
        itemId: item.itemId,
        error: error as Error,
      });
    }
  }
}
