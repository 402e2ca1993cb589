/**
 * BatchGetItem / BatchWriteItem over any number of keys: DynamoDB takes 100 keys per get and 25
 * writes per call and may hand some back unprocessed under load, so both loop with a short,
 * growing pause until everything went through (or the attempts run out).
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const GET_LIMIT = 100;
const WRITE_LIMIT = 25;
const MAX_ROUNDS = 8;

type Key = Record<string, unknown>;

export class UnprocessedItemsError extends Error {
  constructor(operation: string, left: number) {
    super(`${operation}: ${left} item(s) still unprocessed after ${MAX_ROUNDS} rounds; DynamoDB is throttling`);
    this.name = 'UnprocessedItemsError';
  }
}

/** Every item found for `keys` (missing ones are simply absent), chunks fetched in parallel. */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  options: { readonly projection?: string; readonly names?: Record<string, string> } = {},
): Promise<Record<string, unknown>[]> {
  const chunks = chunk(keys, GET_LIMIT);
  const pages = await Promise.all(
    chunks.map(async (chunkKeys) => {
      const items: Record<string, unknown>[] = [];
      let pending: Key[] = chunkKeys;
      for (let round = 0; pending.length > 0; round++) {
        if (round === MAX_ROUNDS) throw new UnprocessedItemsError('BatchGetItem', pending.length);
        if (round > 0) await pause(round);
        const result = await client.send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending,
                ...(options.projection ? { ProjectionExpression: options.projection } : {}),
                ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
              },
            },
          }),
        );
        items.push(...(result.Responses?.[tableName] ?? []));
        pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
      }
      return items;
    }),
  );
  return pages.flat();
}

/** Puts every item (unconditionally: batch writes take no condition), chunks written in parallel. */
export async function batchPutAll(client: DynamoDBDocumentClient, tableName: string, items: readonly Key[]): Promise<void> {
  await Promise.all(
    chunk(items, WRITE_LIMIT).map(async (chunkItems) => {
      let pending = chunkItems.map((Item) => ({ PutRequest: { Item } }));
      for (let round = 0; pending.length > 0; round++) {
        if (round === MAX_ROUNDS) throw new UnprocessedItemsError('BatchWriteItem', pending.length);
        if (round > 0) await pause(round);
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
    }),
  );
}

function chunk<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < values.length; start += size) chunks.push(values.slice(start, start + size));
  return chunks;
}

function pause(round: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
}
