/**
 * The push queue's consumer: one record (one push job) at a time
 * (shared/events/chat-event-consumer.ts). A job that left devices unreached throws, so only its
 * record comes back after the visibility timeout (the delivery log skips the devices already
 * notified), and after the queue's maxReceiveCount it rests in the DLQ, whole, for a redrive.
 */
import * as z from 'zod';
import { chatEventConsumer, type SqsBatchHandler } from '../events/chat-event-consumer.ts';
import type { ChatEventReader } from '../events/chat-event-reader.ts';
import { logger } from '../observability/logger.ts';
import { UnreadablePushJobError } from './errors.ts';
import type { PushDispatcher } from './push-dispatcher.ts';
import { PushJob } from './push-job.ts';

export function pushWorkerHandler(dispatcher: Pick<PushDispatcher, 'dispatch'>, reader: ChatEventReader): SqsBatchHandler {
  return chatEventConsumer({
    name: 'push',
    reader,
    async handle(event) {
      const parsed = PushJob.safeParse(event.payload);
      // It can never succeed; failing it lets the queue's redrive keep it in the DLQ for inspection.
      if (!parsed.success) throw new UnreadablePushJobError(event.eventId, z.prettifyError(parsed.error));
      const job = parsed.data;
      try {
        await dispatcher.dispatch(job, event.receivedAt);
      } catch (error) {
        logger.warn('push job incomplete', { operationID: event.operationID, messageID: job.messageID, chunk: job.chunk });
        throw error;
      }
    },
  });
}
