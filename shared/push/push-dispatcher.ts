/**
 * The push worker's job: one push job (a chunk of one message's recipients) to every eligible
 * device, exactly once per (message, device) across retries.
 *
 *   recipients -- muted / conversation muted / do-not-disturb ------------> skipped
 *              -> their devices -- user online (PresenceReader) ----------> skipped
 *                               -- already in the delivery log ----------> skipped (a retry)
 *                               -> provider (retried in place when it is unavailable)
 *                                    sent          -> delivery log
 *                                    invalid token -> device removed (if its token is unchanged)
 *                                    unavailable   -> counted; the job throws PushIncompleteError
 *                                                     and SQS brings it back for those devices only
 *                                    rejected      -> logged; retrying would be refused the same way
 */
import type { PresenceReader } from '../presence/presence-reader.ts';
import type { DeliveryKey, DeliveryLog } from '../store/delivery-log.ts';
import { deliveryIdOf } from '../store/delivery-log.ts';
import type { DeviceStore } from '../store/device-store.ts';
import type { PreferenceStore } from '../store/preference-store.ts';
import { logger } from '../observability/logger.ts';
import type { UserDevice } from './device.ts';
import { ProviderNotConfiguredError, ProviderRejectedError, ProviderUnavailableError, PushIncompleteError } from './errors.ts';
import { quietReason } from './preferences.ts';
import type { ProviderRouter } from './provider-router.ts';
import type { Notification, SendOutcome } from './providers/push-provider.ts';
import type { PushJob } from './push-job.ts';

export interface PushDispatcherDeps {
  readonly presence: PresenceReader;
  readonly preferences: Pick<PreferenceStore, 'preferencesOf'>;
  readonly devices: Pick<DeviceStore, 'devicesOf' | 'removeIfToken'>;
  readonly deliveries: DeliveryLog;
  readonly providerFor: ProviderRouter;
  readonly now?: () => Date;
  /** Sends in flight at once. @default 16 */
  readonly concurrency?: number;
  /** Attempts per device within one run while the provider is unavailable. @default 3 */
  readonly attempts?: number;
  /** First pause between attempts, doubled each time. @default 100 */
  readonly retryDelayMs?: number;
}

export interface DispatchReport {
  readonly recipients: number;
  readonly quiet: number;
  /** Recipients with devices who are online, so get no offline push. */
  readonly online: number;
  readonly devices: number;
  readonly alreadyDelivered: number;
  readonly delivered: number;
  readonly invalidTokens: number;
  readonly rejected: number;
  readonly unavailable: number;
}

/** Delivered keys are written in batches of this size while sending, so a crash loses little. */
const RECORD_BATCH = 25;
/** Users per presence read. */
const PRESENCE_SLICE = 100;

export class PushDispatcher {
  constructor(private readonly deps: PushDispatcherDeps) {}

