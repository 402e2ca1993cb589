/**
 * Splits one message's recipients into push jobs small enough for SNS and SQS (256 KiB per message,
 * body and attributes together). Each job is packed by its encoded size, with room left for the
 * chat-event envelope, and by count, so one worker record stays a bounded amount of work.
 */
import type { PushJob } from './push-job.ts';

/** SNS/SQS allow 262,144 bytes; the envelope (ids, time, attributes) needs well under 1 KiB of the rest. */
export const MAX_JOB_BYTES = 200 * 1024;
/** One record's work for the push worker: presence, preferences and devices of this many users. */
export const MAX_USERS_PER_JOB = 500;

export type PushJobBase = Omit<PushJob, 'userIDs' | 'mentionedUserIDs' | 'chunk' | 'chunkCount'>;

export class PushJobTooLargeError extends Error {
  constructor(bytes: number) {
    super(`a push job without recipients already takes ${bytes} bytes, above the ${MAX_JOB_BYTES}-byte budget`);
    this.name = 'PushJobTooLargeError';
  }
}

export function splitPushJob(
  base: PushJobBase,
  userIDs: readonly string[],
  mentioned: ReadonlySet<string>,
  limits: { readonly maxBytes?: number; readonly maxUsers?: number } = {},
): PushJob[] {
  const maxBytes = limits.maxBytes ?? MAX_JOB_BYTES;
  const maxUsers = limits.maxUsers ?? MAX_USERS_PER_JOB;
  const emptyBytes = bytesOf({ ...base, userIDs: [], mentionedUserIDs: [], chunk: 0, chunkCount: 0 }) + 16;
  if (emptyBytes > maxBytes) throw new PushJobTooLargeError(emptyBytes);

  const groups: { userIDs: string[]; mentionedUserIDs: string[] }[] = [];
  let current = { userIDs: [] as string[], mentionedUserIDs: [] as string[] };
  let size = emptyBytes;
  for (const userID of new Set(userIDs)) {
    // The ID as a JSON string plus its comma, twice if it is also in the mention list.
    const cost = (bytesOf(userID) + 1) * (mentioned.has(userID) ? 2 : 1);
    if (emptyBytes + cost > maxBytes) throw new PushJobTooLargeError(emptyBytes + cost);
    if (current.userIDs.length > 0 && (size + cost > maxBytes || current.userIDs.length >= maxUsers)) {
      groups.push(current);
      current = { userIDs: [], mentionedUserIDs: [] };
      size = emptyBytes;
    }
    current.userIDs.push(userID);
    if (mentioned.has(userID)) current.mentionedUserIDs.push(userID);
    size += cost;
  }
  if (current.userIDs.length > 0) groups.push(current);
  return groups.map((group, chunk) => ({ ...base, ...group, chunk, chunkCount: groups.length }));
}

function bytesOf(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
