/** The push stores (devices, preferences, delivery log, outbox) on dynalite and on DynamoDB Local. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceLimitError } from '#shared/push/errors.ts';
import type { DeliveryOutcome, DeliveryWindowRecord } from '#shared/store/delivery-log.ts';
import { DynamoDbDeliveryLog } from '#shared/store/dynamodb-delivery-log.ts';
import { DynamoDbDeviceStore } from '#shared/store/dynamodb-device-store.ts';
import { DynamoDbOutboxStore } from '#shared/store/dynamodb-outbox-store.ts';
import { DynamoDbPreferenceStore } from '#shared/store/dynamodb-preference-store.ts';
import type { OutboxItem } from '#shared/store/outbox-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { ENGINES, startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';

const NOW = new Date('2026-03-02T12:00:00Z');
const android = { platform: 'android', provider: 'fcm', token: 'tok-a' } as const;

describe.each(ENGINES.map((engine) => ({ engine })))('Push stores on $engine', ({ engine }) => {
  let dynamo: DynamoEngine;

  beforeAll(async () => {
    dynamo = await startEngine(engine);
  }, 60_000);
  afterAll(async () => {
    await dynamo?.stop();
  });

  describe('Class: DynamoDbDeviceStore', () => {
    const store = () => new DynamoDbDeviceStore(dynamo.documents, TABLE_DEFINITIONS.pushDevices.localName, { maxDevicesPerUser: 2 });

    it('replaces a device in place and refuses a third one when the cap is two', async () => {
      // Act
      await store().register('cap', 'd1', android, NOW);
      await store().register('cap', 'd1', { ...android, token: 'tok-b' }, NOW);
      await store().register('cap', 'd2', { platform: 'ios', provider: 'apns', token: 'tok-c' }, NOW);
      const third = store().register('cap', 'd3', android, NOW);

      // Assess
      await expect(third).rejects.toBeInstanceOf(DeviceLimitError);
      expect((await store().listFor('cap')).map((d) => [d.deviceID, d.token])).toEqual([['d1', 'tok-b'], ['d2', 'tok-c']]);
    });

    it('removes a device by token only while the token is unchanged', async () => {
      // Prepare
      await store().register('tok', 'd1', android, NOW);

      // Act
      const stale = await store().removeIfToken('tok', 'd1', 'an-older-token');
      const current = await store().removeIfToken('tok', 'd1', 'tok-a');

      // Assess
      expect([stale, current]).toEqual([false, true]);
      expect(await store().listFor('tok')).toEqual([]);
      expect(await store().remove('tok', 'd1')).toBe(false);
    });

    it('finds the devices of many users in bulk', async () => {
      // Prepare
      const users = Array.from({ length: 150 }, (_, i) => `bulk-${i}`);
      await Promise.all(users.map((userID) => store().register(userID, 'phone', android, NOW)));

      // Act
      const devices = await store().devicesOf([...users, 'nobody']);

      // Assess
      expect(devices.map((d) => d.userID).sort()).toEqual([...users].sort());
    });
  });

  describe('Class: DynamoDbPreferenceStore', () => {
    const store = () => new DynamoDbPreferenceStore(dynamo.documents, TABLE_DEFINITIONS.pushPreferences.localName);

    it('keeps muted conversations when the other preferences are replaced', async () => {
      // Act
      await store().muteConversation('pref', 'sg_a', NOW);
      await store().muteConversation('pref', 'si_b_c', NOW);
      await store().unmuteConversation('pref', 'sg_a', NOW);
      await store().put('pref', { muted: false, doNotDisturb: { start: '22:00', end: '07:00' }, timeZone: 'Asia/Tokyo' }, NOW);

      // Assess
      expect(await store().get('pref')).toEqual({
        userID: 'pref',
        muted: false,
        doNotDisturb: { start: '22:00', end: '07:00' },
        timeZone: 'Asia/Tokyo',
        mutedConversations: ['si_b_c'],
      });
      expect((await store().preferencesOf(['pref', 'nobody'])).get('pref')?.timeZone).toBe('Asia/Tokyo');
      expect(await store().get('nobody')).toMatchObject({ muted: false, doNotDisturb: null, mutedConversations: [] });
    });
  });

  describe('Class: DynamoDbDeliveryLog', () => {
    const log = (retentionSeconds = 86_400 * 15) => new DynamoDbDeliveryLog(dynamo.documents, TABLE_DEFINITIONS.pushDeliveries.localName, retentionSeconds);
    const window = (windowID: string, outcomes: Record<string, DeliveryOutcome>, revision: number): DeliveryWindowRecord => ({
      windowID,
      userIDs: ['a', 'b'],
      outcomes: new Map(Object.entries(outcomes)),
      revision,
    });

    it('stores a window only over the revision it read, so of two runs that read the same revision one writes', async () => {
      // Prepare
      const first = await log().replace(window('m-1#window#w', { '0#phone': 'sending' }, 0), new Date());

      // Act
      const raced = await log().replace(window('m-1#window#w', { '1#phone': 'sending' }, 0), new Date());
      const next = await log().replace(window('m-1#window#w', { '0#phone': 'sent', '1#phone': 'unknown' }, first!.revision), new Date());
      const stale = await log().replace(window('m-1#window#w', { '0#phone': 'failed' }, first!.revision), new Date());
      const read = await log().windowsAmong(['m-1#window#w', 'm-1#window#none'], { consistent: true });

      // Assess
      expect([first?.revision, raced, next?.revision, stale]).toEqual([1, undefined, 2, undefined]);
      expect([...read.keys()]).toEqual(['m-1#window#w']);
      expect(read.get('m-1#window#w')).toEqual(window('m-1#window#w', { '0#phone': 'sent', '1#phone': 'unknown' }, 2));
    });

    it('reads an expired window as none, and lets a first write replace it', async () => {
      // Prepare: retention 0, so the record expires in the second it is written.
      await log(0).replace(window('m-2#window#w', { '0#phone': 'sent' }, 0), new Date(Date.now() - 2_000));

      // Act
      const read = await log().windowsAmong(['m-2#window#w']);
      const replaced = await log().replace(window('m-2#window#w', { '0#phone': 'sending' }, 0), new Date());

      // Assess
      expect(read.size).toBe(0);
      expect(replaced?.revision).toBe(1);
    });
  });

  describe('Class: DynamoDbOutboxStore', () => {
    it('lists a user\'s notifications oldest first, once per message and device', async () => {
      // Prepare
      const outbox = new DynamoDbOutboxStore(dynamo.documents, TABLE_DEFINITIONS.pushOutbox.localName, 86_400);
      const item = (messageID: string, queuedAt: string): OutboxItem => ({
        userID: 'reader', deviceID: 'phone', provider: 'fcm', platform: 'android', title: 't', body: messageID, collapseKey: 'sg_g',
        threadID: 'sg_g', messageID, conversationID: 'sg_g', sendID: 's', groupID: 'g', ex: '', queuedAt, deliveredAt: new Date().toISOString(),
      });

      // Act
      const added = [
        await outbox.append(item('second', '2026-03-02T12:00:01.000Z')),
        await outbox.append(item('first', '2026-03-02T12:00:00.000Z')),
        await outbox.append(item('first', '2026-03-02T12:00:00.000Z')),
      ];
      const page = await outbox.listFor('reader', { limit: 1 });
      const rest = await outbox.listFor('reader', { limit: 10, after: page.next! });

      // Assess
      expect(added).toEqual([true, true, false]);
      expect([...page.items, ...rest.items].map((i) => i.messageID)).toEqual(['first', 'second']);
      expect(page.items[0]).not.toHaveProperty('entry');
    });
  });
});
