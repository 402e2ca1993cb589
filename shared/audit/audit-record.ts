/**
 * One audit record per audited fact, keyed by a natural key so that redelivering the same event,
 * or OpenIM's own repeats, rewrite the same record instead of adding one:
 *
 *   kind                  | from (eventType)                                   | recordID
 *   sent                  | callbackAfterSendSingleMsgCommand / ...GroupMsg... | sent#<serverMsgID>
 *   saved                 | callbackAfterMsgSaveDBCommand (main only)          | saved#<serverMsgID>
 *   revoked               | callbackBeforeAfterMsgCommand                      | revoked#<conversationID>#<seq>
 *   moderation.blocked    | moderation.blocked                                 | moderation.blocked#<serverMsgID>
 *   moderation.flagged    | moderation.flagged                                 | moderation.flagged#<serverMsgID>
 *   <eventType>           | any other moderation.* (e.g. moderation.decided)   | event#<eventId>
 *
 * `seq` is 0 in after-send (OpenIM assigns it later), so messages are keyed by serverMsgID; a
 * revoke carries only conversationID + seq, which is its key. Where serverMsgID is empty the
 * clientMsgID stands in (`c:<clientMsgID>`). Every field is derived from the event alone, so a
 * redelivered event writes a byte-identical item.
 */
import * as z from 'zod/mini';
import { digitsAsSent, type ChatEvent } from '../events/chat-event.ts';
import { isUnusableSendTime, timeOfSend } from '../events/send-time.ts';
import { ModerationEventPayload, MODERATION_EVENT_TYPES } from '../moderation/moderation-event.ts';
import { conversationIdOf } from '../openim/conversation-id.ts';
import { AfterMsgSaveDBReq, AfterRevokeMsgReq, AfterSendGroupMsgReq, AfterSendSingleMsgReq } from '../openim/schemas/message.ts';
import { UnauditableEventError } from './errors.ts';

export const AUDITED_COMMANDS = {
  sentSingle: 'callbackAfterSendSingleMsgCommand',
  sentGroup: 'callbackAfterSendGroupMsgCommand',
  saved: 'callbackAfterMsgSaveDBCommand',
  revoked: 'callbackBeforeAfterMsgCommand',
} as const;

/** Every event type starting with this is audited. */
export const MODERATION_EVENT_PREFIX = 'moderation.';

