/**
 * The audit trail in DynamoDB (table `audit`). One item per natural key (`recordID`, see
 * audit-record.ts): BatchWriteItem cannot take conditions, but it does not need to, since a
 * redelivered event rewrites the same item with the same attributes. What DynamoDB still leaves
 * unprocessed after the retries of batch-items.ts is returned, for SQS to redeliver.
 *
 *   recordID | kind | occurredAt | timeKey = "<13-digit unix ms>#<recordID>" | expiresAt | message fields...
 *   GSIs byConversation / bySender / byGroup: (conversationID | sendID | groupID, timeKey), sparse
 *
 * Readers skip expired items themselves: DynamoDB deletes them up to days late, emulators never.
 */
import { GetCommand, QueryCommand, type DynamoDocumentClient, type QueryCommandInput } from '../aws/dynamodb-client.ts';
import type { AuditRecord } from '../audit/audit-record.ts';
import type { AuditedMessage, ConversationHistory } from '../audit/conversation-history.ts';
import { jitteredBackoff } from '../aws/jittered-backoff.ts';
import { SECONDS_PER_DAY } from '../time/durations.ts';
import { BATCH_RETRY_MAX_PAUSE_MS, batchPutReportingUnwritten } from './batch-items.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';
import type { AuditListing, AuditListQuery, AuditPage, AuditStore, StoredAuditRecord, UnwrittenAuditRecord } from './audit-store.ts';

export interface DynamoDbAuditStoreOptions {
  /** Records expire this long after `occurredAt`. @default 90 */
  readonly retentionDays?: number;
  /** BatchWriteItem calls per chunk, first included. @default 5 */
  readonly maxAttempts?: number;
  /** First backoff; doubled per attempt, capped at 2 s, fully jittered. @default 50 */
  readonly baseDelayMs?: number;
  /** Unix ms now, for the expiry filter. @default Date.now */
  readonly now?: () => number;
}

const INDEX_OF: Record<AuditListing, string> = { conversationID: 'byConversation', sendID: 'bySender', groupID: 'byGroup' };
/** Message kinds a conversation's history shows: what its members saw (blocked ones never arrived). */
const HISTORY_KINDS = ['sent', 'saved'];

const isUnexpired = '#expiresAt > :nowSeconds';

