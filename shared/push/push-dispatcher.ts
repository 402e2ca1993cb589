/**
 * The push worker's job: one push job (a chunk of one message's recipients) to every eligible
 * device, at most once per (message, device) across retries, redeliveries and crashes.
 *
 *   recipients, in delivery windows of 50 (delivery-windows.ts); the windows' log records read once,
 *   the users' devices, preferences and presence read 100 at a time, the next 100 while these send
 *              -- no device -----------------------------------------------> skipped
 *              -- muted / conversation muted / do-not-disturb -------------> skipped
 *              -- user online (PresenceReader) ----------------------------> skipped
 *   per window, 2 at once (one reads while the other sends):
 *              -- an outcome in the window's record -----------------------> skipped (a retry)
 *              -- `sending` in the record when this run read it (a crash) -> unknown, not resent
 *              -> the rest claimed: `sending`, one conditional write per window
 *              -> provider, through its adaptive window (device-sender.ts)
 *                   sent           -> logged
 *                   invalid token  -> logged; device removed (if its token is unchanged)
 *                   unknown        -> logged; never resent
 *                   rejected       -> logged; retrying would be refused the same way
 *                   failed (surely) -> logged; the job throws PushIncompleteError and
 *                                     SQS brings it back for those devices only
 */
import { chunksOf } from '../batching/chunks.ts';
import type { PresenceReader } from '../presence/presence-reader.ts';
import { DELIVERY_OUTCOMES, maySend, type DeliveryLog, type DeliveryOutcome, type DeliveryWindowRecord } from '../store/delivery-log.ts';
import type { DeviceStore } from '../store/device-store.ts';
import type { PreferenceStore } from '../store/preference-store.ts';
import { logger } from '../observability/logger.ts';
import { AdaptiveConcurrency, type AdaptiveConcurrencyOptions } from './adaptive-concurrency.ts';
import { deliveryWindowsOf, DeliveryWindowLedger, type DeliveryWindow } from './delivery-windows.ts';
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
  /** Recipients with devices whose preferences keep the notification from them. */
  readonly quiet: number;
  /** Recipients with devices who are online, so get no offline push. */
  readonly online: number;
  readonly devices: number;
  /** Devices with an outcome from an earlier run of this job, or being sent by another run of it now. */
  readonly alreadyDone: number;
  readonly delivered: number;
  readonly invalidTokens: number;
  readonly rejected: number;
  /** Sent without an answer, in this run or in a run that crashed: not resent. */
  readonly unknown: number;
  /** Surely not taken after every attempt: the job comes back for them. */
  readonly unavailable: number;
}

/**
 * Delivery windows of one job in flight at once: 100 recipients, so one job alone keeps a slow
 * provider busy, and one window is claimed while the other sends; a crash leaves at most these
 * windows' devices marked `sending`, which then count as unknown.
 */
const WINDOWS_IN_FLIGHT = 2;
/** Windows whose users are read together: 100 users, BatchGetItem's most keys per request. */
const WINDOWS_PER_READ = 2;

type Counts = { delivered: number; invalidTokens: number; rejected: number; unknown: number; unavailable: number; alreadyDone: number };
/** Of the job's recipients: those quieted by their preferences, those online, and the devices left to notify. */
type Audience = { quiet: number; online: number; devices: number };

interface JobContext {
  readonly job: PushJob;
  readonly notification: Notification;
  readonly metrics: PushMetrics;
  readonly counts: Counts;
  readonly audience: Audience;
  readonly mentioned: ReadonlySet<string>;
  readonly now: Date;
}

export class PushDispatcher {
  /** Provider windows live as long as the dispatcher: every job of the process shares them. */
  private readonly providerWindows = new Map<string, AdaptiveConcurrency>();

  constructor(private readonly deps: PushDispatcherDeps) {}

