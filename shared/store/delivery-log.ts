/**
 * Port for what became of each (message, device) notification, so a push job that comes back (a
 * retry after a partial failure, a duplicate delivery by SQS or SNS, a redelivery after a worker
 * crashed) never sends to a device twice. The log is kept per delivery window: up to 50 of a job's
 * recipients (shared/push/delivery-windows.ts), whose devices' outcomes share one record, so a job
 * reads and writes one record per 50 recipients instead of one per device.
 *
 * A device is marked `sending` before its request leaves; one still marked so when its job comes
 * back was in flight when a worker died: its outcome is unknown, and it is not sent again (at most
 * once, docs/push.md). Every write names the revision it read and fails if another run wrote the
 * window since, so two runs of one job at once (an SQS duplicate) never both claim a device.
 */
import { createHash } from 'node:crypto';

export const DELIVERY_OUTCOMES = {
  /** The request is about to leave; replaced by the outcome once known. */
  sending: 'sending',
  sent: 'sent',
  /** The request left but no answer came: the provider may have taken it. */
  unknown: 'unknown',
  invalidToken: 'invalid-token',
  rejected: 'rejected',
  /** Surely not taken (refused before it was written, 429/5xx) after every attempt: the next run sends it. */
  failed: 'failed',
} as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[keyof typeof DELIVERY_OUTCOMES];

/** One window's record: the outcome of each of its devices that has one. */
export interface DeliveryWindowRecord {
  readonly windowID: string;
  /** The window's recipients, in the job's order; a device's entry names its user by position here. */
  readonly userIDs: readonly string[];
  /** By windowDeviceKey(position of the user in userIDs, deviceID). */
  readonly outcomes: ReadonlyMap<string, DeliveryOutcome>;
  /** Counts the writes of the window; 0 for a window with no (unexpired) record. */
  readonly revision: number;
}

export interface DeliveryLog {
  /**
   * The record of each window that has one, by window ID. `consistent` reads what the last write
   * stored; without it a record may be a moment old, which the revision check of a write catches.
   */
  windowsAmong(windowIDs: readonly string[], options?: { readonly consistent?: boolean }): Promise<Map<string, DeliveryWindowRecord>>;
  /**
   * Stores `record` with the next revision, if the window is still at `record.revision`.
   * @returns the stored record, or `undefined` when another write came first (read it again).
   */
  replace(record: DeliveryWindowRecord, at: Date): Promise<DeliveryWindowRecord | undefined>;
}

/** Whether a device with this recorded outcome (or none) may be sent the notification. */
export function maySend(outcome: DeliveryOutcome | undefined): boolean {
  return outcome === undefined || outcome === DELIVERY_OUTCOMES.failed;
}

/** Device IDs up to this long name their entry as they are; longer ones by a hash. */
const READABLE_DEVICE_ID = 32;

/**
 * A device's entry in its window: the user's position in the window and the device ID, hashed
 * (behind `=`, which no device ID contains) when longer than 32 characters. So an entry takes at
 * most ~50 bytes, and a window of 50 users with 100 devices each stays under DynamoDB's 400 KB
 * per item. Device IDs cannot contain `#` (device.ts PathId), so the key splits back.
 */
export function windowDeviceKey(userPosition: number, deviceID: string): string {
  const id = deviceID.length <= READABLE_DEVICE_ID ? deviceID : `=${createHash('sha256').update(deviceID).digest('base64url').slice(0, 22)}`;
  return `${userPosition}#${id}`;
}
