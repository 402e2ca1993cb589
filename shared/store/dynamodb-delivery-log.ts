/**
 * The delivery log in DynamoDB: one item per (message, user, device) that got its notification,
 * read and written in batches. Items expire after `retentionSeconds` (TTL in AWS; readers ignore
 * expired ones, as no emulator deletes them); keep it longer than a job can live in the queue and
 * its DLQ (14 days), or a late redrive would notify again.
 *
 *   deliveryID = "<messageID>#<userID>#<deviceID>" | deliveredAt | expiresAt
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, batchPutAll } from './batch-items.ts';
import { deliveryIdOf, type DeliveryKey, type DeliveryLog } from './delivery-log.ts';

export class DynamoDbDeliveryLog implements DeliveryLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionSeconds: number,
  ) {}

  async deliveredAmong(keys: readonly DeliveryKey[]): Promise<Set<string>> {
    const ids = [...new Set(keys.map(deliveryIdOf))];
    const items = await batchGetAll(this.client, this.tableName, ids.map((deliveryID) => ({ deliveryID })), {
      projection: 'deliveryID, expiresAt',
    });
    const now = Math.floor(Date.now() / 1000);
    return new Set(items.filter((item) => (item.expiresAt as number) > now).map((item) => item.deliveryID as string));
  }

  async recordDelivered(keys: readonly DeliveryKey[], at: Date): Promise<void> {
    const expiresAt = Math.floor(at.getTime() / 1000) + this.retentionSeconds;
    const items = [...new Map(keys.map((key) => [deliveryIdOf(key), key])).keys()].map((deliveryID) => ({
      deliveryID,
      deliveredAt: at.toISOString(),
      expiresAt,
    }));
    await batchPutAll(this.client, this.tableName, items);
  }
}
