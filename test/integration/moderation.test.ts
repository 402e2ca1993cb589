/**
 * Moderation in the send path, over real HTTP against the real local server, with the policy in
 * the local DynamoDB (seeded from MODERATION_POLICY_FILE) and flag events on the real topic.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createDynamoDocumentClient, QueryCommand } from '#shared/aws/dynamodb-client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatEvent } from '#shared/events/chat-event.ts';
import { BLOCKED_MESSAGE } from '#shared/moderation/message-moderation.ts';
import { ModerationEventPayload } from '#shared/moderation/moderation-event.ts';
import { HOOK_ERROR_CODES } from '#shared/openim/error-codes.ts';
import { eventually } from '../helpers/eventually.ts';
import { readEvent } from '../helpers/events.ts';
import { startLocalServer, type RunningServer } from '../helpers/local-server.ts';
import { subscribeTap } from '../helpers/messaging.ts';

const CONTINUE = { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 };
const SCOPED_GROUP = '2796523651';
const POLICY = {
  blocked: ['ass', 'cunt', 'badword', 'scam link'],
  masked: ['damn', 'crap', { term: 'spoiler', groupIDs: [SCOPED_GROUP] }],
  flagged: ['wire transfer'],
  allowed: [],
};

function policyFile(policy: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.json');
  writeFileSync(file, JSON.stringify(policy));
  return file;
}

/** A sample request with its message text replaced, as the OpenIM SDK would encode it. */
function messageWithText(command: string, text: string, patch: Record<string, unknown> = {}): string {
  const sample = readEvent(command);
  const content = sample.contentType === 106 ? { text, atUserList: ['3516524387'], isAtSelf: false } : { content: text };
  return `${JSON.stringify({ ...sample, content: JSON.stringify(content), ...patch })}\n`;
}

