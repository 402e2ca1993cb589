import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaimConflictError, NotClaimedByCallerError } from '#shared/review/errors.ts';
import { InvalidCursorError } from '#shared/store/errors.ts';
import { DynamoDbReviewStore } from '#shared/store/dynamodb-review-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { ENGINES, startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';
import { newItem } from '../helpers/review-items.ts';

const CLAIM_MS = 60_000;

describe.each(ENGINES.map((engine) => ({ engine })))('Class: DynamoDbReviewStore on $engine', ({ engine }) => {
  let dynamo: DynamoEngine;
  let store: DynamoDbReviewStore;
  const now = Date.parse('2026-11-25T12:00:00Z');

  beforeAll(async () => {
    dynamo = await startEngine(engine);
    store = new DynamoDbReviewStore(dynamo.documents, TABLE_DEFINITIONS.reviewItems.localName);
  }, 60_000);

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('adds an item once however often the flag is delivered', async () => {
    // Act
    const first = await store.add(newItem('dup'));
    const again = await store.add(newItem('dup'));

    // Assess
    expect([first, again]).toEqual([true, false]);
    expect((await store.get('dup', now))?.state).toBe('pending');
  });

  it('gives a concurrent double claim exactly one winner', async () => {
    // Prepare
    await store.add(newItem('race'));

    // Act
    const results = await Promise.allSettled([store.claim('race', 'mod-a', now, CLAIM_MS), store.claim('race', 'mod-b', now, CLAIM_MS)]);

    // Assess
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]!.reason).toBeInstanceOf(ClaimConflictError);
  });

  it('returns an expired claim to pending, where another moderator can claim it', async () => {
    // Prepare
    await store.add(newItem('lapse'));
    await store.claim('lapse', 'mod-a', now, 1_000);

    // Act
    const later = now + 2_000;
    const seen = await store.get('lapse', later);
    const pending = await store.list({ state: 'pending', limit: 100 }, later);
    const taken = await store.claim('lapse', 'mod-b', later, CLAIM_MS);

    // Assess
    expect(seen?.state).toBe('pending');
    expect(pending.items.map((item) => item.itemId)).toContain('lapse');
    expect(taken).toMatchObject({ state: 'claimed', claimedBy: 'mod-b' });
  });

  it('lets only the claim holder begin a decision, and only once', async () => {
    // Prepare
    await store.add(newItem('decide'));
    await store.claim('decide', 'mod-a', now, CLAIM_MS);

    // Act
    const other = await store.beginDecision('decide', 'mod-b', 'd0', now, CLAIM_MS).catch((error: unknown) => error);
    const results = await Promise.allSettled([
      store.beginDecision('decide', 'mod-a', 'd1', now, CLAIM_MS),
      store.beginDecision('decide', 'mod-a', 'd2', now, CLAIM_MS),
    ]);

    // Assess
    expect(other).toBeInstanceOf(NotClaimedByCallerError);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('moves a completed decision to the decided queue and counts it', async () => {
    // Prepare
    await store.add(newItem('done'));
    await store.claim('done', 'mod-a', now, CLAIM_MS);
    await store.beginDecision('done', 'mod-a', 'd-done', now, CLAIM_MS);

    // Act
    const item = await store.completeDecision('done', 'd-done', { decision: 'removed', reason: 'spam', decidedBy: 'mod-a', decidedAt: new Date(now).toISOString() });
    const decided = await store.list({ state: 'decided', limit: 100 }, now);

    // Assess
    expect(item).toMatchObject({ state: 'decided', decision: 'removed', decidedBy: 'mod-a' });
    expect(decided.items.map((i) => i.itemId)).toContain('done');
    expect((await store.counts(now)).decided).toBeGreaterThanOrEqual(1);
  });

  it('lists oldest first, filtered, page by page with an opaque cursor', async () => {
    // Prepare
    for (const [i, sendID] of ['paul', 'paul', 'quinn', 'paul', 'paul'].entries()) {
      await store.add(newItem(`page-${i}`, { flaggedAt: `2026-11-20T0${i}:00:00.000Z`, sendID, groupID: 'g-page' }));
    }
    const query = { state: 'pending' as const, groupID: 'g-page', userID: 'paul', limit: 2 };

    // Act
    const first = await store.list(query, now);
    const second = await store.list({ ...query, cursor: first.cursor! }, now);

    // Assess
    expect(first.items.map((i) => i.itemId)).toEqual(['page-0', 'page-1']);
    expect(second.items.map((i) => i.itemId)).toEqual(['page-3', 'page-4']);
    await expect(store.list({ ...query, state: 'decided', cursor: first.cursor! }, now)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('filters by matched term', async () => {
    // Prepare
    await store.add(newItem('term-x', { groupID: 'g-term', terms: ['crypto scam'] }));
    await store.add(newItem('term-y', { groupID: 'g-term', terms: ['wire transfer'] }));

    // Act
    const page = await store.list({ state: 'pending', groupID: 'g-term', term: 'crypto scam', limit: 10 }, now);

    // Assess
    expect(page.items.map((i) => i.itemId)).toEqual(['term-x']);
  });
});