  /** @throws PushIncompleteError when some devices stayed unreachable; the rest are recorded. */
  async dispatch(job: PushJob, queuedAt: string): Promise<DispatchReport> {
    const now = this.deps.now?.() ?? new Date();
    const recipients = [...new Set(job.userIDs)];
    const preferences = await this.deps.preferences.preferencesOf(recipients);
    const mentioned = new Set(job.mentionedUserIDs);
    const wanting = recipients.filter(
      (userID) => quietReason(preferences.get(userID), { conversationID: job.conversationID, mentioned: mentioned.has(userID) }, now) === undefined,
    );
    // Presence last, for the users who would get a notification: it is the costliest read per user.
    const withDevices = wanting.length > 0 ? await this.deps.devices.devicesOf(wanting) : [];
    const online = await this.onlineAmong([...new Set(withDevices.map((d) => d.userID))]);
    const devices = withDevices.filter((device) => !online.has(device.userID));
    const keys = devices.map((device): DeliveryKey => ({ messageID: job.messageID, userID: device.userID, deviceID: device.deviceID }));
    const delivered = keys.length > 0 ? await this.deps.deliveries.deliveredAmong(keys) : new Set<string>();
    const pending = devices.filter((_, index) => !delivered.has(deliveryIdOf(keys[index]!)));

    const notification = notificationOf(job, queuedAt);
    const counts = { delivered: 0, invalidTokens: 0, rejected: 0, unavailable: 0 };
    const toRecord: DeliveryKey[] = [];
    const flush = async (all: boolean) => {
      while (toRecord.length >= (all ? 1 : RECORD_BATCH)) await this.deps.deliveries.recordDelivered(toRecord.splice(0, RECORD_BATCH), now);
    };

    await inPool(pending, this.deps.concurrency ?? 16, async (device) => {
      const result = await this.sendWithRetries(device, notification);
      if (result === 'unavailable' || result === 'rejected') {
        counts[result]++;
        return;
      }
      if (result.status === 'sent') {
        counts.delivered++;
        toRecord.push({ messageID: job.messageID, userID: device.userID, deviceID: device.deviceID });
        await flush(false);
        return;
      }
      counts.invalidTokens++;
      const removed = await this.deps.devices.removeIfToken(device.userID, device.deviceID, device.token);
      logger.info('push token refused by its provider; device removed', {
        userID: device.userID,
        deviceID: device.deviceID,
        provider: device.provider,
        reason: result.reason,
        removed,
      });
    });
    await flush(true);

    const report: DispatchReport = {
      recipients: recipients.length,
      quiet: recipients.length - wanting.length,
      online: online.size,
      devices: devices.length,
      alreadyDelivered: devices.length - pending.length,
      ...counts,
    };
    logger.info('push job dispatched', { messageID: job.messageID, chunk: job.chunk, chunkCount: job.chunkCount, ...report });
    if (counts.unavailable > 0) throw new PushIncompleteError(job.messageID, counts.unavailable);
    return report;
  }

  /**
   * Presence in slices: a PresenceReader may read each user separately, and a job's 500 users at
   * once, times the records of a batch, would flood the table's connections.
   */
  private async onlineAmong(userIDs: readonly string[]): Promise<Set<string>> {
    const online = new Set<string>();
    for (let start = 0; start < userIDs.length; start += PRESENCE_SLICE) {
      for (const userID of await this.deps.presence.onlineAmong(userIDs.slice(start, start + PRESENCE_SLICE))) online.add(userID);
    }
    return online;
  }

  private async sendWithRetries(device: UserDevice, notification: Notification): Promise<SendOutcome | 'unavailable' | 'rejected'> {
    const attempts = this.deps.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.providerFor(device).send(device, notification);
      } catch (error) {
        const retryable = error instanceof ProviderUnavailableError;
        if (retryable && attempt < attempts) {
          await new Promise((resolve) => setTimeout(resolve, (this.deps.retryDelayMs ?? 100) * 2 ** (attempt - 1)));
          continue;
        }
        const context = { messageID: notification.messageID, userID: device.userID, deviceID: device.deviceID, provider: device.provider, attempts: attempt };
        if (retryable) {
          logger.warn('push provider unavailable; the job will be retried for this device', { ...context, error: error as Error });
          return 'unavailable';
        }
        if (!(error instanceof ProviderRejectedError || error instanceof ProviderNotConfiguredError)) {
          logger.error('push send failed unexpectedly; the job will be retried for this device', { ...context, error: error as Error });
          return 'unavailable';
        }
        logger.error('push notification refused; not retried, as the same request would be refused again', { ...context, error });
        return 'rejected';
      }
    }
  }
}

export function notificationOf(job: PushJob, queuedAt: string): Notification {
  return {
    messageID: job.messageID,
    conversationID: job.conversationID,
    sendID: job.sendID,
    groupID: job.groupID,
    title: job.title,
    body: job.body,
    collapseKey: job.collapseKey,
    threadID: job.conversationID,
    ex: job.ex,
    sound: job.iOSPushSound,
    queuedAt,
  };
}

/** Runs `work` over `items` with at most `size` in flight. */
async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}
