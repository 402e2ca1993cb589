/**
 * Amazon SNS mobile push: the device token becomes a platform endpoint of the platform application
 * for its platform (CreatePlatformEndpoint, idempotent for the same token), and the notification is
 * published to that endpoint with `MessageStructure: json`, one payload per platform (APNS/GCM).
 * https://docs.aws.amazon.com/sns/latest/dg/sns-send-custom-platform-specific-payloads-mobile-devices.html
 * A disabled endpoint (the platform refused the token) means a dead token.
 */
import {
  CreatePlatformEndpointCommand,
  EndpointDisabledException,
  InvalidParameterException,
  PublishCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import type { UserDevice } from '../device.ts';
import { ProviderNotConfiguredError, ProviderRejectedError, ProviderUnavailableError } from '../errors.ts';
import { apnsPayload } from './apns-provider.ts';
import { fcmMessage } from './fcm-provider.ts';
import type { Notification, PushProvider, SendOutcome } from './push-provider.ts';

export interface SnsMobileProviderOptions {
  /** Platform application for iOS devices (APNS or APNS_SANDBOX). */
  readonly apnsApplicationArn?: string;
  /** Platform application for Android and web devices (GCM, i.e. FCM). */
  readonly fcmApplicationArn?: string;
  /** Publish to APNS_SANDBOX instead of APNS. @default false */
  readonly apnsSandbox?: boolean;
}

/** Endpoint ARNs by application and token; CreatePlatformEndpoint would return the same ARN. */
const MAX_CACHED_ENDPOINTS = 10_000;

export class SnsMobileProvider implements PushProvider {
  readonly name = 'sns';
  private readonly endpoints = new Map<string, string>();

  constructor(
    private readonly client: SNSClient,
    private readonly options: SnsMobileProviderOptions,
  ) {}

  async send(device: UserDevice, notification: Notification): Promise<SendOutcome> {
    const ios = device.platform === 'ios';
    const applicationArn = ios ? this.options.apnsApplicationArn : this.options.fcmApplicationArn;
    if (!applicationArn) throw new ProviderNotConfiguredError(`sns (${ios ? 'APNS' : 'GCM'} platform application)`);
    try {
      const endpointArn = await this.endpointFor(applicationArn, device.token);
      await this.client.send(
        new PublishCommand({ TargetArn: endpointArn, MessageStructure: 'json', Message: JSON.stringify(this.message(ios, device.token, notification)) }),
      );
      return { status: 'sent' };
    } catch (error) {
      if (error instanceof EndpointDisabledException) {
        this.endpoints.delete(`${applicationArn} ${device.token}`);
        return { status: 'invalid-token', reason: 'EndpointDisabled' };
      }
      if (error instanceof InvalidParameterException) throw new ProviderRejectedError(this.name, error.message);
      throw new ProviderUnavailableError(this.name, (error as Error).name, { cause: error });
    }
  }

  private async endpointFor(applicationArn: string, token: string): Promise<string> {
    const key = `${applicationArn} ${token}`;
    const cached = this.endpoints.get(key);
    if (cached) return cached;
    const { EndpointArn } = await this.client.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: applicationArn, Token: token }));
    if (!EndpointArn) throw new ProviderUnavailableError(this.name, 'CreatePlatformEndpoint returned no EndpointArn');
    if (this.endpoints.size >= MAX_CACHED_ENDPOINTS) this.endpoints.delete(this.endpoints.keys().next().value!);
    this.endpoints.set(key, EndpointArn);
    return EndpointArn;
  }

  /** SNS's per-platform JSON: each value is itself a JSON string; `default` is for other platforms. */
  private message(ios: boolean, token: string, notification: Notification): Record<string, string> {
    if (ios) return { default: notification.body, [this.options.apnsSandbox ? 'APNS_SANDBOX' : 'APNS']: JSON.stringify(apnsPayload(notification)) };
    const { token: _token, ...message } = fcmMessage(token, notification);
    return { default: notification.body, GCM: JSON.stringify({ fcmV1Message: { message } }) };
  }
}
