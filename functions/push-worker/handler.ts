/**
 * Push worker: consumes the `push` queue (`push.job` chat events, published by the
 * beforeOfflinePush take-over), async, and sends each job's notification to every eligible
 * offline device through its provider (the outbox locally). Presence comes from the presence
 * table through PresenceReader. Event: SQS batch; reply: partial batch failures.
 */
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { loadPushWorkerConfig } from '#shared/config/push-worker-config.ts';
import { ChatEventReader } from '#shared/events/chat-event-reader.ts';
import { claimCheckStoreFromEnv } from '#shared/events/s3-claim-check-store.ts';
import { createPushDispatcher } from '#shared/push/create-push-dispatcher.ts';
import { pushWorkerHandler } from '#shared/push/push-worker.ts';
import { DynamoDbPresenceStore } from '#shared/store/dynamodb-presence-store.ts';

const config = loadPushWorkerConfig();
const dynamo = createDynamoDocumentClient();
const presence = new DynamoDbPresenceStore(dynamo, config.tables.presence);

export const handler = pushWorkerHandler(await createPushDispatcher(config, dynamo, presence), new ChatEventReader(claimCheckStoreFromEnv()), {
  redeliveryDelaySeconds: config.redeliveryDelaySeconds,
});
