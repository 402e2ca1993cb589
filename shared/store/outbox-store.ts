/**
 * Port for the local outbox provider's notifications: what would have gone to FCM/APNs/SNS,
 * kept per user, oldest first (`GET /api/push/outbox?userID=...`).
 */
export interface OutboxItem {
  readonly userID: string;
  readonly deviceID: string;
  /** The provider the device is registered with, which the outbox stands in for. */
  readonly provider: string;
  readonly platform: string;
  readonly title: string;
  readonly body: string;
  readonly collapseKey: string;
  readonly threadID: string;
  readonly messageID: string;
  readonly conversationID: string;
  readonly sendID: string;
  readonly groupID: string;
  readonly ex: string;
  /** When the take-over queued the push (ISO); the order of the outbox. */
  readonly queuedAt: string;
  readonly deliveredAt: string;
}

export interface OutboxPage {
  readonly items: OutboxItem[];
  /** Pass as `after` for the next page; absent on the last one. */
  readonly next?: string;
}

export interface OutboxStore {
  /** Adds the item once per (message, device); false when it was already there. */
  append(item: OutboxItem): Promise<boolean>;
  listFor(userID: string, options: { readonly limit: number; readonly after?: string }): Promise<OutboxPage>;
}
