/** Port for the audit trail: idempotent batch writes, listings newest first, conversation context. */
import type { AuditRecord } from '../audit/audit-record.ts';
import type { ConversationHistory } from '../audit/conversation-history.ts';

/** The sparse indexes a listing can use, named after their partition attribute. */
export const AUDIT_LISTINGS = ['conversationID', 'sendID', 'groupID'] as const;
export type AuditListing = (typeof AUDIT_LISTINGS)[number];

export interface StoredAuditRecord extends AuditRecord {
  /** Epoch seconds after which the record is gone (DynamoDB TTL). */
  readonly expiresAt: number;
}

export interface AuditListQuery {
  readonly by: AuditListing;
  readonly value: string;
  readonly limit: number;
  /** Opaque, from the previous page. */
  readonly cursor?: string;
}

export interface AuditPage {
  readonly items: readonly StoredAuditRecord[];
  /** Null on the last page. */
  readonly cursor: string | null;
}

export interface UnwrittenAuditRecord {
  readonly record: AuditRecord;
  /** Why DynamoDB refused it; absent when it was only left unprocessed (throttling). */
  readonly error?: Error;
}

export interface AuditStore extends ConversationHistory {
  /**
   * Writes every record (same recordID = same item); returns each one not written: still
   * unprocessed after the last attempt, or refused (with the error) without failing the others.
   */
  putAll(records: readonly AuditRecord[]): Promise<{ readonly unwritten: readonly UnwrittenAuditRecord[] }>;
  /** @throws InvalidCursorError when `cursor` was not handed out for this listing. */
  list(query: AuditListQuery): Promise<AuditPage>;
}
