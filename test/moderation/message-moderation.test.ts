/**
 * Send-path decisions when the topic misbehaves: the verdict must not depend on whether the event
 * could be published in time. The faults are real: an SNS client talking to a socket that accepts
 * connections and never answers, or to a port that refuses them.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsPublishBatch } from '#shared/aws/sns-publish-batch.ts';
import { SnsChatEventPublisher } from '#shared/events/sns-chat-event-publisher.ts';
import { ActivePolicy } from '#shared/moderation/active-policy.ts';
import { BLOCKED_MESSAGE, MessageModeration } from '#shared/moderation/message-moderation.ts';
import { parseModerationPolicy } from '#shared/moderation/policy.ts';
import { HOOK_ERROR_CODES } from '#shared/openim/error-codes.ts';
import { DynamoDbPolicyStore } from '#shared/store/dynamodb-policy-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';
import { captureLogs } from '../helpers/lambda.ts';

describe('Class: MessageModeration', () => {
  let dynamo: DynamoEngine;
  let blackhole: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    dynamo = await startEngine('dynalite');
    blackhole = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 't', AWS_SECRET_ACCESS_KEY: 't' });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    blackhole.close();
    await dynamo.stop();
  });

  describe('Method: reviewSend', () => {
    it('stops a blocked message by its deadline even when the topic never answers', async () => {
      // Prepare
      const silent = `http://127.0.0.1:${(blackhole.address() as AddressInfo).port}`;
      process.env.AWS_ENDPOINT_URL_SNS = silent;
      const policy = new ActivePolicy({
        store: new DynamoDbPolicyStore(dynamo.documents, TABLE_DEFINITIONS.moderationPolicy.localName),
        seed: parseModerationPolicy({ blocked: ['badword'] }),
        refreshMs: 60_000,
      });
      await policy.current();
      const moderation = new MessageModeration({
        policy,
        publisher: new SnsChatEventPublisher(createSnsPublishBatch({ attemptTimeoutMs: 5_000 }), 'arn:aws:sns:us-east-1:000000000000:chat-events'),
      });
      const started = Date.now();

      // Act
      const { result } = await captureLogs(async () =>
        moderation.reviewSend(
          {
            sendID: 'u1',
            recvID: 'u2',
            senderNickname: 'U1',
            sessionType: 1,
            contentType: 101,
            content: '{"content":"you b.a.d.w.o.r.d"}',
            serverMsgID: 's1',
            clientMsgID: 'c1',
            sendTime: 1_764_060_000_000,
            operationID: 'op-deadline',
          },
          started + 150,
        ),
      );

      // Assess: answered at the deadline, long before the topic's 5 s attempt timeout.
      expect(result).toEqual({ actionCode: 0, errCode: HOOK_ERROR_CODES.messageBlocked, errMsg: BLOCKED_MESSAGE, errDlt: 'policy version 1', nextCode: 1 });
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('still stops a blocked message, and logs its event for replay, when the topic refuses', async () => {
      // Prepare: a port nobody listens on refuses at once.
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const refused = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      process.env.AWS_ENDPOINT_URL_SNS = refused;
      const moderation = new MessageModeration({
        policy: new ActivePolicy({
          store: new DynamoDbPolicyStore(dynamo.documents, TABLE_DEFINITIONS.moderationPolicy.localName),
          refreshMs: 60_000,
        }),
        publisher: new SnsChatEventPublisher(createSnsPublishBatch({ maxAttempts: 1 }), 'arn:aws:sns:us-east-1:000000000000:chat-events'),
      });

      // Act
      const { result, lines } = await captureLogs(async () =>
        moderation.reviewSend({
          sendID: 'u3',
          recvID: 'u4',
          senderNickname: 'U3',
          sessionType: 1,
          contentType: 101,
          content: '{"content":"badword"}',
          serverMsgID: 's2',
          clientMsgID: 'c2',
          sendTime: 1_764_060_000_000,
          operationID: 'op-refused',
        }),
      );

      // Assess
      expect(result).toMatchObject({ errCode: HOOK_ERROR_CODES.messageBlocked, nextCode: 1 });
      expect(lines).toContainEqual(
        expect.objectContaining({
          message: 'chat event could not be published; replay it from this line',
          operationID: 'op-refused',
          replayEvent: expect.objectContaining({ eventType: 'moderation.blocked', payload: expect.objectContaining({ sendID: 'u3', clientMsgID: 'c2' }) }),
        }),
      );
    });
  });
});
