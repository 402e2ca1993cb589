/**
 * Puts items with BatchWriteItem: 25 per call, the calls in parallel, and what DynamoDB leaves
 * unprocessed (throttling) retried with bounded, fully jittered exponential backoff. Only for
 * items whose rewrite is harmless, since BatchWriteItem takes no conditions; one call may not
 * name a key twice, so the caller passes each key once.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface BatchPutOptions {
  /** BatchWriteItem calls per chunk, first included. */
  readonly maxAttempts: number;
  /** First backoff; doubled per attempt, capped at 2 s. */
  readonly baseDelayMs: number;
}

/** BatchWriteItem's limit per call. */
export const MAX_BATCH_WRITE_ITEMS = 25;
const MAX_DELAY_MS = 2_000;

/** Returns the items DynamoDB still had not taken after the last attempt. */
export async function batchPut(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  options: BatchPutOptions,
): Promise<Record<string, unknown>[]> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += MAX_BATCH_WRITE_ITEMS) chunks.push(items.slice(i, i + MAX_BATCH_WRITE_ITEMS));
  const left = await Promise.all(chunks.map((chunk) => putChunk(client, tableName, chunk, options)));
  return left.flat();
}

async function putChunk(
  client: DynamoDBDocumentClient,
  tableName: string,
  chunk: readonly Record<string, unknown>[],
  { maxAttempts, baseDelayMs }: BatchPutOptions,
): Promise<Record<string, unknown>[]> {
  let pending = [...chunk];
  for (let attempt = 1; ; attempt += 1) {
    const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending.map((Item) => ({ PutRequest: { Item } })) } }));
    pending = (result.UnprocessedItems?.[tableName] ?? []).map((request) => request.PutRequest!.Item!);
    if (pending.length === 0 || attempt >= maxAttempts) return pending;
    const ceiling = Math.min(MAX_DELAY_MS, baseDelayMs * 2 ** (attempt - 1));
    await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
  }
}
