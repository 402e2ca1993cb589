/**
 * Builds the push worker's dispatcher from its configuration, with the DynamoDB stores and the
 * providers. Each provider's code is imported only when the configuration names it: the SNS mobile
 * provider is the SDK's SNS client (~190 KiB of what a cold start read), FCM and APNs load
 * node:http2 and their signing, and with the default outbox delivery a worker uses none of them.
 */
import type { DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import type { PushWorkerConfig } from '../config/push-worker-config.ts';
import type { PresenceReader } from '../presence/presence-reader.ts';
import { DynamoDbDeliveryLog } from '../store/dynamodb-delivery-log.ts';
import { DynamoDbDeviceStore } from '../store/dynamodb-device-store.ts';
import { DynamoDbOutboxStore } from '../store/dynamodb-outbox-store.ts';
import { DynamoDbPreferenceStore } from '../store/dynamodb-preference-store.ts';
import { outboxRouter, registeredProviderRouter, type ProviderRouter } from './provider-router.ts';
import { OutboxProvider } from './providers/outbox-provider.ts';
import { PushDispatcher } from './push-dispatcher.ts';

export async function createPushDispatcher(config: PushWorkerConfig, dynamo: DynamoDocumentClient, presence: PresenceReader): Promise<PushDispatcher> {
  return new PushDispatcher({
    presence,
    preferences: new DynamoDbPreferenceStore(dynamo, config.tables.preferences),
    // The cap applies to registrations only; the worker never adds devices.
    devices: new DynamoDbDeviceStore(dynamo, config.tables.devices, { maxDevicesPerUser: Number.MAX_SAFE_INTEGER }),
    deliveries: new DynamoDbDeliveryLog(dynamo, config.tables.deliveries, config.deliveryRetentionSeconds),
    providerFor: await providerRouterFor(config, dynamo),
    window: config.window,
    attempts: config.attempts,
    retryDelayMs: config.retryDelayMs,
  });
}

/** Where each device's notification goes: the outbox, or the device's provider (imported here when configured). */
export async function providerRouterFor(config: PushWorkerConfig, dynamo: DynamoDocumentClient): Promise<ProviderRouter> {
  if (config.delivery === 'outbox') return outboxRouter(new OutboxProvider(new DynamoDbOutboxStore(dynamo, config.tables.outbox, config.outboxRetentionSeconds)));
  const { timeoutMs, fcm, apns, sns } = config;
  const [fcmProvider, apnsProvider, snsProvider] = await Promise.all([
    fcm && import('./providers/fcm-provider.ts').then(({ FcmProvider }) => new FcmProvider({ ...fcm, timeoutMs })),
    apns && import('./providers/apns-provider.ts').then(({ ApnsProvider }) => new ApnsProvider({ ...apns, timeoutMs })),
    sns &&
      import('./providers/sns-mobile-provider.ts').then(
        ({ SnsMobileProvider, snsMobileClient }) =>
          // Its own client: locally AWS_ENDPOINT_URL_SNS is fauxqs, which has no platform applications.
          new SnsMobileProvider(snsMobileClient(timeoutMs, sns.endpoint ? { endpoint: sns.endpoint } : {}), sns),
      ),
  ]);
  return registeredProviderRouter({
    ...(fcmProvider ? { fcm: fcmProvider } : {}),
    ...(apnsProvider ? { apns: apnsProvider } : {}),
    ...(snsProvider ? { sns: snsProvider } : {}),
  });
}
