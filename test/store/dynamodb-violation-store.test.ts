import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbViolationStore } from '#shared/store/dynamodb-violation-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import type { Violation } from '#shared/store/violation-store.ts';
import { ENGINES, startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';

describe.each(ENGINES.map((engine) => ({ engine })))('Class: DynamoDbViolationStore on $engine', ({ engine }) => {
  let dynamo: DynamoEngine;
  let store: DynamoDbViolationStore;
  const violation = (userID: string, messageID: string, occurredAt: string): Violation => ({
    userID,
    kind: 'blocked',
    messageID,
    occurredAt: new Date(occurredAt),
    terms: ['badword'],
    policyVersion: 3,
  });

  beforeAll(async () => {
    dynamo = await startEngine(engine);
    store = new DynamoDbViolationStore(dynamo.documents, TABLE_DEFINITIONS.moderationViolations.localName, 86_400);
  }, 60_000);

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('counts a message once however often it is recorded', async () => {
    // Act
    const first = await store.record(violation('u-dup', 'm1', '2026-11-25T10:00:00Z'));
    const again = await store.record(violation('u-dup', 'm1', '2026-11-25T10:00:00Z'));

    // Assess
    expect([first, again]).toEqual([true, false]);
    expect(await store.countSince('u-dup', new Date('2026-11-25T00:00:00Z'))).toBe(1);
  });

  it('records concurrent blocked messages in bulk, each once however often it comes', async () => {
    // Prepare: 60 messages (three BatchWriteItem calls' worth), every one of them delivered twice.
    const blocked = Array.from({ length: 60 }, (_, i) => {
      const { kind: _kind, ...rest } = violation('u-bulk', `bulk-${i}`, `2026-11-25T10:${String(i).padStart(2, '0')}:00Z`);
      return rest;
    });

    // Act
    await Promise.all([...blocked, ...blocked].map((entry) => store.recordBlocked(entry)));

    // Assess
    expect(await store.countSince('u-bulk', new Date('2026-11-25T00:00:00Z'), ['blocked'])).toBe(60);
    expect(await store.countSince('u-bulk', new Date('2026-11-25T00:00:00Z'), ['flagged', 'confirmed'])).toBe(0);
  });

  it('counts only the violations inside the window and only for that user', async () => {
    // Prepare
    await store.record(violation('u-win', 'old', '2026-11-25T08:00:00Z'));
    await store.record(violation('u-win', 'new-1', '2026-11-25T10:00:00Z'));
    await store.record(violation('u-win', 'new-2', '2026-11-25T10:30:00Z'));
    await store.record(violation('u-other', 'x', '2026-11-25T10:30:00Z'));

    // Act
    const count = await store.countSince('u-win', new Date('2026-11-25T09:00:00Z'));

    // Assess
    expect(count).toBe(2);
  });

  it('stops counting at the cap, across pages and a kind filter, and counts exactly below it', async () => {
    // Prepare: 60 flagged (filtered out) after 3 blocked, so the blocked ones lie pages away.
    for (let i = 0; i < 3; i++) await store.record({ ...violation('u-cap', `blocked-${i}`, `2026-11-25T10:00:0${i}Z`), kind: 'blocked' });
    for (let i = 0; i < 60; i++) {
      await store.record({ ...violation('u-cap', `flag-${i}`, `2026-11-25T11:${String(i).padStart(2, '0')}:00Z`), kind: 'flagged' });
    }
    const since = new Date('2026-11-25T00:00:00Z');

    // Act
    const capped = await store.countSince('u-cap', since, ['blocked'], 2);
    const belowCap = await store.countSince('u-cap', since, ['blocked'], 5);
    const uncapped = await store.countSince('u-cap', since);

    // Assess
    expect([capped, belowCap, uncapped]).toEqual([2, 3, 63]);
  });
});
