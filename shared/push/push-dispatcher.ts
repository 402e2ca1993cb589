/**
 * The push worker's job: one push job (a chunk of one message's recipients) to every eligible
 * device, at most once per (message, device) across retries, redeliveries and crashes.
 *
 *   recipients -- muted / conversation muted / do-not-disturb ------------> skipped
 *              -> their devices -- user online (PresenceReader) ----------> skipped
 *                               -- an outcome in the delivery log -------> skipped (a retry)
 *                               -- `sending` in the log (a crash) -------> unknown, not resent
 *                               -> `sending` logged, window by window
 *                               -> provider, through its adaptive window (device-sender.ts)
 *                                    sent           -> logged
 *                                    invalid token  -> logged; device removed (if its token is unchanged)
 *                                    unknown        -> logged; never resent
 *                                    rejected       -> logged; retrying would be refused the same way
 *                                    failed (surely) -> logged; the job throws PushIncompleteError and
 *                                                      SQS brings it back for those devices only
 */
import type { PresenceReader } from '../presence/presence-reader.ts';
import { DELIVERY_OUTCOMES, deliveryIdOf, maySend, type DeliveryKey, type DeliveryLog, type DeliveryRecord } from '../store/delivery-log.ts';
import type { DeviceStore } from '../store/device-store.ts';
import type { PreferenceStore } from '../store/preference-store.ts';
import { logger } from '../observability/logger.ts';
import { AdaptiveConcurrency, type AdaptiveConcurrencyOptions } from './adaptive-concurrency.ts';
import type { UserDevice } from './device.ts';
import { sendToDevice, type DeviceResult } from './device-sender.ts';
import { PushIncompleteError } from './errors.ts';
import { quietReason } from './preferences.ts';
import type { ProviderRouter } from './provider-router.ts';
import type { Notification } from './providers/push-provider.ts';
import type { PushJob } from './push-job.ts';
import { PushMetrics } from './push-metrics.ts';

export interface PushDispatcherDeps {
  readonly presence: PresenceReader;
  readonly preferences: Pick<PreferenceStore, 'preferencesOf'>;
  readonly devices: Pick<DeviceStore, 'devicesOf' | 'removeIfToken'>;
  readonly deliveries: DeliveryLog;
  readonly providerFor: ProviderRouter;
  readonly now?: () => Date;
  /** Each provider's adaptive window of sends in flight (adaptive-concurrency.ts). */
  readonly window?: AdaptiveConcurrencyOptions;
  /** Attempts per device within one run while sends surely fail. @default 3 */
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
  /** Devices with an outcome from an earlier run of this job. */
  readonly alreadyDone: number;
  readonly delivered: number;
  readonly invalidTokens: number;
  readonly rejected: number;
  /** Sent without an answer, in this run or in a run that crashed: not resent. */
  readonly unknown: number;
  /** Surely not taken after every attempt: the job comes back for them. */
  readonly unavailable: number;
}

/** Devices marked `sending` at once (one BatchWriteItem), then sent. */
const SEND_WINDOW = 25;
/**
 * Windows of one job in flight at once: 100 sends, so one job alone keeps a slow provider busy;
 * a crash leaves at most these 100 devices marked `sending`, which then count as unknown.
 */
const WINDOWS_IN_FLIGHT = 4;

export class PushDispatcher {
  /** Provider windows live as long as the dispatcher: every job of the process shares them. */
  private readonly windows = new Map<string, AdaptiveConcurrency>();

  constructor(private readonly deps: PushDispatcherDeps) {}

