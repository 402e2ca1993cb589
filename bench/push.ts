/**
 * `npm run bench:push`: one group message to a 10,000-member group, from OpenIM's beforeOfflinePush
 * callback (the real before-callback handler and its middy chain) through SNS and the push queue
 * (fauxqs), the real push-worker handler (BENCH_PUSH_WORKERS local pollers on the queue, each
 * taking one job at a time as the deployed worker does, standing in for concurrent Lambda
 * invocations) and DynamoDB (dynalite), to the FCM stand-in, which
 * checks every request. The AWS stand-ins run on their own thread, as in `npm start`; the FCM
 * stand-in shares the workers' thread. Every member is offline with one FCM device. First one
 * message to another group of the same size, reported but not a scenario: the first big message
 * of a process costs ~1.5-2 s more CPU (a message to members never read before costs no more than
 * one to members just read, so it is the process warming up, not the data), and Lambda keeps warm
 * instances. Then one message per scenario, to the measured group:
 *   - plain: FCM answers at once;
 *   - slow: every answer takes 150-350 ms;
 *   - dropping: 1 in 100 requests is accepted and its stream then reset, so the answer is lost.
 * Per scenario it prints notifications/s, the latency of each notification from the callback
 * (p50/p99/max), duplicates (devices notified more than once) and misses (devices never notified),
 * the CPU the process spent until the last notification (a figure the machine's load blurs less
 * than the wall time), and exits non-zero when any scenario has a duplicate or a miss, or the
 * callback did not take the push over (OpenIM would then push every device too).
 * Options (env): BENCH_PUSH_MEMBERS (10000), BENCH_PUSH_WORKERS (4), BENCH_PUSH_SCENARIOS (plain,slow,dropping).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { loadavg } from 'node:os';
import { WORKERS as WORKERS_DEPLOYED } from '../infra/workers.ts';
import { startEmbeddedAws } from '../local/embedded-aws.ts';
import { ensureServiceTables, SERVICE_TABLE_ENVIRONMENT } from '../local/provision-tables.ts';
import { ensureQueues } from '../local/provision-queues.ts';
import { startQueuePoller, type SqsHandler } from '../local/queue-poller.ts';
import { batchPutAll } from '../shared/store/batch-items.ts';
import { DynamoDbDeviceStore } from '../shared/store/dynamodb-device-store.ts';
import { DynamoDbDeliveryLog } from '../shared/store/dynamodb-delivery-log.ts';
import { deviceOutcomesOf } from '../shared/push/delivery-windows.ts';
import { MAX_USERS_PER_JOB } from '../shared/push/split-push-job.ts';
import { QUEUE_SUBSCRIPTIONS } from '../shared/events/topology.ts';
import { TABLE_DEFINITIONS } from '../shared/store/table-definitions.ts';
import { scratchDirectory } from './scratch-directory.ts';
import { readEvent } from '../test/helpers/events.ts';
import { callbackEvent, stubContext } from '../test/helpers/lambda.ts';
import { startFcmStandIn } from '../test/helpers/push/fcm-stand-in.ts';
import type { FaultPlan } from '../test/helpers/push/provider-faults.ts';
import { logger } from '#shared/observability/logger.ts';
import { SECONDS_PER_DAY } from '#shared/time/durations.ts';

const MEMBERS = Number(process.env.BENCH_PUSH_MEMBERS ?? 10_000);
const WORKERS = Number(process.env.BENCH_PUSH_WORKERS ?? 4);
const SCENARIOS = (process.env.BENCH_PUSH_SCENARIOS ?? 'plain,slow,dropping').split(',');
const SECRET = 'bench-callback-secret-0123456789';

/** What the FCM stand-in does in the current scenario; switched between messages. */
interface Behaviour {
  readonly latencyMs: (token: string) => number;
  readonly faults: FaultPlan;
}
const tokenNumber = (token: string) => Number(token.slice('token-'.length));
const BEHAVIOURS: Record<string, Behaviour> = {
  plain: { latencyMs: () => 0, faults: () => undefined },
  // Spread by token so the latencies are the same in every run.
  slow: { latencyMs: (token) => 150 + ((tokenNumber(token) * 7919) % 201), faults: () => undefined },
  // The first request of this message to 1 device in 100 (the stand-in's attempt count spans messages).
  dropping: { latencyMs: () => 0, faults: (token) => (tokenNumber(token) % 100 === 42 && !resetTokens.has(token) && resetTokens.add(token) ? { kind: 'reset-after-accepting' } : undefined) },
};
/** Tokens whose connection the dropping scenario has reset, once each. */
const resetTokens = new Set<string>();
let behaviour = BEHAVIOURS.plain!;

