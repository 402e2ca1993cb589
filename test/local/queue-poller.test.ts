/**
 * The local stand-in for Lambda's SQS event source, against real fauxqs: partial batch failures
 * come back after the visibility timeout and reach the DLQ after maxReceiveCount receives.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { buildApp } from 'fauxqs';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestHandler } from '#shared/aws/request-handler.ts';
import { eventually } from '../helpers/eventually.ts';
import { ensureQueues, type LocalQueue } from '../../local/provision-queues.ts';
import { startQueuePoller } from '../../local/queue-poller.ts';

describe('Function: startQueuePoller()', () => {
  const fauxqs = buildApp({ logger: false });
  let sqs: SQSClient;
  let queue: LocalQueue;
  /** A queue of its own, which no stopped poller's last long poll can still be reading. */
  let windowQueue: LocalQueue;

  beforeAll(async () => {
    const endpoint = await fauxqs.listen({ port: 0, host: '127.0.0.1' });
    const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } };
    sqs = new SQSClient(config);
    const sns = new SNSClient(config);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'chat-events' }));
    const queues = await ensureQueues({ sqs, sns }, TopicArn!, [
      { name: 'poller-test', eventTypes: ['test'], maxReceiveCount: 2, visibilityTimeoutSeconds: 1 },
      { name: 'poller-window-test', eventTypes: ['test'], maxReceiveCount: 2, visibilityTimeoutSeconds: 5 },
    ]);
    queue = queues['poller-test']!;
    windowQueue = queues['poller-window-test']!;
  });

  afterAll(async () => {
    await fauxqs.close();
  });

  it('delivers batches in the SQS event shape, deletes successes and dead-letters repeated failures', async () => {
    // Prepare
    const seen: string[] = [];
    const poller = await startQueuePoller({
      sqs,
      queueUrl: queue.queueUrl,
      functionName: 'test-worker',
      handler: async (event: SQSEvent) => {
        seen.push(...event.Records.map((record) => `${record.body}#${record.attributes.ApproximateReceiveCount}`));
        expect(event.Records.every((record) => record.eventSource === 'aws:sqs')).toBe(true);
        return { batchItemFailures: event.Records.filter((record) => record.body === 'poison').map((record) => ({ itemIdentifier: record.messageId })) };
      },
    });

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: 'fine' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: 'poison' }));
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await poller.stop();
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.deadLetterQueueUrl, MaxNumberOfMessages: 10 }));
    const left = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10 }));

    // Assess
    expect(seen.filter((entry) => entry.startsWith('fine'))).toEqual(['fine#1']);
    expect(seen.filter((entry) => entry.startsWith('poison'))).toEqual(['poison#1', 'poison#2']);
    expect((dead.Messages ?? []).map((message) => message.Body)).toEqual(['poison']);
    expect(left.Messages ?? []).toEqual([]);
  });

  it('gathers records for the batching window into one batch larger than a receive, and deletes them all', async () => {
    // Prepare
    const batches: number[] = [];
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => sqs.send(new SendMessageCommand({ QueueUrl: windowQueue.queueUrl, MessageBody: `gathered-${i}` }))),
    );
    const poller = await startQueuePoller({
      sqs,
      queueUrl: windowQueue.queueUrl,
      functionName: 'test-worker',
      batchSize: 100,
      batchingWindowMs: 500,
      handler: async (event: SQSEvent) => {
        batches.push(event.Records.length);
        return { batchItemFailures: [] };
      },
    });

    // Act
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await poller.stop();
    const left = await sqs.send(new ReceiveMessageCommand({ QueueUrl: windowQueue.queueUrl, MaxNumberOfMessages: 10 }));

    // Assess
    expect(batches).toEqual([25]);
    expect(left.Messages ?? []).toEqual([]);
  });
});

describe('Function: startQueuePoller() against a stand-in that answers late', () => {
  it('waits for a receive that outlasts the client\'s attempt timeout instead of abandoning it with what it took', async () => {
    // Prepare: every receive answered 500 ms late, by a client whose attempts may take 200 ms
    const slow = buildApp({ logger: false });
    slow.addHook('onRequest', async (request) => {
      if (request.headers['x-amz-target'] === 'AmazonSQS.ReceiveMessage') await delay(500);
    });
    const endpoint = await slow.listen({ port: 0, host: '127.0.0.1' });
    const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } };
    const sns = new SNSClient(config);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'chat-events' }));
    const sqs = new SQSClient({ ...config, requestHandler: requestHandler({ attemptTimeoutMs: 200 }) });
    const { 'slow-test': queue } = await ensureQueues({ sqs, sns }, TopicArn!, [
      { name: 'slow-test', eventTypes: ['test'], maxReceiveCount: 5, visibilityTimeoutSeconds: 30 },
    ]);
    await sqs.send(new SendMessageCommand({ QueueUrl: queue!.queueUrl, MessageBody: 'late' }));
    const seen: string[] = [];

    // Act
    const poller = await startQueuePoller({
      sqs,
      queueUrl: queue!.queueUrl,
      functionName: 'test-worker',
      handler: async (event: SQSEvent) => {
        seen.push(...event.Records.map((record) => `${record.body}#${record.attributes.ApproximateReceiveCount}`));
        return { batchItemFailures: [] };
      },
    });
    try {
      await eventually(() => seen.length > 0, 5_000);
    } finally {
      await poller.stop();
      await slow.close();
    }

    // Assess: taken by the first receive, not hidden for the visibility timeout by an abandoned one
    expect(seen).toEqual(['late#1']);
  });
});
