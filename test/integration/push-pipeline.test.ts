/**
 * The push pipeline with the real providers: the take-over publishes to a real SNS topic (fauxqs),
 * the push queue delivers to the real push-worker handler under the local SQS poller, and the
 * FCM and APNs stand-ins check every request. A flaky provider is retried, a provider that stays
 * down dead-letters the job, nothing is lost and no device is notified twice.
 */
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsPublishBatch } from '#shared/aws/sns-publish-batch.ts';
import { ChatEvent } from '#shared/events/chat-event.ts';
import { SnsChatEventPublisher } from '#shared/events/sns-chat-event-publisher.ts';
import { REQUEST_SCHEMAS } from '#shared/openim/schemas/index.ts';
import { createOfflinePushDecider } from '#shared/push/offline-push-decider.ts';
import { PushJob } from '#shared/push/push-job.ts';
import { DynamoDbDeviceStore } from '#shared/store/dynamodb-device-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { ensureQueues, type LocalQueue } from '../../local/provision-queues.ts';
import { startQueuePoller, type QueuePoller, type SqsHandler } from '../../local/queue-poller.ts';
import { SERVICE_TABLE_ENVIRONMENT } from '../../local/provision-tables.ts';
import { startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';
import { readEvent } from '../helpers/events.ts';
import { startApnsStandIn, type ApnsStandIn } from '../helpers/push/apns-stand-in.ts';
import { eventually } from '../helpers/eventually.ts';
import { startFcmStandIn, type FcmStandIn } from '../helpers/push/fcm-stand-in.ts';

const MEMBERS = 600;
const credentials = { accessKeyId: 't', secretAccessKey: 't' };
const userID = (i: number) => `member-${i}`;
const fcmToken = (i: number) => `fcm-${i}`;
const apnsToken = (i: number) => `a${i.toString(16).padStart(6, '0')}`;

describe('Push pipeline with FCM and APNs stand-ins', () => {
  const fauxqs = buildApp({ logger: false });
  let dynamo: DynamoEngine;
  let fcm: FcmStandIn;
  let apns: ApnsStandIn;
  let sqs: SQSClient;
  let queue: LocalQueue;
  let poller: QueuePoller;
  let devices: DynamoDbDeviceStore;
  let publish: ReturnType<typeof createOfflinePushDecider>;

  beforeAll(async () => {
    [dynamo, fcm, apns] = await Promise.all([startEngine('dynalite'), startFcmStandIn(), startApnsStandIn()]);
    const endpoint = await fauxqs.listen({ port: 0, host: '127.0.0.1' });
    const config = { endpoint, region: 'us-east-1', credentials };
    sqs = new SQSClient(config);
    const sns = new SNSClient(config);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'chat-events' }));
    queue = (await ensureQueues({ sqs, sns }, TopicArn!, [{ name: 'push-test', eventTypes: ['push.job'], maxReceiveCount: 3, visibilityTimeoutSeconds: 1 }]))['push-test']!;
    publish = createOfflinePushDecider({ mode: 'takeover', publisher: new SnsChatEventPublisher(createSnsPublishBatch(config), TopicArn!) });

    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 't',
      AWS_SECRET_ACCESS_KEY: 't',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: endpoint,
      ...SERVICE_TABLE_ENVIRONMENT,
      PUSH_DELIVERY: 'providers',
      PUSH_SEND_ATTEMPTS: '2',
      PUSH_RETRY_DELAY_MS: '10',
      // Failed jobs come back after the queue's 1 s visibility timeout (push-redelivery.test.ts has the delays).
      PUSH_REDELIVERY_DELAY_SECONDS: '0',
      FCM_PROJECT_ID: fcm.projectId,
      FCM_SERVICE_ACCOUNT_JSON: fcm.serviceAccountJson,
      FCM_ENDPOINT: fcm.endpoint,
      APNS_KEY_ID: apns.keyId,
      APNS_TEAM_ID: apns.teamId,
      APNS_PRIVATE_KEY: apns.privateKeyPem,
      APNS_TOPIC: apns.topic,
      APNS_ENDPOINT: apns.endpoint,
    });
    devices = new DynamoDbDeviceStore(dynamo.documents, TABLE_DEFINITIONS.pushDevices.localName, { maxDevicesPerUser: 10 });
    const now = new Date();
    await Promise.all(
      Array.from({ length: MEMBERS }, async (_, i) => {
        await devices.register(userID(i), 'android', { platform: 'android', provider: 'fcm', token: fcmToken(i) }, now);
        if (i % 3 === 0) await devices.register(userID(i), 'iphone', { platform: 'ios', provider: 'apns', token: apnsToken(i) }, now);
      }),
    );
    const { handler } = (await import('../../functions/push-worker/handler.ts')) as { handler: SqsHandler };
    poller = await startQueuePoller({ sqs, queueUrl: queue.queueUrl, handler, functionName: 'push-worker', batchSize: 10, timeoutMs: 1000 });
  }, 60_000);

  afterAll(async () => {
    await poller?.stop();
    await Promise.all([fauxqs.close(), dynamo?.stop(), fcm?.close(), apns?.close()]);
  });

  it('delivers once per device through a flaky provider, cleans invalid tokens and dead-letters what stays undeliverable', async () => {
    // Prepare: FCM fails 150 sends, two tokens are dead, and one iPhone's sends always fail.
    fcm.failNext(150);
    fcm.unregistered.add(fcmToken(7));
    apns.badTokens.add(apnsToken(9));
    apns.failingTokens.add(apnsToken(300));
    const body = { ...readEvent('callbackBeforeOfflinePushCommand'), sessionType: 3, groupID: 'g1', userIDList: Array.from({ length: MEMBERS }, (_, i) => userID(i)) };

    // Act
    const reply = await publish(REQUEST_SCHEMAS.callbackBeforeOfflinePushCommand.parse(body), { operationID: 'op-pipeline', signal: new AbortController().signal, deadline: Date.now() + 60_000 });
    const dead: string[] = [];
    await eventually(async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.deadLetterQueueUrl, MaxNumberOfMessages: 10 }));
      dead.push(...Messages.map((message) => message.Body!));
      return dead.length > 0 && fcm.accepted.length === MEMBERS - 1;
    }, 30_000);

    // Assess
    expect(reply).toMatchObject({ nextCode: 1, errCode: 10201 });
    const fcmTokens = fcm.accepted.map((entry) => entry.token);
    expect(new Set(fcmTokens).size).toBe(fcmTokens.length);
    expect(fcmTokens).not.toContain(fcmToken(7));
    const apnsExpected = Array.from({ length: MEMBERS }, (_, i) => i)
      .filter((i) => i % 3 === 0 && i !== 9 && i !== 300)
      .map(apnsToken);
    expect(apns.accepted.map((entry) => entry.token).sort()).toEqual(apnsExpected.sort());
    expect([...fcm.problems, ...apns.problems]).toEqual([]);
    const deadJobs = dead.map((text) => PushJob.parse(ChatEvent.parse(JSON.parse(text)).payload));
    expect(deadJobs).toHaveLength(1);
    expect(deadJobs[0]!.userIDs).toContain(userID(300));
    expect(await devices.listFor(userID(7))).toEqual([]);
    expect((await devices.listFor(userID(9))).map((device) => device.deviceID)).toEqual(['android']);
  });
});
