/**
 * BatchGetItem / BatchWriteItem over any number of keys: DynamoDB takes 100 keys per get and 25
 * writes per call and may hand some back unprocessed under load, so both loop with a short,
 * growing, random pause until everything went through (or the attempts run out). Batch writes
 * take no condition: only for items whose rewrite is harmless, each key once per call.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import { jitteredBackoff } from '../aws/jittered-backoff.ts';
import { chunksOf } from '../batching/chunks.ts';

const GET_LIMIT = 100;
/** BatchWriteItem's limit per call. */
export const WRITE_LIMIT = 25;
const MAX_ROUNDS = 8;
/** The longest pause between a batch's attempts (jitteredBackoff, shared/aws/jittered-backoff.ts). */
export const BATCH_RETRY_MAX_PAUSE_MS = 2_000;
/**
 * batchGetAll's and batchPutAll's pause before a further round: random, so that the instances a
 * throttled table turned away together do not all come back together.
 */
const pauseBeforeRoundMs = jitteredBackoff(25, 1_000);

export interface WriteRetries {
  /** BatchWriteItem calls per chunk, first included. */
  readonly maxAttempts: number;
  /** The pause after failed attempt 1, 2, ... before the next one. */
  readonly pauseMs: (attempt: number) => number;
}

type Key = Record<string, unknown>;

export class UnprocessedItemsError extends Error {
  constructor(operation: string, left: number) {
    super(`${operation}: ${left} item(s) still unprocessed after ${MAX_ROUNDS} rounds; DynamoDB is throttling`);
    this.name = 'UnprocessedItemsError';
  }
}

/** Every item found for `keys` (missing ones are simply absent), chunks fetched in parallel. */
export async function batchGetAll(
  client: DynamoDocumentClient,
  tableName: string,
  keys: readonly Key[],
  options: { readonly projection?: string; readonly names?: Record<string, string>; readonly consistentRead?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const chunks = chunksOf(keys, GET_LIMIT);
  const pages = await Promise.all(
    chunks.map(async (chunkKeys) => {
      const items: Record<string, unknown>[] = [];
      let pending: Key[] = chunkKeys;
      for (let round = 0; pending.length > 0; round++) {
        if (round === MAX_ROUNDS) throw new UnprocessedItemsError('BatchGetItem', pending.length);
        if (round > 0) await pause(pauseBeforeRoundMs(round));
        const result = await client.send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending,
                ...(options.projection ? { ProjectionExpression: options.projection } : {}),
                ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
                ...(options.consistentRead ? { ConsistentRead: true } : {}),
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

/** Puts every item, chunks written in parallel; throws when DynamoDB keeps leaving some unprocessed or refuses one. */
export async function batchPutAll(client: DynamoDocumentClient, tableName: string, items: readonly Key[]): Promise<void> {
  const unwritten = await batchPutReportingUnwritten(client, tableName, items, { maxAttempts: MAX_ROUNDS, pauseMs: pauseBeforeRoundMs });
  const refused = unwritten.find((left) => left.error);
  if (refused) throw refused.error;
  if (unwritten.length > 0) throw new UnprocessedItemsError('BatchWriteItem', unwritten.length);
}

/** An item a batch write did not store. */
export interface UnwrittenItem {
  readonly item: Key;
  /** Why it was refused (or its call failed); absent when DynamoDB only left it unprocessed (throttling). */
  readonly error?: Error;
}

/**
 * Puts every item, chunks written in parallel, and reports each item not written. One item can
 * fail a whole call (too large for DynamoDB, a number the marshaller cannot carry exactly), so a
 * call that fails is made again item by item, once: the others then go through and only the bad
 * one is reported with its reason; when DynamoDB is down, every item gets the call's error.
 */
export async function batchPutReportingUnwritten(
  client: DynamoDocumentClient,
  tableName: string,
  items: readonly Key[],
  retries: WriteRetries,
): Promise<UnwrittenItem[]> {
  const unwritten = await Promise.all(chunksOf(items, WRITE_LIMIT).map((chunkItems) => writeChunk(client, tableName, chunkItems, retries)));
  return unwritten.flat();
}

async function writeChunk(client: DynamoDocumentClient, tableName: string, items: readonly Key[], retries: WriteRetries): Promise<UnwrittenItem[]> {
  let pending = [...items];
  for (let attempt = 1; ; attempt++) {
    let left: Key[];
    try {
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending.map((Item) => ({ PutRequest: { Item } })) } }));
      left = (result.UnprocessedItems?.[tableName] ?? []).map((request) => request.PutRequest!.Item!);
    } catch (error) {
      if (pending.length === 1) return [{ item: pending[0]!, error: error as Error }];
      const alone = await Promise.all(pending.map((item) => writeChunk(client, tableName, [item], retries)));
      return alone.flat();
    }
    pending = left;
    if (pending.length === 0 || attempt >= retries.maxAttempts) return pending.map((item) => ({ item }));
    await pause(retries.pauseMs(attempt));
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
