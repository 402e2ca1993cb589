/**
 * The one interface every push provider implements (FCM HTTP v1, APNs, SNS mobile push, the local
 * outbox). `send` resolves with what became of the token, and throws ProviderUnavailableError when
 * trying again later may work or ProviderRejectedError when it cannot.
 */
import type { UserDevice } from '../device.ts';

/** What a provider needs to show one message on one device. */
export interface Notification {
  readonly messageID: string;
  readonly conversationID: string;
  readonly sendID: string;
  readonly groupID: string;
  readonly title: string;
  readonly body: string;
  /** Newer notifications with the same key replace older ones (FCM collapse_key, apns-collapse-id). */
  readonly collapseKey: string;
  /** Groups the conversation's notifications (APNs thread-id, Android tag). */
  readonly threadID: string;
  /** offlinePushInfo.ex, handed to the app as data. */
  readonly ex: string;
  /** iOS sound name; empty for the default. */
  readonly sound: string;
  /** ISO time the take-over queued the push; stable across retries (the outbox orders by it). */
  readonly queuedAt: string;
}

export type SendOutcome =
  | { readonly status: 'sent' }
  /** The provider says the token will never work again; the registry drops the device. */
  | { readonly status: 'invalid-token'; readonly reason: string };

export interface PushProvider {
  readonly name: string;
  send(device: UserDevice, notification: Notification): Promise<SendOutcome>;
}

/** The app-facing data every provider attaches: strings only (FCM's data map allows nothing else). */
export function notificationData(notification: Notification): Record<string, string> {
  return {
    messageID: notification.messageID,
    conversationID: notification.conversationID,
    sendID: notification.sendID,
    groupID: notification.groupID,
    ex: notification.ex,
  };
}