  /** @throws PushIncompleteError when some devices surely failed; every other outcome is logged. */
  async dispatch(job: PushJob, queuedAt: string): Promise<DispatchReport> {
    const now = this.deps.now?.() ?? new Date();
    const recipients = [...new Set(job.userIDs)];
    const deliveryWindows = deliveryWindowsOf(job.messageID, recipients);
    // The windows follow from the job alone: their records are read at once, beside the first users.
    const logged = this.deps.deliveries.windowsAmong(deliveryWindows.map((window) => window.id));

    const metrics = new PushMetrics();
    const counts: Counts = { delivered: 0, invalidTokens: 0, rejected: 0, unknown: 0, unavailable: 0, alreadyDone: 0 };
    const audience: Audience = { quiet: 0, online: 0, devices: 0 };
    const notification = notificationOf(job, queuedAt);
    const context: JobContext = { job, notification, metrics, counts, audience, now, mentioned: new Set(job.mentionedUserIDs) };
    const outcomeWrites: Promise<void>[] = [];
    const inFlight = new Set<Promise<void>>();
    // A read or log write that fails stops new windows; those in flight finish before the job fails.
    let failure: unknown;
    const readChunks = chunksOf(deliveryWindows, WINDOWS_PER_READ);
    // Each chunk's users are read while the chunk before it sends: read up front for the whole job,
    // 500 recipients' reads held every send back for a third of the job's time (more while
    // dynalite's cache was cold). A chunk's reads fill BatchGetItem's 100 keys per table.
    const readAudience = (chunk: readonly DeliveryWindow[]) => {
      const read = this.devicesToNotify(chunk.flatMap((window) => window.userIDs), context);
      // It may fail while the chunk before it is still sending: the loop takes the error when it
      // gets to this chunk, or after the loop if it stopped first.
      read.catch(() => undefined);
      return read;
    };
    let nextRead = readChunks.length > 0 ? readAudience(readChunks[0]!) : undefined;
    for (const [index, chunk] of readChunks.entries()) {
      let devices: Map<string, UserDevice[]>;
      let records: ReadonlyMap<string, DeliveryWindowRecord>;
      try {
        [devices, records] = await Promise.all([nextRead!, logged]);
      } catch (error) {
        failure ??= error;
        break;
      }
      nextRead = readChunks[index + 1] && failure === undefined ? readAudience(readChunks[index + 1]!) : undefined;
      for (const window of chunk) {
        if (failure !== undefined) break;
        const windowDevices = window.userIDs.flatMap((userID) => devices.get(userID) ?? []);
        if (windowDevices.length === 0) continue;
        const ledger = new DeliveryWindowLedger(this.deps.deliveries, window, records.get(window.id));
        const sending: Promise<void> = this.sendWindow(ledger, windowDevices, context, outcomeWrites)
          .catch((error: unknown) => void (failure ??= error))
          .finally(() => inFlight.delete(sending));
        inFlight.add(sending);
        if (inFlight.size >= WINDOWS_IN_FLIGHT) await Promise.race(inFlight);
      }
      if (failure !== undefined) break;
    }
    // What was read ahead when a window failed, and the records of a job without recipients.
    await Promise.all([nextRead, logged].map((read) => read?.catch((error: unknown) => void (failure ??= error))));
    await Promise.all(inFlight);
    const written = await Promise.allSettled(outcomeWrites);
    failure ??= written.find((result) => result.status === 'rejected')?.reason;
    if (failure !== undefined) throw failure;

    const { alreadyDone, ...outcomes } = counts;
    const report: DispatchReport = {
      recipients: recipients.length,
      quiet: audience.quiet,
      online: audience.online,
      devices: audience.devices,
      alreadyDone,
      ...outcomes,
    };
    metrics.publish();
    logger.info('push job dispatched', { messageID: job.messageID, chunk: job.chunk, chunkCount: job.chunkCount, ...report });
    if (counts.unavailable > 0) throw new PushIncompleteError(job.messageID, counts.unavailable);
    return report;
  }

