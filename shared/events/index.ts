export { CHAT_EVENT_ATTRIBUTES, ChatEvent } from './chat-event.ts';
export type { ChatEventPublisher } from './chat-event-publisher.ts';
export { SnsChatEventPublisher } from './sns-chat-event-publisher.ts';
