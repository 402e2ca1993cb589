/**
 * Review worker: consumes the `review` queue (moderation.flagged and moderation.blocked chat
 * events, published by the send-path moderation), async. A flag becomes a pending review item
 * (idempotent on the message ID); a block is judged for a repeat-offender penalty, carried out on
 * OpenIM's admin API. Event: SQS batch, one record at a time (shared/review/review-worker.ts);
 * reply: partial batch failures, so only failed records come back.
 */
import { createSnsPublishBatch } from '#shared/aws/sns-publish-batch.ts';
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { loadReviewConfig } from '#shared/config/review-config.ts';
import { ChatEventReader } from '#shared/events/chat-event-reader.ts';
import { claimCheckStoreFromEnv } from '#shared/events/s3-claim-check-store.ts';
import { loadOpenImAdminAccess } from '#shared/openim/admin/admin-config.ts';
import { createReview } from '#shared/review/create-review.ts';
import { reviewWorkerHandler } from '#shared/review/review-worker.ts';

const { intake } = createReview(loadReviewConfig(), loadOpenImAdminAccess(), { dynamo: createDynamoDocumentClient(), sns: createSnsPublishBatch() });

export const handler = reviewWorkerHandler(intake, new ChatEventReader(claimCheckStoreFromEnv()));
