/**
 * The push dispatcher, on dynalite, with the real FCM and APNs providers against stand-ins that
 * play what makes duplicates and losses: an answer that never comes after the notification was
 * accepted, a reset (FCM's HTTP/2 stream, SNS's connection) after or before it was accepted, 429
 * with Retry-After, a read that fails mid-job, and a worker that dies mid-job. Semantics (docs/push.md): a surely failed send is retried, a send whose
 * outcome is unknown is not, so each device is notified at most once and the log says which.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UserDevice } from '#shared/push/device.ts';
import { registeredProviderRouter } from '#shared/push/provider-router.ts';
import { ApnsProvider } from '#shared/push/providers/apns-provider.ts';
import { FcmProvider } from '#shared/push/providers/fcm-provider.ts';
import { SnsMobileProvider, snsMobileClient } from '#shared/push/providers/sns-mobile-provider.ts';
import { deviceOutcomesOf } from '#shared/push/delivery-windows.ts';
import { PushIncompleteError } from '#shared/push/errors.ts';
import { PushDispatcher } from '#shared/push/push-dispatcher.ts';
import type { PushJob } from '#shared/push/push-job.ts';
import { DynamoDbDeliveryLog } from '#shared/store/dynamodb-delivery-log.ts';
import { DynamoDbDeviceStore } from '#shared/store/dynamodb-device-store.ts';
import { DynamoDbPreferenceStore } from '#shared/store/dynamodb-preference-store.ts';
import { DynamoDbPresenceStore } from '#shared/store/dynamodb-presence-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';
import { startApnsStandIn, type ApnsStandIn } from '../helpers/push/apns-stand-in.ts';
import { startFcmStandIn, type FcmStandIn } from '../helpers/push/fcm-stand-in.ts';
import { groupPushJob } from '../helpers/push/group-push-job.ts';
import type { FaultPlan } from '../helpers/push/provider-faults.ts';
import { startSnsMobileStandIn } from '../helpers/push/sns-mobile-stand-in.ts';

const TIMEOUT_MS = 300;
const SNS_TIMEOUT_MS = 2_000;
let dynamo: DynamoEngine;
let messages = 0;
const stopAfter: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dynamo = await startEngine('dynalite');
});
afterEach(async () => {
  await Promise.all(stopAfter.splice(0).map((stop) => stop()));
});
afterAll(() => dynamo.stop());

const table = (key: keyof typeof TABLE_DEFINITIONS) => TABLE_DEFINITIONS[key].localName;
const deliveries = () => new DynamoDbDeliveryLog(dynamo.documents, table('pushDeliveries'), 86_400 * 15);
const devices = () => new DynamoDbDeviceStore(dynamo.documents, table('pushDevices'), { maxDevicesPerUser: 10 });

/** A fresh message to `count` users with one device each; returns the job and the device tokens. */
async function jobFor(count: number, provider: 'fcm' | 'apns' | 'sns'): Promise<{ job: PushJob; tokens: string[] }> {
  messages += 1;
  const userIDs = Array.from({ length: count }, (_, i) => `m${messages}-user-${i}`);
  const tokens = userIDs.map((_, i) => `${provider === 'apns' ? 'a' : 'f'}${messages.toString(16)}0${i.toString(16).padStart(4, '0')}`);
  await Promise.all(
    userIDs.map((userID, i) =>
      devices().register(userID, 'phone', { platform: provider === 'apns' ? 'ios' : 'android', provider, token: tokens[i]! }, new Date()),
    ),
  );
  const job = groupPushJob(`message-${messages}`, userIDs);

  return { job, tokens };
}

function dispatcherWith(providers: Parameters<typeof registeredProviderRouter>[0]): PushDispatcher {
  return new PushDispatcher({
    presence: new DynamoDbPresenceStore(dynamo.documents, table('presence')),
    preferences: new DynamoDbPreferenceStore(dynamo.documents, table('pushPreferences')),
    devices: devices(),
    deliveries: deliveries(),
    providerFor: registeredProviderRouter(providers),
    attempts: 3,
    retryDelayMs: 10,
  });
}

async function fcmDispatcher(faults: FaultPlan): Promise<{ fcm: FcmStandIn; dispatcher: PushDispatcher }> {
  const fcm = await startFcmStandIn({ faults });
  stopAfter.push(() => fcm.close());
  return { fcm, dispatcher: fcmDispatcherOn(fcm, TIMEOUT_MS) };
}

