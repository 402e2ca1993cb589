/**
 * The three real providers against local stand-ins that check the request as the real service
 * would (credentials, path, headers, message shape) and answer as it does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserDevice } from '#shared/push/device.ts';
import { DeliveryOutcomeUnknownError, ProviderRejectedError, ProviderUnavailableError } from '#shared/push/errors.ts';
import { ApnsProvider } from '#shared/push/providers/apns-provider.ts';
import { FcmProvider } from '#shared/push/providers/fcm-provider.ts';
import type { Notification } from '#shared/push/providers/push-provider.ts';
import { SnsMobileProvider, snsMobileClient } from '#shared/push/providers/sns-mobile-provider.ts';
import { startApnsStandIn, type ApnsStandIn } from '../helpers/push/apns-stand-in.ts';
import { startFcmStandIn, type FcmStandIn } from '../helpers/push/fcm-stand-in.ts';
import { startSnsMobileStandIn, type SnsMobileStandIn } from '../helpers/push/sns-mobile-stand-in.ts';

const notification: Notification = {
  messageID: 'msg-1',
  conversationID: 'sg_group-1',
  sendID: 'alice',
  groupID: 'group-1',
  title: 'New group message',
  body: 'see you <3 & bring snacks',
  collapseKey: 'sg_group-1',
  threadID: 'sg_group-1',
  ex: '{"k":"v"}',
  sound: 'default',
  queuedAt: '2026-01-01T00:00:00.000Z',
};

function device(provider: UserDevice['provider'], token: string, platform: UserDevice['platform'] = 'android'): UserDevice {
  return { userID: 'bob', deviceID: `${provider}-1`, platform, provider, token, updatedAt: '2026-01-01T00:00:00.000Z' };
}

describe('Class: FcmProvider', () => {
  let fcm: FcmStandIn;
  let provider: FcmProvider;

  beforeAll(async () => {
    fcm = await startFcmStandIn();
    provider = new FcmProvider({ projectId: fcm.projectId, serviceAccount: JSON.parse(fcm.serviceAccountJson), endpoint: fcm.endpoint });
  });
  afterAll(() => fcm.close());

  it('sends an HTTP v1 message with an OAuth2 token from the service account when the token is valid', async () => {
    // Act
    const outcome = await provider.send(device('fcm', 'fcm-token-1'), notification);

    // Assess
    expect(outcome).toEqual({ status: 'sent' });
    expect(fcm.problems).toEqual([]);
    expect(fcm.accepted.at(-1)?.message).toMatchObject({
      token: 'fcm-token-1',
      notification: { title: notification.title, body: notification.body },
      data: { messageID: 'msg-1', conversationID: 'sg_group-1', ex: '{"k":"v"}' },
      android: { collapse_key: 'sg_group-1' },
      apns: { headers: { 'apns-collapse-id': 'sg_group-1' }, payload: { aps: { 'thread-id': 'sg_group-1', sound: 'default' } } },
    });
  });

  it('reports the token invalid when FCM answers UNREGISTERED', async () => {
    // Prepare
    fcm.unregistered.add('fcm-dead');

    // Assess
    expect(await provider.send(device('fcm', 'fcm-dead'), notification)).toEqual({ status: 'invalid-token', reason: '404 NOT_FOUND/UNREGISTERED' });
  });

  it('throws ProviderUnavailableError when FCM answers 503', async () => {
    // Prepare
    fcm.failNext(1);

    // Assess
    await expect(provider.send(device('fcm', 'fcm-token-2'), notification)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it("sends under the path an endpoint carries (a proxy's prefix), and to the bare one with a trailing slash", async () => {
    // Prepare
    const behindProxy = new FcmProvider({ projectId: fcm.projectId, serviceAccount: JSON.parse(fcm.serviceAccountJson), endpoint: `${fcm.endpoint}/fcm-proxy` });
    const withSlash = new FcmProvider({ projectId: fcm.projectId, serviceAccount: JSON.parse(fcm.serviceAccountJson), endpoint: `${fcm.endpoint}/` });

    // Act: the stand-in serves no prefix, so it names the path it was sent to
    await behindProxy.send(device('fcm', 'fcm-token-3'), notification);
    const viaSlash = await withSlash.send(device('fcm', 'fcm-token-4'), notification);
    const problems = fcm.problems.splice(0);

    // Assess
    expect(viaSlash).toEqual({ status: 'sent' });
    expect(problems).toEqual([`unexpected POST /fcm-proxy/v1/projects/${fcm.projectId}/messages:send`]);
    await Promise.all([behindProxy.close(), withSlash.close()]);
  });
});

describe('Class: ApnsProvider', () => {
  let apns: ApnsStandIn;
  let provider: ApnsProvider;

  beforeAll(async () => {
    apns = await startApnsStandIn();
    provider = new ApnsProvider({ keyId: apns.keyId, teamId: apns.teamId, privateKey: apns.privateKeyPem, topic: apns.topic, endpoint: apns.endpoint });
  });
  afterAll(async () => {
    await provider.close();
    await apns.close();
  });

  it('posts /3/device/<token> over HTTP/2 with an ES256 provider token and the APNs headers', async () => {
    // Act
    const outcome = await provider.send(device('apns', 'a1b2c3', 'ios'), notification);

    // Assess
    expect(outcome).toEqual({ status: 'sent' });
    expect(apns.problems).toEqual([]);
    expect(apns.accepted.at(-1)).toMatchObject({
      token: 'a1b2c3',
      headers: { 'apns-collapse-id': 'sg_group-1', 'apns-push-type': 'alert', 'apns-priority': '10' },
      payload: { aps: { alert: { title: notification.title, body: notification.body }, 'thread-id': 'sg_group-1', sound: 'default' }, messageID: 'msg-1' },
    });
  });

  it.each([
    { $case: '410 Unregistered', token: 'dead01', reason: '410 Unregistered', mark: (s: ApnsStandIn) => s.unregistered.add('dead01') },
    { $case: '400 BadDeviceToken', token: 'bad01', reason: '400 BadDeviceToken', mark: (s: ApnsStandIn) => s.badTokens.add('bad01') },
  ])('reports the token invalid when APNs answers $case', async ({ token, reason, mark }) => {
    // Prepare
    mark(apns);

    // Assess
    expect(await provider.send(device('apns', token, 'ios'), notification)).toEqual({ status: 'invalid-token', reason });
  });

  it('throws ProviderUnavailableError when APNs answers 503', async () => {
    // Prepare
    apns.failingTokens.add('beef01');

    // Assess
    await expect(provider.send(device('apns', 'beef01', 'ios'), notification)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });
});

describe('Class: SnsMobileProvider', () => {
  let sns: SnsMobileStandIn;
  let provider: SnsMobileProvider;

  const clientAt = (endpoint: string) => snsMobileClient(1_500, { endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  /** Publish requests per token, as the stand-in read them. */
  const requests = new Map<string, number>();

  beforeAll(async () => {
    // One fault per token, on its first publish.
    sns = await startSnsMobileStandIn({
      faults: (token, n) => {
        requests.set(token, n);
        if (n > 1) return undefined;
        if (token === 'sns-throttled') return { kind: 'throttle', retryAfterSeconds: 1 };
        if (token === 'sns-hangs') return { kind: 'hang-after-accepting' };
        if (token === 'sns-reset') return { kind: 'reset-after-accepting' };
        return undefined;
      },
    });
    provider = new SnsMobileProvider(clientAt(sns.endpoint), { apnsApplicationArn: sns.apnsApplicationArn, fcmApplicationArn: sns.fcmApplicationArn });
  });
  afterAll(() => sns.close());

  it.each([
    { $case: 'iOS through APNS', platform: 'ios' as const, expected: { platform: 'APNS', payload: { aps: { alert: { title: notification.title } } } } },
    { $case: 'Android through GCM (FCM v1)', platform: 'android' as const, expected: { platform: 'GCM', payload: { fcmV1Message: { message: { android: { collapse_key: 'sg_group-1' } } } } } },
  ])('creates an endpoint and publishes the platform JSON for $case', async ({ platform, expected }) => {
    // Act
    const outcome = await provider.send(device('sns', `sns-${platform}`, platform), notification);

    // Assess
    expect(outcome).toEqual({ status: 'sent' });
    expect(sns.problems).toEqual([]);
    expect(sns.published.at(-1)).toMatchObject({ token: `sns-${platform}`, ...expected });
  });

  it('reports the token invalid when the endpoint is disabled', async () => {
    // Prepare
    sns.disabledTokens.add('sns-disabled');

    // Assess
    expect(await provider.send(device('sns', 'sns-disabled'), notification)).toEqual({ status: 'invalid-token', reason: 'EndpointDisabled' });
  });

  it.each([
    { case: 'Throttled (429)', token: 'sns-throttled', expected: ProviderUnavailableError, published: 0 },
    { case: 'InternalError (500)', token: 'sns-failing', expected: ProviderUnavailableError, published: 0 },
    { case: 'no answer after SNS published', token: 'sns-hangs', expected: DeliveryOutcomeUnknownError, published: 1 },
    { case: 'a reset after SNS published', token: 'sns-reset', expected: DeliveryOutcomeUnknownError, published: 1 },
  ])('tells a surely failed publish from one whose outcome is unknown: $case', async ({ token, expected, published }) => {
    // Prepare
    sns.failingTokens.add('sns-failing');

    // Act
    const sent = provider.send(device('sns', token), notification);

    // Assess: one request only (the SDK does not resend), classified by what SNS can have done.
    const error = await sent.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(expected);
    expect(requests.get(token) ?? 1).toBe(1);
    expect(sns.published.filter((entry) => entry.token === token)).toHaveLength(published);
    // A throttled publish narrows the provider's window (adaptive-concurrency.ts).
    if (error instanceof ProviderUnavailableError) expect(error.overloaded).toBe(token === 'sns-throttled');
  });

  it('reports SNS unavailable when nothing listens, and a request SNS refuses as rejected', async () => {
    // Prepare
    const closed = await startSnsMobileStandIn();
    await closed.close();
    const unreachable = new SnsMobileProvider(clientAt(closed.endpoint), { fcmApplicationArn: sns.fcmApplicationArn });
    const unknownApplication = new SnsMobileProvider(clientAt(sns.endpoint), { fcmApplicationArn: `${sns.fcmApplicationArn}-deleted` });

    // Assess
    await expect(unreachable.send(device('sns', 'sns-unreachable'), notification)).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(unknownApplication.send(device('sns', 'sns-unknown-app'), notification)).rejects.toBeInstanceOf(ProviderRejectedError);
  });
});