export class DynamoDbAuditStore implements ConversationHistory, AuditStore {
  private readonly retentionSeconds: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: DynamoDocumentClient,
    private readonly tableName: string,
    options: DynamoDbAuditStoreOptions = {},
  ) {
    this.retentionSeconds = (options.retentionDays ?? 90) * SECONDS_PER_DAY;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 50;
    this.now = options.now ?? Date.now;
  }

  async putAll(records: readonly AuditRecord[]): Promise<{ readonly unwritten: readonly UnwrittenAuditRecord[] }> {
    // One BatchWriteItem may not name a key twice; the same event delivered twice is one item anyway.
    const unique = [...new Map(records.map((record) => [record.recordID, record])).values()];
    const left = await batchPutReportingUnwritten(this.client, this.tableName, unique.map((record) => this.itemOf(record)), {
      maxAttempts: this.maxAttempts,
      pauseMs: jitteredBackoff(this.baseDelayMs, BATCH_RETRY_MAX_PAUSE_MS),
    });
    const unwrittenByID = new Map(left.map(({ item, error }) => [String(item.recordID), error]));
    return {
      unwritten: records
        .filter((record) => unwrittenByID.has(record.recordID))
        .map((record) => {
          const error = unwrittenByID.get(record.recordID);
          return error ? { record, error } : { record };
        }),
    };
  }

  async list(query: AuditListQuery): Promise<AuditPage> {
    // The cursor belongs to this listing (index and value) and carries exactly that index's key.
    const listing = `audit:${query.by}=${query.value}`;
    const startKey = query.cursor === undefined ? undefined : decodeCursor(query.cursor, listing, ['recordID', 'timeKey', query.by]);
    const { items, lastEvaluatedKey } = await this.queryNewestFirst(
      {
        IndexName: INDEX_OF[query.by],
        KeyConditionExpression: '#partition = :value',
        ExpressionAttributeNames: { '#partition': query.by },
        ExpressionAttributeValues: { ':value': query.value },
      },
      query.limit,
      startKey,
    );
    return { items: items.map(recordOf), cursor: lastEvaluatedKey ? encodeCursor(listing, lastEvaluatedKey) : null };
  }

  async recentInConversation(conversationID: string, options: { readonly limit: number; readonly before?: number }): Promise<AuditedMessage[]> {
    const messages = new Map<string, AuditedMessage>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.queryNewestFirst(
        {
          IndexName: INDEX_OF.conversationID,
          // A timeKey of the `before` millisecond sorts after the bare padded number, so this is "strictly before".
          KeyConditionExpression: 'conversationID = :conversationID AND timeKey < :before',
          FilterExpression: '#kind IN (:sent, :saved)',
          ExpressionAttributeNames: { '#kind': 'kind' },
          ExpressionAttributeValues: {
            ':conversationID': conversationID,
            ':before': paddedMs(options.before ?? this.now()),
            ':sent': HISTORY_KINDS[0],
            ':saved': HISTORY_KINDS[1],
          },
        },
        options.limit * 2,
        startKey,
      );
      for (const item of page.items) {
        const record = recordOf(item);
        // After-send and save-DB audit the same message: show it once.
        const key = record.serverMsgID ?? record.recordID;
        if (!messages.has(key) && messages.size < options.limit) messages.set(key, auditedMessageOf(record, conversationID));
      }
      startKey = page.lastEvaluatedKey;
    } while (startKey && messages.size < options.limit);
    return [...messages.values()];
  }

  async savedSeq(serverMsgID: string): Promise<number | undefined> {
    if (serverMsgID === '') return undefined;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { recordID: `saved#${serverMsgID}` }, ProjectionExpression: 'seq, expiresAt' }),
    );
    const live = Item && Number(Item.expiresAt) > Math.floor(this.now() / 1000);
    return live && typeof Item.seq === 'number' && Item.seq > 0 ? Item.seq : undefined;
  }

  /** Up to `limit` unexpired items, newest first, reading on past pages the expiry filter emptied. */
  private async queryNewestFirst(
    input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey' | 'ScanIndexForward'>,
    limit: number,
    startKey: Record<string, unknown> | undefined,
  ): Promise<{ items: Record<string, unknown>[]; lastEvaluatedKey: Record<string, unknown> | undefined }> {
    const items: Record<string, unknown>[] = [];
    let lastEvaluatedKey = startKey;
    do {
      const page = await this.client.send(
        new QueryCommand({
          ...input,
          TableName: this.tableName,
          ScanIndexForward: false,
          Limit: limit - items.length,
          ExclusiveStartKey: lastEvaluatedKey,
          FilterExpression: input.FilterExpression ? `${isUnexpired} AND (${input.FilterExpression})` : isUnexpired,
          ExpressionAttributeNames: { ...input.ExpressionAttributeNames, '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ':nowSeconds': Math.floor(this.now() / 1000) },
        }),
      );
      items.push(...(page.Items ?? []));
      lastEvaluatedKey = page.LastEvaluatedKey;
    } while (lastEvaluatedKey && items.length < limit);
    return { items, lastEvaluatedKey };
  }

  private itemOf(record: AuditRecord): Record<string, unknown> {
    return {
      ...record,
      timeKey: `${paddedMs(record.occurredAt)}#${record.recordID}`,
      expiresAt: Math.floor(record.occurredAt / 1000) + this.retentionSeconds,
    };
  }
}

/** Fixed width, so that string order is time order (13 digits last until the year 2286). */
function paddedMs(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(13, '0');
}

function recordOf(item: Record<string, unknown>): StoredAuditRecord {
  const { timeKey: _timeKey, ...record } = item;
  return record as unknown as StoredAuditRecord;
}

function auditedMessageOf(record: AuditRecord, conversationID: string): AuditedMessage {
  return {
    serverMsgID: record.serverMsgID ?? '',
    clientMsgID: record.clientMsgID ?? '',
    conversationID,
    sendID: record.sendID ?? '',
    senderNickname: record.senderNickname ?? '',
    contentType: record.contentType ?? 0,
    content: record.content ?? '',
    sendTime: record.occurredAt,
  };
}
