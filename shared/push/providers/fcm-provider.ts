/**
 * Firebase Cloud Messaging, HTTP v1 API: `POST {endpoint}/v1/projects/{projectId}/messages:send`
 * with an OAuth2 bearer token and `{message: {token, notification, data, android, apns}}`.
 * https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages
 * Error handling follows FCM's error codes: UNREGISTERED (404) and SENDER_ID_MISMATCH mean the
 * token is dead; 429 and 5xx are worth retrying (after FCM's Retry-After); other 4xx are refusals
 * of the request itself. Sent over HTTP/2, as Google's Admin SDK sends: one connection carries every
 * send. FCM has no idempotency key, so a request that may have been taken is never sent again
 * (http2-origin.ts); collapse_key and the Android tag keep any duplicate to one.
 */
import type { UserDevice } from '../device.ts';
import { ProviderRejectedError, ProviderUnavailableError } from '../errors.ts';
import { GoogleAccessToken, type ServiceAccountKey } from './google-access-token.ts';
import { Http2Origin } from './http2-origin.ts';
import { notificationData, type Notification, type PushProvider, type SendOutcome } from './push-provider.ts';
import { retryAfterMs } from './retry-after.ts';
import { safeJson } from './safe-json.ts';

export const FCM_ENDPOINT = 'https://fcm.googleapis.com';

export interface FcmProviderOptions {
  readonly projectId: string;
  readonly serviceAccount: ServiceAccountKey;
  /** @default https://fcm.googleapis.com */
  readonly endpoint?: string;
  /** @default the key's token_uri */
  readonly tokenUri?: string;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

interface FcmErrorBody {
  readonly error?: { readonly status?: string; readonly message?: string; readonly details?: readonly { readonly errorCode?: string }[] };
}

const DEAD_TOKEN_CODES = new Set(['UNREGISTERED', 'SENDER_ID_MISMATCH']);

export class FcmProvider implements PushProvider {
  readonly name = 'fcm';
  private readonly accessToken: GoogleAccessToken;
  private readonly origin: Http2Origin;
  private readonly path: string;

  constructor(private readonly options: FcmProviderOptions) {
    this.accessToken = new GoogleAccessToken(options.serviceAccount, {
      ...(options.tokenUri ? { tokenUri: options.tokenUri } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    // An endpoint may carry a path (a proxy's prefix), as it did when the URL was built from it whole.
    const endpoint = new URL(options.endpoint ?? FCM_ENDPOINT);
    this.origin = new Http2Origin(this.name, endpoint.origin);
    this.path = `${endpoint.pathname.replace(/\/$/, '')}/v1/projects/${encodeURIComponent(options.projectId)}/messages:send`;
  }

  async send(device: UserDevice, notification: Notification): Promise<SendOutcome> {
    const token = await this.accessToken.get();
    const body = JSON.stringify({ message: fcmMessage(device.token, notification) });
    const response = await this.origin.post(
      this.path,
      { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
      body,
      this.options.timeoutMs ?? 5000,
    );
    if (response.status >= 200 && response.status < 300) return { status: 'sent' };
    const error = (safeJson(response.body) as FcmErrorBody).error;
    const codes = [error?.status, ...(error?.details ?? []).map((detail) => detail.errorCode)];
    const reason = `${response.status} ${codes.filter(Boolean).join('/')}`.trim();
    if (response.status === 404 || codes.some((code) => code !== undefined && DEAD_TOKEN_CODES.has(code))) {
      return { status: 'invalid-token', reason };
    }
    if (response.status === 401) {
      this.accessToken.invalidate();
      throw new ProviderUnavailableError(this.name, `${reason}: access token refused, fetching a new one`);
    }
    if (response.status === 429 || response.status >= 500) {
      throw new ProviderUnavailableError(this.name, reason, {
        retryAfterMs: retryAfterMs(response.headers['retry-after']),
        overloaded: response.status === 429 || response.status === 503,
      });
    }
    throw new ProviderRejectedError(this.name, reason);
  }

  close(): Promise<void> {
    return this.origin.close();
  }
}

/** The v1 `Message`: a notification for every platform, collapse per conversation on Android and iOS. */
export function fcmMessage(token: string, notification: Notification) {
  return {
    token,
    notification: { title: notification.title, body: notification.body },
    data: notificationData(notification),
    android: {
      collapse_key: notification.collapseKey,
      priority: 'HIGH',
      notification: { tag: notification.threadID },
    },
    apns: {
      headers: { 'apns-collapse-id': notification.collapseKey, 'apns-push-type': 'alert', 'apns-priority': '10' },
      payload: { aps: { 'thread-id': notification.threadID, ...(notification.sound ? { sound: notification.sound } : {}) } },
    },
  };
}
