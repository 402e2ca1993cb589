/**
 * How the journal's forwarder publishes entries: a port, so that the publishing (parsing, the
 * SDK's PublishBatch calls) can run on a thread of its own (forwarding-thread.ts) rather than on
 * the event loop that answers callbacks. An entry's outcome says whether to try it again.
 */
import type { ChatEvent } from './chat-event.ts';
import type { ChatEventPublisher } from './chat-event-publisher.ts';
import { ChatEventRejectedError, ChatEventTooLargeError } from './errors.ts';

export type EntryOutcome =
  | { readonly status: 'published' }
  /** The topic will never take it (too large, rejected, not a chat event): recorded for replay, not retried. */
  | { readonly status: 'refused'; readonly reason: string }
  /** Not taken for now (the topic unreachable): tried again. */
  | { readonly status: 'failed'; readonly reason: string };

export interface JournalEntryPublisher {
  /** One outcome per entry (an event's JSON), in order. */
  publish(texts: readonly string[]): Promise<EntryOutcome[]>;
  close(): Promise<void>;
}

/** Publishes entries through a ChatEventPublisher on this thread. */
export class InProcessEntryPublisher implements JournalEntryPublisher {
  constructor(private readonly publisher: ChatEventPublisher) {}

  async publish(texts: readonly string[]): Promise<EntryOutcome[]> {
    return Promise.all(texts.map((text) => this.publishOne(text)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async publishOne(text: string): Promise<EntryOutcome> {
    const event = chatEventOf(text);
    if (!event) return { status: 'refused', reason: 'the journal entry is not a chat event' };
    try {
      await this.publisher.publish(event);
      return { status: 'published' };
    } catch (error) {
      const refused = error instanceof ChatEventTooLargeError || error instanceof ChatEventRejectedError;
      return { status: refused ? 'refused' : 'failed', reason: `${(error as Error).name}: ${(error as Error).message}` };
    }
  }
}

/** The entry's event; its checksum matched, so it is what was written, but check the fields routing needs. */
export function chatEventOf(text: string): ChatEvent | undefined {
  try {
    const event = JSON.parse(text) as ChatEvent;
    return typeof event.eventId === 'string' && typeof event.eventType === 'string' ? event : undefined;
  } catch {
    return undefined;
  }
}
