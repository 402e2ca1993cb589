/**
 * Publishes an after-callback's event. OpenIM never retries and drops events when we are slow,
 * so the publisher retries within the request (SDK standard retries, bounded attempts and
 * per-attempt timeouts) and a final failure writes the whole event to an error log line, with a
 * metric, from which it can be replayed: never lost silently.
 */
import type { ChatEvent } from '../events/chat-event.ts';
import type { ChatEventPublisher } from '../events/chat-event-publisher.ts';
import { logger } from '../observability/logger.ts';
import { countEvent, METRIC_NAMES } from '../observability/metrics.ts';

export type PublishOutcome = 'published' | 'recorded-for-replay';

export async function publishOrRecord(publisher: ChatEventPublisher, event: ChatEvent): Promise<PublishOutcome> {
  try {
    await publisher.publish(event);
    return 'published';
  } catch (error) {
    countEvent(METRIC_NAMES.afterEventPublishFailed, { eventType: event.eventType });
    logger.error('chat event could not be published; replay it from this line', {
      operationID: event.operationID,
      eventType: event.eventType,
      replayEvent: event,
      error: error as Error,
    });
    return 'recorded-for-replay';
  }
}
