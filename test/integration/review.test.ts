/**
 * The moderator workflow over real HTTP against the real local server: a flagged message reaches
 * the review queue through the topic and the review worker; decisions reach the OpenIM stand-in
 * exactly once and are logged; blocked messages make repeat offenders muted; every /api route
 * refuses a missing or wrong token.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatEvent } from '#shared/events/chat-event.ts';
import { HOOK_ERROR_CODES } from '#shared/openim/error-codes.ts';
import { eventually } from '../helpers/eventually.ts';
import { subscribeTap } from '../helpers/messaging.ts';
import { STAND_IN_ADMIN_USER_ID } from '../helpers/openim-admin-stand-in.ts';
import { api, sendGroupMessage, startReviewRig, type ReviewRig } from '../helpers/review-server.ts';

describe('Moderator workflow over HTTP', () => {
  let rig: ReviewRig;
  let sqs: SQSClient;
  let tapUrl: string;

  beforeAll(async () => {
    rig = await startReviewRig({ REVIEW_CLAIM_SECONDS: '2', REPEAT_OFFENDER_THRESHOLD: '2', REPEAT_OFFENDER_MUTE_SECONDS: '600' });
    const config = { endpoint: rig.server.messagingEndpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } };
    sqs = new SQSClient({ ...config, useQueueUrlAsEndpoint: false });
    const topic = { endpoint: rig.server.messagingEndpoint, topicArn: rig.server.chatEventsTopicArn };
    tapUrl = await subscribeTap(sqs, topic, 'decided-tap', { eventType: ['moderation.decided'] });
  });

  afterAll(async () => {
    await rig?.stop();
  });

  async function decidedEvents(): Promise<ChatEvent[]> {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: tapUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const message of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: tapUrl, ReceiptHandle: message.ReceiptHandle! }));
    return Messages.map((message) => ChatEvent.parse(JSON.parse(message.Body!)));
  }

  const pendingItem = (itemId: string) =>
    eventually(async () => {
      const { body } = await api(rig, 'GET', '/api/review/items?state=pending&limit=100');
      return (body.items as { itemId: string }[]).find((item) => item.itemId === itemId);
    });

  it('queues a flagged message, and carries a double-sent decision out once, logged and published', async () => {
    // Prepare
    const { reply, conversationID, seq } = await sendGroupMessage(rig, { text: 'send a w1re transfer now', sendID: 'fred', groupID: 'g-http', clientMsgID: 'http-1' });
    const item = await pendingItem('http-1');
    const claimed = await api(rig, 'POST', '/api/review/items/http-1/claim');
    const before = rig.standIn.effects().length;

    // Act
    const decisions = await Promise.all([
      api(rig, 'POST', '/api/review/items/http-1/decision', { decision: 'removed', reason: 'fraud' }),
      api(rig, 'POST', '/api/review/items/http-1/decision', { decision: 'removed', reason: 'fraud' }),
    ]);

    // Assess
    expect(reply.errCode).toBe(0);
    expect(item).toMatchObject({ terms: ['wire transfer'], highlights: [{ text: 0, start: 7, end: 20, term: 'wire transfer' }] });
    expect(claimed).toMatchObject({ status: 200, body: { state: 'claimed', claimedBy: 'local-operator' } });
    expect(decisions.map((d) => d.status).sort()).toEqual([200, 409]);
    expect(rig.standIn.effects().slice(before).map((call) => [call.path, call.body])).toEqual([
      ['/msg/revoke_msg', { conversationID, seq, userID: STAND_IN_ADMIN_USER_ID }],
    ]);
    const log = await api(rig, 'GET', '/api/review/log?itemId=http-1');
    expect(log.body.entries).toEqual([expect.objectContaining({ decision: 'removed', actor: 'local-operator', policyVersion: 1, outcome: 'applied' })]);
    expect((await api(rig, 'GET', '/api/review/log?userID=fred')).body.entries).toHaveLength(1);
    const events = await eventually(async () => {
      const found = await decidedEvents();
      return found.length > 0 && found;
    });
    expect(events.map((event) => (event.payload as { itemId?: string }).itemId)).toEqual(['http-1']);
  });

  it('returns an abandoned claim to pending once it expires', async () => {
    // Prepare
    await sendGroupMessage(rig, { text: 'crypto scam here', sendID: 'gina', groupID: 'g-http', clientMsgID: 'http-2' });
    await pendingItem('http-2');
    await api(rig, 'POST', '/api/review/items/http-2/claim');
    const claimedCount = (await api(rig, 'GET', '/api/review/counts')).body.claimed as number;

    // Act
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const item = await api(rig, 'GET', '/api/review/items/http-2');

    // Assess
    expect(claimedCount).toBeGreaterThanOrEqual(1);
    expect(item.body.item.state).toBe('pending');
  });

  it('mutes a repeat offender in the group after the threshold of blocked messages', async () => {
    // Act
    for (const clientMsgID of ['block-1', 'block-2']) {
      const { reply } = await sendGroupMessage(rig, { text: 'you badword', sendID: 'hank', groupID: 'g-rep', clientMsgID });
      expect(reply.errCode).toBe(HOOK_ERROR_CODES.messageBlocked);
    }

    // Assess
    const mute = await eventually(async () => rig.standIn.effects().find((call) => call.path === '/group/mute_group_member'));
    expect(mute.body).toEqual({ groupID: 'g-rep', userID: 'hank', mutedSeconds: 600 });
    const log = await eventually(async () => (await api(rig, 'GET', '/api/review/log?userID=hank')).body.entries[0]);
    expect(log).toMatchObject({ kind: 'penalty', actor: 'system:repeat-offender', penalty: { kind: 'mute', penaltyKey: 'mute#g-rep#hank' } });
  });

  it('serves the OpenAPI document generated from the schemas', async () => {
    // Act
    const { status, body } = await api(rig, 'GET', '/api/openapi.json');

    // Assess
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(body.paths['/api/review/items/{itemId}/decision'].post.requestBody.content['application/json'].schema.properties.decision.enum).toEqual([
      'approved',
      'removed',
      'muted',
      'banned',
    ]);
    // The review item's schema (zod/mini) keeps its descriptions and integer offsets in the document.
    const item = body.paths['/api/review/items/{itemId}'].get.responses['200'].content['application/json'].schema.properties.item;
    expect(item.properties.flaggedAt).toEqual({ type: 'string', description: 'ISO time the flag, first report or appeal reached the review queue' });
    expect(item.properties.claimedAt).toEqual({ type: 'string', description: 'ISO time of the claim now held' });
    expect(item.properties.highlights.items.properties.start).toMatchObject({ type: 'integer' });
    expect(item.required).toEqual(expect.arrayContaining(['itemId', 'state', 'source', 'flaggedAt', 'terms', 'texts', 'highlights', 'message']));
    expect(item.required).not.toContain('claimedAt');
  });

  const routes = [
    ['GET', '/api/review/items'],
    ['GET', '/api/review/items/x'],
    ['POST', '/api/review/items/x/claim'],
    ['POST', '/api/review/items/x/decision'],
    ['GET', '/api/review/counts'],
    ['GET', '/api/review/log?userID=x'],
    ['POST', '/api/review/penalties/lift'],
    ['GET', '/api/openapi.json'],
    ['GET', '/api/moderation/policy'],
  ].flatMap(([method, path]) => [
    { method: method!, path: path!, case: 'no token', token: undefined },
    { method: method!, path: path!, case: 'a wrong token', token: 'not-the-token-0123456789' },
  ]);

  it.each(routes)('answers 401 to $method $path with $case', async ({ method, path, token }) => {
    // Act
    const response = await fetch(`${rig.server.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });

    // Assess
    expect(response.status).toBe(401);
  });

  it('serves the console page without data and its data only with the token', async () => {
    // Act
    const page = await fetch(`${rig.server.url}/console/`);
    const vendor = await fetch(`${rig.server.url}/console/vendor/preact.mjs`);
    const outside = await fetch(`${rig.server.url}/console/../package.json`);

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(vendor.headers.get('content-type')).toContain('javascript');
    expect(outside.status).toBe(404);
  });
});
