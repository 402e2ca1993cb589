/**
 * Offline push through the real local server: OpenIM's beforeOfflinePush for a 2,000-member group
 * is taken over, fanned out through the push queue and the push worker to the outbox, honouring
 * preferences set through the API and presence reported by afterUserOnline callbacks.
 */
import { ScanCommand, createDynamoDocumentClient, type DynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOOK_ERROR_CODES } from '#shared/openim/error-codes.ts';
import { DynamoDbDeviceStore } from '#shared/store/dynamodb-device-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { readEvent } from '../helpers/events.ts';
import { startLocalServer, type RunningServer } from '../helpers/local-server.ts';

const MEMBERS = 2_000;
const GROUP = 'push-group';
const member = (i: number) => `m${String(i).padStart(4, '0')}`;
// Who is who among the members (by index): each rule is checked on its own range.
const MUTED = (i: number) => i < 40;
const CONVERSATION_MUTED = (i: number) => i >= 40 && i < 80;
const MENTIONED = 41;
const IN_DND = (i: number) => i >= 80 && i < 120;
const ONLINE = (i: number) => i >= 120 && i < 150;
const TWO_DEVICES = (i: number) => i % 10 === 0;
const NO_DEVICE = (i: number) => i >= 1_990;

describe('Offline push over HTTP', () => {
  let server: RunningServer;
  let documents: DynamoDocumentClient;

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${server.apiToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const callback = async (command: string, body: object) => {
    const response = await fetch(`${server.webhookBase}/${command}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `${JSON.stringify(body)}\n` });
    return (await response.json()) as Record<string, unknown>;
  };
  const inPool = async (count: number, work: (i: number) => Promise<unknown>) => {
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < count) await work(next++);
    }));
  };

  beforeAll(async () => {
    server = await startLocalServer();
    documents = createDynamoDocumentClient({ endpoint: server.dynamodbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('registers, lists, caps and removes devices through /api/devices', async () => {
    // Act
    const put = await api('PUT', '/api/devices/api-user/phone', { platform: 'android', provider: 'fcm', token: 't-1' });
    const bad = await api('PUT', '/api/devices/api-user/watch', { platform: 'android', provider: 'apns', token: 't-2' });
    await inPool(9, (i) => api('PUT', `/api/devices/api-user/extra-${i}`, { platform: 'web', provider: 'fcm', token: `w-${i}` }));
    const overCap = await api('PUT', '/api/devices/api-user/one-too-many', { platform: 'web', provider: 'fcm', token: 'w-x' });
    const removed = await api('DELETE', '/api/devices/api-user/phone');
    const again = await api('DELETE', '/api/devices/api-user/phone');
    const list = await api('GET', '/api/devices/api-user');

    // Assess
    expect(put).toMatchObject({ status: 200, body: { userID: 'api-user', deviceID: 'phone', platform: 'android', provider: 'fcm', token: 't-1' } });
    expect(bad.status).toBe(400);
    expect(overCap.status).toBe(409);
    expect([removed.status, again.status]).toEqual([200, 404]);
    expect(list.body.devices).toHaveLength(9);
  });

  it('notifies each eligible offline device exactly once and nobody muted, in do-not-disturb or online', async () => {
    // Prepare: devices in bulk through the store on the server's own DynamoDB, preferences and presence through the server.
    const devices = new DynamoDbDeviceStore(documents, TABLE_DEFINITIONS.pushDevices.localName, { maxDevicesPerUser: 10 });
    const now = new Date();
    await inPool(MEMBERS, async (i) => {
      if (NO_DEVICE(i)) return;
      await devices.register(member(i), 'phone', { platform: 'android', provider: 'fcm', token: `tok-${i}` }, now);
      if (TWO_DEVICES(i)) await devices.register(member(i), 'tablet', { platform: 'ios', provider: 'apns', token: `tab-${i}` }, now);
    });
    const hour = now.getUTCHours();
    const dnd = { start: `${String((hour + 23) % 24).padStart(2, '0')}:00`, end: `${String((hour + 2) % 24).padStart(2, '0')}:00` };
    await inPool(MEMBERS, async (i) => {
      if (MUTED(i)) expect((await api('PUT', `/api/push/preferences/${member(i)}`, { muted: true })).status).toBe(200);
      if (CONVERSATION_MUTED(i)) expect((await api('PUT', `/api/push/preferences/${member(i)}/conversations/sg_${GROUP}`)).status).toBe(200);
      if (IN_DND(i)) expect((await api('PUT', `/api/push/preferences/${member(i)}`, { doNotDisturb: dnd, timeZone: 'UTC' })).status).toBe(200);
      if (ONLINE(i)) await callback('callbackAfterUserOnlineCommand', { ...readEvent('callbackAfterUserOnlineCommand'), userID: member(i), seq: Date.now() });
    });
    for (let i = 120; i < 150; i++) {
      for (let tries = 0; !(await api('GET', `/api/presence/${member(i)}`)).body.online; tries++) {
        if (tries > 100) throw new Error(`${member(i)} never became online`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const eligible = Array.from({ length: MEMBERS }, (_, i) => i).filter(
      (i) => !NO_DEVICE(i) && !MUTED(i) && (!CONVERSATION_MUTED(i) || i === MENTIONED) && !IN_DND(i) && !ONLINE(i),
    );
    const expected = eligible.flatMap((i) => [`${member(i)}/phone`, ...(TWO_DEVICES(i) ? [`${member(i)}/tablet`] : [])]).sort();

    // Act
    const reply = await callback('callbackBeforeOfflinePushCommand', {
      ...readEvent('callbackBeforeOfflinePushCommand'),
      sessionType: 3,
      groupID: GROUP,
      clientMsgID: 'group-msg-1',
      atUserIDList: [member(MENTIONED)],
      userIDList: Array.from({ length: MEMBERS }, (_, i) => member(i)),
    });
    const outbox = async () => {
      const items: Record<string, any>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(new ScanCommand({ TableName: TABLE_DEFINITIONS.pushOutbox.localName, ExclusiveStartKey }));
        items.push(...(page.Items ?? []).filter((item) => item.messageID === 'group-msg-1'));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items;
    };
    let delivered: Record<string, any>[] = [];
    for (const deadline = Date.now() + 40_000; delivered.length < expected.length && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      delivered = await outbox();
    }
    // Anything late (a duplicate) would show up within another poll interval.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    delivered = await outbox();
    const sample = await api('GET', `/api/push/outbox?userID=${member(MENTIONED)}`);

    // Assess
    expect(reply).toMatchObject({ actionCode: 0, nextCode: 1, errCode: HOOK_ERROR_CODES.pushTakenOver });
    expect(delivered.map((item) => `${item.userID}/${item.deviceID}`).sort()).toEqual(expected);
    expect(sample.body.items).toEqual([
      expect.objectContaining({ userID: member(MENTIONED), deviceID: 'phone', provider: 'fcm', title: 'Alice', body: 'You have a new message', collapseKey: `sg_${GROUP}`, messageID: 'group-msg-1' }),
    ]);
  }, 120_000);
});
