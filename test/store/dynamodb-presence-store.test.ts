import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceEvent } from '#shared/presence/presence-event.ts';
import { DynamoDbPresenceStore } from '#shared/store/dynamodb-presence-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { seededRandom } from '../../bench/seeded-random.ts';
import { ENGINES, startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const online = (userID: string, platformID: number, at: number, isAppBackground = false): PresenceEvent => ({ kind: 'online', userID, platformID, platform: `p${platformID}`, at, isAppBackground });
const offline = (userID: string, platformID: number, at: number): PresenceEvent => ({ kind: 'offline', userID, platformID, platform: `p${platformID}`, at, isAppBackground: false });

describe.each(ENGINES.map((engine) => ({ engine })))('Class: DynamoDbPresenceStore on $engine', ({ engine }) => {
  let dynamo: DynamoEngine;
  let store: DynamoDbPresenceStore;

  beforeAll(async () => {
    dynamo = await startEngine(engine);
    store = new DynamoDbPresenceStore(dynamo.documents, TABLE_DEFINITIONS.presence.localName, { expiryMinutes: 30, now: () => NOW });
  }, 60_000);

  afterAll(async () => {
    await dynamo?.stop();
  });

  describe('Method: apply', () => {
    it('refuses an online older than the stored offline (tombstone) and a duplicate', async () => {
      // Act
      const results = [
        await store.apply(offline('tomb', 2, NOW - 1_000)),
        await store.apply(online('tomb', 2, NOW - 2_000)),
        await store.apply(offline('tomb', 2, NOW - 1_000)),
      ];

      // Assess
      expect(results.map((r) => r.applied)).toEqual([true, false, false]);
      expect((await store.presenceOf(['tomb']))[0]).toMatchObject({ online: false, lastSeen: new Date(NOW - 1_000).toISOString() });
    });

    it.each([
      { case: 'online first', order: ['online', 'offline'] },
      { case: 'offline first', order: ['offline', 'online'] },
    ])('lets the offline win over an online of the same millisecond, $case', async ({ order }) => {
      // Prepare
      const userID = `tie-${order[0]}`;
      const events = { online: online(userID, 1, NOW - 500), offline: offline(userID, 1, NOW - 500) };

      // Act
      for (const kind of order) await store.apply(events[kind as 'online' | 'offline']);

      // Assess
      expect((await store.presenceOf([userID]))[0]!.online).toBe(false);
    });

    it('keeps the newest event when many writers race on one platform', async () => {
      // Prepare
      const times = Array.from({ length: 40 }, (_, i) => NOW - 40_000 + i * 1_000);

      // Act
      await Promise.all(times.map((at, i) => store.apply(i % 2 === 0 ? online('race', 3, at) : offline('race', 3, at))));

      // Assess: the newest (i = 39) is an offline.
      expect((await store.presenceOf(['race']))[0]).toMatchObject({ online: false, lastSeen: new Date(times[39]!).toISOString() });
    });

    it('ends connections up to a kick-off whatever the arrival order, and ignores an older kick-off', async () => {
      // Act
      await store.apply({ kind: 'kickoff', userID: 'kick', at: NOW - 5_000 });
      await store.apply(online('kick', 1, NOW - 6_000));
      await store.apply(online('kick', 2, NOW - 4_000, true));
      const older = await store.apply({ kind: 'kickoff', userID: 'kick', at: NOW - 7_000 });

      // Assess
      expect(older.applied).toBe(false);
      expect((await store.presenceOf(['kick']))[0]).toMatchObject({
        online: true,
        platforms: [{ platformID: 2, platform: 'p2', isAppBackground: true, lastOnlineAt: new Date(NOW - 4_000).toISOString() }],
        isAppBackground: true,
      });
    });
  });

  describe('Method: onlineAmong', () => {
    it('returns only users with a live, unexpired platform', async () => {
      // Prepare
      await store.apply(online('live', 5, NOW - 29 * 60_000));
      await store.apply(online('stale', 5, NOW - 31 * 60_000));

      // Act
      const found = await store.onlineAmong(['live', 'stale', 'never-seen']);

      // Assess
      expect([...found]).toEqual(['live']);
    });

    it('reads by key what presenceOf reads by query, over random histories of 150 users', async () => {
      // Prepare: online, offline and kick-off events in random order, some expired, some kicked.
      const random = seededRandom(19);
      const users = Array.from({ length: 150 }, (_, i) => `random-${i}`);
      const events: PresenceEvent[] = users.flatMap((userID) =>
        Array.from({ length: Math.floor(random() * 6) }, (): PresenceEvent => {
          const at = NOW - Math.floor(random() * 40 * 60_000);
          const platformID = 1 + Math.floor(random() * 4);
          const pick = random();
          if (pick < 0.15) return { kind: 'kickoff', userID, at };
          return pick < 0.65 ? online(userID, platformID, at, random() < 0.5) : offline(userID, platformID, at);
        }),
      );
      // The store is exact in any arrival order, so users can be written concurrently.
      await Promise.all(users.map(async (userID) => {
        for (const event of events.filter((e) => e.userID === userID)) await store.apply(event);
      }));

      // Act
      const found = await store.onlineAmong([...users, 'never-seen']);

      // Assess
      const expected = (await store.presenceOf(users)).filter((presence) => presence.online).map((presence) => presence.userID);
      expect(expected.length).toBeGreaterThan(10);
      expect(expected.length).toBeLessThan(users.length - 10);
      expect([...found].sort()).toEqual(expected.sort());
    });

    it('finds a platform that came online through another store instance (another worker)', async () => {
      // Prepare: this store remembers having indexed the pair; the other one has not.
      const other = new DynamoDbPresenceStore(dynamo.documents, TABLE_DEFINITIONS.presence.localName, { expiryMinutes: 30, now: () => NOW });
      await store.apply(online('two-workers', 7, NOW - 10_000));
      await store.apply(offline('two-workers', 7, NOW - 9_000));

      // Act
      await other.apply(online('two-workers', 8, NOW - 8_000));
      const found = await store.onlineAmong(['two-workers']);

      // Assess
      expect([...found]).toEqual(['two-workers']);
    });
  });
});
