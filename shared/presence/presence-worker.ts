/**
 * The presence queue's consumer: one record at a time (shared/events/chat-event-consumer.ts),
 * each a conditional write that only a newer event passes. Records of one batch run in
 * parallel; they may concern the same user and platform, which the condition makes harmless.
 * A refused write (an older or duplicate event) is a success: there is nothing left to do.
 */
import { chatEventConsumer, type SqsBatchHandler } from '../events/chat-event-consumer.ts';
import type { ChatEventReader } from '../events/chat-event-reader.ts';
import { logger } from '../observability/logger.ts';
import type { PresenceStore } from '../store/presence-store.ts';
import { presenceEventOf } from './presence-event.ts';

export function presenceWorkerHandler(store: PresenceStore, reader: ChatEventReader): SqsBatchHandler {
  return chatEventConsumer({
    name: 'presence',
    reader,
    async handle(event) {
      const { applied } = await store.apply(presenceEventOf(event));
      logger.debug('presence event handled', { operationID: event.operationID, eventType: event.eventType, applied });
    },
  });
}
