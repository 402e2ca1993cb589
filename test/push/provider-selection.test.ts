/**
 * The push worker's provider for each device, from its settings: the providers are imported only
 * when configured (shared/push/create-push-dispatcher.ts), so each configuration is built here as
 * the worker builds it.
 */
import { describe, expect, it } from 'vitest';
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { loadPushWorkerConfig } from '#shared/config/push-worker-config.ts';
import { providerRouterFor } from '#shared/push/create-push-dispatcher.ts';
import type { UserDevice } from '#shared/push/device.ts';
import { ProviderNotConfiguredError } from '#shared/push/errors.ts';
import { SERVICE_TABLE_ENVIRONMENT } from '../../local/provision-tables.ts';

// Never called: building the router makes no request.
const dynamo = createDynamoDocumentClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
const device = (provider: UserDevice['provider']): UserDevice => ({
  userID: 'u1',
  deviceID: 'd1',
  platform: provider === 'apns' ? 'ios' : 'android',
  provider,
  token: 'token-1',
  updatedAt: '2026-12-03T00:00:00.000Z',
});

describe('Function: providerRouterFor()', () => {
  it('sends every device to the outbox with the default delivery', async () => {
    const route = await providerRouterFor(loadPushWorkerConfig(SERVICE_TABLE_ENVIRONMENT), dynamo);

    expect(route(device('fcm')).name).toBe('outbox');
    expect(route(device('sns')).name).toBe('outbox');
  });

  it('sends an SNS device through SNS mobile push when its platform applications are set, and refuses a provider that is not configured', async () => {
    const config = loadPushWorkerConfig({ ...SERVICE_TABLE_ENVIRONMENT, PUSH_DELIVERY: 'providers', SNS_FCM_APPLICATION_ARN: 'arn:aws:sns:us-east-1:123456789012:app/GCM/chat' });

    const route = await providerRouterFor(config, dynamo);

    expect(route(device('sns')).name).toBe('sns');
    expect(() => route(device('fcm'))).toThrow(ProviderNotConfiguredError);
    expect(() => route(device('apns'))).toThrow(ProviderNotConfiguredError);
  });
});
