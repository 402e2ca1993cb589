/**
 * The local default provider: instead of calling FCM/APNs/SNS it keeps the notification in the
 * outbox table, readable at `GET /api/push/outbox?userID=...`. It receives exactly what a real
 * provider would, so the local flow (take-over, queue, worker, preferences, presence) is the real one.
 */
import type { UserDevice } from '../device.ts';
import type { OutboxStore } from '../../store/outbox-store.ts';
import type { Notification, PushProvider, SendOutcome } from './push-provider.ts';

export class OutboxProvider implements PushProvider {
  readonly name = 'outbox';

  constructor(
    private readonly outbox: OutboxStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(device: UserDevice, notification: Notification): Promise<SendOutcome> {
    await this.outbox.append({
      userID: device.userID,
      deviceID: device.deviceID,
      provider: device.provider,
      platform: device.platform,
      title: notification.title,
      body: notification.body,
      collapseKey: notification.collapseKey,
      threadID: notification.threadID,
      messageID: notification.messageID,
      conversationID: notification.conversationID,
      sendID: notification.sendID,
      groupID: notification.groupID,
      ex: notification.ex,
      queuedAt: notification.queuedAt,
      deliveredAt: this.now().toISOString(),
    });
    return { status: 'sent' };
  }
}
