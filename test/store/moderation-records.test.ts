/** The moderation log, the penalty store and confirmed violations, on both DynamoDB engines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModerationLogEntry } from '#shared/review/moderation-decided-event.ts';
import { DynamoDbModerationLogStore } from '#shared/store/dynamodb-moderation-log-store.ts';
import { DynamoDbPenaltyStore } from '#shared/store/dynamodb-penalty-store.ts';
import { DynamoDbViolationStore } from '#shared/store/dynamodb-violation-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { ENGINES, startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';

const entry = (entryId: string, at: string, patch: Partial<ModerationLogEntry> = {}): ModerationLogEntry => ({
  entryId,
  kind: 'decision',
  itemId: 'item-1',
  decision: 'removed',
  userID: 'u1',
  groupID: 'g1',
  conversationID: 'sg_g1',
  actor: 'mod',
  at,
  reason: 'r',
  policyVersion: 1,
  outcome: 'applied',
  openim: [],
  ...patch,
});

describe.each(ENGINES.map((engine) => ({ engine })))('Moderation records on $engine', ({ engine }) => {
  let dynamo: DynamoEngine;

  beforeAll(async () => {
    dynamo = await startEngine(engine);
  }, 60_000);

  afterAll(async () => {
    await dynamo?.stop();
  });

  describe('Class: DynamoDbModerationLogStore', () => {
    it('never overwrites an entry and lists by user and by item, newest first', async () => {
      // Prepare
      const log = new DynamoDbModerationLogStore(dynamo.documents, TABLE_DEFINITIONS.moderationLog.localName);
      await log.append(entry('e1', '2026-11-25T10:00:00.000Z'));
      await log.append(entry('e2', '2026-11-25T11:00:00.000Z', { itemId: 'item-2' }));
      await log.append(entry('e3', '2026-11-25T12:00:00.000Z', { kind: 'penalty', itemId: undefined, decision: undefined }));

      // Act
      const rewritten = await log.append(entry('e1', '2026-11-25T13:00:00.000Z', { reason: 'changed' }));
      const byUser = await log.byUser('u1', { limit: 2 });
      const rest = await log.byUser('u1', { limit: 2, cursor: byUser.cursor! });

      // Assess
      expect(rewritten).toBe(false);
      expect([...byUser.entries, ...rest.entries].map((e) => e.entryId)).toEqual(['e3', 'e2', 'e1']);
      expect(rest.entries[0]!.reason).toBe('r');
      expect((await log.byItem('item-1', { limit: 10 })).entries.map((e) => e.entryId)).toEqual(['e1']);
    });
  });

  describe('Class: DynamoDbPenaltyStore', () => {
    it('starts one penalty per cooldown, lets the same trigger retry, and lifts it once', async () => {
      // Prepare
      const store = new DynamoDbPenaltyStore(dynamo.documents, TABLE_DEFINITIONS.moderationPenalties.localName);
      const penalty = (penaltyId: string, now: number) => ({
        penaltyKey: 'mute#g1#u1',
        penaltyId,
        kind: 'mute' as const,
        userID: 'u1',
        groupID: 'g1',
        appliedAt: new Date(now).toISOString(),
        cooldownUntil: now + 1000,
      });

      // Act
      const racing = await Promise.all([store.tryStart(penalty('p1', 0), 0), store.tryStart(penalty('p2', 0), 0)]);
      const winner = racing[0] ? 'p1' : 'p2';
      const retry = await store.tryStart(penalty(winner, 0), 10);
      const inCooldown = await store.tryStart(penalty('p3', 500), 500);
      const lifted = [await store.markLifted('mute#g1#u1', winner, 'mod', 'now'), await store.markLifted('mute#g1#u1', winner, 'mod', 'now')];
      const afterCooldown = await store.tryStart(penalty('p4', 2000), 2000);

      // Assess
      expect(racing.filter(Boolean)).toHaveLength(1);
      expect([retry, inCooldown, afterCooldown]).toEqual([true, false, true]);
      expect(lifted).toEqual([true, false]);
    });
  });

  describe('Class: DynamoDbViolationStore', () => {
    it('turns a flag into a confirmed violation and counts by kind', async () => {
      // Prepare
      const store = new DynamoDbViolationStore(dynamo.documents, TABLE_DEFINITIONS.moderationViolations.localName, 86_400);
      const flag = { userID: 'vic', kind: 'flagged' as const, messageID: 'm1', occurredAt: new Date('2026-11-25T10:00:00Z'), terms: ['t'], policyVersion: 1 };
      await store.record(flag);
      await store.record({ ...flag, kind: 'blocked', messageID: 'm2' });

      // Act
      await store.confirm({ ...flag, kind: 'confirmed' });
      await store.confirm({ ...flag, kind: 'confirmed' });
      await store.confirm({ ...flag, kind: 'confirmed', messageID: 'never-flagged' });

      // Assess
      const since = new Date('2026-11-25T00:00:00Z');
      expect(await store.countSince('vic', since, ['confirmed'])).toBe(2);
      expect(await store.countSince('vic', since, ['blocked', 'confirmed'])).toBe(3);
      expect(await store.countSince('vic', since, ['flagged'])).toBe(0);
      expect(await store.countSince('vic', since)).toBe(3);
    });
  });
});
