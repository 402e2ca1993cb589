/**
 * The before-callback Lambda through its real middy chain: whatever arrives, OpenIM gets JSON it
 * accepts, decided by the fail-open/fail-closed setting when the body cannot be handled.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { requestObjectOrUndefined } from '#shared/callbacks/callback-body.ts';
import { needsRequestToContinue } from '#shared/openim/reply-semantics.ts';
import { identityReply } from '#shared/openim/replies.ts';
import { HOOK_ERROR_CODES } from '#shared/openim/error-codes.ts';
import { COMMAND_NAMES, modeOf } from '#shared/openim/commands.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { readEventBody } from '../helpers/events.ts';
import { startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';
import { startMessaging, type MessagingStandIn } from '../helpers/messaging.ts';
import { callbackEvent, captureLogs, stubContext } from '../helpers/lambda.ts';

const SECRET = 'unit-test-secret-0123456789';

let dynamo: DynamoEngine;
let messaging: MessagingStandIn;

/** The handler as Lambda loads it, its moderation reading an empty policy from a real DynamoDB (dynalite). */
async function loadHandler(env: Record<string, string> = {}) {
  vi.resetModules();
  Object.assign(process.env, {
    CALLBACK_SECRET: SECRET,
    CHAT_EVENTS_TOPIC_ARN: messaging.chatEventsTopicArn,
    AWS_ENDPOINT_URL_SNS: messaging.endpoint,
    BEFORE_FAILURE_MODE: 'open',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    POLICY_TABLE_NAME: TABLE_DEFINITIONS.moderationPolicy.localName,
    ...env,
  });
  return (await import('../../functions/before-callback/handler.ts')).handler;
}

const replyOf = (result: APIGatewayProxyResult) => JSON.parse(result.body) as Record<string, unknown>;
const CONTINUE = { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 };

