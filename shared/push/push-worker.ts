/**
 * The push queue's consumer: one record (one push job) at a time, run by Powertools
 * `processPartialResponse`. A job that left devices unreached throws, so only its record comes
 * back after the visibility timeout (the delivery log skips the devices already notified), and
 * after the queue's maxReceiveCount it rests in the DLQ, whole, for a redrive.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ChatEvent } from '../events/chat-event.ts';
import { logger } from '../observability/logger.ts';
import type { PushDispatcher } from './push-dispatcher.ts';
import { PushJob } from './push-job.ts';

export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function pushWorkerHandler(dispatcher: Pick<PushDispatcher, 'dispatch'>): SqsBatchHandler {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    let event: ChatEvent;
    let job: PushJob;
    try {
      event = ChatEvent.parse(JSON.parse(record.body));
      job = PushJob.parse(event.payload);
    } catch (error) {
      // It can never succeed; failing it lets the queue's redrive keep it in the DLQ for inspection.
      logger.error('push record is not a push job; it will end in the DLQ', { messageId: record.messageId, error: error as Error });
      throw error;
    }
    try {
      await dispatcher.dispatch(job, event.receivedAt);
    } catch (error) {
      logger.warn('push job incomplete; SQS will redeliver it', {
        operationID: event.operationID,
        messageID: job.messageID,
        chunk: job.chunk,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error: error as Error,
      });
      throw error;
    }
  };
  return (event, context) => processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
}
