/**
 * The push queue's consumer: one record (one push job) at a time
 * (shared/events/chat-event-consumer.ts). A job that left devices unreached throws, so only its
 * record comes back (the delivery log skips the devices already notified), and after the queue's
 * maxReceiveCount it rests in the DLQ, whole, for a redrive. A job whose devices surely failed
 * (their provider refused or was down) comes back after `redeliveryDelaySeconds`, tripled on each
 * receive, rather than after the queue's visibility timeout; any other failure waits that out,
 * since another run of the job may still be at work.
 */
import * as z from 'zod/mini';
import { chatEventConsumer, type SqsBatchHandler } from '../events/chat-event-consumer.ts';
import type { ChatEventReader } from '../events/chat-event-reader.ts';
import { redeliverAfter, redeliveryDelaySeconds } from '../events/redelivery.ts';
import { logger } from '../observability/logger.ts';
import { PushIncompleteError, UnreadablePushJobError } from './errors.ts';
import type { PushDispatcher } from './push-dispatcher.ts';
import { PushJob } from './push-job.ts';

export interface PushWorkerOptions {
  /** Seconds until a job whose devices surely failed comes back the first time; 0 leaves it to the queue's visibility timeout. */
  readonly redeliveryDelaySeconds: number;
}

export function pushWorkerHandler(dispatcher: Pick<PushDispatcher, 'dispatch'>, reader: ChatEventReader, options: PushWorkerOptions): SqsBatchHandler {
  return chatEventConsumer({
    name: 'push',
    reader,
    async handle(event, record) {
      const parsed = PushJob.safeParse(event.payload);
      // It can never succeed; failing it lets the queue's redrive keep it in the DLQ for inspection.
      if (!parsed.success) throw new UnreadablePushJobError(event.eventId, z.prettifyError(parsed.error));
      const job = parsed.data;
      try {
        await dispatcher.dispatch(job, event.receivedAt);
      } catch (error) {
        logger.warn('push job incomplete', { operationID: event.operationID, messageID: job.messageID, chunk: job.chunk });
        if (error instanceof PushIncompleteError && options.redeliveryDelaySeconds > 0) {
          const seconds = redeliveryDelaySeconds(options.redeliveryDelaySeconds, Number(record.attributes.ApproximateReceiveCount));
          // Failing to shorten the wait loses nothing: the record still comes back after its visibility timeout.
          await redeliverAfter(record, seconds).catch((failure: unknown) =>
            logger.warn('push job will come back after the visibility timeout: its return could not be brought forward', { messageID: job.messageID, error: failure as Error }),
          );
        }
        throw error;
      }
    },
  });
}