  /**
   * The users' devices to notify, by user: not those of users whose preferences quiet this
   * notification or who are online.
   */
  private async devicesToNotify(userIDs: readonly string[], { job, audience, mentioned, now }: JobContext): Promise<Map<string, UserDevice[]>> {
    const withDevices = await this.deps.devices.devicesOf(userIDs);
    // Preferences for the users with a device, presence for those of them who want a notification.
    const withDeviceIDs = [...new Set(withDevices.map((device) => device.userID))];
    if (withDeviceIDs.length === 0) return new Map();
    const preferences = await this.deps.preferences.preferencesOf(withDeviceIDs);
    const wanting = withDeviceIDs.filter(
      (userID) => quietReason(preferences.get(userID), { conversationID: job.conversationID, mentioned: mentioned.has(userID) }, now) === undefined,
    );
    const online = wanting.length > 0 ? await this.deps.presence.onlineAmong(wanting) : new Set<string>();
    const notified = new Set(wanting.filter((userID) => !online.has(userID)));
    const byUser = new Map<string, UserDevice[]>();
    for (const device of withDevices) {
      if (!notified.has(device.userID)) continue;
      const devices = byUser.get(device.userID);
      if (devices) devices.push(device);
      else byUser.set(device.userID, [device]);
      audience.devices++;
    }
    audience.quiet += withDeviceIDs.length - wanting.length;
    audience.online += online.size;
    return byUser;
  }

  /**
   * Claims the window's devices that may be sent (and marks those a crashed run left `sending`
   * unknown) in one write, sends to the claimed ones, and queues the write of their outcomes.
   */
  private async sendWindow(
    ledger: DeliveryWindowLedger,
    windowDevices: readonly UserDevice[],
    { job, notification, metrics, counts, now }: JobContext,
    outcomeWrites: Promise<void>[],
  ): Promise<void> {
    const keyOf = (device: UserDevice) => ledger.keyOf(device.userID, device.deviceID);
    // `sending` already when this run read the window: a run that stopped. Later: a run at work now.
    const leftSending = new Set(windowDevices.filter((device) => ledger.outcomeOf(device.userID, device.deviceID) === DELIVERY_OUTCOMES.sending).map(keyOf));
    let claimed: UserDevice[] = [];
    let interrupted: UserDevice[] = [];
    let skipped = 0;
    await ledger.update((outcomes) => {
      [claimed, interrupted, skipped] = [[], [], 0];
      const next = new Map(outcomes);
      for (const device of windowDevices) {
        const key = keyOf(device);
        const outcome = outcomes.get(key);
        if (maySend(outcome)) {
          next.set(key, DELIVERY_OUTCOMES.sending);
          claimed.push(device);
        } else if (outcome === DELIVERY_OUTCOMES.sending && leftSending.has(key)) {
          next.set(key, DELIVERY_OUTCOMES.unknown);
          interrupted.push(device);
        } else skipped++;
      }
      return claimed.length + interrupted.length > 0 ? next : undefined;
    }, now);
    counts.alreadyDone += skipped;
    counts.unknown += interrupted.length;
    for (const device of interrupted) metrics.count(device.provider, 'unknownOutcomes');
    if (interrupted.length > 0) {
      logger.warn('push devices were being sent to when a worker stopped; not sent again, as the provider may have taken them', {
        messageID: job.messageID,
        chunk: job.chunk,
        window: ledger.window.id,
        devices: interrupted.length,
      });
    }
    if (claimed.length === 0) return;

    const results = await Promise.all(claimed.map((device) => this.send(device, notification, metrics, counts)));
    const sentOutcomes = new Map(claimed.map((device, i) => [keyOf(device), results[i]!]));
    outcomeWrites.push(
      ledger.update((outcomes) => {
        const next = new Map(outcomes);
        for (const [key, outcome] of sentOutcomes) next.set(key, outcome);
        return next;
      }, now),
    );
  }

  private async send(
    device: UserDevice,
    notification: Notification,
    metrics: PushMetrics,
    counts: Counts,
  ): Promise<DeliveryOutcome> {
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
    let window = this.providerWindows.get(provider);
    if (!window) {
      window = new AdaptiveConcurrency(this.deps.window);
      this.providerWindows.set(provider, window);
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
