/**
 * Carries decisions and penalties out on OpenIM, one action after the other, and reports what each
 * achieved and OpenIM's answer to each call for the moderation log. A state that already holds
 * (already revoked, already blocked, not blocked) counts as done; the first failure stops the
 * sequence.
 */
import type { ConversationHistory } from '../audit/conversation-history.ts';
import { answerOf, type OpenImAdminClient } from '../openim/admin/admin-client.ts';
import type { AdminOutcome } from '../openim/admin/admin-outcome.ts';
import { OpenImApiError } from '../openim/admin/errors.ts';
import type { OpenImAnswer } from '../openim/admin/openim-caller.ts';
import { DecisionNotApplicableError } from './errors.ts';
import type { ActionEffect, ActionName, ModerationLogEntry, OpenImCallRecord, PenaltyKind } from './moderation-decided-event.ts';
import type { Decision, FlaggedMessage } from './review-item.ts';

export interface ActionResult {
  readonly openim: OpenImCallRecord[];
  /** What each action that ran achieved, in order. */
  readonly effects: ActionEffect[];
  /** Set when an action failed; the actions after it were not run. */
  readonly failure?: string;
}

/** The log entry's outcome for a result: noEffect only when no action could take effect. */
function outcomeOf(result: ActionResult): 'applied' | 'noEffect' | 'failed' {
  if (result.failure) return 'failed';
  return result.effects.length > 0 && result.effects.every((step) => step.effect === 'noEffect') ? 'noEffect' : 'applied';
}

/** What a moderation log entry records of a result: its outcome, each action's effect, OpenIM's answers and the failure. */
export function loggedResult(result: ActionResult): Pick<ModerationLogEntry, 'outcome' | 'effects' | 'openim' | 'failure'> {
  return { outcome: outcomeOf(result), effects: result.effects, openim: result.openim, ...(result.failure ? { failure: result.failure } : {}) };
}

/** OpenIM's group session type (single chats are 1). */
const GROUP_SESSION_TYPE = 3;

type Step = readonly [ActionName, () => Promise<AdminOutcome>];

export class OpenImActions {
  /**
   * `client` is undefined where the deployment gave no OpenIM admin access (`offReason` says why):
   * only approvals work then. `history` (the audit trail) gives a message's seq without searching
   * OpenIM, when it has it.
   */
  constructor(
    private readonly client: OpenImAdminClient | undefined,
    private readonly history?: Pick<ConversationHistory, 'savedSeq'>,
    private readonly offReason = 'OPENIM_API_URL is not set',
  ) {}

  get configured(): boolean {
    return this.client !== undefined;
  }

  /** @throws DecisionNotApplicableError before any call when the decision cannot apply here. */
  checkApplicable(decision: Decision, message: FlaggedMessage): void {
    if (decision !== 'approved' && !this.client) {
      throw new DecisionNotApplicableError(`carrying out decisions needs OpenIM admin access, which is off here (${this.offReason}); only approvals are possible`);
    }
    const client = this.client!;
    if (decision === 'muted' && (message.sessionType !== GROUP_SESSION_TYPE || !message.groupID)) {
      throw new DecisionNotApplicableError('muting applies to group messages only; remove the message or ban the user instead');
    }
    if (decision === 'banned' && !client.canForbid) {
      throw new DecisionNotApplicableError('banning needs OpenIM chat, which this deployment does not configure');
    }
  }

  /**
   * checkApplicable, plus what only OpenIM knows: a mute OpenIM would accept and not enforce (the
   * sender owns the group, or left it) is refused before anything is done.
   * @throws DecisionNotApplicableError
   */
  async checkEnforceable(decision: Decision, message: FlaggedMessage): Promise<void> {
    this.checkApplicable(decision, message);
    if (decision !== 'muted') return;
    const why = await this.client!.muteWouldNotHold(message.groupID, message.sendID);
    if (why) throw new DecisionNotApplicableError(`muting would have no effect: ${why}; remove the message or ban the user instead`);
  }

  carryOut(decision: Decision, message: FlaggedMessage, options: { muteSeconds: number; reason: string }): Promise<ActionResult> {
    this.checkApplicable(decision, message);
    const client = this.client!;
    const steps: Step[] = [];
    if (decision !== 'approved') steps.push(['revoke', () => this.revoke(client, message)]);
    if (decision === 'muted') steps.push(['mute', () => client.muteGroupMember(message.groupID, message.sendID, options.muteSeconds)]);
    if (decision === 'banned') steps.push(['forbid', () => client.forbidUser(message.sendID, options.reason)]);
    return run(steps);
  }

  applyPenalty(kind: PenaltyKind, userID: string, groupID: string, mutedSeconds: number, reason: string): Promise<ActionResult> {
    const client = this.requireClient();
    return run([kind === 'mute' ? ['mute', () => client.muteGroupMember(groupID, userID, mutedSeconds)] : ['forbid', () => client.forbidUser(userID, reason)]]);
  }

  liftPenalty(kind: PenaltyKind, userID: string, groupID: string): Promise<ActionResult> {
    const client = this.requireClient();
    return run([kind === 'mute' ? ['unmute', () => client.cancelMuteGroupMember(groupID, userID)] : ['unforbid', () => client.liftForbid(userID)]]);
  }

  private requireClient(): OpenImAdminClient {
    if (!this.client) throw new DecisionNotApplicableError(`penalties need OpenIM admin access, which is off here (${this.offReason})`);
    return this.client;
  }

  /** Revokes the message, found by the seq the audit trail saved, else by searching OpenIM. */
  private async revoke(client: OpenImAdminClient, message: FlaggedMessage): Promise<AdminOutcome> {
    let seq = await this.history?.savedSeq(message.serverMsgID);
    if (seq === undefined) {
      const found = await client.findMessage({
        sendID: message.sendID,
        recvID: message.groupID || message.recvID,
        sessionType: message.sessionType,
        contentType: message.contentType,
        clientMsgID: message.clientMsgID,
        sendTime: message.sendTime,
      });
      if (!found) throw new MessageNotInOpenImError();
      if (found.isRevoked) return { effect: 'alreadyApplied', answers: [], note: 'OpenIM shows the message revoked already' };
      seq = found.seq;
    }
    return client.revokeMessage({ conversationID: message.conversationID, seq, sendID: message.sendID, sessionType: message.sessionType });
  }
}

class MessageNotInOpenImError extends Error {
  constructor() {
    super('OpenIM holds no such message (not stored yet, or deleted); nothing was changed');
    this.name = 'MessageNotInOpenImError';
  }
}

async function run(steps: readonly Step[]): Promise<ActionResult> {
  const openim: OpenImCallRecord[] = [];
  const effects: ActionEffect[] = [];
  for (const [action, step] of steps) {
    try {
      const outcome = await step();
      openim.push(...outcome.answers.map(recordOf));
      effects.push({ action, effect: outcome.effect, ...(outcome.note ? { note: outcome.note } : {}) });
    } catch (error) {
      if (error instanceof OpenImApiError) openim.push(recordOf(answerOf(error)));
      if (error instanceof DecisionNotApplicableError) throw error;
      return { openim, effects, failure: (error as Error).message };
    }
  }
  return { openim, effects };
}

const recordOf = ({ path, operationID, errCode, errMsg, errDlt }: OpenImAnswer): OpenImCallRecord => ({ path, operationID, errCode, errMsg, errDlt });