export interface AuditRecord {
  readonly recordID: string;
  readonly kind: string;
  readonly eventType: string;
  readonly eventId: string;
  readonly operationID: string;
  /** Unix ms of the audited fact: the message's sendTime when it is a usable time, else when the event reached us. */
  readonly occurredAt: number;
  /**
   * The message's sendTime as sent (its decimal digits, exact even beyond 2^53) when it was set but
   * is no usable time (shared/events/send-time.ts): clients choose it, OpenIM keeps any value.
   */
  readonly unusableSendTime?: string;
  readonly conversationID?: string;
  readonly sendID?: string;
  readonly recvID?: string;
  readonly groupID?: string;
  readonly serverMsgID?: string;
  readonly clientMsgID?: string;
  readonly seq?: number;
  readonly sessionType?: number;
  readonly contentType?: number;
  /** The message element JSON as OpenIM sent it. */
  readonly content?: string;
  readonly senderNickname?: string;
  readonly senderPlatformID?: number;
  readonly revokedBy?: string;
  /** Kind-specific facts: a moderation decision's policy version and matches, another event's payload. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export function auditRecordOf(event: ChatEvent): AuditRecord {
  const common = { eventType: event.eventType, eventId: event.eventId, operationID: event.operationID };
  const read = <T extends z.ZodMiniType>(schema: T): z.output<T> => {
    const parsed = schema.safeParse(event.payload);
    if (!parsed.success) throw new UnauditableEventError(event.eventId, z.prettifyError(parsed.error));
    return parsed.data;
  };
  switch (event.eventType) {
    case AUDITED_COMMANDS.sentSingle:
      return messageRecord('sent', event, read(AfterSendSingleMsgReq), common);
    case AUDITED_COMMANDS.sentGroup:
      return messageRecord('sent', event, read(AfterSendGroupMsgReq), common);
    case AUDITED_COMMANDS.saved:
      return messageRecord('saved', event, read(AfterMsgSaveDBReq), common);
    case AUDITED_COMMANDS.revoked: {
      const revoke = read(AfterRevokeMsgReq);
      return {
        ...common,
        recordID: `revoked#${revoke.conversationID}#${revoke.seq}`,
        kind: 'revoked',
        occurredAt: receivedAtOf(event),
        conversationID: revoke.conversationID,
        groupID: groupOfConversation(revoke.conversationID),
        seq: revoke.seq,
        revokedBy: nonEmpty(revoke.userID),
      };
    }
    case MODERATION_EVENT_TYPES.blocked:
    case MODERATION_EVENT_TYPES.flagged: {
      const decision = read(ModerationEventPayload);
      return {
        ...common,
        recordID: `${event.eventType}#${messageKeyOf(event.eventId, decision)}`,
        kind: event.eventType,
        ...timesOf(event, decision.sendTime),
        conversationID: nonEmpty(decision.conversationID),
        sendID: nonEmpty(decision.sendID),
        recvID: nonEmpty(decision.recvID),
        groupID: nonEmpty(decision.groupID),
        serverMsgID: nonEmpty(decision.serverMsgID),
        clientMsgID: nonEmpty(decision.clientMsgID),
        sessionType: decision.sessionType,
        contentType: decision.contentType,
        content: decision.content,
        senderNickname: decision.senderNickname,
        details: { decision: decision.decision, policyVersion: decision.policyVersion, matches: decision.matches },
      };
    }
    default:
      if (event.eventType.startsWith(MODERATION_EVENT_PREFIX)) return moderationEventRecord(event, common);
      throw new UnauditableEventError(event.eventId, `${event.eventType} is not an audited event type`);
  }
}

type MessageFields = z.output<typeof AfterMsgSaveDBReq> | z.output<typeof AfterSendSingleMsgReq> | z.output<typeof AfterSendGroupMsgReq>;

function messageRecord(kind: 'sent' | 'saved', event: ChatEvent, message: MessageFields, common: Pick<AuditRecord, 'eventType' | 'eventId' | 'operationID'>): AuditRecord {
  const recvID = 'recvID' in message ? message.recvID : '';
  const groupID = 'groupID' in message ? message.groupID : '';
  return {
    ...common,
    recordID: `${kind}#${messageKeyOf(event.eventId, message)}`,
    kind,
    ...timesOf(event, message.sendTime),
    conversationID: conversationIdOf({ sessionType: message.sessionType, sendID: message.sendID, recvID, groupID }),
    sendID: nonEmpty(message.sendID),
    recvID: nonEmpty(recvID),
    groupID: nonEmpty(groupID),
    serverMsgID: nonEmpty(message.serverMsgID),
    clientMsgID: nonEmpty(message.clientMsgID),
    // 0 in after-send: OpenIM assigns it later; only afterMsgSaveDB carries the real one.
    seq: message.seq > 0 ? message.seq : undefined,
    sessionType: message.sessionType,
    contentType: message.contentType,
    content: message.content,
    senderNickname: message.senderNickname,
    senderPlatformID: message.senderPlatformID,
  };
}

/** Another moderation event (e.g. a moderator's decision): one record per publication, payload kept. */
function moderationEventRecord(event: ChatEvent, common: Pick<AuditRecord, 'eventType' | 'eventId' | 'operationID'>): AuditRecord {
  const payload = event.payload !== null && typeof event.payload === 'object' && !Array.isArray(event.payload) ? (event.payload as Record<string, unknown>) : { value: event.payload };
  const text = (key: string) => (typeof payload[key] === 'string' && payload[key] !== '' ? (payload[key] as string) : undefined);
  const conversationID = text('conversationID');
  return {
    ...common,
    recordID: `event#${event.eventId}`,
    kind: event.eventType,
    // The decision's own time (moderation.decided `at`), else arrival.
    occurredAt: Number.isNaN(Date.parse(text('at') ?? '')) ? receivedAtOf(event) : Date.parse(text('at')!),
    // Indexed where the payload names them, so decisions list beside the messages and users they concern
    // (a decision's `userID` is the message's sender or the penalised user).
    conversationID,
    sendID: text('sendID') ?? text('userID'),
    groupID: text('groupID') ?? (conversationID ? groupOfConversation(conversationID) : undefined),
    serverMsgID: text('serverMsgID'),
    clientMsgID: text('clientMsgID'),
    details: payload,
  };
}

/** When the fact occurred, and the sendTime as sent when it could not say. */
function timesOf(event: ChatEvent, sendTime: number): Pick<AuditRecord, 'occurredAt' | 'unusableSendTime'> {
  const occurredAt = timeOfSend(sendTime) ?? receivedAtOf(event);
  return isUnusableSendTime(sendTime) ? { occurredAt, unusableSendTime: digitsAsSent(event, '/sendTime', sendTime) } : { occurredAt };
}

function receivedAtOf(event: ChatEvent): number {
  const at = Date.parse(event.receivedAt);
  if (Number.isNaN(at)) throw new UnauditableEventError(event.eventId, `receivedAt ${event.receivedAt} is not a time`);
  return at;
}

function messageKeyOf(eventId: string, message: { serverMsgID: string; clientMsgID: string }): string {
  if (message.serverMsgID !== '') return message.serverMsgID;
  if (message.clientMsgID !== '') return `c:${message.clientMsgID}`;
  throw new UnauditableEventError(eventId, 'the message has neither serverMsgID nor clientMsgID');
}

/** `sg_<groupID>` / `g_<groupID>` (contract §5); the prefix is unambiguous, unlike single chats' IDs. */
function groupOfConversation(conversationID: string): string | undefined {
  const match = /^s?g_(.+)$/.exec(conversationID);
  return match?.[1];
}

function nonEmpty(value: string): string | undefined {
  return value === '' ? undefined : value;
}
