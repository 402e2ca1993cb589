/**
 * Presence worker: consumes the `presence` queue (afterUserOnline, afterUserOffline,
 * afterUserKickOff chat events; contract §3 "Online status"), async, and applies each event to
 * the presence table with a conditional write (shared/store/dynamodb-presence-store.ts).
 * Event: SQS batch; reply: partial batch failures, so only failed records come back.
 */
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { loadPresenceConfig } from '#shared/config/presence-config.ts';
import { ChatEventReader } from '#shared/events/chat-event-reader.ts';
import { claimCheckStoreFromEnv } from '#shared/events/s3-claim-check-store.ts';
import { presenceWorkerHandler } from '#shared/presence/presence-worker.ts';
import { DynamoDbPresenceStore } from '#shared/store/dynamodb-presence-store.ts';

const config = loadPresenceConfig();
const store = new DynamoDbPresenceStore(createDynamoDocumentClient(), config.presenceTableName, { expiryMinutes: config.expiryMinutes });

export const handler = presenceWorkerHandler(store, new ChatEventReader(claimCheckStoreFromEnv()));