async function post(server: RunningServer, command: string, body: string) {
  const response = await fetch(`${server.webhookBase}/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', operationID: `mod-${Math.random()}` },
    body,
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('Moderation over HTTP', () => {
  let server: RunningServer;
  let sqs: SQSClient;
  let tapQueueUrl: string;

  beforeAll(async () => {
    server = await startLocalServer({ MODERATION_POLICY_FILE: policyFile(POLICY), POLICY_REFRESH_MS: '100' });
    sqs = new SQSClient({ endpoint: server.messagingEndpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    const topic = { endpoint: server.messagingEndpoint, topicArn: server.chatEventsTopicArn };
    tapQueueUrl = await subscribeTap(sqs, topic, 'moderation-tap', { eventType: [{ prefix: 'moderation.' }] });
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function moderationEvents(): Promise<ChatEvent[]> {
    const events: ChatEvent[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: tapQueueUrl, MaxNumberOfMessages: 10 }));
      if (Messages.length === 0) return events;
      for (const message of Messages) {
        events.push(ChatEvent.parse(JSON.parse(message.Body!)));
        await sqs.send(new DeleteMessageCommand({ QueueUrl: tapQueueUrl, ReceiptHandle: message.ReceiptHandle! }));
      }
    }
  }

  const evasions = [
    { style: 'plain', text: 'you badword' },
    { style: 'case', text: 'you BaDwOrD' },
    { style: 'spaced letters', text: 'you b a d w o r d' },
    { style: 'punctuation between letters', text: 'you b.a.d.w.o.r.d' },
    { style: 'fullwidth', text: 'you ｂａｄｗｏｒｄ' },
    { style: 'zero-width characters', text: 'you bad\u200bwo\u200crd' },
    { style: 'combining marks', text: 'you b\u0301a\u0308dword' },
    { style: 'repeated letters', text: 'you baaaadwoooord' },
    { style: 'leetspeak', text: 'you b4dw0rd' },
    { style: 'homoglyphs', text: 'you bаdwоrd' },
    { style: 'a phrase with symbols', text: 'click this $c@m l1nk' },
  ];
  const sendCommands = ['callbackBeforeSendSingleMsgCommand', 'callbackBeforeSendGroupMsgCommand'];

  it.each(sendCommands.flatMap((command) => evasions.map((evasion) => ({ command, ...evasion }))))(
    'stops $command with $style',
    async ({ command, text }) => {
      // Act
      const reply = await post(server, command, messageWithText(command, text));

      // Assess
      expect(reply).toEqual({
        actionCode: 0,
        errCode: HOOK_ERROR_CODES.messageBlocked,
        errMsg: BLOCKED_MESSAGE,
        errDlt: 'policy version 1',
        nextCode: 1,
      });
    },
  );

  it.each(
    sendCommands.flatMap((command) =>
      ['a classic class assessment', 'Scunthorpe United', 'the grass is greener', 'passage by the bass player'].map((text) => ({ command, text })),
    ),
  )('lets "$text" through $command', async ({ command, text }) => {
    // Assess
    expect(await post(server, command, messageWithText(command, text))).toEqual(CONTINUE);
  });

  it('masks in message-modify, keeping every other byte and valid JSON content', async () => {
    // Prepare
    const body = messageWithText('callbackBeforeMsgModifyCommand', 'this d-a-m-n build is CRAP <3 & more');
    const original = JSON.parse(body).content as string;

    // Act
    const reply = await post(server, 'callbackBeforeMsgModifyCommand', body);

    // Assess
    expect(Object.keys(reply).sort()).toEqual([...Object.keys(CONTINUE), 'content'].sort());
    expect(JSON.parse(reply.content as string)).toEqual({ content: 'this ******* build is **** <3 & more' });
    expect((reply.content as string).length).toBe(original.length);
  });

  it('masks a group-scoped term in message-modify only for a message sent to that group', async () => {
    // Prepare: OpenIM's modify request has no groupID; the before-send just before it tells.
    const text = 'big spoiler ahead';
    const inGroup = { clientMsgID: 'scoped-in-group', sessionType: 3 };
    const elsewhere = { clientMsgID: 'scoped-elsewhere', sessionType: 3 };
    await post(server, 'callbackBeforeSendGroupMsgCommand', messageWithText('callbackBeforeSendGroupMsgCommand', text, { ...inGroup, groupID: SCOPED_GROUP }));
    await post(server, 'callbackBeforeSendGroupMsgCommand', messageWithText('callbackBeforeSendGroupMsgCommand', text, { ...elsewhere, groupID: 'another-group' }));

    // Act
    const masked = await post(server, 'callbackBeforeMsgModifyCommand', messageWithText('callbackBeforeMsgModifyCommand', text, inGroup));
    const kept = await post(server, 'callbackBeforeMsgModifyCommand', messageWithText('callbackBeforeMsgModifyCommand', text, elsewhere));

    // Assess
    expect(JSON.parse(masked.content as string)).toEqual({ content: 'big ******* ahead' });
    expect(kept).toEqual(CONTINUE);
  });

  it('leaves message-modify alone when nothing is masked', async () => {
    // Assess
    expect(await post(server, 'callbackBeforeMsgModifyCommand', messageWithText('callbackBeforeMsgModifyCommand', 'all fine'))).toEqual(CONTINUE);
  });

  it('lets a flagged message through, publishes it for review and has the violation counted', async () => {
    // Prepare
    const body = messageWithText('callbackBeforeSendSingleMsgCommand', 'please do a W1RE transfer today', { sendID: 'flag-user', clientMsgID: 'flag-msg-1' });

    // Act
    const reply = await post(server, 'callbackBeforeSendSingleMsgCommand', body);
    // Journaled before the answer, events reach the topic from the journal's forwarder in the
    // background, the earlier tests' blocks among them.
    const received: ChatEvent[] = [];
    const isThisMessage = (event: ChatEvent) => (event.payload as { clientMsgID?: string }).clientMsgID === 'flag-msg-1';
    await eventually(async () => {
      received.push(...(await moderationEvents()));
      return received.some(isThisMessage);
    });
    const events = received.filter(isThisMessage);

    // Assess
    expect(reply).toEqual(CONTINUE);
    expect(events).toHaveLength(1);
    expect(events[0]!.eventType).toBe('moderation.flagged');
    const payload = ModerationEventPayload.parse(events[0]!.payload);
    expect(payload).toMatchObject({
      decision: 'flagged',
      policyVersion: 1,
      sendID: 'flag-user',
      matches: [{ term: 'wire transfer', action: 'flagged' }],
      conversationID: `si_${['flag-user', JSON.parse(body).recvID].sort().join('_')}`,
    });
    const documents = createDynamoDocumentClient({ endpoint: server.dynamodbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    // The review worker counts the violation from the event, off the send path.
    const violations = await eventually(async () => {
      const { Items = [] } = await documents.send(
        new QueryCommand({ TableName: 'moderation-violations', KeyConditionExpression: 'userID = :u', ExpressionAttributeValues: { ':u': 'flag-user' } }),
      );
      return Items.length > 0 && Items;
    });
    expect(violations).toEqual([expect.objectContaining({ kind: 'flagged', policyVersion: 1, terms: ['wire transfer'] })]);
  });

  it('applies a policy change made through the operator API without a restart', async () => {
    // Prepare
    const body = messageWithText('callbackBeforeSendGroupMsgCommand', 'free pizza tonight');
    expect(await post(server, 'callbackBeforeSendGroupMsgCommand', body)).toEqual(CONTINUE);

    // Act
    const saved = await fetch(`${server.url}/api/moderation/policy`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.apiToken}` },
      body: JSON.stringify({ ...POLICY, blocked: [...POLICY.blocked, 'pizza'] }),
    });
    // The new version comes into force once a message finds its read due (POLICY_REFRESH_MS) and its
    // compile is done; on a loaded machine that can take more than a few messages, so send until then.
    const replies: Awaited<ReturnType<typeof post>>[] = [];
    await eventually(async () => {
      replies.push(await post(server, 'callbackBeforeSendGroupMsgCommand', body));
      return replies.at(-1)!.errCode !== 0;
    });

    // Assess
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ version: 2, updatedBy: 'local-operator' });
    expect(replies.at(-1)).toMatchObject({ errCode: HOOK_ERROR_CODES.messageBlocked, nextCode: 1, errDlt: 'policy version 2' });
    // Until then the version in force answered: the message went on, unchanged.
    const before = replies.slice(0, -1);
    expect(before).toEqual(before.map(() => CONTINUE));
  });

  it('counts its decisions summed, in a metric line a second rather than one a message', async () => {
    // Prepare: the counts of the tests before written, so that what follows is this test's alone.
    const blockedLines = () => server.logLines().filter((line) => line._aws && line.decision === 'blocked');
    const blockedCount = () => blockedLines().reduce((sum, line) => sum + Number(line.ModerationDecision), 0);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const [linesBefore, countBefore] = [blockedLines().length, blockedCount()];
    const blocked = messageWithText('callbackBeforeSendGroupMsgCommand', 'you badword');

    // Act
    const replies = await Promise.all(Array.from({ length: 20 }, () => post(server, 'callbackBeforeSendGroupMsgCommand', blocked)));

    // Assess
    expect(replies.every((reply) => reply.errCode === HOOK_ERROR_CODES.messageBlocked)).toBe(true);
    await eventually(() => blockedCount() === countBefore + 20);
    // Twenty answers take well under a second here: one line, or a few if a loaded machine spreads them over seconds.
    expect(blockedLines().length - linesBefore).toBeLessThanOrEqual(5);
  });

  it('refuses an invalid policy with the reason and keeps the one in force', async () => {
    // Act
    const response = await fetch(`${server.url}/api/moderation/policy`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.apiToken}` },
      body: JSON.stringify({ blocked: [{ term: '(', regex: true }] }),
    });
    const current = await fetch(`${server.url}/api/moderation/policy`, { headers: { authorization: `Bearer ${server.apiToken}` } });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 400, errors: [expect.objectContaining({ message: expect.stringContaining('regular expression') })] });
    expect(((await current.json()) as { version: number }).version).toBeGreaterThanOrEqual(1);
  });
});

describe('Moderation fail-safe over HTTP', () => {
  it('answers with the fail-closed stop when the decision overruns its budget', async () => {
    // Prepare: a 1 ms budget cannot cover a read of the policy store's version, which a message waits for
    // when it is due (POLICY_REFRESH_MS) and no read started ahead is under way. At a 1 ms interval the
    // read-ahead timer often runs over an interval late while messages are handled, which leaves the
    // read to the next message; others find the version fresh or read ahead: several are sent.
    const server = await startLocalServer({
      MODERATION_POLICY_FILE: policyFile(POLICY),
      POLICY_REFRESH_MS: '1',
      BEFORE_BUDGET_MS: '1',
      BEFORE_FAILURE_MODE: 'closed',
    });
    const failClosed = { actionCode: 0, nextCode: 1, errCode: HOOK_ERROR_CODES.callbackUnavailable };

    try {
      // Act
      const replies: Record<string, unknown>[] = [];
      for (let message = 0; message < 20; message++) {
        replies.push(await post(server, 'callbackBeforeSendSingleMsgCommand', messageWithText('callbackBeforeSendSingleMsgCommand', 'hello')));
      }

      // Assess: every reply is the fail-closed stop or, decided in time, the identity continue.
      expect(replies).toContainEqual(expect.objectContaining(failClosed));
      for (const reply of replies) expect([failClosed.errCode, 0]).toContain(reply.errCode);
      // The overrun says where the time went: the read of the policy store (the line comes through a pipe).
      await eventually(() => server.logLines().some((line) => line.reason === 'BudgetExceededError' && line.failureMode === 'closed' && line.stage === 'policy'));
      // Counted, in the line of summed counts the server writes each second.
      await eventually(() => server.logLines().some((line) => line._aws && line.stage === 'policy' && line.outcome === 'abandoned' && Number(line.BeforeBudgetOverrun) >= 1));
    } finally {
      await server.stop();
    }
  });
});
