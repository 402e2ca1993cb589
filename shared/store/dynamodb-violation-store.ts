/**
 * Violations in DynamoDB, one item per (user, message), sorted by time so that "violations in the
 * last N minutes" is one key-range count. Items expire through `expiresAt` (TTL in AWS; readers
 * here only count inside the window, so an emulator that never deletes them changes nothing).
 *
 *   userID | occurredAtMessage = "<ISO time>#<messageID>" | kind | terms | policyVersion | groupID? | expiresAt
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Violation, ViolationStore } from './violation-store.ts';

const isFirstRecord = 'attribute_not_exists(userID)';

export class DynamoDbViolationStore implements ViolationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionSeconds: number,
  ) {}

  async record(violation: Violation): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            userID: violation.userID,
            occurredAtMessage: `${violation.occurredAt.toISOString()}#${violation.messageID}`,
            kind: violation.kind,
            terms: [...violation.terms],
            policyVersion: violation.policyVersion,
            groupID: violation.groupID,
            expiresAt: Math.floor(violation.occurredAt.getTime() / 1000) + this.retentionSeconds,
          },
          ConditionExpression: isFirstRecord,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async countSince(userID: string, since: Date): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'userID = :userID AND occurredAtMessage >= :since',
          ExpressionAttributeValues: { ':userID': userID, ':since': since.toISOString() },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  }
}
