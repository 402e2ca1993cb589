/**
 * Repeat offenders: when a user reaches `threshold` violations (blocked messages and confirmed
 * flags) within `windowMs`, a penalty starts: a mute in the group of the violation, or a forbid
 * through OpenIM chat. The penalty store's conditional put makes it one penalty per cooldown, even
 * with workers judging the same user at once; the penalty and its lifting go to the moderation log.
 */
import { randomUUID } from 'node:crypto';
import type { RepeatOffenderRules } from '../config/review-config.ts';
import type { ChatEventPublisher } from '../events/chat-event-publisher.ts';
import { logger } from '../observability/logger.ts';
import type { ViolationStore } from '../store/violation-store.ts';
import { OpenImActionFailedError, PenaltyNotFoundError } from './errors.ts';
import { SYSTEM_ACTOR, type ModerationLogEntry } from './moderation-decided-event.ts';
import type { ModerationLog } from './moderation-log.ts';
import { loggedResult, type OpenImActions } from './openim-actions.ts';
import { penaltyKeyOf, type PenaltyStore } from './penalty-store.ts';
import { publishDecided } from './publish-decided.ts';

export interface ViolationTrigger {
  readonly userID: string;
  readonly groupID: string;
  readonly conversationID: string;
  /** Stable per violation (e.g. `blocked#<messageID>`), so a redelivered trigger finds its own penalty. */
  readonly triggerId: string;
  readonly policyVersion: number | null;
}

export interface RepeatOffendersDeps {
  readonly rules: RepeatOffenderRules;
  readonly violations: ViolationStore;
  readonly penalties: PenaltyStore;
  readonly log: ModerationLog;
  readonly actions: OpenImActions;
  readonly publisher: ChatEventPublisher;
  readonly now?: () => number;
}

export class RepeatOffenders {
  private readonly now: () => number;

  constructor(private readonly deps: RepeatOffendersDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Starts the penalty when the trigger takes the user to the threshold; returns its log entry.
   * @throws OpenImActionFailedError when OpenIM refused it (the start is undone, so a retry can apply it).
   */
  async evaluate(trigger: ViolationTrigger): Promise<ModerationLogEntry | undefined> {
    const { rules } = this.deps;
    if (rules.penalty === 'off' || (rules.penalty === 'mute' && !trigger.groupID)) return undefined;
    const now = this.now();
    const violations = await this.deps.violations.countSince(trigger.userID, new Date(now - rules.windowMs), ['blocked', 'confirmed'], rules.threshold);
    if (violations < rules.threshold) return undefined;

    const kind = rules.penalty;
    const penaltyKey = penaltyKeyOf(kind, trigger.userID, trigger.groupID);
    const penaltyId = `penalty#${trigger.triggerId}`;
    const at = new Date(now).toISOString();
    const started = await this.deps.penalties.tryStart(
      { penaltyKey, penaltyId, kind, userID: trigger.userID, groupID: kind === 'mute' ? trigger.groupID : '', appliedAt: at, cooldownUntil: now + rules.cooldownMs },
      now,
    );
    if (!started) return undefined;

    const reason = `${violations} violations within ${rules.windowMs / 1000}s (threshold ${rules.threshold})`;
    const result = await this.deps.actions.applyPenalty(kind, trigger.userID, trigger.groupID, rules.muteSeconds, reason);
    const entry: ModerationLogEntry = {
      entryId: result.failure ? `${penaltyId}#failed#${randomUUID()}` : penaltyId,
      kind: 'penalty',
      penalty: { kind, penaltyKey, violations, ...(kind === 'mute' ? { mutedSeconds: rules.muteSeconds } : {}) },
      userID: trigger.userID,
      groupID: trigger.groupID,
      conversationID: trigger.conversationID,
      actor: SYSTEM_ACTOR,
      at,
      reason,
      policyVersion: trigger.policyVersion,
      ...loggedResult(result),
    };
    await this.deps.log.append(entry);
    if (result.failure) {
      await this.deps.penalties.cancelStart(penaltyKey, penaltyId);
      throw new OpenImActionFailedError(`the ${kind} penalty could not be applied: ${result.failure}`, entry.entryId);
    }
    if (entry.outcome === 'noEffect') {
      // Nothing is in force, but the cooldown stays, so the next violations do not log it again.
      await this.deps.penalties.markLifted(penaltyKey, penaltyId, SYSTEM_ACTOR, at);
      logger.info('repeat-offender penalty would have no effect', { penaltyKey, userID: trigger.userID, violations });
    } else {
      logger.info('repeat-offender penalty applied', { penaltyKey, userID: trigger.userID, violations });
    }
    await publishDecided(this.deps.publisher, entry);
    return entry;
  }

  /**
   * Lifts the penalty in force under `penaltyKey` on OpenIM and logs who lifted it.
   * @throws PenaltyNotFoundError when none is in force; OpenImActionFailedError when OpenIM refused.
   */
  async lift(penaltyKey: string, moderator: string, reason: string): Promise<ModerationLogEntry> {
    const penalty = await this.deps.penalties.get(penaltyKey);
    if (!penalty || penalty.liftedAt) throw new PenaltyNotFoundError(penaltyKey);
    const at = new Date(this.now()).toISOString();
    const result = await this.deps.actions.liftPenalty(penalty.kind, penalty.userID, penalty.groupID);
    const entry: ModerationLogEntry = {
      entryId: result.failure ? `lift#${penalty.penaltyId}#failed#${randomUUID()}` : `lift#${penalty.penaltyId}`,
      kind: 'penalty-lifted',
      penalty: { kind: penalty.kind, penaltyKey },
      userID: penalty.userID,
      groupID: penalty.groupID,
      conversationID: '',
      actor: moderator,
      at,
      reason,
      policyVersion: null,
      ...loggedResult(result),
    };
    await this.deps.log.append(entry);
    if (result.failure) throw new OpenImActionFailedError(`the penalty could not be lifted: ${result.failure}`, entry.entryId);
    await this.deps.penalties.markLifted(penaltyKey, penalty.penaltyId, moderator, at);
    await publishDecided(this.deps.publisher, entry);
    return entry;
  }
}
