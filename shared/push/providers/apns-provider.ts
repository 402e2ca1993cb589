/**
 * Apple Push Notification service with token-based authentication: one HTTP/2 connection,
 * `POST /3/device/<token>` with `authorization: bearer <ES256 JWT>`, `apns-topic` (the bundle ID),
 * `apns-push-type`, `apns-collapse-id` and `apns-priority`, and the `aps` JSON payload.
 * https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns
 * The provider token is reused for 50 minutes (Apple refuses one older than an hour and throttles
 * refreshes more often than every 20). 410 Unregistered and 400 BadDeviceToken mean a dead token.
 * What a failed request means for a resend is Http2Origin's (http2-origin.ts). Each request carries
 * an `apns-id` derived from (message, device), so any copy that does reach Apple is the same one.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { UserDevice } from '../device.ts';
import { ProviderRejectedError, ProviderUnavailableError } from '../errors.ts';
import { apnsIdOf } from './apns-id.ts';
import { Http2Origin } from './http2-origin.ts';
import { retryAfterMs } from './retry-after.ts';
import { safeJson } from './safe-json.ts';
import { signJwt } from './json-web-token.ts';
import { notificationData, type Notification, type PushProvider, type SendOutcome } from './push-provider.ts';

export const APNS_ENDPOINT = 'https://api.push.apple.com';
const TOKEN_LIFETIME_MS = 50 * 60 * 1000;
const DEAD_TOKEN_REASONS = new Set(['BadDeviceToken', 'Unregistered', 'DeviceTokenNotForTopic']);
const STALE_PROVIDER_TOKEN_REASONS = new Set(['ExpiredProviderToken', 'InvalidProviderToken']);

export interface ApnsProviderOptions {
  readonly keyId: string;
  readonly teamId: string;
  /** The .p8 key's PEM text. */
  readonly privateKey: string;
  /** The app's bundle ID. */
  readonly topic: string;
  /** @default https://api.push.apple.com (the sandbox is https://api.sandbox.push.apple.com) */
  readonly endpoint?: string;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

export class ApnsProvider implements PushProvider {
  readonly name = 'apns';
  private readonly key: KeyObject;
  private readonly origin: Http2Origin;
  private providerToken: { value: string; issuedAt: number } | undefined;

  constructor(private readonly options: ApnsProviderOptions) {
    this.key = createPrivateKey(options.privateKey);
    this.origin = new Http2Origin(this.name, options.endpoint ?? APNS_ENDPOINT);
  }

  async send(device: UserDevice, notification: Notification): Promise<SendOutcome> {
    const apnsId = apnsIdOf(notification.messageID, device.userID, device.deviceID);
    const { status, headers, body } = await this.origin.post(
      `/3/device/${encodeURIComponent(device.token)}`,
      {
        authorization: `bearer ${this.token()}`,
        'apns-id': apnsId,
        'apns-topic': this.options.topic,
        'apns-push-type': 'alert',
        'apns-priority': '10',
        'apns-collapse-id': notification.collapseKey,
        'content-type': 'application/json',
      },
      JSON.stringify(apnsPayload(notification)),
      this.options.timeoutMs ?? 5000,
    );
    if (status === 200) return { status: 'sent' };
    const reason = (safeJson(body) as { reason?: string }).reason ?? '';
    const described = `${status} ${reason}`.trim();
    if (status === 410 || DEAD_TOKEN_REASONS.has(reason)) return { status: 'invalid-token', reason: described };
    if (status === 403 && STALE_PROVIDER_TOKEN_REASONS.has(reason)) {
      this.providerToken = undefined;
      throw new ProviderUnavailableError(this.name, `${described}: signing a new provider token`);
    }
    if (status === 429 || status >= 500) {
      throw new ProviderUnavailableError(this.name, described, { retryAfterMs: retryAfterMs(headers['retry-after']), overloaded: status === 429 || status === 503 });
    }
    throw new ProviderRejectedError(this.name, described);
  }

  close(): Promise<void> {
    return this.origin.close();
  }

  private token(): string {
    const now = Date.now();
    if (!this.providerToken || now - this.providerToken.issuedAt > TOKEN_LIFETIME_MS) {
      const value = signJwt('ES256', this.key, { iss: this.options.teamId, iat: Math.floor(now / 1000) }, { kid: this.options.keyId });
      this.providerToken = { value, issuedAt: now };
    }
    return this.providerToken.value;
  }
}

/** The APNs JSON: `aps` for the system, the rest for the app. */
export function apnsPayload(notification: Notification) {
  return {
    aps: {
      alert: { title: notification.title, body: notification.body },
      'thread-id': notification.threadID,
      ...(notification.sound ? { sound: notification.sound } : {}),
    },
    ...notificationData(notification),
  };
}
