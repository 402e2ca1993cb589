/** Builds the push worker's dispatcher from its configuration, with the DynamoDB stores and the providers. */
import type { DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import type { PushWorkerConfig } from '../config/push-config.ts';
import type { PresenceReader } from '../presence/presence-reader.ts';
import { DynamoDbDeliveryLog } from '../store/dynamodb-delivery-log.ts';
import { DynamoDbDeviceStore } from '../store/dynamodb-device-store.ts';
import { DynamoDbOutboxStore } from '../store/dynamodb-outbox-store.ts';
import { DynamoDbPreferenceStore } from '../store/dynamodb-preference-store.ts';
import { outboxRouter, registeredProviderRouter, type ProviderRouter } from './provider-router.ts';
import { ApnsProvider } from './providers/apns-provider.ts';
import { FcmProvider } from './providers/fcm-provider.ts';
import { OutboxProvider } from './providers/outbox-provider.ts';
import { SnsMobileProvider, snsMobileClient } from './providers/sns-mobile-provider.ts';
import { PushDispatcher } from './push-dispatcher.ts';

export function createPushDispatcher(config: PushWorkerConfig, dynamo: DynamoDocumentClient, presence: PresenceReader): PushDispatcher {
  return new PushDispatcher({
    presence,
    preferences: new DynamoDbPreferenceStore(dynamo, config.tables.preferences),
    // The cap applies to registrations only; the worker never adds devices.
    devices: new DynamoDbDeviceStore(dynamo, config.tables.devices, { maxDevicesPerUser: Number.MAX_SAFE_INTEGER }),
    deliveries: new DynamoDbDeliveryLog(dynamo, config.tables.deliveries, config.deliveryRetentionSeconds),
    providerFor: providerRouter(config, dynamo),
    window: config.window,
    attempts: config.attempts,
    retryDelayMs: config.retryDelayMs,
  });
}

function providerRouter(config: PushWorkerConfig, dynamo: DynamoDocumentClient): ProviderRouter {
  if (config.delivery === 'outbox') return outboxRouter(new OutboxProvider(new DynamoDbOutboxStore(dynamo, config.tables.outbox, config.outboxRetentionSeconds)));
  const { timeoutMs } = config;
  return registeredProviderRouter({
    ...(config.fcm ? { fcm: new FcmProvider({ ...config.fcm, timeoutMs }) } : {}),
    ...(config.apns ? { apns: new ApnsProvider({ ...config.apns, timeoutMs }) } : {}),
    ...(config.sns
      ? {
          sns: new SnsMobileProvider(
            // Its own client: locally AWS_ENDPOINT_URL_SNS is fauxqs, which has no platform applications.
            snsMobileClient(timeoutMs, config.sns.endpoint ? { endpoint: config.sns.endpoint } : {}),
            config.sns,
          ),
        }
      : {}),
  });
}
