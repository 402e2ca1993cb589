/**
 * Violations in DynamoDB, one item per (user, message), sorted by time so that "violations in the
 * last N minutes" is one key-range count. Blocked messages, which nothing changes once recorded,
 * are written without a condition, and concurrent ones share BatchWriteItem calls. Items expire through `expiresAt` (TTL in AWS; readers
 * here only count inside the window, so an emulator that never deletes them changes nothing).
 *
 *   userID | occurredAtMessage = "<ISO time>#<messageID>" | kind | terms | policyVersion | groupID? | expiresAt
 */
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import { jitteredBackoff } from '../aws/jittered-backoff.ts';
import { CoalescingBatcher } from '../batching/coalescing-batcher.ts';
import { BATCH_RETRY_MAX_PAUSE_MS, batchPutReportingUnwritten, WRITE_LIMIT } from './batch-items.ts';
import { conditionHeld } from './conditional-write.ts';
import { ViolationNotRecordedError } from './errors.ts';
import type { Violation, ViolationKind, ViolationStore } from './violation-store.ts';

/** Batch writes of blocked violations on their way at once (each up to 25 items). */
const BLOCKED_WRITES_IN_FLIGHT = 4;
const BATCH_PUT_RETRIES = { maxAttempts: 5, pauseMs: jitteredBackoff(50, BATCH_RETRY_MAX_PAUSE_MS) };

const isFirstRecord = 'attribute_not_exists(userID)';
const isRecorded = 'attribute_exists(userID)';

export class DynamoDbViolationStore implements ViolationStore {
  private readonly blockedWrites = new CoalescingBatcher<Record<string, unknown>>({
    maxItems: WRITE_LIMIT,
    maxBatchesInFlight: BLOCKED_WRITES_IN_FLIGHT,
    sendBatch: (items) => this.putBlocked(items),
  });

  constructor(
    private readonly client: DynamoDocumentClient,
    private readonly tableName: string,
    private readonly retentionSeconds: number,
  ) {}

  record(violation: Violation): Promise<boolean> {
    return conditionHeld(
      this.client.send(new PutCommand({ TableName: this.tableName, Item: this.itemOf(violation), ConditionExpression: isFirstRecord })),
    );
  }

  recordBlocked(violation: Omit<Violation, 'kind'>): Promise<void> {
    return this.blockedWrites.submit(this.itemOf({ ...violation, kind: 'blocked' }));
  }

  async confirm(violation: Violation): Promise<void> {
    const flagConfirmed = await conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { userID: violation.userID, occurredAtMessage: sortKeyOf(violation) },
          UpdateExpression: 'SET kind = :confirmed',
          ConditionExpression: isRecorded,
          ExpressionAttributeValues: { ':confirmed': 'confirmed' },
        }),
      ),
    );
    if (!flagConfirmed) await this.record({ ...violation, kind: 'confirmed' });
  }

  async countSince(userID: string, since: Date, kinds?: readonly ViolationKind[], atMost = Number.POSITIVE_INFINITY): Promise<number> {
    const kindValues = Object.fromEntries((kinds ?? []).map((kind, i) => [`:kind${i}`, kind]));
    // With a cap, read newest first in small pages and stop as soon as it is reached.
    const pageSize = Number.isFinite(atMost) ? Math.max(25, atMost * 2) : undefined;
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'userID = :userID AND occurredAtMessage >= :since',
          ...(kinds && kinds.length > 0 ? { FilterExpression: `kind IN (${Object.keys(kindValues).join(', ')})` } : {}),
          ExpressionAttributeValues: { ':userID': userID, ':since': since.toISOString(), ...kindValues },
          Select: 'COUNT',
          ScanIndexForward: false,
          ...(pageSize ? { Limit: pageSize } : {}),
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey && count < atMost);
    return Math.min(count, atMost);
  }

  private itemOf(violation: Violation): Record<string, unknown> {
    return {
      userID: violation.userID,
      occurredAtMessage: sortKeyOf(violation),
      kind: violation.kind,
      terms: [...violation.terms],
      policyVersion: violation.policyVersion,
      groupID: violation.groupID,
      expiresAt: Math.floor(violation.occurredAt.getTime() / 1000) + this.retentionSeconds,
    };
  }

  private async putBlocked(items: readonly Record<string, unknown>[]): Promise<(Error | undefined)[]> {
    // One BatchWriteItem may not name a key twice: a message redelivered within a batch is written once.
    const unique = [...new Map(items.map((item) => [keyOf(item), item])).values()];
    // Each item is reported on its own: one DynamoDB refuses fails only the event it came from.
    const unwritten = new Map((await batchPutReportingUnwritten(this.client, this.tableName, unique, BATCH_PUT_RETRIES)).map((left) => [keyOf(left.item), left.error]));
    return items.map((item) => (unwritten.has(keyOf(item)) ? new ViolationNotRecordedError(String(item.userID), { cause: unwritten.get(keyOf(item)) }) : undefined));
  }
}

function keyOf(item: Record<string, unknown>): string {
  return `${String(item.userID)}\n${String(item.occurredAtMessage)}`;
}

function sortKeyOf(violation: Pick<Violation, 'occurredAt' | 'messageID'>): string {
  return `${violation.occurredAt.toISOString()}#${violation.messageID}`;
}
