/**
 * One poison record among good ones, in each consumer (audit, presence, review, push), on real
 * fauxqs queues (1 s visibility, 2 receives before the DLQ) consumed by the local stand-in for
 * Lambda's event source with the real worker and its DynamoDB stores on dynalite: the good records
 * are handled once and never come back, the poison one is the only failure reported, and it alone
 * ends in the DLQ. Values that used to poison a batch (a sendTime of 2^53 + 1 or 9e18) are stored
 * as sent.
 */
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { buildApp } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsPublishBatch, type SnsPublishBatch } from '#shared/aws/sns-publish-batch.ts';
import { auditWriterHandler } from '#shared/audit/audit-writer.ts';
import { buildChatEvent } from '#shared/callbacks/after-event.ts';
import { loadPushWorkerConfig } from '#shared/config/push-worker-config.ts';
import { loadReviewConfig } from '#shared/config/review-config.ts';
import type { SqsBatchHandler } from '#shared/events/chat-event-consumer.ts';
import { ChatEventReader } from '#shared/events/chat-event-reader.ts';
import { presenceWorkerHandler } from '#shared/presence/presence-worker.ts';
import { createPushDispatcher } from '#shared/push/create-push-dispatcher.ts';
import { pushWorkerHandler } from '#shared/push/push-worker.ts';
import { createReview } from '#shared/review/create-review.ts';
import { reviewWorkerHandler } from '#shared/review/review-worker.ts';
import { DynamoDbAuditStore } from '#shared/store/dynamodb-audit-store.ts';
import { DynamoDbPresenceStore } from '#shared/store/dynamodb-presence-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { waitForDrain } from '../../bench/presence-stream.ts';
import { ensureQueues } from '../../local/provision-queues.ts';
import { startQueuePoller } from '../../local/queue-poller.ts';
import { SERVICE_TABLE_ENVIRONMENT } from '../../local/provision-tables.ts';
import { startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';
import { readEvent } from '../helpers/events.ts';

const MAX_RECEIVES = 2;

/** A chat event as the after path builds it from OpenIM's body text (so int64 digits survive). */
function afterEvent(command: string, bodyText: string): string {
  return JSON.stringify(buildChatEvent({ command, body: bodyText, operationID: 'op-poison' }));
}

function ownEvent(eventType: string, payload: unknown): string {
  return JSON.stringify({ eventId: `e-${Math.random()}`, eventType, operationID: 'op-poison', receivedAt: new Date().toISOString(), valid: true, payload });
}

interface QueueRun {
  /** Receives per record, in the order the bodies were given. */
  readonly receives: number[];
  /** Indexes of the records each invocation reported as failed. */
  readonly reportedFailures: number[][];
  /** Bodies in the DLQ afterwards. */
  readonly dead: string[];
}

describe('Poison isolation in every consumer', () => {
  const fauxqs = buildApp({ logger: false });
  let endpoint: string;
  let sqs: SQSClient;
  let sns: SNSClient;
  let publishing: SnsPublishBatch;
  let topicArn: string;
  let dynamo: DynamoEngine;
  const reader = new ChatEventReader(undefined);

  beforeAll(async () => {
    [dynamo, endpoint] = await Promise.all([startEngine('dynalite'), fauxqs.listen({ port: 0, host: '127.0.0.1' })]);
    const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } };
    sqs = new SQSClient(config);
    sns = new SNSClient(config);
    publishing = createSnsPublishBatch(config);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'chat-events' }))).TopicArn!;
  }, 60_000);

  afterAll(async () => {
    await Promise.all([fauxqs.close(), dynamo?.stop()]);
  });

  /** Sends the bodies as one batch to a fresh queue and lets the worker consume it until it is drained. */
  async function run(name: string, handler: SqsBatchHandler, bodies: readonly string[]): Promise<QueueRun> {
    const queue = (await ensureQueues({ sqs, sns }, topicArn, [{ name, eventTypes: ['test.unrouted'], maxReceiveCount: MAX_RECEIVES, visibilityTimeoutSeconds: 1 }]))[name]!;
    const sent = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queue.queueUrl, Entries: bodies.map((MessageBody, index) => ({ Id: String(index), MessageBody })) }),
    );
    const indexOf = new Map((sent.Successful ?? []).map((entry) => [entry.MessageId!, Number(entry.Id)]));
    const receives = bodies.map(() => 0);
    const reportedFailures: number[][] = [];
    const poller = await startQueuePoller({
      sqs,
      queueUrl: queue.queueUrl,
      functionName: `${name}-worker`,
      batchSize: 10,
      batchingWindowMs: 200,
      handler: async (event: SQSEvent, context): Promise<SQSBatchResponse> => {
        for (const record of event.Records) receives[indexOf.get(record.messageId)!]! += 1;
        const response = await handler(event, context);
        reportedFailures.push(response.batchItemFailures.map((failure) => indexOf.get(failure.itemIdentifier)!));
        return response;
      },
    });
    await waitForDrain(endpoint, name, 30_000);
    await poller.stop();
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.deadLetterQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    return { receives, reportedFailures, dead: Messages.map((message) => message.Body!) };
  }

  /** The good records were handled once; only the poison ones were ever reported, and only they rest in the DLQ. */
  function expectIsolated({ receives, reportedFailures, dead }: QueueRun, bodies: readonly string[], poison: readonly number[]): void {
    expect(receives).toEqual(bodies.map((_, index) => (poison.includes(index) ? MAX_RECEIVES : 1)));
    expect(reportedFailures.length).toBeGreaterThan(0);
    for (const failed of reportedFailures) expect(failed.every((index) => poison.includes(index))).toBe(true);
    expect(reportedFailures.flat().sort()).toEqual(poison.flatMap((index) => Array<number>(MAX_RECEIVES).fill(index)).sort());
    expect([...dead].sort()).toEqual(poison.map((index) => bodies[index]).sort());
  }

  it('audit: stores sendTime 2^53 + 1 and 9e18 as sent, and dead-letters only the record that is no event and the one DynamoDB refuses', async () => {
    // Prepare
    const SEND = 'callbackAfterSendSingleMsgCommand';
    const text = (serverMsgID: string, sendTime: string, content = '{"content":"hi"}') =>
      JSON.stringify({ ...readEvent(SEND), sendID: 'poison-a', serverMsgID, content }).replace(/"sendTime":\d+/, `"sendTime":${sendTime}`);
    const bodies = [
      afterEvent(SEND, text('p-1', String(Date.now()))),
      afterEvent(SEND, text('p-2', '9007199254740993')),
      'not a chat event {',
      afterEvent(SEND, text('p-3', '9000000000000000000')),
      afterEvent(SEND, text('p-4', String(Date.now()), 'x'.repeat(420 * 1024))),
      afterEvent(SEND, text('p-5', String(Date.now()))),
    ];
    const store = new DynamoDbAuditStore(dynamo.documents, TABLE_DEFINITIONS.audit.localName);

    // Act
    const outcome = await run('audit-poison', auditWriterHandler(store, reader), bodies);

    // Assess
    expectIsolated(outcome, bodies, [2, 4]);
    const records = (await store.list({ by: 'sendID', value: 'poison-a', limit: 10 })).items;
    expect(records.map((record) => record.serverMsgID).sort()).toEqual(['p-1', 'p-2', 'p-3', 'p-5']);
    expect(Object.fromEntries(records.map((record) => [record.serverMsgID, record.unusableSendTime]))).toEqual({
      'p-1': undefined,
      'p-2': '9007199254740993',
      'p-3': '9000000000000000000',
      'p-5': undefined,
    });
  });

  it('presence: applies the good events and dead-letters only the one without a user', async () => {
    // Prepare
    const ONLINE = 'callbackAfterUserOnlineCommand';
    const online = (userID: string) => afterEvent(ONLINE, JSON.stringify({ ...readEvent(ONLINE), userID, seq: Date.now() }));
    const bodies = [online('poison-u1'), online(''), online('poison-u2'), online('poison-u3')];
    const store = new DynamoDbPresenceStore(dynamo.documents, TABLE_DEFINITIONS.presence.localName);

    // Act
    const outcome = await run('presence-poison', presenceWorkerHandler(store, reader), bodies);

    // Assess
    expectIsolated(outcome, bodies, [1]);
    expect((await store.presenceOf(['poison-u1', 'poison-u2', 'poison-u3'])).map((user) => user.online)).toEqual([true, true, true]);
  });

  it('review: queues the good flags, one with a sendTime of 9e18 kept as sent, and dead-letters only the unreadable one', async () => {
    // Prepare
    const flag = (clientMsgID: string, sendTime: number) => ({
      sendID: 'poison-s',
      senderNickname: 'S',
      sessionType: 3,
      recvID: '',
      groupID: 'poison-g',
      conversationID: 'sg_poison-g',
      serverMsgID: `s-${clientMsgID}`,
      clientMsgID,
      contentType: 101,
      content: '{"content":"a flagged word"}',
      sendTime,
      decision: 'flagged',
      policyVersion: 1,
      matches: [{ term: 'flagged', action: 'flagged' }],
    });
    const bodies = [
      ownEvent('moderation.flagged', flag('r-1', Date.now())),
      ownEvent('moderation.flagged', { decision: 'flagged' }),
      ownEvent('moderation.flagged', flag('r-2', 9e18)),
      ownEvent('moderation.flagged', flag('r-3', Date.now())),
    ];
    const { intake, items } = createReview(
      loadReviewConfig({ ...SERVICE_TABLE_ENVIRONMENT, CHAT_EVENTS_TOPIC_ARN: topicArn, REPEAT_OFFENDER_PENALTY: 'off' }),
      { on: false, reason: 'not wanted by this test' },
      { dynamo: dynamo.documents, sns: publishing },
    );

    // Act
    const outcome = await run('review-poison', reviewWorkerHandler(intake, reader), bodies);

    // Assess
    expectIsolated(outcome, bodies, [1]);
    const stored = await Promise.all(['r-1', 'r-2', 'r-3'].map((itemId) => items.get(itemId, Date.now())));
    expect(stored.map((item) => item?.state)).toEqual(['pending', 'pending', 'pending']);
    expect(stored[1]).toMatchObject({ unusableSendTime: '9000000000000000000', message: { sendTime: 0 } });
  });

  it('push: dispatches the good jobs and dead-letters only the one that is no push job', async () => {
    // Prepare
    const job = (messageID: string) => ({
      messageID,
      conversationID: 'si_a_b',
      sendID: 'a',
      groupID: '',
      sessionType: 1,
      contentType: 101,
      title: 'A',
      body: 'hi',
      collapseKey: 'si_a_b',
      ex: '',
      iOSPushSound: '',
      userIDs: ['poison-recipient'],
      mentionedUserIDs: [],
      chunk: 0,
      chunkCount: 1,
    });
    const bodies = [ownEvent('push.job', job('j-1')), ownEvent('push.job', job('j-2')), ownEvent('push.job', { ...job('j-3'), userIDs: [] }), ownEvent('push.job', job('j-4'))];
    const config = loadPushWorkerConfig({ ...SERVICE_TABLE_ENVIRONMENT });
    const presence = new DynamoDbPresenceStore(dynamo.documents, config.tables.presence);

    // Act
    const outcome = await run('push-poison', pushWorkerHandler(await createPushDispatcher(config, dynamo.documents, presence), reader, { redeliveryDelaySeconds: 0 }), bodies);

    // Assess
    expectIsolated(outcome, bodies, [2]);
  });
});