describe('Handler: before-callback', () => {
  beforeAll(async () => {
    dynamo = await startEngine('dynalite');
    messaging = await startMessaging();
  });

  afterAll(async () => {
    await dynamo?.stop();
    await messaging?.stop();
  });

  beforeEach(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  });

  it.each(COMMAND_NAMES.filter((name) => modeOf(name) === 'before' && name !== 'callbackBeforeOfflinePushCommand').map((command) => ({ command })))(
    'continues the clean $command sample with its identity reply',
    async ({ command }) => {
      // Prepare
      const handler = await loadHandler();

      // Act
      const result = await handler(callbackEvent({ secret: SECRET, command, body: readEventBody(command) }), stubContext);

      // Assess
      expect(result.statusCode).toBe(200);
      expect(replyOf(result)).toEqual(identityReply(command, JSON.parse(readEventBody(command)) as Record<string, unknown>));
    },
  );

  it('takes over the offline push sample: its push job is published to the (local) topic', async () => {
    // Prepare
    const handler = await loadHandler();
    const command = 'callbackBeforeOfflinePushCommand';

    // Act
    const result = await handler(callbackEvent({ secret: SECRET, command, body: readEventBody(command) }), stubContext);

    // Assess
    expect(replyOf(result)).toMatchObject({ nextCode: 1, errCode: HOOK_ERROR_CODES.pushTakenOver });
  });

  it('reads the command from the resource when API Gateway routes it on a fixed path', async () => {
    // Prepare
    const handler = await loadHandler({ BEFORE_FAILURE_MODE: 'closed' });
    const command = 'callbackBeforeSendSingleMsgCommand';
    const event = { ...callbackEvent({ secret: SECRET, command, body: '{"sendID":7}' }), resource: `/openim/{secret}/${command}` };
    event.pathParameters = { secret: SECRET };

    // Act
    const { result } = await captureLogs(() => handler(event, stubContext));

    // Assess: an unrecognised command would continue; a recognised one fails its schema and stops.
    expect(replyOf(result)).toMatchObject({ nextCode: 1, errCode: HOOK_ERROR_CODES.callbackUnavailable });
  });

  it('answers 404 and logs nothing when the secret is wrong', async () => {
    // Prepare
    const handler = await loadHandler();
    const command = 'callbackBeforeSendSingleMsgCommand';

    // Act
    const { result, lines } = await captureLogs(() =>
      handler(callbackEvent({ secret: 'wrong', command, body: 'not json' }), stubContext),
    );

    const control = await captureLogs(() => handler(callbackEvent({ secret: SECRET, command, body: 'not json' }), stubContext));

    // Assess: the same body with the right secret is logged, so silence here is the secret check.
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body)).toEqual({ ...CONTINUE, error: 'not found' });
    expect(lines).toEqual([]);
    expect(control.lines.length).toBeGreaterThan(0);
  });

  it('continues an unknown future command and logs it once', async () => {
    // Prepare
    const handler = await loadHandler();
    const event = callbackEvent({ secret: SECRET, command: 'callbackBeforeSomethingNewCommand', body: '{}', operationID: 'op-u' });

    // Act
    const { result, lines } = await captureLogs(async () => {
      await handler(event, stubContext);
      return handler(event, stubContext);
    });

    // Assess
    expect(replyOf(result)).toEqual(CONTINUE);
    expect(lines.filter((line) => line.message === 'unknown callback command answered with continue')).toHaveLength(1);
  });

  it.each([
    { case: 'a body that is not JSON', body: 'hello <3' },
    { case: 'an empty body', body: '' },
    { case: 'a body that fails the schema', body: '{"sendID":42}' },
  ])('continues (fail-open) on $case, with a log line naming the operationID', async ({ body }) => {
    // Prepare
    const handler = await loadHandler();

    // Act
    const { result, lines } = await captureLogs(() =>
      handler(callbackEvent({ secret: SECRET, command: 'callbackBeforeSendGroupMsgCommand', body, operationID: 'op-7' }), stubContext),
    );

    // Assess
    expect(replyOf(result)).toEqual(CONTINUE);
    const logLine = lines.find((line) => line.message === 'callback answered with the fallback reply');
    expect(logLine).toMatchObject({ level: 'ERROR', operationID: 'op-7', failureMode: 'open' });
    expect(JSON.stringify(lines)).not.toContain('hello <3');
    expect(lines.some((line) => 'BeforeFallbackReply' in line)).toBe(true);
  });

  it('answers with the fallback, naming the policy as its reason, while the policy store is down and no seed is configured', async () => {
    // Prepare: a DynamoDB that is down (an engine stopped: its port refuses every connection), no MODERATION_POLICY_FILE
    const down = await startEngine('dynalite');
    await down.stop();
    const handler = await loadHandler({ AWS_ENDPOINT_URL_DYNAMODB: down.endpoint });
    const command = 'callbackBeforeSendGroupMsgCommand';
    const body = readEventBody(command);

    // Act: a message every 200 ms for 2 s; the store's first failure (its attempts refused) comes well within that
    const { result: fallbacks, lines } = await captureLogs(async () => {
      const answers: Record<string, unknown>[] = [];
      for (let message = 0; message < 10; message += 1) {
        answers.push(replyOf(await handler(callbackEvent({ secret: SECRET, command, body, operationID: `op-${message}` }), stubContext)));
        await sleep(200);
      }
      return answers;
    });

    // Assess: every message got the fail-open fallback (the request echoed), the later ones for want of a policy
    for (const reply of fallbacks) expect(reply).toEqual(identityReply(command, JSON.parse(body) as Record<string, unknown>));
    const reasons = lines.filter((line) => line.message === 'callback answered with the fallback reply').map((line) => line.reason);
    expect(reasons).toHaveLength(fallbacks.length);
    expect(reasons.at(-1)).toBe('PolicyUnavailableError');
    expect(lines.some((line) => line.BeforeFallbackReply === 1 && line.reason === 'PolicyUnavailableError')).toBe(true);
    expect(lines.some((line) => line.message === 'moderation policy store unreachable; keeping the policy in force')).toBe(true);
  });

  it('stops with the documented errCode when fail-closed is configured', async () => {
    // Prepare
    const handler = await loadHandler({ BEFORE_FAILURE_MODE: 'closed' });

    // Act
    const { result } = await captureLogs(() =>
      handler(callbackEvent({ secret: SECRET, command: 'callbackBeforeSendSingleMsgCommand', body: '{' }), stubContext),
    );

    // Assess
    expect(replyOf(result)).toMatchObject({ actionCode: 0, nextCode: 1, errCode: HOOK_ERROR_CODES.callbackUnavailable });
  });

  it('always answers JSON OpenIM can parse, whatever the body (property)', async () => {
    // Prepare
    const handler = await loadHandler();
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.constantFrom('{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', 'null', '[]', '\n'),
    );

    // Act + Assess
    await captureLogs(() =>
      fc.assert(
        fc.asyncProperty(bodies, fc.constantFrom(...COMMAND_NAMES), async (body, command) => {
          const result = await handler(callbackEvent({ secret: SECRET, command, body }), stubContext);
          const reply = replyOf(result);
          expect(result.statusCode).toBe(200);
          for (const field of ['actionCode', 'errCode', 'nextCode'] as const) expect(typeof reply[field]).toBe('number');
          // Without a readable request, a continue would blank a set-group-info's group: those stop instead.
          const unreadable = requestObjectOrUndefined(body) === undefined;
          if (command === 'callbackBeforeOfflinePushCommand' && reply.nextCode === 1) expect(reply.errCode).toBe(HOOK_ERROR_CODES.pushTakenOver);
          else expect(reply.nextCode).toBe(unreadable && needsRequestToContinue(command) ? 1 : 0);
        }),
        { numRuns: 300 },
      ),
    );
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
