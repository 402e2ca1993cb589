/**
 * The chat-event publisher against real fauxqs: concurrent publishes share PublishBatch calls and
 * arrive whole, with the attributes that subscription filter policies route on; with a linger,
 * publishes a few turns apart share them too; an entry SNS refuses rejects its own publish only.
 */
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsPublishBatch, type SnsPublishBatch } from '#shared/aws/sns-publish-batch.ts';
import { buildChatEvent } from '#shared/callbacks/after-event.ts';
import { ChatEventRejectedError } from '#shared/events/errors.ts';
import { SnsChatEventPublisher } from '#shared/events/sns-chat-event-publisher.ts';
import { ensureQueues, type LocalQueue } from '../../local/provision-queues.ts';
import { readEventBody } from '../helpers/events.ts';

describe('Class: SnsChatEventPublisher', () => {
  const fauxqs = buildApp({ logger: false });
  let sns: SNSClient;
  /** The publisher's client, counting its calls. */
  let publishing: SnsPublishBatch;
  let sqs: SQSClient;
  let topicArn: string;
  let queue: LocalQueue;
  const calls: string[] = [];

  beforeAll(async () => {
    const endpoint = await fauxqs.listen({ port: 0, host: '127.0.0.1' });
    const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } };
    sns = new SNSClient(config);
    sqs = new SQSClient(config);
    const client = createSnsPublishBatch(config);
    publishing = { publishBatch: (topic, entries) => (calls.push('PublishBatch'), client.publishBatch(topic, entries)) };
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'chat-events' }))).TopicArn!;
    const queues = await ensureQueues({ sqs, sns }, topicArn, [
      { name: 'publisher-test', eventTypes: ['callbackAfterSendGroupMsgCommand'], maxReceiveCount: 2, visibilityTimeoutSeconds: 30 },
    ]);
    queue = queues['publisher-test']!;
  });

  afterAll(async () => {
    await fauxqs.close();
  });

  const eventNumber = (n: number) =>
    buildChatEvent({ command: 'callbackAfterSendGroupMsgCommand', body: readEventBody('callbackAfterSendGroupMsgCommand'), operationID: `op-${n}` });

  it('publishes 25 concurrent events in 3 calls, each delivered whole through the filter policy', async () => {
    // Prepare
    calls.length = 0;
    const publisher = new SnsChatEventPublisher(publishing, topicArn);
    const events = Array.from({ length: 25 }, (_, n) => eventNumber(n));

    // Act
    await Promise.all(events.map((event) => publisher.publish(event)));
    const received: string[] = [];
    for (let attempt = 0; attempt < 10 && received.length < events.length; attempt += 1) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10 }));
      received.push(...Messages.map((message) => message.Body!));
    }

    // Assess
    expect(calls.filter((name) => name === 'PublishBatch')).toHaveLength(3);
    expect(received.map((body) => JSON.parse(body) as unknown).sort(byOperation)).toEqual(events.sort(byOperation));
  });

  it('with a linger, gathers events published a few turns apart into one call', async () => {
    // Prepare
    calls.length = 0;
    const publisher = new SnsChatEventPublisher(publishing, topicArn, { lingerMs: 200 });

    // Act
    const published: Promise<void>[] = [];
    for (let n = 0; n < 3; n += 1) {
      published.push(publisher.publish(eventNumber(100 + n)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(published);
    for (let drained = 0; drained < 3; ) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10 }));
      drained += Messages.length;
    }

    // Assess
    expect(calls.filter((name) => name === 'PublishBatch')).toHaveLength(1);
  });

  it('rejects the publish of an entry SNS refuses, with its code', async () => {
    // Prepare: a FIFO topic refuses entries without a message group, as the sender's fault.
    const fifoTopic = (await sns.send(new CreateTopicCommand({ Name: 'refusing.fifo', Attributes: { FifoTopic: 'true' } }))).TopicArn!;
    const publisher = new SnsChatEventPublisher(publishing, fifoTopic);

    // Act
    const outcome = publisher.publish(eventNumber(1));

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(ChatEventRejectedError);
    await expect(outcome).rejects.toMatchObject({ code: 'InvalidParameter' });
  });
});

function byOperation(a: unknown, b: unknown): number {
  return String((a as { operationID: string }).operationID).localeCompare(String((b as { operationID: string }).operationID));
}
