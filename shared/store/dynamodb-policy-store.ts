/**
 * The moderation policy in DynamoDB: one item per version under one partition, so the newest is
 * a one-item query and history is kept. A save is a conditional put of the next version number,
 * so two concurrent saves cannot both win.
 *
 *   policyId = "active" | version (N) | policy (map) | updatedAt | updatedBy
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseModerationPolicy, type ModerationPolicy } from '../moderation/policy.ts';
import { conditionHeld } from './conditional-write.ts';
import { PolicyVersionConflictError } from './errors.ts';
import type { PolicyStore, StoredPolicy } from './policy-store.ts';

const POLICY_ID = 'active';
const isNewVersion = 'attribute_not_exists(policyId)';

export class DynamoDbPolicyStore implements PolicyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async latest(): Promise<StoredPolicy | undefined> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'policyId = :policyId',
        ExpressionAttributeValues: { ':policyId': POLICY_ID },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = result.Items?.[0];
    if (!item) return undefined;
    return {
      version: item.version as number,
      policy: parseModerationPolicy({ ...(item.policy as object), version: item.version }),
      updatedAt: item.updatedAt as string,
      updatedBy: item.updatedBy as string,
    };
  }

  async save(policy: ModerationPolicy, expectedVersion: number, updatedBy: string): Promise<StoredPolicy> {
    // Versions stay consecutive: a caller ahead of or behind the newest version is refused here,
    // and the conditional put below refuses the loser of a race between two callers.
    const current = (await this.latest())?.version ?? 0;
    if (current !== expectedVersion) throw new PolicyVersionConflictError(expectedVersion, current);
    const stored: StoredPolicy = {
      version: expectedVersion + 1,
      policy: { ...policy, version: expectedVersion + 1 },
      updatedAt: new Date().toISOString(),
      updatedBy,
    };
    const saved = await conditionHeld(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { policyId: POLICY_ID, ...stored },
          ConditionExpression: isNewVersion,
        }),
      ),
    );
    if (!saved) throw new PolicyVersionConflictError(expectedVersion, (await this.latest())?.version);
    return stored;
  }
}
