/**
 * The delivery log in DynamoDB: one item per (message, user, device) with its latest outcome,
 * read and written in batches. Items expire after `retentionSeconds` (TTL in AWS; readers ignore
 * expired ones, as no emulator deletes them); keep it longer than a job can live in the queue and
 * its DLQ (14 days), or a late redrive would notify again.
 *
 *   deliveryID = "<messageID>#<userID>#<deviceID>" | outcome | at | expiresAt
 *
 * Batch writes are unconditional: only one job run works on a message's device at a time (SQS
 * hides a record while it is processed), and each run reads the log before it writes.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, batchPutAll } from './batch-items.ts';
import { deliveryIdOf, type DeliveryKey, type DeliveryLog, type DeliveryOutcome, type DeliveryRecord } from './delivery-log.ts';

export class DynamoDbDeliveryLog implements DeliveryLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionSeconds: number,
  ) {}

  async outcomesAmong(keys: readonly DeliveryKey[]): Promise<Map<string, DeliveryOutcome>> {
    const ids = [...new Set(keys.map(deliveryIdOf))];
    const items = await batchGetAll(this.client, this.tableName, ids.map((deliveryID) => ({ deliveryID })), {
      projection: 'deliveryID, outcome, expiresAt',
    });
    const now = Math.floor(Date.now() / 1000);
    // Items written before outcomes were kept recorded deliveries only.
    return new Map(items.filter((item) => (item.expiresAt as number) > now).map((item) => [item.deliveryID as string, (item.outcome as DeliveryOutcome | undefined) ?? 'sent']));
  }

  async record(records: readonly DeliveryRecord[], at: Date): Promise<void> {
    const expiresAt = Math.floor(at.getTime() / 1000) + this.retentionSeconds;
    // One item per key per call (BatchWriteItem refuses duplicates); the last outcome wins.
    const latest = new Map(records.map((entry) => [deliveryIdOf(entry.key), entry.outcome]));
    await batchPutAll(
      this.client,
      this.tableName,
      [...latest].map(([deliveryID, outcome]) => ({ deliveryID, outcome, at: at.toISOString(), expiresAt })),
    );
  }
}
