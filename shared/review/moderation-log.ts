/** Port for the immutable moderation log (DynamoDB: shared/store/dynamodb-moderation-log-store.ts). */
import type { ModerationLogEntry } from './moderation-decided-event.ts';

export interface LogPage {
  readonly entries: ModerationLogEntry[];
  readonly cursor?: string;
}

export interface ModerationLog {
  /** Appends the entry; false when an entry with its entryId exists (never overwritten). */
  append(entry: ModerationLogEntry): Promise<boolean>;
  /** Newest first. */
  byUser(userID: string, page: { limit: number; cursor?: string }): Promise<LogPage>;
  /** Newest first. */
  byItem(itemId: string, page: { limit: number; cursor?: string }): Promise<LogPage>;
}