function fcmDispatcherOn(fcm: FcmStandIn, timeoutMs: number): PushDispatcher {
  const provider = new FcmProvider({ projectId: fcm.projectId, serviceAccount: JSON.parse(fcm.serviceAccountJson), endpoint: fcm.endpoint, timeoutMs });
  return dispatcherWith({ fcm: provider });
}

async function logged(job: PushJob): Promise<Record<string, string>> {
  const outcomes = await deviceOutcomesOf(deliveries(), job.messageID, job.userIDs);
  return Object.fromEntries(job.userIDs.map((userID) => [userID, outcomes.get(`${userID}#phone`) ?? 'none']));
}

const timesAccepted = (accepted: readonly { token: string }[], tokens: readonly string[]) =>
  tokens.map((token) => accepted.filter((entry) => entry.token === token).length);

describe('Class: PushDispatcher (at most once per device)', () => {
  it.each([
    { case: 'the answer never comes after FCM accepted', kind: 'hang-after-accepting' as const, reached: 1 },
    { case: 'the stream is reset after FCM accepted', kind: 'reset-after-accepting' as const, reached: 1 },
    { case: 'the stream is reset before FCM read the request', kind: 'reset-before-accepting' as const, reached: 0 },
  ])('does not resend, and logs the device unknown, when $case', async ({ kind, reached }) => {
    // Prepare
    const { job, tokens } = await jobFor(4, 'fcm');
    const { fcm, dispatcher } = await fcmDispatcher((token, attempt) => (token === tokens[0] && attempt === 1 ? { kind } : undefined));

    // Act
    const report = await dispatcher.dispatch(job, new Date().toISOString());

    // Assess
    expect(timesAccepted(fcm.accepted, tokens)).toEqual([reached, 1, 1, 1]);
    expect(report).toMatchObject({ delivered: 3, unknown: 1, unavailable: 0 });
    expect(Object.values(await logged(job))).toEqual(['unknown', 'sent', 'sent', 'sent']);
  });

  it('retries after the Retry-After of a 429 and notifies each device once', async () => {
    // Prepare
    const { job, tokens } = await jobFor(3, 'fcm');
    const { fcm, dispatcher } = await fcmDispatcher((_token, attempt) => (attempt === 1 ? { kind: 'throttle', retryAfterSeconds: 1 } : undefined));
    const started = Date.now();

    // Act
    const report = await dispatcher.dispatch(job, new Date().toISOString());

    // Assess
    expect(timesAccepted(fcm.accepted, tokens)).toEqual([1, 1, 1]);
    expect(Math.min(...fcm.accepted.map((entry) => entry.at)) - started).toBeGreaterThanOrEqual(1000);
    expect(report).toMatchObject({ delivered: 3, unknown: 0, unavailable: 0 });
    expect(Object.values(await logged(job))).toEqual(['sent', 'sent', 'sent']);
  });

  it('sends nothing twice when a job comes back after its worker died mid-send', async () => {
    // Prepare: 80 devices make two delivery windows of 50 and 30, sent side by side; the first
    // worker's send to one device never returns (it is frozen), so that device's window is left
    // marked `sending`.
    const { job, tokens } = await jobFor(80, 'fcm');
    const { fcm } = await fcmDispatcher((token, attempt) => (token === tokens[7] && attempt === 1 ? { kind: 'hang-after-accepting' } : undefined));
    void fcmDispatcherOn(fcm, 60_000).dispatch(job, new Date().toISOString()).catch(() => undefined);
    const sentBeforeTheCrash = async () => Object.values(await logged(job)).filter((outcome) => outcome === 'sent').length;
    await waitUntil(async () => fcm.accepted.length === 80 && (await sentBeforeTheCrash()) === 30);

    // Act: a fresh worker takes the redelivered job.
    const report = await fcmDispatcherOn(fcm, TIMEOUT_MS).dispatch(job, new Date().toISOString());

    // Assess
    expect(timesAccepted(fcm.accepted, tokens)).toEqual(tokens.map(() => 1));
    expect(report).toMatchObject({ delivered: 0, alreadyDone: 30, unknown: 50 });
    const outcomes = Object.values(await logged(job));
    expect(outcomes.filter((outcome) => outcome === 'unknown')).toHaveLength(50);
    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(30);
  });

  it('sends each device once when two runs of the same job work at the same time (an SQS duplicate)', async () => {
    // Prepare: answers take 50 ms, so both runs are under way together.
    const { job, tokens } = await jobFor(120, 'fcm');
    const fcm = await startFcmStandIn({ latencyMs: 50 });
    stopAfter.push(() => fcm.close());

    // Act
    const reports = await Promise.all([fcmDispatcherOn(fcm, TIMEOUT_MS), fcmDispatcherOn(fcm, TIMEOUT_MS)].map((dispatcher) => dispatcher.dispatch(job, new Date().toISOString())));

    // Assess
    expect(timesAccepted(fcm.accepted, tokens)).toEqual(tokens.map(() => 1));
    expect(reports[0]!.delivered + reports[1]!.delivered).toBe(120);
    // A device the other run had marked `sending` when this one read its window looks like a
    // crashed run's: counted unknown, not sent; the sender's outcome still ends in the log.
    expect(reports.map((report) => report.delivered + report.alreadyDone + report.unknown)).toEqual([120, 120]);
    expect(new Set(Object.values(await logged(job)))).toEqual(new Set(['sent']));
  });

  it('sends again, when the job comes back, only to the devices whose send surely failed', async () => {
    // Prepare: FCM answers 503 to one device on every attempt of the first run.
    const { job, tokens } = await jobFor(60, 'fcm');
    const { fcm, dispatcher } = await fcmDispatcher(() => undefined);
    fcm.failingTokens.add(tokens[55]!);
    await expect(dispatcher.dispatch(job, new Date().toISOString())).rejects.toBeInstanceOf(PushIncompleteError);
    expect((await logged(job))[job.userIDs[55]!]).toBe('failed');
    fcm.failingTokens.clear();

    // Act: SQS redelivers the job.
    const report = await dispatcher.dispatch(job, new Date().toISOString());

    // Assess
    expect(timesAccepted(fcm.accepted, tokens)).toEqual(tokens.map(() => 1));
    expect(report).toMatchObject({ delivered: 1, alreadyDone: 59, unknown: 0, unavailable: 0 });
    expect(new Set(Object.values(await logged(job)))).toEqual(new Set(['sent']));
  });


  it('fails the job when a read fails after its first users were sent, and its redelivery sends only the rest', async () => {
    // Prepare: 250 recipients are read 100 at a time; the second presence read fails, as a
    // throttled BatchGetItem would, while the first 100 are being sent.
    const { job, tokens } = await jobFor(250, 'fcm');
    const { fcm } = await fcmDispatcher(() => undefined);
    const provider = new FcmProvider({ projectId: fcm.projectId, serviceAccount: JSON.parse(fcm.serviceAccountJson), endpoint: fcm.endpoint, timeoutMs: TIMEOUT_MS });
    const presence = new DynamoDbPresenceStore(dynamo.documents, table('presence'));
    let presenceReads = 0;
    const failingOnce = new PushDispatcher({
      presence: {
        onlineAmong: async (userIDs) => {
          presenceReads += 1;
          if (presenceReads === 2) throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ThrottlingException' });
          return presence.onlineAmong(userIDs);
        },
      },
      preferences: new DynamoDbPreferenceStore(dynamo.documents, table('pushPreferences')),
      devices: devices(),
      deliveries: deliveries(),
      providerFor: registeredProviderRouter({ fcm: provider }),
    });
    await expect(failingOnce.dispatch(job, new Date().toISOString())).rejects.toThrow('Throughput exceeds the current capacity');
    const sentBeforeTheFailure = timesAccepted(fcm.accepted, tokens);
    expect(sentBeforeTheFailure.slice(0, 100)).toEqual(tokens.slice(0, 100).map(() => 1));
    expect(sentBeforeTheFailure.slice(100)).toEqual(tokens.slice(100).map(() => 0));

    // Act: SQS redelivers the job to a worker whose reads succeed.
    const report = await fcmDispatcherOn(fcm, TIMEOUT_MS).dispatch(job, new Date().toISOString());

    // Assess
    expect(timesAccepted(fcm.accepted, tokens)).toEqual(tokens.map(() => 1));
    expect(report).toMatchObject({ delivered: 150, alreadyDone: 100, unknown: 0, unavailable: 0 });
    expect(new Set(Object.values(await logged(job)))).toEqual(new Set(['sent']));
  });
  it('sends an APNs notification once under one apns-id when the answer never comes', async () => {
    // Prepare
    const { job, tokens } = await jobFor(2, 'apns');
    const apns: ApnsStandIn = await startApnsStandIn({ faults: (token, attempt) => (token === tokens[0] && attempt === 1 ? { kind: 'hang-after-accepting' } : undefined) });
    const provider = new ApnsProvider({ keyId: apns.keyId, teamId: apns.teamId, privateKey: apns.privateKeyPem, topic: apns.topic, endpoint: apns.endpoint, timeoutMs: TIMEOUT_MS });
    stopAfter.push(async () => {
      await provider.close();
      await apns.close();
    });

    // Act
    const report = await dispatcherWith({ apns: provider }).dispatch(job, new Date().toISOString());

    // Assess
    expect(timesAccepted(apns.accepted, tokens)).toEqual([1, 1]);
    expect(new Set(apns.accepted.map((entry) => entry.headers['apns-id'])).size).toBe(2);
    expect(report).toMatchObject({ delivered: 1, unknown: 1 });
    expect(Object.values(await logged(job))).toEqual(['unknown', 'sent']);
  });
});

