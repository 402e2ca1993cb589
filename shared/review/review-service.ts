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
import { OpenImActionFailedError, ReviewItemNotFoundError } from './errors.ts';
import type { ModerationLogEntry } from './moderation-decided-event.ts';
import type { ModerationLog } from './moderation-log.ts';
import { outcomeOf, type OpenImActions } from './openim-actions.ts';
import { publishDecided } from './publish-decided.ts';
import type { RepeatOffenders } from './repeat-offenders.ts';
import type { Decision, ReviewItem } from './review-item.ts';
import type { ReviewStore } from './review-store.ts';

export interface ReviewServiceDeps {
  readonly items: ReviewStore;
  readonly log: ModerationLog;
  readonly violations: ViolationStore;
  readonly actions: OpenImActions;
  readonly repeatOffenders: RepeatOffenders;
  readonly publisher: ChatEventPublisher;
  /** The audit trail, for context; absent where the deployment has none. */
  readonly history?: ConversationHistory;
  readonly claimMs: number;
  readonly decisionLeaseMs: number;
  readonly muteSeconds: number;
  readonly now?: () => number;
}

const CONTEXT_MESSAGES = 10;

export class ReviewService {
  private readonly now: () => number;

  constructor(private readonly deps: ReviewServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async get(itemId: string): Promise<{ item: ReviewItem; context: AuditedMessage[] | null }> {
    const item = await this.deps.items.get(itemId, this.now());
    if (!item) throw new ReviewItemNotFoundError(itemId);
    const context = this.deps.history
      ? await this.deps.history.recentInConversation(item.message.conversationID, { limit: CONTEXT_MESSAGES, before: item.message.sendTime || this.now() })
      : null;
    return { item, context };
  }

  claim(itemId: string, moderator: string): Promise<ReviewItem> {
    return this.deps.items.claim(itemId, moderator, this.now(), this.deps.claimMs);
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
      outcome: outcomeOf(result),
      effects: result.effects,
      openim: result.openim,
      ...(result.failure ? { failure: result.failure } : {}),
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
