/**
 * Audit writer: consumes the `audit` queue (after-send single and group, afterMsgSaveDB, revoke,
 * every `moderation.*` event), async, and writes one record per event with BatchWriteItem
 * (shared/audit/audit-writer.ts). Event: SQS batch; reply: partial batch failures, so a record
 * DynamoDB left unprocessed comes back from SQS, alone.
 */
import { auditWriterHandler } from '#shared/audit/audit-writer.ts';
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { loadAuditConfig } from '#shared/config/audit-config.ts';
import { ChatEventReader } from '#shared/events/chat-event-reader.ts';
import { claimCheckStoreFromEnv } from '#shared/events/s3-claim-check-store.ts';
import { DynamoDbAuditStore } from '#shared/store/dynamodb-audit-store.ts';

const config = loadAuditConfig();
const store = new DynamoDbAuditStore(createDynamoDocumentClient(), config.auditTableName, {
  retentionDays: config.retentionDays,
  maxAttempts: config.writeMaxAttempts,
});

export const handler = auditWriterHandler(store, new ChatEventReader(claimCheckStoreFromEnv()));
