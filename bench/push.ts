/**
 * `npm run bench:push`: one group message to a 10,000-member group, from OpenIM's beforeOfflinePush
 * callback (the real before-callback handler and its middy chain) through SNS and the push queue
 * (fauxqs), the real push-worker handler (BENCH_PUSH_WORKERS local pollers on the queue, standing
 * in for concurrent Lambda invocations) and DynamoDB (dynalite), to the FCM stand-in, which
 * checks every request. The stand-ins run on their own thread, as in `npm start`. Every member
 * is offline with one FCM device. One small warm-up message first: Lambda keeps warm instances.
 * Prints notifications/s (first callback byte to last notification accepted) and the latency of
 * each notification from the callback (p50/p99/max), plus the callback's own answer time.
 * Options (env): BENCH_PUSH_MEMBERS (10000), BENCH_PUSH_WORKERS (4).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedAws } from '../local/embedded-aws.ts';
import { ensureServiceTables } from '../local/provision-tables.ts';
import { ensureQueues } from '../local/provision-queues.ts';
import { startQueuePoller, type SqsHandler } from '../local/queue-poller.ts';
import { DynamoDbDeviceStore } from '../shared/store/dynamodb-device-store.ts';
import { QUEUE_SUBSCRIPTIONS } from '../shared/events/topology.ts';
import { TABLE_DEFINITIONS } from '../shared/store/table-definitions.ts';
import { readEvent } from '../test/helpers/events.ts';
import { callbackEvent, stubContext } from '../test/helpers/lambda.ts';
import { startFcmStandIn } from '../test/helpers/push/fcm-stand-in.ts';

const MEMBERS = Number(process.env.BENCH_PUSH_MEMBERS ?? 10_000);
const WORKERS = Number(process.env.BENCH_PUSH_WORKERS ?? 4);
const SECRET = 'bench-callback-secret-0123456789';

const [aws, fcm] = await Promise.all([startEmbeddedAws(mkdtempSync(join(tmpdir(), 'bench-push-'))), startFcmStandIn()]);
const endpoint = aws.messagingEndpoint;
const clientConfig = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' } };
const dynamoClient = new DynamoDBClient({ ...clientConfig, endpoint: aws.dynamodbEndpoint });
await ensureServiceTables(dynamoClient);
const documents = DynamoDBDocumentClient.from(dynamoClient);
const sqs = new SQSClient(clientConfig);
const sns = new SNSClient(clientConfig);
const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'chat-events' }));
const pushQueue = QUEUE_SUBSCRIPTIONS.find((subscription) => subscription.name === 'push')!;
const { push } = await ensureQueues({ sqs, sns }, TopicArn!, [pushQueue]);

Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'b',
  AWS_SECRET_ACCESS_KEY: 'b',
  AWS_ENDPOINT_URL_DYNAMODB: aws.dynamodbEndpoint,
  AWS_ENDPOINT_URL_SNS: endpoint,
  CHAT_EVENTS_TOPIC_ARN: TopicArn!,
  CALLBACK_SECRET: SECRET,
  POWERTOOLS_LOG_LEVEL: 'WARN',
  ...Object.fromEntries(Object.values(TABLE_DEFINITIONS).map((table) => [table.envVar, table.localName])),
  PUSH_DELIVERY: 'providers',
  FCM_PROJECT_ID: fcm.projectId,
  FCM_SERVICE_ACCOUNT_JSON: fcm.serviceAccountJson,
  FCM_ENDPOINT: fcm.endpoint,
});

process.stdout.write(`bench:push: registering ${MEMBERS} devices...\n`);
const devices = new DynamoDbDeviceStore(documents, TABLE_DEFINITIONS.pushDevices.localName, { maxDevicesPerUser: 10 });
const member = (i: number) => `member-${i}`;
let next = 0;
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (next < MEMBERS) {
      const i = next++;
      await devices.register(member(i), 'phone', { platform: 'android', provider: 'fcm', token: `token-${i}` }, new Date());
    }
  }),
);

const before = (await import('../functions/before-callback/handler.ts')).handler;
const worker = (await import('../functions/push-worker/handler.ts')).handler as SqsHandler;
const pollers = await Promise.all(
  Array.from({ length: WORKERS }, (_, i) => startQueuePoller({ sqs, queueUrl: push!.queueUrl, handler: worker, functionName: `push-worker-${i}`, batchSize: 10 })),
);

const groupMessage = (clientMsgID: string, members: number) =>
  `${JSON.stringify({
    ...readEvent('callbackBeforeOfflinePushCommand'),
    sessionType: 3,
    groupID: 'bench-group',
    clientMsgID,
    userIDList: Array.from({ length: members }, (_, i) => member(i)),
  })}\n`;
const WARM_UP = 10;
await before(callbackEvent({ secret: SECRET, command: 'callbackBeforeOfflinePushCommand', body: groupMessage('warm-up', WARM_UP) }), stubContext);
while (fcm.accepted.length < WARM_UP) await new Promise((resolve) => setTimeout(resolve, 20));
fcm.accepted.length = 0;
const body = groupMessage('bench-msg', MEMBERS);
process.stdout.write(`bench:push: beforeOfflinePush for a ${MEMBERS}-member group, ${WORKERS} worker(s)\n`);
const started = Date.now();
const reply = await before(callbackEvent({ secret: SECRET, command: 'callbackBeforeOfflinePushCommand', body }), stubContext);
const answered = Date.now();
const deadline = answered + 300_000;
while (fcm.accepted.length < MEMBERS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
for (const poller of pollers) await poller.stop();

const latencies = fcm.accepted.map((entry) => entry.at - started).sort((a, b) => a - b);
const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
const seconds = (latencies.at(-1)! - 0) / 1000;
const unique = new Set(fcm.accepted.map((entry) => entry.token)).size;
process.stdout.write(
  [
    `callback answer: ${JSON.parse(reply.body).errCode === 10201 ? 'stop 10201 (taken over)' : reply.body} in ${answered - started} ms`,
    `notifications accepted by the FCM stand-in: ${fcm.accepted.length} (unique devices ${unique}, request problems ${fcm.problems.length})`,
    `throughput: ${(fcm.accepted.length / seconds).toFixed(0)} notifications/s (${seconds.toFixed(2)} s from callback to last notification)`,
    `end-to-end latency from the callback: p50 ${percentile(50)} ms, p99 ${percentile(99)} ms, max ${latencies.at(-1)} ms`,
    '',
  ].join('\n'),
);
await Promise.all([aws.stop(), fcm.close()]);
process.exit(fcm.accepted.length === MEMBERS && unique === MEMBERS ? 0 : 1);
