export { CHAT_EVENT_ATTRIBUTES, ChatEvent } from './chat-event.ts';
export type { ChatEventPublisher } from './chat-event-publisher.ts';
export { SnsChatEventPublisher } from './sns-chat-event-publisher.ts';
export { chatEventConsumer } from './chat-event-consumer.ts';
export { ChatEventReader } from './chat-event-reader.ts';
export type { ClaimCheckStore } from './claim-check-store.ts';
export { claimCheckStoreFromEnv, S3ClaimCheckStore } from './s3-claim-check-store.ts';
