/**
 * Opaque paging cursors: the DynamoDB key to continue after, base64url-encoded together with the
 * partition it belongs to, so a cursor from another query is refused instead of silently
 * skipping. Cursors are not secret (they hold IDs the caller has already seen), only opaque.
 */
import * as z from 'zod/mini';
import { InvalidCursorError } from './errors.ts';

const CursorBody = z.object({ p: z.string(), k: z.record(z.string(), z.union([z.string(), z.number()])) });

export function encodeCursor(partition: string, key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ p: partition, k: key }), 'utf8').toString('base64url');
}

/**
 * @param keyNames when given, the key must have exactly these attributes (those of the index
 *   queried), so that a forged cursor cannot reach the table with other keys.
 * @throws InvalidCursorError when the cursor is malformed or belongs to another partition.
 */
export function decodeCursor(cursor: string, partition: string, keyNames?: readonly string[]): Record<string, string | number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const body = CursorBody.safeParse(parsed);
  if (!body.success || body.data.p !== partition) throw new InvalidCursorError();
  if (keyNames && JSON.stringify(Object.keys(body.data.k).sort()) !== JSON.stringify([...keyNames].sort())) throw new InvalidCursorError();
  return body.data.k;
}
