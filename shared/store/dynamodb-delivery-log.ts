/**
 * The delivery log in DynamoDB: one item per delivery window (up to 50 recipients of a push job,
 * shared/push/delivery-windows.ts) holding the latest outcome of each of their devices, read in
 * batches and replaced whole under a revision check. Items expire after `retentionSeconds` (TTL in
 * AWS; readers ignore expired ones, as no emulator deletes them); keep it longer than a job can
 * live in the queue and its DLQ (14 days), or a late redrive would notify again.
 *
 *   deliveryID = "<messageID>#window#<hash of the window's user IDs>" | userIDs (L) | revision
 *   | outcomes = { "<user's position in userIDs>#<deviceID or =hash>": outcome } | at | expiresAt
 *
 * Replacing the whole item keeps every write to a window one PutItem whatever its size (an update
 * naming each device would outgrow the 4 KB expression limit), and the revision condition makes a
 * write that raced another run's fail instead of undoing it:
 *
 *   run A reads r3 ──────── writes r4 (if r3) ✓
 *   run B reads r3 ─────────────────── writes r4 (if r3) ✗ -> reads r4, decides again, writes r5 (if r4)
 */
import { PutCommand, type DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import { batchGetAll } from './batch-items.ts';
import { conditionHeld } from './conditional-write.ts';
import type { DeliveryLog, DeliveryOutcome, DeliveryWindowRecord } from './delivery-log.ts';

// Condition fragments: a first write needs the window absent (or expired), a later one its revision unchanged.
const absentOrExpired = 'attribute_not_exists(deliveryID) OR expiresAt <= :now';
const revisionUnchanged = 'revision = :revision';

export class DynamoDbDeliveryLog implements DeliveryLog {
  constructor(
    private readonly client: DynamoDocumentClient,
    private readonly tableName: string,
    private readonly retentionSeconds: number,
  ) {}

  async windowsAmong(windowIDs: readonly string[], options: { readonly consistent?: boolean } = {}): Promise<Map<string, DeliveryWindowRecord>> {
    const items = await batchGetAll(this.client, this.tableName, [...new Set(windowIDs)].map((deliveryID) => ({ deliveryID })), {
      projection: 'deliveryID, userIDs, outcomes, revision, expiresAt',
      ...(options.consistent ? { consistentRead: true } : {}),
    });
    const now = Math.floor(Date.now() / 1000);
    return new Map(
      items
        .filter((item) => (item.expiresAt as number) > now)
        .map((item) => [
          item.deliveryID as string,
          {
            windowID: item.deliveryID as string,
            userIDs: (item.userIDs as string[] | undefined) ?? [],
            outcomes: new Map(Object.entries((item.outcomes ?? {}) as Record<string, DeliveryOutcome>)),
            revision: Number(item.revision),
          },
        ]),
    );
  }

  async replace(record: DeliveryWindowRecord, at: Date): Promise<DeliveryWindowRecord | undefined> {
    // The reader's clock: a window it found expired must count as expired here too.
    const nowSeconds = Math.floor(Date.now() / 1000);
    const stored: DeliveryWindowRecord = { ...record, revision: record.revision + 1 };
    const first = record.revision === 0;
    const written = await conditionHeld(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            deliveryID: record.windowID,
            userIDs: record.userIDs,
            outcomes: Object.fromEntries(record.outcomes),
            revision: stored.revision,
            at: at.toISOString(),
            expiresAt: Math.floor(at.getTime() / 1000) + this.retentionSeconds,
          },
          ConditionExpression: first ? absentOrExpired : revisionUnchanged,
          ExpressionAttributeValues: first ? { ':now': nowSeconds } : { ':revision': record.revision },
        }),
      ),
    );
    return written ? stored : undefined;
  }
}
