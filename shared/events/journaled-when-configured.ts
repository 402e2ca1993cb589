/**
 * A callback handler's publisher: its topic itself, as in Lambda, or, where EVENT_JOURNAL_DIR is set
 * (`npm start`), the local journal that forwards to that topic (callback-event-journal.ts). The
 * journal's code is imported only then, so a Lambda cold start does not load it.
 */
import type { ChatEventPublisher } from './chat-event-publisher.ts';

export const EVENT_JOURNAL_DIR_ENV = 'EVENT_JOURNAL_DIR';

export async function journaledWhenConfigured(topic: ChatEventPublisher): Promise<ChatEventPublisher> {
  if (!process.env[EVENT_JOURNAL_DIR_ENV]) return topic;
  return (await import('./callback-event-journal.ts')).journalingPublisherFromEnv(topic);
}
