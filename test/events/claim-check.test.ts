/**
 * The claim check against real fauxqs (SNS, SQS and S3): an event is published inline up to SNS's
 * message limit counted with its attributes, and one byte over travels as a pointer to the
 * payloads bucket, routed by the same attributes; the reader every consumer uses gives back the
 * event either way. fauxqs enforces the limit itself, so "inline at the limit" is checked by it.
 */
import { CreateBucketCommand, DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsPublishBatch } from '#shared/aws/sns-publish-batch.ts';
import type { ChatEvent } from '#shared/events/chat-event.ts';
import { ChatEventReader } from '#shared/events/chat-event-reader.ts';
import { ChatEventTooLargeError, UnreadableChatEventError } from '#shared/events/errors.ts';
import { S3ClaimCheckStore } from '#shared/events/s3-claim-check-store.ts';
import { SnsChatEventPublisher } from '#shared/events/sns-chat-event-publisher.ts';
import { ensureQueues, type LocalQueue } from '../../local/provision-queues.ts';

const LIMIT = 262_144;
const EVENT_TYPE = 'callbackAfterSendSingleMsgCommand';
const BUCKET = 'claim-check-test';
/** The attributes' share of the message as SNS counts it: each one's name, data type and value. */
const ATTRIBUTE_BYTES = 'eventType'.length + 'String'.length + EVENT_TYPE.length + 'valid'.length + 'String'.length + 'true'.length;

/** An event whose SNS message is exactly `bytes` long, counting as SNS does: body, then each attribute's name, type and value. */
function eventOfSize(bytes: number, eventId: string): ChatEvent {
  const event: ChatEvent = { eventId, eventType: EVENT_TYPE, operationID: `op-${eventId}`, receivedAt: '2026-11-25T10:00:00.000Z', valid: true, payload: { content: '' } };
  const padding = bytes - ATTRIBUTE_BYTES - Buffer.byteLength(JSON.stringify(event));
  // Two-byte characters, so the count is in bytes, not characters.
  const content = 'é'.repeat(Math.floor(padding / 2)) + 'x'.repeat(padding % 2);
  const sized = { ...event, payload: { content } };
  expect(Buffer.byteLength(JSON.stringify(sized)) + ATTRIBUTE_BYTES).toBe(bytes);
  return sized;
}

describe('Claim check: SnsChatEventPublisher and ChatEventReader', () => {
  const fauxqs = buildApp({ logger: false });
  let sns: SNSClient;
  let sqs: SQSClient;
  let s3: S3Client;
  let topicArn: string;
  let queue: LocalQueue;
  let store: S3ClaimCheckStore;
  let config: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };

  beforeAll(async () => {
    const endpoint = await fauxqs.listen({ port: 0, host: '127.0.0.1' });
    config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } };
    sns = new SNSClient(config);
    sqs = new SQSClient(config);
    s3 = new S3Client(config);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    store = new S3ClaimCheckStore(s3, BUCKET);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'chat-events' }))).TopicArn!;
    queue = (await ensureQueues({ sqs, sns }, topicArn, [
      { name: 'claim-check-test', eventTypes: [EVENT_TYPE], maxReceiveCount: 2, visibilityTimeoutSeconds: 30 },
    ]))['claim-check-test']!;
  });

  afterAll(async () => {
    await fauxqs.close();
  });

  async function receiveOne(): Promise<Message> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
      if (Messages[0]) return Messages[0];
    }
    throw new Error('nothing arrived on the subscribed queue');
  }

  it('publishes an event of exactly the limit, attributes included, inline', async () => {
    // Prepare
    const event = eventOfSize(LIMIT, 'at-limit');
    const publisher = new SnsChatEventPublisher(createSnsPublishBatch(config), topicArn, { claimChecks: store });

    // Act
    await publisher.publish(event);
    const message = await receiveOne();

    // Assess
    expect(JSON.parse(message.Body!)).toEqual(event);
    await expect(store.get('chat-events/at-limit.json')).rejects.toThrow(/not in the payloads bucket/);
  });

  it('claim-checks an event one byte over the limit; the pointer is routed by its attributes and read back as the event', async () => {
    // Prepare
    const event = eventOfSize(LIMIT + 1, 'over-limit');
    const publisher = new SnsChatEventPublisher(createSnsPublishBatch(config), topicArn, { claimChecks: store });

    // Act
    await publisher.publish(event);
    const message = await receiveOne();
    const read = await new ChatEventReader(store).read({ messageId: message.MessageId!, body: message.Body! });

    // Assess
    expect(JSON.parse(message.Body!)).toEqual({
      claimCheck: { key: 'chat-events/over-limit.json', bytes: LIMIT + 1 - ATTRIBUTE_BYTES },
      eventId: 'over-limit',
      eventType: EVENT_TYPE,
      operationID: 'op-over-limit',
    });
    expect(message.MessageAttributes?.eventType?.StringValue).toBe(EVENT_TYPE);
    expect(read).toEqual(event);
  });

  it('refuses an event one byte over the limit without calling SNS when no bucket is configured', async () => {
    // Prepare
    const calls: string[] = [];
    const client = createSnsPublishBatch(config);
    const counted = { publishBatch: (topic: string, entries: Parameters<typeof client.publishBatch>[1]) => (calls.push('PublishBatch'), client.publishBatch(topic, entries)) };
    const publisher = new SnsChatEventPublisher(counted, topicArn);

    // Act
    const outcome = publisher.publish(eventOfSize(LIMIT + 1, 'no-bucket'));

    // Assess
    await expect(outcome).rejects.toThrow(ChatEventTooLargeError);
    expect(calls).toEqual([]);
  });

  it.each([
    { case: 'its object is gone', key: 'chat-events/gone.json', reader: () => new ChatEventReader(store), reason: /not in the payloads bucket/ },
    { case: 'no bucket is configured', key: 'chat-events/x.json', reader: () => new ChatEventReader(undefined), reason: /CHAT_EVENT_PAYLOADS_BUCKET is not set/ },
  ])('reports a claim check as unreadable when $case', async ({ key, reader, reason }) => {
    // Prepare
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    const body = JSON.stringify({ claimCheck: { key, bytes: 300_000 }, eventId: 'gone', eventType: EVENT_TYPE, operationID: 'op' });

    // Act
    const read = reader().read({ messageId: 'm-1', body });

    // Assess
    await expect(read).rejects.toThrow(UnreadableChatEventError);
    await expect(read).rejects.toThrow(reason);
  });

  it('reports a body that is not JSON as unreadable, naming the message and not its content', async () => {
    // Act
    const read = new ChatEventReader(store).read({ messageId: 'm-2', body: 'secret text{' });

    // Assess
    await expect(read).rejects.toThrow('SQS message m-2 is not a chat event: the body is not JSON');
  });
});
