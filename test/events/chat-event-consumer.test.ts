import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { chatEventConsumer } from '#shared/events/chat-event-consumer.ts';
import { ChatEventReader } from '#shared/events/chat-event-reader.ts';

function record(messageId: string, eventType: string): SQSRecord {
  const body = JSON.stringify({ eventId: messageId, eventType, operationID: `op-${messageId}`, receivedAt: new Date().toISOString(), valid: true, payload: {} });
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test',
    awsRegion: 'us-east-1',
  };
}

describe('Function: chatEventConsumer()', () => {
  it('keeps the failures of concurrent invocations apart, as the local pollers run them', async () => {
    // Prepare: the first batch's record fails at once, the second batch starts while the first's
    // slow record is still running, and the first answers last.
    const delays: Record<string, number> = { fail: 1, slow: 40, ok: 1 };
    const handler = chatEventConsumer({
      name: 'test',
      reader: new ChatEventReader(undefined),
      handle: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, delays[event.eventType]));
        if (event.eventType === 'fail') throw new Error('not done');
      },
    });
    const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

    // Act
    const first = handler(batch(record('a1', 'fail'), record('a2', 'slow')), {} as Context);
    await new Promise((resolve) => setTimeout(resolve, 15));
    const second = handler(batch(record('b1', 'ok')), {} as Context);

    // Assess: the failed record is reported by its own batch, so SQS delivers it again.
    expect((await first).batchItemFailures).toEqual([{ itemIdentifier: 'a1' }]);
    expect((await second).batchItemFailures).toEqual([]);
  });
});
