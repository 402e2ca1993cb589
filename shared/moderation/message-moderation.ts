/**
 * Moderation in the send path (before-send single and group, and message-modify):
 *   blocked -> the send is stopped with errCode 10101 and a message the sender's client shows;
 *   flagged -> the send continues and the message goes to the review queue (a chat event);
 *   masked  -> the send continues and message-modify replaces each match with `*`.
 * The send path does one durable thing per blocked or flagged message: it publishes the event.
 * The review worker counts the violation per user from it (repeat-offender rules), off the send
 * path. Each decision carries the policy version that made it.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { ChatEventPublisher } from '../events/chat-event-publisher.ts';
import { publishOrRecord } from '../callbacks/publish-after-event.ts';
import { logger } from '../observability/logger.ts';
import { countEvent, METRIC_NAMES } from '../observability/metrics.ts';
import { conversationIdOf } from '../openim/conversation-id.ts';
import { HOOK_ERROR_CODES } from '../openim/error-codes.ts';
import { continueReply, modifyReply, stopReply, type CommonCallbackResp } from '../openim/replies.ts';
import type { BeforeMsgModifyReq } from '../openim/schemas/message.ts';
import type { ActivePolicy } from './active-policy.ts';
import type { TermMatch } from './matcher.ts';
import { maskMessageContent, readMessageTexts } from './message-text.ts';
import { MODERATION_EVENT_TYPES, type ModerationEventPayload } from './moderation-event.ts';
import { RecentGroups } from './recent-groups.ts';

/** Shown by the sender's client; it names no term, so that it teaches no way around the filter. */
export const BLOCKED_MESSAGE = 'Your message was not sent because it contains language that is not allowed here.';

/** Time kept free before the budget's end to send the reply. */
const DECISION_MARGIN_MS = 20;

/** The fields of a before-send request that moderation reads. */
export interface OutgoingMessage {
  readonly sendID: string;
  readonly recvID?: string;
  readonly groupID?: string;
  readonly senderNickname: string;
  readonly sessionType: number;
  readonly contentType: number;
  readonly content: string;
  readonly serverMsgID: string;
  readonly clientMsgID: string;
  readonly sendTime: number;
  readonly operationID: string;
}

export interface MessageModerationDeps {
  readonly policy: ActivePolicy;
  readonly publisher: ChatEventPublisher;
  readonly recentGroups?: RecentGroups;
}

export class MessageModeration {
  private readonly recentGroups: RecentGroups;

  constructor(private readonly deps: MessageModerationDeps) {
    this.recentGroups = deps.recentGroups ?? new RecentGroups();
  }

  /**
   * beforeSendSingleMsg / beforeSendGroupMsg. Once a message is blocked or flagged, publishing the
   * event may take until `deadline` less a margin; after that (or if it fails) the decision is
   * answered anyway: a slow topic must not let a blocked message through. A failed publish is
   * logged with the whole event, to be replayed.
   */
  async reviewSend(message: OutgoingMessage, deadline = Number.POSITIVE_INFINITY): Promise<CommonCallbackResp> {
    const compiled = await this.deps.policy.current();
    if (message.groupID) this.recentGroups.remember(message.clientMsgID, message.groupID);
    const scope = { groupID: message.groupID, sessionType: message.sessionType };
    const matches = readMessageTexts(message.contentType, message.content).flatMap((text) => compiled.scan(text, scope));
    const decision = matches.some((m) => m.action === 'blocked') ? 'blocked' : matches.some((m) => m.action === 'flagged') ? 'flagged' : undefined;
    if (decision === undefined) return continueReply();

    countEvent(METRIC_NAMES.moderationDecision, { decision });
    logger.info('message moderated', {
      operationID: message.operationID,
      decision,
      sendID: message.sendID,
      policyVersion: compiled.version,
      terms: uniqueTerms(matches),
    });
    const published = publishOrRecord(this.deps.publisher, {
      eventId: randomUUID(),
      eventType: MODERATION_EVENT_TYPES[decision],
      operationID: message.operationID,
      receivedAt: new Date().toISOString(),
      valid: true,
      payload: eventPayload(message, decision, compiled.version, matches),
    });
    const timeLeft = deadline - Date.now() - DECISION_MARGIN_MS;
    await (Number.isFinite(timeLeft) ? Promise.race([published, delay(Math.max(0, timeLeft), undefined, { ref: false })]) : published);
    return decision === 'blocked'
      ? stopReply(HOOK_ERROR_CODES.messageBlocked, BLOCKED_MESSAGE, `policy version ${compiled.version}`)
      : continueReply();
  }

  /** beforeMsgModify: masks `masked` terms; the reply carries only the changed `content`. */
  async maskForModify(request: BeforeMsgModifyReq): Promise<CommonCallbackResp> {
    const compiled = await this.deps.policy.current();
    const groupID = this.recentGroups.groupOf(request.clientMsgID);
    const { content, masked } = maskMessageContent(request.contentType, request.content, compiled, {
      sessionType: request.sessionType,
      ...(groupID ? { groupID } : {}),
    });
    if (masked.length === 0) return continueReply();
    countEvent(METRIC_NAMES.moderationDecision, { decision: 'masked' });
    logger.info('message masked', {
      operationID: request.operationID,
      sendID: request.sendID,
      policyVersion: compiled.version,
      terms: uniqueTerms(masked),
    });
    return modifyReply({ content });
  }
}

function uniqueTerms(matches: readonly TermMatch[]): string[] {
  return [...new Set(matches.map((match) => match.term))];
}

function eventPayload(
  message: OutgoingMessage,
  decision: 'blocked' | 'flagged',
  policyVersion: number,
  matches: readonly TermMatch[],
): ModerationEventPayload {
  return {
    decision,
    policyVersion,
    matches: matches.map(({ term, action }) => ({ term, action })),
    sendID: message.sendID,
    senderNickname: message.senderNickname,
    sessionType: message.sessionType,
    recvID: message.recvID ?? '',
    groupID: message.groupID ?? '',
    conversationID: conversationIdOf(message),
    serverMsgID: message.serverMsgID,
    clientMsgID: message.clientMsgID,
    contentType: message.contentType,
    content: message.content,
    sendTime: message.sendTime,
  };
}
