/**
 * Firebase Cloud Messaging, HTTP v1 API: `POST {endpoint}/v1/projects/{projectId}/messages:send`
 * with an OAuth2 bearer token and `{message: {token, notification, data, android, apns}}`.
 * https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages
 * Error handling follows FCM's error codes: UNREGISTERED (404) and SENDER_ID_MISMATCH mean the
 * token is dead; 429 and 5xx are worth retrying; other 4xx are refusals of the request itself.
 */
import type { UserDevice } from '../device.ts';
import { ProviderRejectedError, ProviderUnavailableError } from '../errors.ts';
import { GoogleAccessToken, type ServiceAccountKey } from './google-access-token.ts';
import { notificationData, type Notification, type PushProvider, type SendOutcome } from './push-provider.ts';

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
  private readonly url: string;

  constructor(private readonly options: FcmProviderOptions) {
    this.accessToken = new GoogleAccessToken(options.serviceAccount, {
      ...(options.tokenUri ? { tokenUri: options.tokenUri } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    this.url = `${options.endpoint ?? FCM_ENDPOINT}/v1/projects/${encodeURIComponent(options.projectId)}/messages:send`;
  }

  async send(device: UserDevice, notification: Notification): Promise<SendOutcome> {
    const token = await this.accessToken.get();
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ message: fcmMessage(device.token, notification) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (error) {
      throw new ProviderUnavailableError(this.name, 'no answer', { cause: error });
    }
    if (response.ok) {
      await response.arrayBuffer();
      return { status: 'sent' };
    }
    const body = (await response.json().catch(() => ({}))) as FcmErrorBody;
    const codes = [body.error?.status, ...(body.error?.details ?? []).map((detail) => detail.errorCode)];
    const reason = `${response.status} ${codes.filter(Boolean).join('/')}`.trim();
    if (response.status === 404 || codes.some((code) => code !== undefined && DEAD_TOKEN_CODES.has(code))) {
      return { status: 'invalid-token', reason };
    }
    if (response.status === 401) {
      this.accessToken.invalidate();
      throw new ProviderUnavailableError(this.name, `${reason}: access token refused, fetching a new one`);
    }
    if (response.status === 429 || response.status >= 500) throw new ProviderUnavailableError(this.name, reason);
    throw new ProviderRejectedError(this.name, reason);
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
