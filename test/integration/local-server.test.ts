/**
 * The real local server (what `npm start` runs) over real HTTP, with OpenIM-shaped requests:
 * the samples in events/ as OpenIM sends them, the headers it sets, and its URL layout.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatEvent } from '#shared/events/chat-event.ts';
import { COMMAND_NAMES, isKnownCommand, modeOf } from '#shared/openim/commands.ts';
import { HOOK_ERROR_CODES } from '#shared/openim/error-codes.ts';
import { identityReply } from '#shared/openim/replies.ts';
import { FORWARDING_THREAD } from '#shared/events/threaded-entry-publisher.ts';
import { BACKGROUND_NICENESS } from '#shared/process/background-priority.ts';
import { TAKEN_OVER_MESSAGE } from '#shared/push/offline-push-decider.ts';
import { AWS_STAND_INS_THREAD } from '../../local/embedded-aws.ts';
import { readEvent, readEventBody } from '../helpers/events.ts';
import { eventually } from '../helpers/eventually.ts';
import { startLocalServer, TEST_SECRET, type RunningServer } from '../helpers/local-server.ts';
import { subscribeTap } from '../helpers/messaging.ts';

const CONTINUE = '{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}';

function postCallback(base: string, command: string, body: string, query = '', operationID = `it-${command}`) {
  return fetch(`${base}/${command}${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', operationID },
    body,
  });
}

describe('Local server: OpenIM callbacks over HTTP', () => {
  let server: RunningServer;
  let sqs: SQSClient;
  let tapQueueUrl: string;

  beforeAll(async () => {
    server = await startLocalServer();
    const clientConfig = {
      endpoint: server.messagingEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    sqs = new SQSClient(clientConfig);
    tapQueueUrl = await subscribeTap(sqs, { endpoint: server.messagingEndpoint, topicArn: server.chatEventsTopicArn }, 'test-tap');
  });

  afterAll(async () => {
    await server?.stop();
  });

  /**
   * The chat events published since the last call. The after-callback answers once its event is
   * journaled and the journal is forwarded in the background, so an after-callback posted as a
   * marker (journaled after everything posted before it, forwarded in journal order) is waited
   * for; everything before it is returned, deleted as it is read.
   */
  async function receiveChatEvents(): Promise<ChatEvent[]> {
    const marker = `marker-${randomUUID()}`;
    const posted = await fetch(`${server.webhookBase}/callbackAfterSendSingleMsgCommand`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', operationID: marker },
      body: readEventBody('callbackAfterSendSingleMsgCommand'),
    });
    expect(posted.status).toBe(200);
    const events: ChatEvent[] = [];
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: tapQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const message of received.Messages ?? []) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: tapQueueUrl, ReceiptHandle: message.ReceiptHandle! }));
        const event = ChatEvent.parse(JSON.parse(message.Body!));
        if (event.operationID === marker) return events;
        events.push(event);
      }
    }
    throw new Error(`the marker after-callback ${marker} did not reach the tap queue within 15 s`);
  }

  it('prints a webhook base URL with the secret and a webhooks.yml that uses it', () => {
    // Assess
    expect(server.webhookBase).toBe(`${server.url}/openim/${TEST_SECRET}`);
    expect(server.output).toContain(`url: ${server.webhookBase}`);
  });

  it('publishes each after-callback sample once, and of the before-callbacks only the offline push it takes over', async () => {
    // Prepare
    await receiveChatEvents();
    const afterCommands = COMMAND_NAMES.filter((command) => modeOf(command) === 'after');

    // Act
    for (const command of COMMAND_NAMES) await postCallback(server.webhookBase, command, readEventBody(command));
    const events = await receiveChatEvents();

    // Assess
    expect(events.filter((event) => isKnownCommand(event.eventType)).map((event) => event.eventType).sort()).toEqual([...afterCommands].sort());
    expect(events.filter((event) => !isKnownCommand(event.eventType)).map((event) => event.eventType)).toEqual(['push.job']);
    expect(events.every((event) => event.valid)).toBe(true);
  });

  it.each(COMMAND_NAMES.filter((command) => command !== 'callbackBeforeOfflinePushCommand').map((command) => ({ command })))(
    'answers the $command sample with its identity "continue"',
    async ({ command }) => {
      // Act
      const response = await postCallback(server.webhookBase, command, readEventBody(command));

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual(identityReply(command, JSON.parse(readEventBody(command)) as Record<string, unknown>));
    },
  );

  it('answers the set-group-info sample with its group ID and name echoed, so OpenIM keeps them', async () => {
    // Act
    const response = await postCallback(server.webhookBase, 'callbackBeforeSetGroupInfoCommand', readEventBody('callbackBeforeSetGroupInfoCommand'));

    // Assess
    const sample = JSON.parse(readEventBody('callbackBeforeSetGroupInfoCommand')) as Record<string, unknown>;
    expect(await response.json()).toEqual({ ...JSON.parse(CONTINUE), groupID: sample.groupID, groupName: sample.groupName, faceURL: sample.faceURL, introduction: sample.introduction });
  });

  it('answers the beforeOfflinePush sample with the documented take-over stop, so OpenIM skips its own push', async () => {
    // Act
    const response = await postCallback(server.webhookBase, 'callbackBeforeOfflinePushCommand', readEventBody('callbackBeforeOfflinePushCommand'));

    // Assess
    expect(await response.json()).toEqual({
      actionCode: 0,
      errCode: HOOK_ERROR_CODES.pushTakenOver,
      errMsg: TAKEN_OVER_MESSAGE,
      errDlt: '1 push job(s) queued',
      nextCode: 1,
    });
  });

  it('continues a v3.8.3 group notification, whose content is not element JSON', async () => {
    // Prepare: v3.8.3 does not filter notifications out of the send callbacks (contract §1).
    const notification = { ...readEvent('callbackBeforeSendGroupMsgCommand'), contentType: 1501, sendID: 'imAdmin', msgFrom: 200, content: '\u0012\u0004tips', atUserList: null };

    // Act
    const response = await postCallback(server.webhookBase, 'callbackBeforeSendGroupMsgCommand', `${JSON.stringify(notification)}\n`);

    // Assess
    expect(await response.text()).toBe(CONTINUE);
  });

  it('publishes an after-callback to chat-events with the payload as sent and the decoded ?key=', async () => {
    // Prepare
    await receiveChatEvents();
    const key = Buffer.from(JSON.stringify({ sendID: 'a', recvID: 'b', groupID: '' })).toString('base64');

    // Act
    await postCallback(
      server.webhookBase,
      'callbackAfterSendSingleMsgCommand',
      readEventBody('callbackAfterSendSingleMsgCommand'),
      `?key=${encodeURIComponent(key)}`,
    );
    const events = await receiveChatEvents();

    // Assess
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventType: 'callbackAfterSendSingleMsgCommand',
      operationID: 'it-callbackAfterSendSingleMsgCommand',
      valid: true,
      routingKey: { sendID: 'a', recvID: 'b', groupID: '' },
      payload: readEvent('callbackAfterSendSingleMsgCommand'),
    });
  });

  it('answers 404 to a wrong secret and records nothing', async () => {
    // Prepare
    await receiveChatEvents();
    const logLinesBefore = server.logLines().length;
    const operationID = `it-wrong-secret-${randomUUID()}`;

    // Act
    const response = await postCallback(
      `${server.url}/openim/not-the-secret`,
      'callbackAfterSendSingleMsgCommand',
      readEventBody('callbackAfterSendSingleMsgCommand'),
      '',
      operationID,
    );

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ ...JSON.parse(CONTINUE), error: 'not found' });
    expect(await receiveChatEvents()).toEqual([]);
    // The workers' process writes to the same output: lines about earlier tests' events may come
    // meanwhile, so only those about this request count.
    const aboutThisRequest = server.logLines().slice(logLinesBefore).filter((line) => {
      const text = JSON.stringify(line);
      return text.includes(operationID) || text.includes('not-the-secret') || /secret|unauthori[sz]ed|forbidden/i.test(String(line.message));
    });
    expect(aboutThisRequest).toEqual([]);
  });

  it.each([
    { case: 'a secret that is not valid percent-encoding', path: () => `${server.url}/openim/%E0%A4%A`, command: 'callbackBeforeSendSingleMsgCommand', body: () => '{}', status: 404 },
    { case: 'a command that is not valid percent-encoding', path: () => server.webhookBase, command: 'callback%C3%28', body: () => '{}', status: 200 },
    { case: 'a wrong secret with a large body, refused before the body is read', path: () => `${server.url}/openim/not-the-secret`, command: 'callbackBeforeSendSingleMsgCommand', body: () => 'x'.repeat(9 * 1024 * 1024), status: 404 },
    { case: 'a body over the size limit', path: () => server.webhookBase, command: 'callbackBeforeSendSingleMsgCommand', body: () => 'x'.repeat(11 * 1024 * 1024), status: 413 },
  ])('answers OpenIM\'s JSON to $case', async ({ path, command, body, status }) => {
    // Act
    const response = await postCallback(path(), command, body());

    // Assess
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject(JSON.parse(CONTINUE));
  });

  it('answers "continue" to a body that is not JSON and logs the operationID but not the body', async () => {
    // Act
    const response = await postCallback(server.webhookBase, 'callbackBeforeSendSingleMsgCommand', 'secret words <3');

    // Assess (the server's output reaches the test through a pipe: wait for the line)
    expect(await response.text()).toBe(CONTINUE);
    await eventually(() =>
      server.logLines().some((line) => line.operationID === 'it-callbackBeforeSendSingleMsgCommand' && line.reason === 'MalformedBodyError'),
    );
    expect(server.output.join('\n')).not.toContain('secret words');
    expect(server.output.join('\n')).not.toContain(`"${TEST_SECRET}"`);
  });

  it('forwards the journal, runs the AWS stand-ins and works the queues at nice 19, below the event loop that answers', async () => {
    // Prepare: an after-callback, so that the journal's forwarding thread has work
    await postCallback(server.webhookBase, 'callbackAfterSendSingleMsgCommand', readEventBody('callbackAfterSendSingleMsgCommand'));
    const niceOf = (pid: number, thread: number) => Number(readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const threadsOf = (pid: number) => readdirSync(`/proc/${pid}/task`).map(Number);
    const nameOf = (pid: number, thread: number) => readFileSync(`/proc/${pid}/task/${thread}/comm`, 'utf8').trim();
    const { serverPid } = server;
    const [workersPid] = server.workerPids();
    const forwarder = await eventually(() => threadsOf(serverPid).find((thread) => nameOf(serverPid, thread) === FORWARDING_THREAD));
    const standIns = threadsOf(serverPid).find((thread) => nameOf(serverPid, thread) === AWS_STAND_INS_THREAD)!;

    // Assess
    // The threads lower themselves once their modules have loaded.
    await eventually(() => niceOf(serverPid, forwarder) === BACKGROUND_NICENESS);
    expect(niceOf(serverPid, standIns)).toBe(BACKGROUND_NICENESS);
    expect(new Set(threadsOf(workersPid!).map((thread) => niceOf(workersPid!, thread)))).toEqual(new Set([BACKGROUND_NICENESS]));
    // Every other thread of the server keeps nice 0: the event loop that answers, V8's helpers, libuv's pool.
    const others = threadsOf(serverPid).filter((thread) => thread !== forwarder && thread !== standIns);
    expect(others.map((thread) => nameOf(serverPid, thread))).toEqual(expect.arrayContaining(['MainThread', 'libuv-worker']));
    expect(new Set(others.map((thread) => niceOf(serverPid, thread)))).toEqual(new Set([0]));
  });

  it('protects the operator API with the bearer token', async () => {
    // Act
    const anonymous = await fetch(`${server.url}/api/presence/u1`);
    const wrong = await fetch(`${server.url}/api/presence/u1`, { headers: { authorization: 'Bearer nope' } });
    const health = await fetch(`${server.url}/health`);

    // Assess
    expect(anonymous.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});

describe('Local server: lifecycle', () => {
  it('keeps a generated secret and the DynamoDB data across restarts, and stops cleanly on SIGTERM', async () => {
    // Prepare
    const first = await startLocalServer({ CALLBACK_SECRET: undefined, API_TOKEN: undefined });
    const saved = await fetch(`${first.url}/api/moderation/policy`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${first.apiToken}` },
      body: JSON.stringify({ blocked: ['persisted'] }),
    });
    expect(saved.status).toBe(200);

    // Act
    const firstExit = await first.stop('SIGTERM');
    const second = await startLocalServer({ CALLBACK_SECRET: undefined, API_TOKEN: undefined, DATA_DIR: first.dataDir });
    const policy = (await (await fetch(`${second.url}/api/moderation/policy`, { headers: { authorization: `Bearer ${second.apiToken}` } })).json()) as {
      version: number;
      policy: { blocked: string[] };
    };
    const secondExit = await second.stop('SIGINT');

    // Assess
    expect(policy).toMatchObject({ version: 1, policy: { blocked: ['persisted'] } });
    expect(first.webhookBase).toMatch(/\/openim\/[\w-]{32}$/);
    expect(new URL(second.webhookBase).pathname).toBe(new URL(first.webhookBase).pathname);
    expect(second.apiToken).toBe(first.apiToken);
    expect([firstExit, secondExit]).toEqual([0, 0]);
  });

  it('refuses a second server on the same DATA_DIR with the reason, and frees it on stop', async () => {
    // Prepare
    const first = await startLocalServer();

    // Act
    const second = startLocalServer({ DATA_DIR: first.dataDir });
    await expect(second).rejects.toThrow(/DATA_DIR .* is in use by another openim-hooks \(pid \d+\)/);
    await first.stop();
    const third = await startLocalServer({ DATA_DIR: first.dataDir });
    const health = await fetch(`${third.url}/health`);
    await third.stop();

    // Assess
    expect(health.status).toBe(200);
  });
});
