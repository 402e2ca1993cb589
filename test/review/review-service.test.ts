/**
 * The moderator workflow end to end below HTTP: real DynamoDB (dynalite) stores, the real OpenIM
 * admin client against the contract-faithful stand-in, and an in-memory chat-event publisher.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '#shared/events/chat-event.ts';
import type { ChatEventPublisher } from '#shared/events/chat-event-publisher.ts';
import { OpenImAdminClient } from '#shared/openim/admin/admin-client.ts';
import { loadOpenImAdminConfig } from '#shared/openim/admin/admin-config.ts';
import { DecisionNotApplicableError, OpenImActionFailedError } from '#shared/review/errors.ts';
import { MODERATION_DECIDED_EVENT_TYPE } from '#shared/review/moderation-decided-event.ts';
import { OpenImActions } from '#shared/review/openim-actions.ts';
import { RepeatOffenders } from '#shared/review/repeat-offenders.ts';
import { ReviewService } from '#shared/review/review-service.ts';
import { DynamoDbModerationLogStore } from '#shared/store/dynamodb-moderation-log-store.ts';
import { DynamoDbPenaltyStore } from '#shared/store/dynamodb-penalty-store.ts';
import { DynamoDbReviewStore } from '#shared/store/dynamodb-review-store.ts';
import { DynamoDbViolationStore } from '#shared/store/dynamodb-violation-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';
import { STAND_IN_ADMIN_USER_ID, startOpenImAdminStandIn, type OpenImAdminStandIn } from '../helpers/openim-admin-stand-in.ts';
import { newItem } from '../helpers/review-items.ts';

const RULES = { penalty: 'mute' as const, threshold: 2, windowMs: 3600_000, muteSeconds: 600, cooldownMs: 3600_000 };

describe('Class: ReviewService', () => {
  let dynamo: DynamoEngine;
  let standIn: OpenImAdminStandIn;
  let items: DynamoDbReviewStore;
  let log: DynamoDbModerationLogStore;
  let violations: DynamoDbViolationStore;
  let service: ReviewService;
  let repeatOffenders: RepeatOffenders;
  const published: ChatEvent[] = [];
  const publisher: ChatEventPublisher = { publish: async (event) => void published.push(event) };
  let seq = 100;

  /** A flagged group message that OpenIM holds, queued for review. */
  async function flagged(itemId: string, sendID = 'alice', groupID = 'g1') {
    const item = newItem(itemId, { sendID, groupID });
    standIn.addMessage({ ...item.message, seq: ++seq, recvID: groupID });
    await items.add(item);
    return item;
  }

  beforeAll(async () => {
    [dynamo, standIn] = await Promise.all([startEngine('dynalite'), startOpenImAdminStandIn()]);
    items = new DynamoDbReviewStore(dynamo.documents, TABLE_DEFINITIONS.reviewItems.localName);
    log = new DynamoDbModerationLogStore(dynamo.documents, TABLE_DEFINITIONS.moderationLog.localName);
    violations = new DynamoDbViolationStore(dynamo.documents, TABLE_DEFINITIONS.moderationViolations.localName, 86_400);
    const actions = new OpenImActions(new OpenImAdminClient(loadOpenImAdminConfig(standIn.env()), { backoffMs: 1 }));
    const penalties = new DynamoDbPenaltyStore(dynamo.documents, TABLE_DEFINITIONS.moderationPenalties.localName);
    repeatOffenders = new RepeatOffenders({ rules: RULES, violations, penalties, log, actions, publisher });
    service = new ReviewService({ items, log, violations, actions, repeatOffenders, publisher, claimMs: 60_000, decisionLeaseMs: 60_000, muteSeconds: 3600 });
  }, 60_000);

  beforeEach(() => {
    published.length = 0;
  });

  afterAll(async () => {
    await Promise.all([dynamo?.stop(), standIn?.stop()]);
  });

  it('carries a decision out on OpenIM exactly once when it is sent twice at the same time', async () => {
    // Prepare
    const item = await flagged('once');
    await service.claim('once', 'mod-a');
    const before = standIn.effects().length;

    // Act
    const results = await Promise.allSettled([
      service.decide('once', 'mod-a', { decision: 'removed', reason: 'scam' }),
      service.decide('once', 'mod-a', { decision: 'removed', reason: 'scam' }),
    ]);

    // Assess
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const effects = standIn.effects().slice(before);
    expect(effects.map((call) => call.path)).toEqual(['/msg/revoke_msg']);
    expect(effects[0]!.body).toEqual({ conversationID: item.message.conversationID, seq, userID: STAND_IN_ADMIN_USER_ID });
    const entries = (await log.byItem('once', { limit: 10 })).entries;
    expect(entries).toEqual([expect.objectContaining({ kind: 'decision', decision: 'removed', actor: 'mod-a', outcome: 'applied', policyVersion: 2 })]);
    expect(entries[0]!.openim).toEqual([expect.objectContaining({ path: '/msg/revoke_msg', errCode: 0 })]);
    expect(published.map((event) => [event.eventType, (event.payload as { entryId: string }).entryId])).toEqual([[MODERATION_DECIDED_EVENT_TYPE, entries[0]!.entryId]]);
  });

  it('mutes the sender in the group for a muted decision', async () => {
    // Prepare
    await flagged('mute-me', 'mallory', 'g-mute');
    await service.claim('mute-me', 'mod-a');

    // Act
    const { item } = await service.decide('mute-me', 'mod-a', { decision: 'muted', reason: 'abuse', muteSeconds: 120 });

    // Assess
    expect(item.state).toBe('decided');
    expect(standIn.mutedUntil('g-mute', 'mallory')).toBeGreaterThan(Date.now() + 100_000);
  });

  it('refuses to mute outside a group before calling OpenIM', async () => {
    // Prepare
    await flagged('single', 'sam', '');
    await service.claim('single', 'mod-a');

    // Act
    const result = service.decide('single', 'mod-a', { decision: 'muted', reason: 'x' });

    // Assess
    await expect(result).rejects.toBeInstanceOf(DecisionNotApplicableError);
    expect((await items.get('single', Date.now()))?.state).toBe('claimed');
  });

  it('keeps the item claimed and logs OpenIM\'s refusal when the message is not in OpenIM', async () => {
    // Prepare
    await items.add(newItem('ghost'));
    await service.claim('ghost', 'mod-a');

    // Act
    const error = await service.decide('ghost', 'mod-a', { decision: 'removed', reason: 'x' }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(OpenImActionFailedError);
    expect((await items.get('ghost', Date.now()))?.state).toBe('claimed');
    expect((await log.byItem('ghost', { limit: 10 })).entries).toEqual([expect.objectContaining({ outcome: 'failed' })]);
    expect(published).toHaveLength(0);
  });

  it('mutes a repeat offender once, however many workers judge the same violation', async () => {
    // Prepare
    const sendTime = Date.now();
    for (const messageID of ['r1', 'r2']) {
      await violations.record({ userID: 'rita', kind: 'blocked', messageID, occurredAt: new Date(sendTime), terms: ['x'], policyVersion: 2, groupID: 'g-rep' });
    }
    standIn.addGroupMember('g-rep', 'rita');
    const trigger = { userID: 'rita', groupID: 'g-rep', conversationID: 'sg_g-rep', policyVersion: 2 };
    const before = standIn.effects().length;

    // Act
    const entries = await Promise.all([
      repeatOffenders.evaluate({ ...trigger, triggerId: 'blocked#r2' }),
      repeatOffenders.evaluate({ ...trigger, triggerId: 'blocked#r2-other-worker' }),
    ]);

    // Assess
    expect(entries.filter(Boolean)).toHaveLength(1);
    expect(standIn.effects().slice(before).map((call) => call.path)).toEqual(['/group/mute_group_member']);
    expect((await log.byUser('rita', { limit: 10 })).entries).toEqual([
      expect.objectContaining({ kind: 'penalty', actor: 'system:repeat-offender', penalty: expect.objectContaining({ kind: 'mute', violations: 2 }) }),
    ]);
  });

  it('lets a moderator lift the penalty, logged and carried out on OpenIM', async () => {
    // Prepare
    standIn.addGroupMember('g-lift', 'lara');
    await violations.record({ userID: 'lara', kind: 'blocked', messageID: 'l1', occurredAt: new Date(), terms: ['x'], policyVersion: 2, groupID: 'g-lift' });
    await violations.record({ userID: 'lara', kind: 'blocked', messageID: 'l2', occurredAt: new Date(), terms: ['x'], policyVersion: 2, groupID: 'g-lift' });
    const penalty = await repeatOffenders.evaluate({ userID: 'lara', groupID: 'g-lift', conversationID: 'sg_g-lift', triggerId: 'blocked#l2', policyVersion: 2 });

    // Act
    const lifted = await repeatOffenders.lift(penalty!.penalty!.penaltyKey, 'mod-b', 'appeal accepted');

    // Assess
    expect(standIn.mutedUntil('g-lift', 'lara')).toBeUndefined();
    expect(lifted).toMatchObject({ kind: 'penalty-lifted', actor: 'mod-b', outcome: 'applied' });
    expect((await log.byUser('lara', { limit: 10 })).entries.map((entry) => entry.kind)).toEqual(['penalty-lifted', 'penalty']);
  });

  it('counts a confirmed flag toward the repeat-offender threshold', async () => {
    // Prepare
    const item = await flagged('conf-1', 'carl', 'g-conf');
    await violations.record({ userID: 'carl', kind: 'flagged', messageID: 'conf-1', occurredAt: new Date(item.message.sendTime), terms: ['x'], policyVersion: 2 });
    await service.claim('conf-1', 'mod-a');

    // Act
    await service.decide('conf-1', 'mod-a', { decision: 'removed', reason: 'confirmed' });

    // Assess
    expect(await violations.countSince('carl', new Date(0), ['confirmed'])).toBe(1);
    expect(await violations.countSince('carl', new Date(0), ['flagged'])).toBe(0);
  });
});
