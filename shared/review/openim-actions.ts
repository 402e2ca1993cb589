/**
 * Carries decisions and penalties out on OpenIM, one call after the other, and reports OpenIM's
 * answer to each for the moderation log. The first failure stops the sequence.
 */
import { MSG_ALREADY_REVOKED, type OpenImAdminClient } from '../openim/admin/admin-client.ts';
import { OpenImApiError } from '../openim/admin/errors.ts';
import type { OpenImAnswer } from '../openim/admin/openim-caller.ts';
import { DecisionNotApplicableError } from './errors.ts';
import type { OpenImCallRecord, PenaltyKind } from './moderation-decided-event.ts';
import type { Decision, FlaggedMessage } from './review-item.ts';

export interface ActionResult {
  readonly openim: OpenImCallRecord[];
  /** Set when a call failed; the calls after it were not made. */
  readonly failure?: string;
}

/** OpenIM's group session type (single chats are 1). */
const GROUP_SESSION_TYPE = 3;

export class OpenImActions {
  /** `client` is undefined where the deployment gave no OpenIM admin access: only approvals work then. */
  constructor(private readonly client: OpenImAdminClient | undefined) {}

  get configured(): boolean {
    return this.client !== undefined;
  }

  /** @throws DecisionNotApplicableError before any call when the decision cannot apply here. */
  checkApplicable(decision: Decision, message: FlaggedMessage): void {
    if (decision !== 'approved' && !this.client) {
      throw new DecisionNotApplicableError('carrying out decisions needs OpenIM admin access (OPENIM_API_URL, OPENIM_SECRET); only approvals are possible');
    }
    const client = this.client!;
    if (decision === 'muted' && (message.sessionType !== GROUP_SESSION_TYPE || !message.groupID)) {
      throw new DecisionNotApplicableError('muting applies to group messages only; remove the message or ban the user instead');
    }
    if (decision === 'banned' && !client.canForbid) {
      throw new DecisionNotApplicableError('banning needs OpenIM chat, which this deployment does not configure');
    }
  }

  carryOut(decision: Decision, message: FlaggedMessage, options: { muteSeconds: number; reason: string }): Promise<ActionResult> {
    this.checkApplicable(decision, message);
    const client = this.client!;
    const steps: (() => Promise<OpenImAnswer | undefined>)[] = [];
    if (decision !== 'approved') steps.push(() => this.revoke(client, message));
    if (decision === 'muted') steps.push(() => client.muteGroupMember(message.groupID, message.sendID, options.muteSeconds));
    if (decision === 'banned') steps.push(() => client.forbidUser(message.sendID, options.reason));
    return run(steps);
  }

  applyPenalty(kind: PenaltyKind, userID: string, groupID: string, mutedSeconds: number, reason: string): Promise<ActionResult> {
    const client = this.requireClient();
    return run([() => (kind === 'mute' ? client.muteGroupMember(groupID, userID, mutedSeconds) : client.forbidUser(userID, reason))]);
  }

  liftPenalty(kind: PenaltyKind, userID: string, groupID: string): Promise<ActionResult> {
    const client = this.requireClient();
    return run([() => (kind === 'mute' ? client.cancelMuteGroupMember(groupID, userID) : client.liftForbid(userID))]);
  }

  private requireClient(): OpenImAdminClient {
    if (!this.client) throw new DecisionNotApplicableError('penalties need OpenIM admin access (OPENIM_API_URL, OPENIM_SECRET)');
    return this.client;
  }

  /** Revokes the message; one OpenIM already revoked (by its sender, or a race) counts as done. */
  private async revoke(client: OpenImAdminClient, message: FlaggedMessage): Promise<OpenImAnswer | undefined> {
    const found = await client.findMessage({
      sendID: message.sendID,
      recvID: message.groupID || message.recvID,
      sessionType: message.sessionType,
      contentType: message.contentType,
      clientMsgID: message.clientMsgID,
      sendTime: message.sendTime,
    });
    if (!found) throw new MessageNotInOpenImError();
    if (found.isRevoked) return undefined;
    try {
      return await client.revokeMessage(message.conversationID, found.seq);
    } catch (error) {
      if (error instanceof OpenImApiError && error.errCode === MSG_ALREADY_REVOKED) return answerOf(error);
      throw error;
    }
  }
}

class MessageNotInOpenImError extends Error {
  constructor() {
    super('OpenIM holds no such message (not stored yet, or deleted); nothing was changed');
    this.name = 'MessageNotInOpenImError';
  }
}

async function run(steps: readonly (() => Promise<OpenImAnswer | undefined>)[]): Promise<ActionResult> {
  const openim: OpenImCallRecord[] = [];
  for (const step of steps) {
    try {
      const answer = await step();
      if (answer) openim.push(recordOf(answer));
    } catch (error) {
      if (error instanceof OpenImApiError) openim.push(answerOf(error));
      if (error instanceof DecisionNotApplicableError) throw error;
      return { openim, failure: (error as Error).message };
    }
  }
  return { openim };
}

const recordOf = ({ path, operationID, errCode, errMsg, errDlt }: OpenImAnswer): OpenImCallRecord => ({ path, operationID, errCode, errMsg, errDlt });
const answerOf = (error: OpenImApiError): OpenImAnswer => ({ path: error.path, operationID: error.operationID, errCode: error.errCode, errMsg: error.errMsg, errDlt: error.errDlt });
