/**
 * The outbox in DynamoDB: per user, sorted by `entry` = "<queuedAt>#<messageID>#<deviceID>", so a
 * user's notifications come back oldest first with one query, and a retried job's conditional put
 * finds its own earlier item (queuedAt is the job's, not the attempt's). Items expire after
 * `retentionSeconds` (TTL in AWS; the query filters expired ones locally).
 *
 *   userID | entry | deviceID | provider | platform | title | body | collapseKey | messageID | ... | expiresAt
 */
import { PutCommand, QueryCommand, type DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import { conditionHeld } from './conditional-write.ts';
import type { OutboxItem, OutboxPage, OutboxStore } from './outbox-store.ts';

const isNewEntry = 'attribute_not_exists(userID)';

export class DynamoDbOutboxStore implements OutboxStore {
  constructor(
    private readonly client: DynamoDocumentClient,
    private readonly tableName: string,
    private readonly retentionSeconds: number,
  ) {}

  async append(item: OutboxItem): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...item,
            entry: `${item.queuedAt}#${item.messageID}#${item.deviceID}`,
            expiresAt: Math.floor(Date.parse(item.deliveredAt) / 1000) + this.retentionSeconds,
          },
          ConditionExpression: isNewEntry,
        }),
      ),
    );
  }

  async listFor(userID: string, options: { readonly limit: number; readonly after?: string }): Promise<OutboxPage> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'userID = :userID',
        FilterExpression: 'expiresAt > :now',
        ExpressionAttributeValues: { ':userID': userID, ':now': Math.floor(Date.now() / 1000) },
        ScanIndexForward: true,
        Limit: options.limit,
        ...(options.after ? { ExclusiveStartKey: { userID, entry: options.after } } : {}),
      }),
    );
    const items = (result.Items ?? []).map(({ entry: _entry, expiresAt: _expiresAt, ...item }) => item as OutboxItem);
    const next = result.LastEvaluatedKey?.entry as string | undefined;
    return next ? { items, next } : { items };
  }
}
