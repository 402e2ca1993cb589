/**
 * Penalties in force, one item per key (`forbid#<user>`, `mute#<group>#<user>`), written with
 * conditional puts so that two workers judging the same offender start one penalty, and a new one
 * starts only after `cooldownUntil`:
 *
 *   penaltyKey | penaltyId | kind | userID | groupID | appliedAt | cooldownUntil (unix ms) | liftedAt? | liftedBy?
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import type { Penalty, PenaltyStore } from '../review/penalty-store.ts';
import { conditionHeld } from './conditional-write.ts';

const isNew = 'attribute_not_exists(penaltyKey)';
const cooldownOver = 'cooldownUntil <= :now';
const isSamePenalty = 'penaltyId = :penaltyId';
const notLifted = 'attribute_not_exists(liftedAt)';

export class DynamoDbPenaltyStore implements PenaltyStore {
  constructor(
    private readonly client: DynamoDocumentClient,
    private readonly tableName: string,
  ) {}

  async tryStart(penalty: Penalty, now: number): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...penalty },
          ConditionExpression: `${isNew} OR ${cooldownOver} OR ${isSamePenalty}`,
          ExpressionAttributeValues: { ':now': now, ':penaltyId': penalty.penaltyId },
        }),
      ),
    );
  }

  async cancelStart(penaltyKey: string, penaltyId: string): Promise<void> {
    // A penalty that is no longer this one stays.
    await conditionHeld(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { penaltyKey },
          ConditionExpression: isSamePenalty,
          ExpressionAttributeValues: { ':penaltyId': penaltyId },
        }),
      ),
    );
  }

  async get(penaltyKey: string): Promise<Penalty | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { penaltyKey }, ConsistentRead: true }));
    return Item as Penalty | undefined;
  }

  async markLifted(penaltyKey: string, penaltyId: string, liftedBy: string, liftedAt: string): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { penaltyKey },
          UpdateExpression: 'SET liftedAt = :at, liftedBy = :by',
          ConditionExpression: `${isSamePenalty} AND ${notLifted}`,
          ExpressionAttributeValues: { ':penaltyId': penaltyId, ':at': liftedAt, ':by': liftedBy },
        }),
      ),
    );
  }
}
