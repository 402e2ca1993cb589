/**
 * The moderation log in DynamoDB: one item per entry, put once (`attribute_not_exists`) and never
 * updated or deleted by this service, so the log is append-only. Two sparse GSIs answer
 * "entries about user U" and "entries about item I", newest first, on `at#entryId`:
 *
 *   entryId | userID | itemId? | atEntry ("<ISO>#<entryId>") | kind | decision? | penalty? | actor | ...
 */
import { PutCommand, QueryCommand, type DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import { ModerationLogEntry } from '../review/moderation-decided-event.ts';
import type { LogPage, ModerationLog } from '../review/moderation-log.ts';
import { conditionHeld } from './conditional-write.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';

export const LOG_BY_USER_INDEX = 'byUser';
export const LOG_BY_ITEM_INDEX = 'byItem';
const isNew = 'attribute_not_exists(entryId)';

export class DynamoDbModerationLogStore implements ModerationLog {
  constructor(
    private readonly client: DynamoDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(entry: ModerationLogEntry): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...entry, atEntry: `${entry.at}#${entry.entryId}` },
          ConditionExpression: isNew,
        }),
      ),
    );
  }

  byUser(userID: string, page: { limit: number; cursor?: string }): Promise<LogPage> {
    return this.query(LOG_BY_USER_INDEX, 'userID', userID, page);
  }

  byItem(itemId: string, page: { limit: number; cursor?: string }): Promise<LogPage> {
    return this.query(LOG_BY_ITEM_INDEX, 'itemId', itemId, page);
  }

  private async query(indexName: string, keyName: string, value: string, page: { limit: number; cursor?: string }): Promise<LogPage> {
    const partition = `log:${keyName}:${value}`;
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: '#key = :value',
        ExpressionAttributeNames: { '#key': keyName },
        ExpressionAttributeValues: { ':value': value },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: page.cursor ? decodeCursor(page.cursor, partition) : undefined,
      }),
    );
    const entries = (result.Items ?? []).map((item) => ModerationLogEntry.parse(item));
    return { entries, ...(result.LastEvaluatedKey ? { cursor: encodeCursor(partition, result.LastEvaluatedKey) } : {}) };
  }
}
