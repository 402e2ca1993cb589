import { describe, expect, it } from 'vitest';
import { buildChatEvent, decodeRoutingKey } from '#shared/callbacks/after-event.ts';
import { ChatEvent } from '#shared/events/chat-event.ts';
import { readEvent, readEventBody } from '../helpers/events.ts';

const keyOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

describe('Function: buildChatEvent()', () => {
  it('keeps the payload exactly as sent and marks it valid when it matches the contract', () => {
    // Prepare
    const body = readEventBody('callbackAfterSendSingleMsgCommand');

    // Act
    const event = buildChatEvent({ command: 'callbackAfterSendSingleMsgCommand', body, operationID: 'op-1' });

    // Assess
    expect(ChatEvent.parse(event)).toEqual(event);
    expect(event).toMatchObject({ eventType: 'callbackAfterSendSingleMsgCommand', operationID: 'op-1', valid: true });
    expect(event.payload).toEqual(readEvent('callbackAfterSendSingleMsgCommand'));
  });

  it('keeps a body that is not JSON as text and marks it invalid', () => {
    // Act
    const event = buildChatEvent({ command: 'callbackAfterUserOnlineCommand', body: 'garbage{', operationID: 'op-2' });

    // Assess
    expect(event).toMatchObject({ valid: false, payload: 'garbage{' });
  });

  it('marks a body that fails the schema invalid but keeps every field', () => {
    // Prepare
    const payload = { ...readEvent('callbackAfterUserOnlineCommand'), userID: 42 };

    // Act
    const event = buildChatEvent({ command: 'callbackAfterUserOnlineCommand', body: JSON.stringify(payload), operationID: '' });

    // Assess
    expect(event.valid).toBe(false);
    expect(event.payload).toEqual(payload);
  });

  it('falls back to the body operationID when the header is missing', () => {
    // Act
    const event = buildChatEvent({
      command: 'callbackAfterUserOnlineCommand',
      body: readEventBody('callbackAfterUserOnlineCommand'),
      operationID: '',
    });

    // Assess
    expect(event.operationID).toBe(readEvent('callbackAfterUserOnlineCommand').operationID);
  });

  it('decodes the routing key OpenIM main adds as ?key=', () => {
    // Act
    const event = buildChatEvent({
      command: 'callbackAfterSendGroupMsgCommand',
      body: readEventBody('callbackAfterSendGroupMsgCommand'),
      operationID: 'op',
      key: keyOf({ sendID: 'u1', recvID: '', groupID: 'g1' }),
    });

    // Assess
    expect(event.routingKey).toEqual({ sendID: 'u1', recvID: '', groupID: 'g1' });
  });
});

describe('Function: decodeRoutingKey()', () => {
  it.each([
    { case: 'not base64 JSON', key: '%%%' },
    { case: 'a JSON scalar', key: keyOf(5) },
    { case: 'an object without strings', key: keyOf({ a: 1 }) },
  ])('ignores a key that is $case', ({ key }) => {
    // Assess
    expect(decodeRoutingKey(key)).toBeUndefined();
  });
});
