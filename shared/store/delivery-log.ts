/**
 * Port for what became of each (message, device) notification, so a push job that comes back (a
 * retry after a partial failure, a duplicate delivery by SQS or SNS, a redelivery after a worker
 * crashed) never sends to a device twice. A device is marked `sending` before its request leaves;
 * one still marked so when its job comes back was in flight when a worker died: its outcome is
 * unknown, and it is not sent again (at most once, docs/push.md).
 */
export interface DeliveryKey {
  readonly messageID: string;
  readonly userID: string;
  readonly deviceID: string;
}

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

export interface DeliveryRecord {
  readonly key: DeliveryKey;
  readonly outcome: DeliveryOutcome;
}

export interface DeliveryLog {
  /** The recorded outcome of each key that has one, by deliveryIdOf. */
  outcomesAmong(keys: readonly DeliveryKey[]): Promise<Map<string, DeliveryOutcome>>;
  record(records: readonly DeliveryRecord[], at: Date): Promise<void>;
}

/** Whether a device with this recorded outcome (or none) may be sent the notification. */
export function maySend(outcome: DeliveryOutcome | undefined): boolean {
  return outcome === undefined || outcome === DELIVERY_OUTCOMES.failed;
}

/** User and device IDs cannot contain `#` (device.ts PathId), so the id splits back unambiguously. */
export function deliveryIdOf(key: DeliveryKey): string {
  return `${key.messageID}#${key.userID}#${key.deviceID}`;
}
