/** Port for publishing chat events, so callers do not depend on SNS. */
import type { ChatEvent } from './chat-event.ts';

export interface ChatEventPublisher {
  publish(event: ChatEvent): Promise<void>;
}
