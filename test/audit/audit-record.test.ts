import { describe, expect, it } from 'vitest';
import { auditRecordOf } from '#shared/audit/audit-record.ts';
import { UnauditableEventError } from '#shared/audit/errors.ts';
import { buildChatEvent } from '#shared/callbacks/after-event.ts';
import { ChatEvent } from '#shared/events/chat-event.ts';
import { readEvent } from '../helpers/events.ts';

const RECEIVED = '2026-11-25T10:00:00.000Z';
const envelope = (eventType: string, payload: unknown, eventId = 'e1') =>
  ChatEvent.parse({ eventId, eventType, operationID: 'op', receivedAt: RECEIVED, valid: true, payload });

describe('Function: auditRecordOf()', () => {
  it.each([
    { case: 'a single after-send', command: 'callbackAfterSendSingleMsgCommand', recordID: 'sent#8d2f6b1e4c9a07d35e1f2a6b9c4d8e71', conversationID: 'si_3516524387_7108093640', seq: undefined },
    { case: 'a group after-send', command: 'callbackAfterSendGroupMsgCommand', recordID: 'sent#3a9d5e7c1f0b2468ad13c5e7f9b1d3a5', conversationID: 'sg_2796523651', seq: undefined },
    { case: 'a save-DB with the real seq', command: 'callbackAfterMsgSaveDBCommand', recordID: 'saved#8d2f6b1e4c9a07d35e1f2a6b9c4d8e71', conversationID: 'si_3516524387_7108093640', seq: 42 },
    { case: 'a revoke (conversation + seq only)', command: 'callbackBeforeAfterMsgCommand', recordID: 'revoked#si_3516524387_7108093640#42', conversationID: 'si_3516524387_7108093640', seq: 42 },
  ])('keys $case by its natural key', ({ command, recordID, conversationID, seq }) => {
    // Act
    const record = auditRecordOf(envelope(command, readEvent(command)));

    // Assess
    expect(record).toMatchObject({ recordID, conversationID, eventType: command });
    expect(record.seq).toBe(seq);
  });

  it('builds the same record from two deliveries of one event, and the same key from two publications', () => {
    // Prepare
    const payload = readEvent('callbackAfterSendSingleMsgCommand');

    // Act
    const first = auditRecordOf(envelope('callbackAfterSendSingleMsgCommand', payload, 'e1'));
    const again = auditRecordOf(envelope('callbackAfterSendSingleMsgCommand', payload, 'e1'));
    const republished = auditRecordOf(envelope('callbackAfterSendSingleMsgCommand', payload, 'e2'));

    // Assess
    expect(again).toEqual(first);
    expect(republished.recordID).toBe(first.recordID);
  });

  it('keys any other moderation event by its eventId and keeps its payload', () => {
    // Act
    const payload = { kind: 'penalty', userID: 'u7', conversationID: 'sg_g1', groupID: '', at: '2026-11-25T09:59:00.000Z', policyVersion: 3 };
    const record = auditRecordOf(envelope('moderation.decided', payload, 'ev-9'));

    // Assess
    expect(record).toMatchObject({
      recordID: 'event#ev-9',
      kind: 'moderation.decided',
      occurredAt: Date.parse('2026-11-25T09:59:00.000Z'),
      conversationID: 'sg_g1',
      groupID: 'g1',
      sendID: 'u7',
      details: payload,
    });
  });

  it.each([
    { case: 'a payload that fails its schema', eventType: 'callbackAfterSendSingleMsgCommand', payload: { sendID: 5 } },
    { case: 'a message without any ID', eventType: 'callbackAfterSendGroupMsgCommand', payload: { ...readEvent('callbackAfterSendGroupMsgCommand'), serverMsgID: '', clientMsgID: '' } },
    { case: 'an event type the audit does not take', eventType: 'callbackAfterUserOnlineCommand', payload: readEvent('callbackAfterUserOnlineCommand') },
  ])('throws UnauditableEventError for $case', ({ eventType, payload }) => {
    // Act & Assess
    expect(() => auditRecordOf(envelope(eventType, payload))).toThrow(UnauditableEventError);
  });
});

describe('Function: auditRecordOf() with a sendTime that is no time', () => {
  const SEND = 'callbackAfterSendSingleMsgCommand';

  it.each([
    { case: '2^53 + 1', digits: '9007199254740993' },
    { case: '9e18', digits: '9000000000000000000' },
    { case: 'negative', digits: '-5' },
    { case: 'past 2286', digits: '10000000000000' },
  ])('records a sendTime of $case as sent and dates the record by its arrival', ({ digits }) => {
    // Prepare: the body as OpenIM sends it, digits and all, through the after path's parse.
    const body = JSON.stringify(readEvent(SEND)).replace(/"sendTime":\d+/, `"sendTime":${digits}`);
    const event = buildChatEvent({ command: SEND, body, operationID: 'op', receivedAt: new Date(RECEIVED) });

    // Act
    const record = auditRecordOf(ChatEvent.parse(JSON.parse(JSON.stringify(event))));

    // Assess
    expect(record.occurredAt).toBe(Date.parse(RECEIVED));
    expect(record.unusableSendTime).toBe(digits);
  });

  it('dates a record by a usable sendTime and adds nothing', () => {
    // Prepare
    const payload = { ...readEvent(SEND), sendTime: 1_764_064_800_000 };

    // Act
    const record = auditRecordOf(envelope(SEND, payload));

    // Assess
    expect(record.occurredAt).toBe(1_764_064_800_000);
    expect(record).not.toHaveProperty('unusableSendTime');
  });
});
