/**
 * Local stand-in for Lambda's SQS event source mapping: receives batches from a queue (gathering
 * records for the batching window, when the worker has one), calls the worker's handler with the
 * SQS event shape, deletes what succeeded and leaves the failures
 * (`batchItemFailures`, or the whole batch when the handler throws) to come back after the
 * visibility timeout, until the queue's redrive policy moves them to the DLQ, as in AWS.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { chunksOf } from '#shared/batching/chunks.ts';
import { logger } from '#shared/observability/logger.ts';
import { localContext } from './apigw-adapter.ts';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface QueuePollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly handler: SqsHandler;
  readonly functionName: string;
  /** @default 10 */
  readonly batchSize?: number;
  /**
   * Lambda's MaximumBatchingWindowInSeconds, in ms: from the first record received, records gather
   * this long unless the batch fills first. @default 0
   */
  readonly batchingWindowMs?: number;
  /** Lambda's timeout for the worker. @default 30_000 */
  readonly timeoutMs?: number;
}

export interface QueuePoller {
  stop(): Promise<void>;
}

/** How long one receive waits for messages; short enough that stop() is prompt. */
const WAIT_SECONDS = 1;

/**
 * How long a receive may take before it is abandoned: far beyond the clients' attempt timeout,
 * since what an abandoned receive took stays hidden until its visibility timeout (minutes), and a
 * busy machine's stand-ins answer late (over 2 s under bench:callbacks) but answer. Only a
 * connection that hangs reaches it.
 */
const RECEIVE_TIMEOUT_MS = 30_000;

/** SQS's most messages per receive and per delete. */
const SQS_BATCH_LIMIT = 10;

/** During a batching window, how long to wait before looking again once the queue is drained. */
const GATHER_PAUSE_MS = 100;

export async function startQueuePoller(options: QueuePollerOptions): Promise<QueuePoller> {
  const { sqs, queueUrl, handler, functionName } = options;
  const batchSize = options.batchSize ?? SQS_BATCH_LIMIT;
  const batchingWindowMs = options.batchingWindowMs ?? 0;
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const queueArn = Attributes?.QueueArn ?? queueUrl;
  const stopping = new AbortController();

  const receive = async (max: number, waitSeconds: number): Promise<Message[]> => {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(max, SQS_BATCH_LIMIT),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: stopping.signal, requestTimeout: RECEIVE_TIMEOUT_MS },
    );
    return received.Messages ?? [];
  };

  /** Adds to `batch` until it is full or the window that began with its first record is over. */
  const gather = async (batch: Message[]): Promise<void> => {
    const windowEnds = performance.now() + batchingWindowMs;
    while (batch.length < batchSize && !stopping.signal.aborted) {
      const wanted = Math.min(batchSize - batch.length, SQS_BATCH_LIMIT);
      const more = await receive(wanted, 0);
      batch.push(...more);
      const left = windowEnds - performance.now();
      if (left <= 0) return;
      if (more.length < wanted) await new Promise((resolve) => setTimeout(resolve, Math.min(left, GATHER_PAUSE_MS)));
    }
  };

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      const batch: Message[] = [];
      try {
        batch.push(...(await receive(batchSize, WAIT_SECONDS)));
        if (batch.length > 0 && batchingWindowMs > 0) await gather(batch);
      } catch (error) {
        if (stopping.signal.aborted) return;
        // What was received already comes back after its visibility timeout.
        logger.warn('local queue poller could not receive; retrying', { functionName, error: error as Error });
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      if (batch.length > 0) await deliver(batch);
    }
  })();

  async function deliver(messages: Message[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map((message) => toRecord(message, queueArn)) };
    let failed: Set<string>;
    try {
      const response = await handler(event, localContext(functionName, options.timeoutMs ?? 30_000));
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      logger.error('worker failed the whole batch; it will be redelivered', { functionName, error: error as Error });
      return;
    }
    const done = messages.filter((message) => !failed.has(message.MessageId!));
    for (const batch of chunksOf(done, SQS_BATCH_LIMIT)) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
        }),
      );
    }
  }

  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        { dataType: value.DataType ?? 'String', ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}) },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: process.env.AWS_REGION ?? 'us-east-1',
  };
}