const [aws, fcm] = await Promise.all([
  startEmbeddedAws(scratchDirectory('bench-push-')),
  startFcmStandIn({ latencyMs: (token) => behaviour.latencyMs(token), faults: (token, attempt) => behaviour.faults(token, attempt) }),
]);
const endpoint = aws.messagingEndpoint;
const clientConfig = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' } };
const dynamoClient = new DynamoDBClient({ ...clientConfig, endpoint: aws.dynamodbEndpoint });
await ensureServiceTables(dynamoClient);
const documents = createDynamoDocumentClient({ ...clientConfig, endpoint: aws.dynamodbEndpoint, attemptTimeoutMs: 30_000 });
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
  AWS_ENDPOINT_URL_SQS: endpoint,
  CHAT_EVENTS_TOPIC_ARN: TopicArn!,
  CALLBACK_SECRET: SECRET,
  // Each device's unknown outcome is a WARN line with its stack: the summary counts them instead.
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  // Each job's EMF lines carry every latency value: thousands of lines that say nothing here.
  POWERTOOLS_METRICS_DISABLED: 'true',
  ...SERVICE_TABLE_ENVIRONMENT,
  PUSH_DELIVERY: 'providers',
  FCM_PROJECT_ID: fcm.projectId,
  FCM_SERVICE_ACCOUNT_JSON: fcm.serviceAccountJson,
  FCM_ENDPOINT: fcm.endpoint,
});

// The logger was built when the modules were imported, before the level above was set.
logger.setLogLevel('ERROR');
process.stdout.write(`bench:push: registering ${2 * MEMBERS} devices (two groups of ${MEMBERS})...\n`);
const devices = new DynamoDbDeviceStore(documents, TABLE_DEFINITIONS.pushDevices.localName, { maxDevicesPerUser: 10 });
const member = (i: number) => `member-${i}`;
const deviceOf = (i: number) => ({ platform: 'android', provider: 'fcm', token: `token-${i}` }) as const;
// Member 0 through the store; the rest as the items it wrote (the device store's layout), 25 per
// BatchWriteItem: registering one at a time took ~50 s of the stand-ins' CPU before every run.
const registered = await devices.register(member(0), 'phone', deviceOf(0), new Date());
const { deviceID, ...stored } = registered;
await batchPutAll(
  documents,
  TABLE_DEFINITIONS.pushDevices.localName,
  Array.from({ length: 2 * MEMBERS - 1 }, (_, i) => ({ userID: member(i + 1), devices: { [deviceID]: { ...stored, ...deviceOf(i + 1) } }, updatedAt: stored.updatedAt })),
);
const readBack = await devices.devicesOf([member(MEMBERS - 1)]);
if (readBack[0]?.token !== deviceOf(MEMBERS - 1).token) throw new Error(`the device store does not read the seeded devices back: ${JSON.stringify(readBack)}`);

const before = (await import('../functions/before-callback/handler.ts')).handler;
const worker = (await import('../functions/push-worker/handler.ts')).handler as SqsHandler;
// As deployed: each invocation takes the push worker's batch (one job), WORKERS of them at once.
const { batchSize } = WORKERS_DEPLOYED.find((spec) => spec.entryName === 'push-worker')!;
const pollers = await Promise.all(
  Array.from({ length: WORKERS }, (_, i) => startQueuePoller({ sqs, queueUrl: push!.queueUrl, handler: worker, functionName: `push-worker-${i}`, batchSize })),
);

const groupMessage = (clientMsgID: string, members: number, first = 0) =>
  `${JSON.stringify({
    ...readEvent('callbackBeforeOfflinePushCommand'),
    sessionType: 3,
    groupID: 'bench-group',
    clientMsgID,
    userIDList: Array.from({ length: members }, (_, i) => member(first + i)),
  })}\n`;
/** The process's first message, to the other group (members MEMBERS and up), then the scenarios' to the measured one. */
const MESSAGES = [
  { scenario: 'plain', label: 'first message of the process, to another group', first: MEMBERS },
  ...SCENARIOS.map((scenario) => ({ scenario, label: scenario, first: 0 })),
];

const cpuSeconds = (usage: NodeJS.CpuUsage) => ((usage.user + usage.system) / 1e6).toFixed(2);

