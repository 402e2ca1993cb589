/**
 * Review worker: consumes the `review` queue (moderation.flagged and moderation.blocked chat
 * events, published by the send-path moderation), async. A flag becomes a pending review item
 * (idempotent on the message ID); a block is judged for a repeat-offender penalty, carried out on
 * OpenIM's admin API. Event: SQS batch, one record at a time (Powertools `processPartialResponse`);
 * reply: partial batch failures, so only failed records come back.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createDynamoDocumentClient, createSnsClient } from '#shared/aws/clients.ts';
import { loadReviewConfig } from '#shared/config/review-config.ts';
import { chatEventOfRecord } from '#shared/events/chat-event-of-record.ts';
import { logger } from '#shared/observability/logger.ts';
import { loadOptionalOpenImAdminConfig } from '#shared/openim/admin/admin-config.ts';
import { createReview } from '#shared/review/create-review.ts';

const { intake } = createReview(loadReviewConfig(), loadOptionalOpenImAdminConfig(), { dynamo: createDynamoDocumentClient(), sns: createSnsClient() });
const processor = new BatchProcessor(EventType.SQS);

async function recordHandler(record: SQSRecord): Promise<void> {
  const event = chatEventOfRecord(record);
  try {
    const outcome = await intake.handle(event);
    logger.info('review event handled', { operationID: event.operationID, eventType: event.eventType, outcome });
  } catch (error) {
    logger.error('review event failed; SQS will redeliver it', { operationID: event.operationID, eventType: event.eventType, error: error as Error });
    throw error;
  }
}

export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  // Failed records are reported back to SQS alone; a batch where all fail is not an invocation error.
  processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
