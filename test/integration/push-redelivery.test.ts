/**
 * When a push job comes back after its devices surely failed: on the local mode's fauxqs (durable
 * queues, on the stand-ins' thread) with the push queue's 180 s visibility timeout, consumed by the
 * local stand-in for Lambda's event source, the
 * push worker makes the record visible again after PUSH_REDELIVERY_DELAY_SECONDS, tripled on the
 * next receive, instead of three minutes later; with 0 it waits out the visibility timeout.
 */
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatEventReader } from '#shared/events/chat-event-reader.ts';
import { queueUrlOf } from '#shared/events/redelivery.ts';
import { PushIncompleteError } from '#shared/push/errors.ts';
import { pushWorkerHandler } from '#shared/push/push-worker.ts';
import { startEmbeddedAws, type EmbeddedAws } from '../../local/embedded-aws.ts';
import { ensureQueues } from '../../local/provision-queues.ts';
import { startQueuePoller } from '../../local/queue-poller.ts';
import { eventually } from '../helpers/eventually.ts';
import { groupPushJob } from '../helpers/push/group-push-job.ts';

const PUSH_QUEUE_VISIBILITY_SECONDS = 180;

const job = groupPushJob('message-redelivery', ['bob']);
const pushJobEvent = () =>
  JSON.stringify({ eventId: `e-${Math.random()}`, eventType: 'push.job', operationID: 'op-redelivery', receivedAt: new Date().toISOString(), valid: true, payload: job });

describe('Push worker: when a job whose devices surely failed comes back', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'push-redelivery-'));
  let aws: EmbeddedAws;
  const environment = { ...process.env };
  let sqs: SQSClient;
  let sns: SNSClient;
  let topicArn: string;
  let queues = 0;

  beforeAll(async () => {
    aws = await startEmbeddedAws(dataDir);
    const endpoint = aws.messagingEndpoint;
    // The worker's own SQS client is built from the environment, as in Lambda.
    Object.assign(process.env, { AWS_ENDPOINT_URL_SQS: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 't', AWS_SECRET_ACCESS_KEY: 't' });
    const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } };
    sqs = new SQSClient(config);
    sns = new SNSClient(config);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'chat-events' }))).TopicArn!;
  });
  afterAll(async () => {
    process.env = environment;
    await aws.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * Runs the worker on one job whose first `failures` dispatches throw PushIncompleteError; returns
   * when each dispatch began. `sourceArn` changes the queue ARN the worker sees on its records.
   */
  async function consume(
    redeliveryDelaySeconds: number,
    failures: number,
    until: (dispatches: number[]) => boolean,
    timeoutMs: number,
    { visibilityTimeoutSeconds = PUSH_QUEUE_VISIBILITY_SECONDS, sourceArn }: { visibilityTimeoutSeconds?: number; sourceArn?: string } = {},
  ): Promise<number[]> {
    const name = `push-redelivery-${++queues}`;
    const queue = (await ensureQueues({ sqs, sns }, topicArn, [{ name, eventTypes: ['test.unrouted'], maxReceiveCount: 5, visibilityTimeoutSeconds }]))[name]!;
    const dispatches: number[] = [];
    const dispatcher = {
      dispatch: async () => {
        dispatches.push(Date.now());
        if (dispatches.length <= failures) throw new PushIncompleteError(job.messageID, 1);
        return { recipients: 1, quiet: 0, online: 0, devices: 1, alreadyDone: 0, delivered: 1, invalidTokens: 0, rejected: 0, unknown: 0, unavailable: 0 };
      },
    };
    const poller = await startQueuePoller({
      sqs,
      queueUrl: queue.queueUrl,
      functionName: name,
      batchSize: 1,
      handler: (event, context) => {
        const worker = pushWorkerHandler(dispatcher, new ChatEventReader(undefined), { redeliveryDelaySeconds });
        return worker(sourceArn ? { Records: event.Records.map((record) => ({ ...record, eventSourceARN: sourceArn })) } : event, context);
      },
    });
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: pushJobEvent() }));
      await eventually(() => until(dispatches), timeoutMs);
      return dispatches;
    } finally {
      await poller.stop();
    }
  }

  it('comes back after the first delay, then after three times that, and is done once dispatched', async () => {
    // Act
    const dispatches = await consume(1, 2, (seen) => seen.length === 3, 30_000);

    // Assess: ~1 s, then ~3 s, not the queue's 180 s
    const [first, second, third] = dispatches as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(900);
    expect(second - first).toBeLessThan(10_000);
    expect(third - second).toBeGreaterThanOrEqual(2_900);
    expect(third - second).toBeLessThan(15_000);
  });

  it('waits out the visibility timeout when the delay is 0', async () => {
    // Act: one dispatch, then nothing for 4 s
    const started = Date.now();
    const dispatches = await consume(0, 1, (seen) => seen.length === 1 && Date.now() - started > 4_000, 10_000);

    // Assess
    expect(dispatches).toHaveLength(1);
  });

  it('still comes back, after the visibility timeout, when its return cannot be brought forward', async () => {
    // Act: ChangeMessageVisibility names a queue that does not exist, so SQS refuses it
    const dispatches = await consume(1, 1, (seen) => seen.length === 2, 20_000, {
      visibilityTimeoutSeconds: 4,
      sourceArn: 'arn:aws:sqs:us-east-1:000000000000:no-such-queue',
    });

    // Assess: not lost, and not back after the 1 s delay but after the 4 s timeout
    const [first, second] = dispatches as [number, number];
    expect(second - first).toBeGreaterThanOrEqual(3_500);
  });

  it('names the queue of a record by its ARN', () => {
    expect(queueUrlOf('arn:aws:sqs:eu-west-1:123456789012:openim-hooks-prod-push')).toBe('https://sqs.eu-west-1.amazonaws.com/123456789012/openim-hooks-prod-push');
    expect(queueUrlOf('arn:aws-cn:sqs:cn-north-1:123456789012:push')).toBe('https://sqs.cn-north-1.amazonaws.com.cn/123456789012/push');
    expect(() => queueUrlOf('arn:aws:sns:eu-west-1:123456789012:topic')).toThrow('not an SQS queue ARN');
  });
});
