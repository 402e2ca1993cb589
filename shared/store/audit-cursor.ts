/**
 * The audit listing's opaque cursor: DynamoDB's LastEvaluatedKey of a GSI query, base64url JSON.
 * Decoding checks that it has exactly that index's key attributes and belongs to the same
 * listing, so a cursor can neither read another partition nor reach the table with odd keys.
 */
import { InvalidAuditCursorError } from '../audit/errors.ts';
import type { AuditListing } from './audit-store.ts';

export function encodeAuditCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | null {
  return lastEvaluatedKey ? Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url') : null;
}

export function decodeAuditCursor(cursor: string, by: AuditListing, value: string): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidAuditCursorError();
  }
  const expected = ['recordID', 'timeKey', by].sort();
  const isKey =
    key !== null &&
    typeof key === 'object' &&
    JSON.stringify(Object.keys(key).sort()) === JSON.stringify(expected) &&
    Object.values(key).every((v) => typeof v === 'string') &&
    (key as Record<string, string>)[by] === value;
  if (!isKey) throw new InvalidAuditCursorError();
  return key as Record<string, string>;
}
