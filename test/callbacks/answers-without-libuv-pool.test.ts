/**
 * Locally a callback's answer waits for its journal append alone, a `write` made on the event loop
 * (docs/local-mode.md), never for one of libuv's pool threads, which dynalite's LevelDB and the
 * forwarder's reads keep busy. With every pool thread held, both handlers, loaded as the local
 * server loads them, answer after-callbacks and a blocked message, and every event reaches the
 * topic once the pool is let go.
 */
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { EVENT_JOURNAL_DIR_ENV } from '#shared/events/journaled-when-configured.ts';
import { HOOK_ERROR_CODES } from '#shared/openim/error-codes.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';
import { readEventBody } from '../helpers/events.ts';
import { callbackEvent, captureLogs, stubContext } from '../helpers/lambda.ts';
import { occupyLibuvPool } from '../helpers/libuv-pool.ts';
import { startMessaging, subscribeTap, type MessagingStandIn } from '../helpers/messaging.ts';

const SECRET = 'unit-test-secret-0123456789';
const AFTER = 'callbackAfterSendGroupMsgCommand';
const BEFORE = 'callbackBeforeSendSingleMsgCommand';
const BLOCKED_TERM = 'forbiddenword';
const AFTER_EVENTS = 40;
const ANSWER_DEADLINE_MS = 10_000;
const WARM_UP = 'warm-up-';

type Handler = (event: ReturnType<typeof callbackEvent>, context: typeof stubContext) => Promise<APIGatewayProxyResult>;

let dynamo: DynamoEngine;
let messaging: MessagingStandIn;
let scratch: string;

const call = (handler: Handler, command: string, body: string, operationID: string) =>
  handler(callbackEvent({ secret: SECRET, command, body, operationID }), stubContext).then((result) => JSON.parse(result.body) as Record<string, unknown>);

const afterBody = (index: number) => JSON.stringify({ ...JSON.parse(readEventBody(AFTER)), clientMsgID: `pool-${index}`, serverMsgID: `pool-server-${index}` });
const blockedBody = (clientMsgID: string) => {
  const body = JSON.parse(readEventBody(BEFORE)) as Record<string, unknown>;
  return JSON.stringify({ ...body, clientMsgID, operationID: clientMsgID, content: JSON.stringify({ content: `a ${BLOCKED_TERM} here` }) });
};

/** A queue subscribed to the topic: what reached it. */
async function tapTopic(): Promise<{ sqs: SQSClient; queueUrl: string }> {
  const sqs = new SQSClient({ endpoint: messaging.endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  return { sqs, queueUrl: await subscribeTap(sqs, { endpoint: messaging.endpoint, topicArn: messaging.chatEventsTopicArn }, 'pool-tap') };
}

/** The operationIDs of the events on the tap, until `count` of them are not the warm-up's. */
async function receiveOperationIDs(sqs: SQSClient, queueUrl: string, count: number): Promise<string[]> {
  const operationIDs: string[] = [];
  while (operationIDs.length < count) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }));
    // A warm-up message answered with the fallback reply still publishes its event once its decision is made.
    const events = Messages.map((message) => JSON.parse(message.Body!) as { operationID: string });
    operationIDs.push(...events.map((event) => event.operationID).filter((operationID) => !operationID.startsWith(WARM_UP)));
  }
  return operationIDs;
}

describe('Callbacks answered from the journal with libuv pool held', () => {
  beforeAll(async () => {
    dynamo = await startEngine('dynalite');
    messaging = await startMessaging();
    scratch = mkdtempSync(join(tmpdir(), 'pool-held-'));
  });

  afterAll(async () => {
    await dynamo?.stop();
    await messaging?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('answers after-callbacks and a blocked message without a pool thread, and forwards their events once it is free', async () => {
    // Prepare: both handlers as npm start loads them, sharing one journal, warmed by a first call each.
    const policyFile = join(scratch, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ blocked: [BLOCKED_TERM] }));
    vi.resetModules();
    Object.assign(process.env, {
      CALLBACK_SECRET: SECRET,
      CHAT_EVENTS_TOPIC_ARN: messaging.chatEventsTopicArn,
      AWS_ENDPOINT_URL_SNS: messaging.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      POLICY_TABLE_NAME: TABLE_DEFINITIONS.moderationPolicy.localName,
      MODERATION_POLICY_FILE: policyFile,
      [EVENT_JOURNAL_DIR_ENV]: join(scratch, 'event-journal'),
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });
    const tap = await tapTopic();
    // The journal the handlers share, started first with its forwarder publishing on this thread:
    // the forwarding thread's TypeScript does not load in a test's worker (Node strips types only).
    const journals = await import('#shared/events/callback-event-journal.ts');
    const { afterEventTopicPublisher } = await import('#shared/events/after-event-topic.ts');
    const { InProcessEntryPublisher } = await import('#shared/events/journal-entry-publisher.ts');
    const { loadCallbackConfig } = await import('#shared/config/callback-config.ts');
    const topic = afterEventTopicPublisher(loadCallbackConfig());
    await journals.journalingPublisherFromEnv(topic, process.env, { entries: () => new InProcessEntryPublisher(topic) });
    const { result: handlers } = await captureLogs(async () => {
      const before = (await import('../../functions/before-callback/handler.ts')).handler as unknown as Handler;
      const after = (await import('../../functions/after-callback/handler.ts')).handler as unknown as Handler;
      await call(after, AFTER, afterBody(-1), `${WARM_UP}after`);
      // The first messages wait for the policy's first read and compile, and may get the fallback reply.
      while ((await call(before, BEFORE, blockedBody(`${WARM_UP}blocked`), `${WARM_UP}blocked`)).errCode !== HOOK_ERROR_CODES.messageBlocked);
      return { before, after };
    });
    // Act
    const pool = occupyLibuvPool();
    const { result: answered } = await captureLogs(() =>
      Promise.race([
        Promise.all([
          ...Array.from({ length: AFTER_EVENTS }, (_, index) => call(handlers.after, AFTER, afterBody(index), `after-${index}`)),
          call(handlers.before, BEFORE, blockedBody('pool-blocked'), 'pool-blocked'),
        ]).then((answers) => ({ answers, poolStillHeld: pool.stillOccupied() })),
        // Far beyond what answering takes; an answer that needs a pool thread would never come.
        sleep(ANSWER_DEADLINE_MS, undefined, { ref: false }).then(() => undefined),
      ]),
    );
    await pool.release();

    // Assess
    expect(answered, 'the answers waited for a libuv pool thread').toBeDefined();
    const { answers, poolStillHeld } = answered!;
    expect(poolStillHeld).toBe(true);
    const blocked = answers.pop()!;
    expect(blocked).toMatchObject({ actionCode: 0, errCode: HOOK_ERROR_CODES.messageBlocked, nextCode: 1 });
    expect(answers).toEqual(Array.from({ length: AFTER_EVENTS }, () => expect.objectContaining({ actionCode: 0, errCode: 0 })));
    expect((await receiveOperationIDs(tap.sqs, tap.queueUrl, AFTER_EVENTS + 1)).sort()).toEqual(
      [...Array.from({ length: AFTER_EVENTS }, (_, index) => `after-${index}`), 'pool-blocked'].sort(),
    );
    await captureLogs(() => journals.stopEventJournals(1_000));
    tap.sqs.destroy();
  });
});
