/**
 * The audit trail over real HTTP against the real local server: after-callbacks and moderation
 * events flow through SNS -> the audit queue -> the audit writer -> dynalite, and are read back
 * through the operator API. Redelivery is exercised for real on fauxqs: the same SQS message
 * twice, and a batch that DynamoDB leaves half unprocessed, which SQS then redelivers.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditWriterHandler } from '#shared/audit/audit-writer.ts';
import { ChatEventReader } from '#shared/events/chat-event-reader.ts';
import { claimCheckKeyOf } from '#shared/events/claim-check.ts';
import { CHAT_EVENT_PAYLOADS_LOCAL_BUCKET } from '#shared/events/topology.ts';
import { DynamoDbAuditStore } from '#shared/store/dynamodb-audit-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { sendConcurrently, waitForDrain, type StreamEvent } from '../../bench/presence-stream.ts';
import { ensureQueues } from '../../local/provision-queues.ts';
import { startQueuePoller } from '../../local/queue-poller.ts';
import { throttleBatchWrites } from '../helpers/dynamodb-faults.ts';
import { eventually } from '../helpers/eventually.ts';
import { readEvent } from '../helpers/events.ts';
import { startLocalServer, type RunningServer } from '../helpers/local-server.ts';

const SINGLE = 'callbackAfterSendSingleMsgCommand';
const GROUP = 'callbackAfterSendGroupMsgCommand';
const SAVED = 'callbackAfterMsgSaveDBCommand';
const REVOKE = 'callbackBeforeAfterMsgCommand';

/** A sample after-callback with fresh IDs and time, as OpenIM would send it. */
function message(command: string, patch: Record<string, unknown>): StreamEvent {
  return { command, body: `${JSON.stringify({ ...readEvent(command), sendTime: Date.now(), ...patch })}\n` };
}

function chatEvent(eventType: string, payload: unknown): string {
  return JSON.stringify({ eventId: randomUUID(), eventType, operationID: 'op-test', receivedAt: new Date().toISOString(), valid: true, payload });
}

type Item = Record<string, unknown> & { recordID: string; kind: string };

