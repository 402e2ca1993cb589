/**
 * Publishes a chat event by appending it to the local event journal (event-journal.ts): the
 * publish resolves once the journal's file has the event, and a JournalForwarder takes it on to
 * the topic in the background. When the journal cannot take it (disk full, permission, closed
 * while stopping), the event goes the way it does without a journal, through `direct` (the
 * topic's publisher), so chat never breaks on the journal: counted, and logged once per run of
 * failures (and again when the journal takes events again).
 */
import { logger } from '../observability/logger.ts';
import { countEvent, METRIC_NAMES } from '../observability/metrics.ts';
import type { ChatEvent } from './chat-event.ts';
import type { ChatEventPublisher } from './chat-event-publisher.ts';
import type { EventJournal } from './event-journal.ts';

export class JournalingChatEventPublisher implements ChatEventPublisher {
  private failing = false;

  constructor(
    private readonly journal: EventJournal,
    private readonly direct: ChatEventPublisher,
  ) {}

  async publish(event: ChatEvent): Promise<void> {
    try {
      await this.journal.append(JSON.stringify(event));
    } catch (error) {
      countEvent(METRIC_NAMES.eventJournalFailed, { eventType: event.eventType });
      if (!this.failing) {
        this.failing = true;
        logger.error('the event journal cannot take events; publishing them directly until it can', {
          directory: this.journal.directory,
          operationID: event.operationID,
          error: error as Error,
        });
      }
      return this.direct.publish(event);
    }
    if (this.failing) {
      this.failing = false;
      logger.info('the event journal takes events again', { directory: this.journal.directory });
    }
  }
}