/** Waits this long after the last expected notification for any late duplicate. */
const SETTLE_MS = 2_000;
let failed = false;
for (const [index, { scenario, label, first }] of MESSAGES.entries()) {
  behaviour = BEHAVIOURS[scenario] ?? BEHAVIOURS.plain!;
  // One ID per message: a repeated scenario is a new message, not a redelivery of the last one.
  const messageID = `bench-${index}-${scenario}`;
  // Tallied as they arrive: re-reading every accepted notification each poll took seconds of the
  // workers' own thread by the end of a message.
  const perDevice = new Map<string, number[]>();
  let accepted = 0;
  let tallied = fcm.accepted.length;
  const tallyArrivals = () => {
    for (; tallied < fcm.accepted.length; tallied++) {
      const entry = fcm.accepted[tallied]!;
      if (entry.message.data?.messageID !== messageID) continue;
      accepted++;
      const times = perDevice.get(entry.token);
      if (times) times.push(entry.at - started);
      else perDevice.set(entry.token, [entry.at - started]);
    }
  };
  process.stdout.write(`bench:push [${label}]: beforeOfflinePush for a ${MEMBERS}-member group, ${WORKERS} worker(s)\n`);
  const started = Date.now();
  // CPU is what a quiet machine turns into speed; wall time here also measures the machine's load.
  const cpuBefore = { process: process.cpuUsage(), workersThread: process.threadCpuUsage() };
  const reply = await before(callbackEvent({ secret: SECRET, command: 'callbackBeforeOfflinePushCommand', body: groupMessage(messageID, MEMBERS, first) }), stubContext);
  const answered = Date.now();
  const deadline = answered + 120_000;
  const cpuSpent = () => ({ process: process.cpuUsage(cpuBefore.process), workersThread: process.threadCpuUsage(cpuBefore.workersThread) });
  let cpu = cpuSpent();
  for (let notified = 0; perDevice.size < MEMBERS && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    tallyArrivals();
    if (perDevice.size > notified) [notified, cpu] = [perDevice.size, cpuSpent()];
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  tallyArrivals();

  // Any other answer (the fallback after an overrun budget) lets OpenIM push as well.
  const takenOver = (JSON.parse(reply.body) as { errCode?: number }).errCode === 10201;
  const duplicates = [...perDevice].filter(([, times]) => times.length > 1);
  const misses = MEMBERS - perDevice.size;
  const latencies = [...perDevice.values()].map((times) => Math.min(...times)).sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
  const seconds = (latencies.at(-1) ?? NaN) / 1000;
  // What the workers logged per device: a miss is explained by `unknown` (sent, no answer) or `failed`.
  // The log is kept per job (its windows of 50 recipients): the callback cut the members into jobs
  // of MAX_USERS_PER_JOB, as their IDs are far from the job's byte budget.
  const deliveryLog = new DynamoDbDeliveryLog(documents, TABLE_DEFINITIONS.pushDeliveries.localName, SECONDS_PER_DAY);
  const jobsUsers = Array.from({ length: Math.ceil(MEMBERS / MAX_USERS_PER_JOB) }, (_, job) =>
    Array.from({ length: Math.min(MAX_USERS_PER_JOB, MEMBERS - job * MAX_USERS_PER_JOB) }, (_, i) => member(first + job * MAX_USERS_PER_JOB + i)),
  );
  const logged = new Map((await Promise.all(jobsUsers.map((userIDs) => deviceOutcomesOf(deliveryLog, messageID, userIDs)))).flatMap((outcomes) => [...outcomes]));
  const tally = new Map<string, number>();
  for (const outcome of logged.values()) tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
  const outcomeCounts = [...tally].map(([outcome, n]) => `${outcome} ${n}`);
  const dropped = resetTokens.size;
  process.stdout.write(
    [
      `  callback answer: ${takenOver ? 'stop 10201 (taken over)' : `${reply.body}: OpenIM would push too, so every device twice`} in ${answered - started} ms`,
      `  notifications accepted: ${accepted} for ${MEMBERS} devices; duplicates ${duplicates.length}, misses ${misses}, request problems ${fcm.problems.length}` +
        (scenario === 'dropping' ? `; answers lost to a reset ${dropped}` : ''),
      `  throughput: ${(perDevice.size / seconds).toFixed(0)} notifications/s (${seconds.toFixed(2)} s from callback to last notification)`,
      `  end-to-end latency from the callback: p50 ${percentile(50)} ms, p99 ${percentile(99)} ms, max ${latencies.at(-1)} ms`,
      `  CPU until the last notification: ${cpuSeconds(cpu.process)} s in all (${cpuSeconds(cpu.workersThread)} s on the workers' and FCM stand-in's thread, the rest mostly dynalite and fauxqs); load average ${loadavg()[0]!.toFixed(1)}`,
      `  delivery log: ${outcomeCounts.join(', ') || 'empty'}${logged.size < MEMBERS ? `, no entry ${MEMBERS - logged.size}` : ''}`,
      ...(duplicates.length > 0 ? [`  duplicated devices (first 5): ${JSON.stringify(duplicates.slice(0, 5))}`] : []),
      '',
    ].join('\n'),
  );
  if (!takenOver || duplicates.length > 0 || misses > 0 || fcm.problems.length > 0) failed = true;
}
for (const poller of pollers) await poller.stop();
await Promise.all([aws.stop(), fcm.close()]);
process.exit(failed ? 1 : 0);