  /** @throws PushIncompleteError when some devices surely failed; every other outcome is logged. */
  async dispatch(job: PushJob, queuedAt: string): Promise<DispatchReport> {
    const now = this.deps.now?.() ?? new Date();
    const recipients = [...new Set(job.userIDs)];
    const preferences = await this.deps.preferences.preferencesOf(recipients);
    const mentioned = new Set(job.mentionedUserIDs);
    const wanting = recipients.filter(
      (userID) => quietReason(preferences.get(userID), { conversationID: job.conversationID, mentioned: mentioned.has(userID) }, now) === undefined,
    );
    // Presence last, for the users who would get a notification.
    const withDevices = wanting.length > 0 ? await this.deps.devices.devicesOf(wanting) : [];
    const withDeviceIDs = [...new Set(withDevices.map((d) => d.userID))];
    const online = withDeviceIDs.length > 0 ? await this.deps.presence.onlineAmong(withDeviceIDs) : new Set<string>();
    const devices = withDevices.filter((device) => !online.has(device.userID));
    const keyOf = (device: UserDevice): DeliveryKey => ({ messageID: job.messageID, userID: device.userID, deviceID: device.deviceID });
    const outcomes = devices.length > 0 ? await this.deps.deliveries.outcomesAmong(devices.map(keyOf)) : new Map();
    const pending = devices.filter((device) => maySend(outcomes.get(deliveryIdOf(keyOf(device)))));
    const interrupted = devices.filter((device) => outcomes.get(deliveryIdOf(keyOf(device))) === DELIVERY_OUTCOMES.sending);

    const metrics = new PushMetrics();
    const counts = { delivered: 0, invalidTokens: 0, rejected: 0, unknown: interrupted.length, unavailable: 0 };
    for (const device of interrupted) metrics.count(device.provider, 'unknownOutcomes');
    if (interrupted.length > 0) {
      logger.warn('push devices were being sent to when a worker stopped; not sent again, as the provider may have taken them', {
        messageID: job.messageID,
        chunk: job.chunk,
        devices: interrupted.length,
      });
      await this.deps.deliveries.record(interrupted.map((device) => ({ key: keyOf(device), outcome: DELIVERY_OUTCOMES.unknown })), now);
    }

    const notification = notificationOf(job, queuedAt);
    const windows = Array.from({ length: Math.ceil(pending.length / SEND_WINDOW) }, (_, i) => pending.slice(i * SEND_WINDOW, (i + 1) * SEND_WINDOW));
    const sendWindow = async (window: readonly UserDevice[]) => {
      await this.deps.deliveries.record(window.map((device) => ({ key: keyOf(device), outcome: DELIVERY_OUTCOMES.sending })), now);
      const results = await Promise.all(window.map((device) => this.send(device, notification, metrics, counts)));
      outcomeWrites.push(this.deps.deliveries.record(results.map((outcome, i): DeliveryRecord => ({ key: keyOf(window[i]!), outcome })), now));
    };
    const outcomeWrites: Promise<void>[] = [];
    const inFlight = new Set<Promise<void>>();
    // A window whose log write fails stops new windows; those in flight finish before the job fails.
    let logFailure: unknown;
    for (const window of windows) {
      if (logFailure !== undefined) break;
      const sending: Promise<void> = sendWindow(window)
        .catch((error: unknown) => void (logFailure ??= error))
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
      if (inFlight.size >= WINDOWS_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await Promise.all(outcomeWrites);
    if (logFailure !== undefined) throw logFailure;

    const report: DispatchReport = {
      recipients: recipients.length,
      quiet: recipients.length - wanting.length,
      online: online.size,
      devices: devices.length,
      alreadyDone: devices.length - pending.length - interrupted.length,
      ...counts,
    };
    metrics.publish();
    logger.info('push job dispatched', { messageID: job.messageID, chunk: job.chunk, chunkCount: job.chunkCount, ...report });
    if (counts.unavailable > 0) throw new PushIncompleteError(job.messageID, counts.unavailable);
    return report;
  }

  private async send(
    device: UserDevice,
    notification: Notification,
    metrics: PushMetrics,
    counts: { delivered: number; invalidTokens: number; rejected: number; unknown: number; unavailable: number },
  ): Promise<DeliveryRecord['outcome']> {
    const result: DeviceResult = await sendToDevice(device, notification, {
      providerFor: this.deps.providerFor,
      windowOf: (provider) => this.windowOf(provider),
      metrics,
      attempts: this.deps.attempts ?? 3,
      retryDelayMs: this.deps.retryDelayMs ?? 100,
      now: () => performance.now(),
    });
    switch (result.status) {
      case 'sent':
        counts.delivered++;
        return DELIVERY_OUTCOMES.sent;
      case 'unknown':
        counts.unknown++;
        return DELIVERY_OUTCOMES.unknown;
      case 'rejected':
        counts.rejected++;
        return DELIVERY_OUTCOMES.rejected;
      case 'failed':
        counts.unavailable++;
        return DELIVERY_OUTCOMES.failed;
      case 'invalid-token': {
        counts.invalidTokens++;
        const removed = await this.deps.devices.removeIfToken(device.userID, device.deviceID, device.token);
        if (removed) metrics.count(device.provider, 'invalidTokensRemoved');
        logger.info('push token refused by its provider; device removed', {
          userID: device.userID,
          deviceID: device.deviceID,
          provider: device.provider,
          reason: result.reason,
          removed,
        });
        return DELIVERY_OUTCOMES.invalidToken;
      }
    }
  }

  private windowOf(provider: string): AdaptiveConcurrency {
    let window = this.windows.get(provider);
    if (!window) {
      window = new AdaptiveConcurrency(this.deps.window);
      this.windows.set(provider, window);
    }
    return window;
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