describe('Audit over HTTP', () => {
  let server: RunningServer;
  let sqs: SQSClient;
  let sns: SNSClient;

  beforeAll(async () => {
    server = await startLocalServer();
    const config = { endpoint: server.messagingEndpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } };
    sqs = new SQSClient(config);
    sns = new SNSClient(config);
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function listAll(filter: string): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `${server.url}/api/audit?${filter}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const response = await fetch(url, { headers: { authorization: `Bearer ${server.apiToken}` } });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: Item[]; cursor: string | null };
      items.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    return items;
  }

  it('records each audited event once, listed by conversation, sender and group, newest first', async () => {
    // Prepare
    const at = Date.now() - 5_000;
    const single = message(SINGLE, { sendID: 'aud-a', recvID: 'aud-b', serverMsgID: 'aud-s1', sendTime: at });
    const saved = message(SAVED, { sendID: 'aud-a', recvID: 'aud-b', serverMsgID: 'aud-s1', sendTime: at, seq: 9 });
    const group = message(GROUP, { sendID: 'aud-a', groupID: 'aud-g', serverMsgID: 'aud-g1', sendTime: at + 10 });
    const revoke = { command: REVOKE, body: JSON.stringify({ callbackCommand: REVOKE, conversationID: 'si_aud-a_aud-b', seq: 9, userID: 'aud-a' }) };
    const decided = { decision: 'revoke', moderator: 'm@example.com', conversationID: 'sg_aud-g', serverMsgID: 'aud-g1' };

    // Act
    expect(await sendConcurrently(server.webhookBase, [single, single, saved, group, revoke, revoke])).toBe(0);
    await sns.send(
      new PublishCommand({
        TopicArn: server.chatEventsTopicArn,
        Message: chatEvent('moderation.decided', decided),
        MessageAttributes: { eventType: { DataType: 'String', StringValue: 'moderation.decided' }, valid: { DataType: 'String', StringValue: 'true' } },
      }),
    );
    await waitForDrain(server.messagingEndpoint, 'audit');

    // Assess
    const conversation = await listAll('conversationID=si_aud-a_aud-b');
    expect(conversation.map((item) => item.recordID).sort()).toEqual(['revoked#si_aud-a_aud-b#9', 'saved#aud-s1', 'sent#aud-s1']);
    expect(conversation[0]!.kind).toBe('revoked');
    expect(conversation.find((item) => item.kind === 'saved')).toMatchObject({ seq: 9, sendID: 'aud-a', recvID: 'aud-b' });
    // Records of the same millisecond sort by recordID, descending too.
    expect((await listAll('sendID=aud-a')).map((item) => item.recordID)).toEqual(['sent#aud-g1', 'sent#aud-s1', 'saved#aud-s1']);
    const groupItems = await listAll('groupID=aud-g');
    expect(groupItems.map((item) => item.kind).sort()).toEqual(['moderation.decided', 'sent']);
    expect(groupItems.find((item) => item.kind === 'moderation.decided')).toMatchObject({ details: decided });
  });

  it('records a 300 KiB after-send with its content: the event travels as a claim check through the payloads bucket', async () => {
    // Prepare
    const content = JSON.stringify({ content: 'x'.repeat(300 * 1024) });
    const big = message(SINGLE, { sendID: 'big-a', recvID: 'big-b', serverMsgID: 'big-1', content });

    // Act
    expect(await sendConcurrently(server.webhookBase, [big])).toBe(0);
    // Waits for the record, not for an empty queue: the answer does not wait for the publish, and
    // the first claim check also loads the S3 client, so the queue can be empty before it arrives.
    const record = await eventually(async () => (await listAll('sendID=big-a'))[0]);

    // Assess
    expect(record).toMatchObject({ recordID: 'sent#big-1', content });
    const s3 = new S3Client({ endpoint: server.messagingEndpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    const stored = await s3.send(new GetObjectCommand({ Bucket: CHAT_EVENT_PAYLOADS_LOCAL_BUCKET, Key: claimCheckKeyOf(String(record!.eventId)) }));
    expect(JSON.parse(await stored.Body!.transformToString())).toMatchObject({ eventId: record!.eventId, payload: { content } });
  });

  it('records sendTimes of 2^53 + 1 and 9e18 as sent, dated by arrival, beside their batch-mates', async () => {
    // Prepare: OpenIM's body text, with the digits JSON.parse would round.
    const withSendTime = (serverMsgID: string, digits: string) => {
      const { body } = message(SINGLE, { sendID: 'far-a', recvID: 'far-b', serverMsgID });
      return { command: SINGLE, body: body.replace(/"sendTime":\d+/, `"sendTime":${digits}`) };
    };
    const before = Date.now();
    const events = [withSendTime('far-1', '9007199254740993'), withSendTime('far-2', '9000000000000000000'), message(SINGLE, { sendID: 'far-a', recvID: 'far-b', serverMsgID: 'far-3' })];

    // Act
    expect(await sendConcurrently(server.webhookBase, events)).toBe(0);
    await waitForDrain(server.messagingEndpoint, 'audit');

    // Assess
    const records = new Map((await listAll('sendID=far-a')).map((item) => [item.serverMsgID, item]));
    expect([...records.keys()].sort()).toEqual(['far-1', 'far-2', 'far-3']);
    expect(records.get('far-1')).toMatchObject({ unusableSendTime: '9007199254740993' });
    expect(records.get('far-2')).toMatchObject({ unusableSendTime: '9000000000000000000' });
    expect(Date.parse(String(records.get('far-1')!.occurredAt))).toBeGreaterThanOrEqual(before);
    expect(records.get('far-3')).not.toHaveProperty('unusableSendTime');
  });

  it('writes one record when the same SQS message is delivered twice', async () => {
    // Prepare
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'audit' }));
    const body = chatEvent(SINGLE, { ...readEvent(SINGLE), sendID: 'twice-a', serverMsgID: 'twice-1', sendTime: Date.now() });

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    await waitForDrain(server.messagingEndpoint, 'audit');

    // Assess
    expect((await listAll('sendID=twice-a')).map((item) => item.recordID)).toEqual(['sent#twice-1']);
  });

  it('loses and duplicates nothing when 300 after-sends arrive through two concurrent senders', async () => {
    // Prepare
    const events = Array.from({ length: 300 }, (_, i) => message(i % 2 ? SINGLE : GROUP, { sendID: 'bulk-a', serverMsgID: `bulk-${i}` }));

    // Act
    expect(await sendConcurrently(server.webhookBase, [...events, ...events.slice(0, 30)])).toBe(0);
    await waitForDrain(server.messagingEndpoint, 'audit');

    // Assess
    const ids = (await listAll('sendID=bulk-a')).map((item) => item.serverMsgID);
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
  });

  it('writes every record exactly once when a batch is left half unprocessed and SQS redelivers it', async () => {
    // Prepare: a queue with a 1 s visibility timeout, consumed by the real writer whose DynamoDB throttles.
    const { 'audit-faults': queue } = await ensureQueues({ sqs, sns }, server.chatEventsTopicArn, [
      { name: 'audit-faults', eventTypes: ['test.unrouted'], maxReceiveCount: 5, visibilityTimeoutSeconds: 1 },
    ]);
    const dynamo = createDynamoDocumentClient({ endpoint: server.dynamodbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    const throttle = throttleBatchWrites(dynamo, 1);
    const store = new DynamoDbAuditStore(dynamo, TABLE_DEFINITIONS.audit.localName, { maxAttempts: 1 });
    const writer = auditWriterHandler(store, new ChatEventReader(undefined));
    const receiveCounts: number[] = [];
    const poller = await startQueuePoller({
      sqs,
      queueUrl: queue!.queueUrl,
      functionName: 'audit-writer-under-test',
      handler: async (event: SQSEvent, context) => {
        receiveCounts.push(...event.Records.map((record) => Number(record.attributes.ApproximateReceiveCount)));
        return writer(event, context);
      },
    });
    const bodies = Array.from({ length: 10 }, (_, i) => chatEvent(SINGLE, { ...readEvent(SINGLE), sendID: 'fault-a', serverMsgID: `fault-${i}`, sendTime: Date.now() }));

    // Act
    for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: queue!.queueUrl, MessageBody: body }));
    await waitForDrain(server.messagingEndpoint, 'audit-faults', 20_000);
    await poller.stop();

    // Assess
    expect(throttle.unprocessed).toBeGreaterThan(0);
    expect(receiveCounts.some((count) => count > 1)).toBe(true);
    const ids = (await listAll('sendID=fault-a')).map((item) => item.serverMsgID);
    expect([...ids].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `fault-${i}`).sort());
  });
});
