/**
 * Sends one notification to one device through its provider's adaptive window, and says what
 * became of it. Only a send that surely failed (ProviderUnavailableError: refused before it was
 * written, 429/5xx) is tried again within the job, after the longer of a doubling backoff and the
 * provider's Retry-After; a send whose request left without an answer is `unknown` and is never
 * repeated, as the provider may have taken it (at most once, docs/push.md).
 */
import { logger } from '../observability/logger.ts';
import type { AdaptiveConcurrency } from './adaptive-concurrency.ts';
import type { UserDevice } from './device.ts';
import { DeliveryOutcomeUnknownError, ProviderNotConfiguredError, ProviderRejectedError, ProviderUnavailableError } from './errors.ts';
import type { ProviderRouter } from './provider-router.ts';
import type { Notification } from './providers/push-provider.ts';
import type { PushMetrics } from './push-metrics.ts';

export type DeviceResult =
  | { readonly status: 'sent' }
  | { readonly status: 'invalid-token'; readonly reason: string }
  | { readonly status: 'unknown' | 'rejected' | 'failed' };

export interface DeviceSenderOptions {
  readonly providerFor: ProviderRouter;
  /** The window of each provider by its name, shared by every job of the process. */
  readonly windowOf: (provider: string) => AdaptiveConcurrency;
  readonly metrics: PushMetrics;
  /** Attempts per device within one run while sends surely fail. */
  readonly attempts: number;
  /** First pause between attempts, doubled each time. */
  readonly retryDelayMs: number;
  readonly now: () => number;
}

export async function sendToDevice(device: UserDevice, notification: Notification, options: DeviceSenderOptions): Promise<DeviceResult> {
  const { metrics } = options;
  const context = { messageID: notification.messageID, userID: device.userID, deviceID: device.deviceID, provider: device.provider };
  const queuedAt = Date.parse(notification.queuedAt);
  for (let attempt = 1; ; attempt++) {
    const started = options.now();
    try {
      const provider = options.providerFor(device);
      const outcome = await options.windowOf(provider.name).run(() => provider.send(device, notification));
      const answeredAt = options.now();
      metrics.latency(device.provider, answeredAt - started);
      if (outcome.status === 'sent') {
        metrics.count(device.provider, 'sent');
        if (!Number.isNaN(queuedAt)) metrics.endToEnd(device.provider, Date.now() - queuedAt);
      }
      return outcome;
    } catch (error) {
      if (error instanceof ProviderUnavailableError && attempt < options.attempts) {
        metrics.count(device.provider, 'retries');
        const backoff = options.retryDelayMs * 2 ** (attempt - 1);
        await new Promise((resolve) => setTimeout(resolve, Math.max(backoff, error.retryAfterMs ?? 0)));
        continue;
      }
      if (error instanceof DeliveryOutcomeUnknownError) {
        metrics.count(device.provider, 'unknownOutcomes');
        logger.warn('push outcome unknown; not sent again, as the provider may have taken it', { ...context, attempts: attempt, error });
        return { status: 'unknown' };
      }
      if (error instanceof ProviderRejectedError || error instanceof ProviderNotConfiguredError) {
        metrics.count(device.provider, 'refused');
        logger.error('push notification refused; not retried, as the same request would be refused again', { ...context, error });
        return { status: 'rejected' };
      }
      metrics.count(device.provider, 'failed');
      const message =
        error instanceof ProviderUnavailableError
          ? 'push provider unavailable; the job will be retried for this device'
          : 'push send failed unexpectedly before reaching the provider; the job will be retried for this device';
      logger.warn(message, { ...context, attempts: attempt, error: error as Error });
      return { status: 'failed' };
    }
  }
}