describe('Class: PushDispatcher (presence)', () => {
  it('sends nothing to a recipient online on any platform, and to one whose connection was kicked off', async () => {
    // Prepare: user 0 online on the web, user 1 online but kicked off since, user 2 never seen.
    const { job, tokens } = await jobFor(3, 'fcm');
    const presence = new DynamoDbPresenceStore(dynamo.documents, table('presence'));
    const [online, kicked] = job.userIDs;
    const now = Date.now();
    await presence.apply({ kind: 'online', userID: online!, platformID: 5, platform: 'Web', at: now - 1_000, isAppBackground: false });
    await presence.apply({ kind: 'online', userID: kicked!, platformID: 2, platform: 'Android', at: now - 2_000, isAppBackground: false });
    await presence.apply({ kind: 'kickoff', userID: kicked!, at: now - 1_000 });
    const { fcm, dispatcher } = await fcmDispatcher(() => undefined);

    // Act
    const report = await dispatcher.dispatch(job, new Date().toISOString());

    // Assess
    expect(timesAccepted(fcm.accepted, tokens)).toEqual([0, 1, 1]);
    expect(report).toMatchObject({ online: 1, devices: 2, delivered: 2 });
  });
});

describe('Class: PushDispatcher with SNS mobile push (at most once per device)', () => {
  it.each([
    { case: 'the answer never comes after SNS published', kind: 'hang-after-accepting' as const, reached: 1, outcome: 'unknown' },
    { case: 'the connection is reset after SNS published', kind: 'reset-after-accepting' as const, reached: 1, outcome: 'unknown' },
    { case: 'SNS throttles (429) the first publish', kind: 'throttle' as const, reached: 1, outcome: 'sent' },
  ])('notifies each device at most once, and logs what happened, when $case', async ({ kind, reached, outcome }) => {
    // Prepare
    const { job, tokens } = await jobFor(4, 'sns');
    const sns = await startSnsMobileStandIn({ faults: (token, attempt) => (token === tokens[0] && attempt === 1 ? { kind, retryAfterSeconds: 0 } : undefined) });
    stopAfter.push(() => sns.close());
    // Longer than FCM's: a loaded machine let the SDK's signing and queueing eat 300 ms (an unknown outcome).
    const client = snsMobileClient(SNS_TIMEOUT_MS, { endpoint: sns.endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    const dispatcher = dispatcherWith({ sns: new SnsMobileProvider(client, { fcmApplicationArn: sns.fcmApplicationArn }) });

    // Act
    const report = await dispatcher.dispatch(job, new Date().toISOString());

    // Assess
    expect(timesAccepted(sns.published, tokens)).toEqual([reached, 1, 1, 1]);
    expect(report).toMatchObject({ delivered: outcome === 'sent' ? 4 : 3, unknown: outcome === 'sent' ? 0 : 1, unavailable: 0 });
    expect(Object.values(await logged(job))).toEqual([outcome, 'sent', 'sent', 'sent']);
  });
});

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
