/**
 * Amazon SNS mobile push: the device token becomes a platform endpoint of the platform application
 * for its platform (CreatePlatformEndpoint, idempotent for the same token), and the notification is
 * published to that endpoint with `MessageStructure: json`, one payload per platform (APNS/GCM).
 * https://docs.aws.amazon.com/sns/latest/dg/sns-send-custom-platform-specific-payloads-mobile-devices.html
 * A disabled endpoint (the platform refused the token) means a dead token; every other failure is
 * classified by sns-send-failure.ts. Build the client with snsMobileClient.
 */
import { CreatePlatformEndpointCommand, PublishCommand, SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { requestHandler } from '../../aws/request-handler.ts';
import type { UserDevice } from '../device.ts';
import { DeliveryOutcomeUnknownError, ProviderNotConfiguredError, ProviderUnavailableError } from '../errors.ts';
import { apnsPayload } from './apns-provider.ts';
import { fcmMessage } from './fcm-provider.ts';
import type { Notification, PushProvider, SendOutcome } from './push-provider.ts';
import { snsFailureOf } from './sns-send-failure.ts';

export interface SnsMobileProviderOptions {
  /** Platform application for iOS devices (APNS or APNS_SANDBOX). */
  readonly apnsApplicationArn?: string;
  /** Platform application for Android and web devices (GCM, i.e. FCM). */
  readonly fcmApplicationArn?: string;
  /** Publish to APNS_SANDBOX instead of APNS. @default false */
  readonly apnsSandbox?: boolean;
}

/**
 * The client SnsMobileProvider needs: one attempt per call, as the SDK would resend a Publish that
 * timed out, which SNS may have taken (sns-send-failure.ts); a call with no answer within
 * `timeoutMs` fails instead of waiting.
 */
export function snsMobileClient(timeoutMs: number, config: SNSClientConfig = {}): SNSClient {
  return new SNSClient({
    ...config,
    maxAttempts: 1,
    requestHandler: requestHandler({ attemptTimeoutMs: timeoutMs }),
  });
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
    const endpointArn = await this.endpointFor(applicationArn, device.token);
    try {
      await this.client.send(
        new PublishCommand({ TargetArn: endpointArn, MessageStructure: 'json', Message: JSON.stringify(this.message(ios, device.token, notification)) }),
      );
      return { status: 'sent' };
    } catch (error) {
      const failure = snsFailureOf(this.name, error);
      if (failure.kind === 'error') throw failure.error;
      this.endpoints.delete(`${applicationArn} ${device.token}`);
      return { status: 'invalid-token', reason: 'EndpointDisabled' };
    }
  }

  private async endpointFor(applicationArn: string, token: string): Promise<string> {
    const key = `${applicationArn} ${token}`;
    const cached = this.endpoints.get(key);
    if (cached) return cached;
    let EndpointArn: string | undefined;
    try {
      ({ EndpointArn } = await this.client.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: applicationArn, Token: token })));
    } catch (error) {
      const failure = snsFailureOf(this.name, error);
      // Nothing is published yet, and creating the endpoint again returns the same one.
      if (failure.kind === 'error' && failure.error instanceof DeliveryOutcomeUnknownError) throw new ProviderUnavailableError(this.name, failure.error.message, { cause: error });
      throw failure.kind === 'error' ? failure.error : new ProviderUnavailableError(this.name, 'CreatePlatformEndpoint answered EndpointDisabled');
    }
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
