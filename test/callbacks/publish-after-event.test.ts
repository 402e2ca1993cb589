/**
 * A failed publish is retried within the request and then written, whole, to an error line from
 * which it can be replayed. The fault is real: an SNS client talking to a socket that drops
 * every connection.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsPublishBatch } from '#shared/aws/sns-publish-batch.ts';
import { buildChatEvent } from '#shared/callbacks/after-event.ts';
import { publishOrRecord } from '#shared/callbacks/publish-after-event.ts';
import { SnsChatEventPublisher } from '#shared/events/sns-chat-event-publisher.ts';
import { readEventBody } from '../helpers/events.ts';
import { captureLogs } from '../helpers/lambda.ts';

describe('Function: publishOrRecord()', () => {
  let droppingServer: Server;
  let connections = 0;

  beforeAll(async () => {
    droppingServer = createServer((socket: Socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => droppingServer.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_SNS: `http://127.0.0.1:${(droppingServer.address() as AddressInfo).port}`,
    });
  });

  afterAll(() => {
    droppingServer.close();
    delete process.env.AWS_ENDPOINT_URL_SNS;
  });

  it('retries, then records the whole event for replay when SNS stays unreachable', async () => {
    // Prepare
    const publisher = new SnsChatEventPublisher(
      createSnsPublishBatch({ maxAttempts: 3, attemptTimeoutMs: 500 }),
      'arn:aws:sns:us-east-1:000000000000:chat-events',
    );
    const event = buildChatEvent({
      command: 'callbackAfterSendSingleMsgCommand',
      body: readEventBody('callbackAfterSendSingleMsgCommand'),
      operationID: 'op-replay',
    });

    // Act
    const { result, lines } = await captureLogs(() => publishOrRecord(publisher, event));

    // Assess
    expect(result).toBe('recorded-for-replay');
    expect(connections).toBe(3);
    const line = lines.find((entry) => entry.message === 'chat event could not be published; replay it from this line');
    expect(line).toMatchObject({ level: 'ERROR', operationID: 'op-replay', replayEvent: event });
    expect(lines.some((entry) => 'AfterEventPublishFailed' in entry)).toBe(true);
  });
});
