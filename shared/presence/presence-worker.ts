/**
 * The presence queue's consumer: one record at a time (Powertools `processPartialResponse`),
 * each a conditional write that only a newer event passes. Records of one batch run in
 * parallel; they may concern the same user and platform, which the condition makes harmless.
 * A refused write (an older or duplicate event) is a success: there is nothing left to do.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { chatEventOfRecord } from '../events/chat-event-of-record.ts';
import { logger } from '../observability/logger.ts';
import type { PresenceStore } from '../store/presence-store.ts';
import { presenceEventOf } from './presence-event.ts';

export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function presenceWorkerHandler(store: PresenceStore): SqsBatchHandler {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const event = chatEventOfRecord(record);
    try {
      const { applied } = await store.apply(presenceEventOf(event));
      logger.debug('presence event handled', { operationID: event.operationID, eventType: event.eventType, applied });
    } catch (error) {
      logger.error('presence event failed; SQS will redeliver it', { operationID: event.operationID, eventType: event.eventType, error: error as Error });
      throw error;
    }
  };
  return (event, context) => processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
}
