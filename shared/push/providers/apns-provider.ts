/**
 * Apple Push Notification service with token-based authentication: one HTTP/2 connection,
 * `POST /3/device/<token>` with `authorization: bearer <ES256 JWT>`, `apns-topic` (the bundle ID),
 * `apns-push-type`, `apns-collapse-id` and `apns-priority`, and the `aps` JSON payload.
 * https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns
 * The provider token is reused for 50 minutes (Apple refuses one older than an hour and throttles
 * refreshes more often than every 20). 410 Unregistered and 400 BadDeviceToken mean a dead token.
 * A stream refused (REFUSED_STREAM) or failed before its request left is safe to send again; one
 * cut after that may have been taken, so it is not resent (docs/push.md). Each request carries
 * an `apns-id` derived from (message, device), so any copy that does reach Apple is the same one.
 */
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { UserDevice } from '../device.ts';
import { DeliveryOutcomeUnknownError, ProviderRejectedError, ProviderUnavailableError } from '../errors.ts';
import { apnsIdOf } from './apns-id.ts';
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
  private session: ClientHttp2Session | undefined;
  private providerToken: { value: string; issuedAt: number } | undefined;

  constructor(private readonly options: ApnsProviderOptions) {
    this.key = createPrivateKey(options.privateKey);
  }

  async send(device: UserDevice, notification: Notification): Promise<SendOutcome> {
    const apnsId = apnsIdOf(notification.messageID, device.userID, device.deviceID);
    const { status, body, retryAfter } = await this.post(`/3/device/${encodeURIComponent(device.token)}`, notification, apnsId);
    if (status === 200) return { status: 'sent' };
    const reason = (safeJson(body) as { reason?: string }).reason ?? '';
    const described = `${status} ${reason}`.trim();
    if (status === 410 || DEAD_TOKEN_REASONS.has(reason)) return { status: 'invalid-token', reason: described };
    if (status === 403 && STALE_PROVIDER_TOKEN_REASONS.has(reason)) {
      this.providerToken = undefined;
      throw new ProviderUnavailableError(this.name, `${described}: signing a new provider token`);
    }
    if (status === 429 || status >= 500) {
      throw new ProviderUnavailableError(this.name, described, { retryAfterMs: retryAfterMs(retryAfter), overloaded: status === 429 || status === 503 });
    }
    throw new ProviderRejectedError(this.name, described);
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session && !session.closed) await new Promise<void>((resolve) => session.close(() => resolve()));
  }

  private post(path: string, notification: Notification, apnsId: string): Promise<{ status: number; body: string; retryAfter: string | undefined }> {
    const session = this.connection();
    return new Promise((resolve, reject) => {
      const request = session.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: path,
        authorization: `bearer ${this.token()}`,
        'apns-id': apnsId,
        'apns-topic': this.options.topic,
        'apns-push-type': 'alert',
        'apns-priority': '10',
        'apns-collapse-id': notification.collapseKey,
        'content-type': 'application/json',
      });
      // Written once the whole request is in the session and the session is connected.
      let written = false;
      request.on('finish', () => {
        if (session.connecting) session.once('connect', () => (written = true));
        else written = true;
      });
      request.setTimeout(this.options.timeoutMs ?? 5000, () => request.close(constants.NGHTTP2_CANCEL));
      let status = 0;
      let retryAfter: string | undefined;
      let failure: Error | undefined;
      const chunks: Buffer[] = [];
      request.on('response', (headers) => {
        status = Number(headers[constants.HTTP2_HEADER_STATUS]);
        retryAfter = headers['retry-after'] as string | undefined;
      });
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('error', (error) => (failure = error));
      request.on('close', () => {
        if (status !== 0) return resolve({ status, body: Buffer.concat(chunks).toString('utf8'), retryAfter });
        const reason = failure?.message ?? `stream closed with code ${request.rstCode}`;
        // RFC 9113 §8.7: a refused stream was not processed.
        if (!written || request.rstCode === constants.NGHTTP2_REFUSED_STREAM) {
          reject(new ProviderUnavailableError(this.name, `${reason} before the request was taken`, { cause: failure }));
        } else {
          reject(new DeliveryOutcomeUnknownError(this.name, `${reason} after the request was written`, { cause: failure }));
        }
      });
      request.end(JSON.stringify(apnsPayload(notification)));
    });
  }

  private connection(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(this.options.endpoint ?? APNS_ENDPOINT);
    // A broken connection is replaced on the next send; the failed request reports its own error.
    session.on('error', () => session.destroy());
    session.on('close', () => {
      if (this.session === session) this.session = undefined;
    });
    session.unref();
    this.session = session;
    return session;
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
