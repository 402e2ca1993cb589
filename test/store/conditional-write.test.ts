/** A failed condition is an answer (false, or no output); any other failure is still thrown. Real dynalite. */
import { PutCommand } from '#shared/aws/dynamodb-client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conditionHeld, outputIfConditionHeld } from '#shared/store/conditional-write.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';

describe('Functions: conditionHeld(), outputIfConditionHeld()', () => {
  let dynamo: DynamoEngine;
  const putNew = (tableName: string) =>
    dynamo.documents.send(new PutCommand({ TableName: tableName, Item: { itemId: 'once' }, ConditionExpression: 'attribute_not_exists(itemId)' }));

  beforeAll(async () => {
    dynamo = await startEngine('dynalite');
  }, 60_000);

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('answers whether the condition held', async () => {
    // Act
    const first = await conditionHeld(putNew(TABLE_DEFINITIONS.reviewItems.localName));
    const again = await outputIfConditionHeld(putNew(TABLE_DEFINITIONS.reviewItems.localName));

    // Assess
    expect(first).toBe(true);
    expect(again).toBeUndefined();
  });

  it('throws any other failure', async () => {
    await expect(conditionHeld(putNew('no-such-table'))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
