/**
 * The review queue's consumer: one record at a time (shared/events/chat-event-consumer.ts),
 * handed to ReviewIntake (a flag becomes a review item, a block is judged for a penalty).
 */
import { chatEventConsumer, type SqsBatchHandler } from '../events/chat-event-consumer.ts';
import type { ChatEventReader } from '../events/chat-event-reader.ts';
import { logger } from '../observability/logger.ts';
import type { ReviewIntake } from './review-intake.ts';

export function reviewWorkerHandler(intake: Pick<ReviewIntake, 'handle'>, reader: ChatEventReader): SqsBatchHandler {
  return chatEventConsumer({
    name: 'review',
    reader,
    async handle(event) {
      const outcome = await intake.handle(event);
      logger.info('review event handled', { operationID: event.operationID, eventType: event.eventType, outcome });
    },
  });
}
