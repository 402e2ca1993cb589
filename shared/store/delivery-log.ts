/**
 * Port for remembering which (message, device) pairs already got their notification, so a push
 * job that comes back (a retry after a partial failure, a duplicate delivery by SQS or SNS) sends
 * only to the devices still missing it.
 */
export interface DeliveryKey {
  readonly messageID: string;
  readonly userID: string;
  readonly deviceID: string;
}

export interface DeliveryLog {
  /** The ids (deliveryIdOf) of those keys already delivered. */
  deliveredAmong(keys: readonly DeliveryKey[]): Promise<Set<string>>;
  recordDelivered(keys: readonly DeliveryKey[], at: Date): Promise<void>;
}

/** User and device IDs cannot contain `#` (device.ts PathId), so the id splits back unambiguously. */
export function deliveryIdOf(key: DeliveryKey): string {
  return `${key.messageID}#${key.userID}#${key.deviceID}`;
}
