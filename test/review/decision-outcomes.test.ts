/**
 * Decisions and penalties end as OpenIM really leaves them: a state that already holds is applied
 * and logged as such, a forgotten chat token is renewed, a mute OpenIM would not enforce is refused
 * or logged as noEffect, and a revoke uses the seq the audit trail saved. Real DynamoDB (dynalite)
 * stores and the real admin client against the stand-in.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatEventPublisher } from '#shared/events/chat-event-publisher.ts';
import { OpenImAdminClient } from '#shared/openim/admin/admin-client.ts';
import { loadOpenImAdminConfig } from '#shared/openim/admin/admin-config.ts';
import { DecisionNotApplicableError } from '#shared/review/errors.ts';
import { OpenImActions } from '#shared/review/openim-actions.ts';
import { RepeatOffenders } from '#shared/review/repeat-offenders.ts';
import { ReviewService } from '#shared/review/review-service.ts';
import { DynamoDbAuditStore } from '#shared/store/dynamodb-audit-store.ts';
import { DynamoDbModerationLogStore } from '#shared/store/dynamodb-moderation-log-store.ts';
import { DynamoDbPenaltyStore } from '#shared/store/dynamodb-penalty-store.ts';
import { DynamoDbReviewStore } from '#shared/store/dynamodb-review-store.ts';
import { DynamoDbViolationStore } from '#shared/store/dynamodb-violation-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';
import { ROLE, startOpenImAdminStandIn, type OpenImAdminStandIn } from '../helpers/openim-admin-stand-in.ts';
import { newItem } from '../helpers/review-items.ts';

const publisher: ChatEventPublisher = { publish: async () => undefined };

describe('Class: ReviewService (decision outcomes)', () => {
  let dynamo: DynamoEngine;
  let standIn: OpenImAdminStandIn;
  let items: DynamoDbReviewStore;
  let log: DynamoDbModerationLogStore;
  let violations: DynamoDbViolationStore;
  let penalties: DynamoDbPenaltyStore;
  let audit: DynamoDbAuditStore;
  let actions: OpenImActions;
  let service: ReviewService;
  let seq = 100;

  /** A flagged group message that OpenIM holds, queued and claimed by mod-a. */
  async function claimed(itemId: string, sendID: string, groupID = 'g-out') {
    const item = newItem(itemId, { sendID, groupID });
    standIn.addMessage({ ...item.message, seq: ++seq, recvID: groupID });
    await items.add(item);
    await service.claim(itemId, 'mod-a');
    return { item, seq };
  }

  const offenders = (penalty: 'mute' | 'forbid') =>
    new RepeatOffenders({ rules: { penalty, threshold: 1, windowMs: 3600_000, muteSeconds: 600, cooldownMs: 3600_000 }, violations, penalties, log, actions, publisher });

  async function violation(userID: string, groupID: string) {
    await violations.record({ userID, kind: 'blocked', messageID: `${userID}-1`, occurredAt: new Date(), terms: ['x'], policyVersion: 2, groupID });
    return { userID, groupID, conversationID: `sg_${groupID}`, triggerId: `blocked#${userID}-1`, policyVersion: 2 };
  }

  beforeAll(async () => {
    [dynamo, standIn] = await Promise.all([startEngine('dynalite'), startOpenImAdminStandIn()]);
    items = new DynamoDbReviewStore(dynamo.documents, TABLE_DEFINITIONS.reviewItems.localName);
    log = new DynamoDbModerationLogStore(dynamo.documents, TABLE_DEFINITIONS.moderationLog.localName);
    violations = new DynamoDbViolationStore(dynamo.documents, TABLE_DEFINITIONS.moderationViolations.localName, 86_400);
    penalties = new DynamoDbPenaltyStore(dynamo.documents, TABLE_DEFINITIONS.moderationPenalties.localName);
    audit = new DynamoDbAuditStore(dynamo.documents, TABLE_DEFINITIONS.audit.localName);
    actions = new OpenImActions(new OpenImAdminClient(loadOpenImAdminConfig(standIn.env()), { backoffMs: 1 }), audit);
    service = new ReviewService({ items, log, violations, actions, repeatOffenders: offenders('mute'), publisher, claimMs: 60_000, decisionLeaseMs: 60_000, muteSeconds: 3600 });
  }, 60_000);

  beforeEach(() => {
    standIn.calls.length = 0;
  });

  afterAll(async () => {
    await Promise.all([dynamo?.stop(), standIn?.stop()]);
  });

  it('bans a user already on chat\'s block list: decided, and logged applied with the ban alreadyApplied', async () => {
    // Prepare
    await claimed('ban-twice', 'quinn');
    standIn.block('quinn');

    // Act
    const { item, entry } = await service.decide('ban-twice', 'mod-a', { decision: 'banned', reason: 'scam' });

    // Assess
    expect(item.state).toBe('decided');
    expect(entry.outcome).toBe('applied');
    expect(entry.effects).toEqual([
      { action: 'revoke', effect: 'applied' },
      { action: 'forbid', effect: 'alreadyApplied', note: expect.stringContaining('checked only when the user logs in to chat') },
    ]);
    expect((await log.byItem('ban-twice', { limit: 5 })).entries).toEqual([expect.objectContaining({ outcome: 'applied' })]);
  });

  it('bans through a chat token chat forgot: logs in again and the decision is applied', async () => {
    // Prepare
    await claimed('ban-forgot', 'rae');
    await actions.liftPenalty('forbid', 'warm-up', '');
    standIn.forgetChatTokens();

    // Act
    const { entry } = await service.decide('ban-forgot', 'mod-a', { decision: 'banned', reason: 'scam' });

    // Assess
    expect(entry.outcome).toBe('applied');
    expect(standIn.isBlocked('rae')).toBe(true);
    expect(entry.openim.map((call) => [call.path, call.errCode])).toContainEqual(['/block/add', 0]);
  });

  it('lifts a ban someone already lifted in chat\'s console: applied, and the penalty is no longer in force', async () => {
    // Prepare
    const penalty = await offenders('forbid').evaluate(await violation('sid', ''));
    standIn.unblock('sid');

    // Act
    const lifted = await offenders('forbid').lift(penalty!.penalty!.penaltyKey, 'mod-b', 'appeal');

    // Assess
    expect(lifted).toMatchObject({ outcome: 'applied', effects: [{ action: 'unforbid', effect: 'alreadyApplied' }] });
    expect((await penalties.get(penalty!.penalty!.penaltyKey))?.liftedBy).toBe('mod-b');
  });

  it('refuses to mute the group owner before anything is done', async () => {
    // Prepare
    await claimed('owner-mute', 'tess', 'g-own');
    standIn.addGroupMember('g-own', 'tess', ROLE.owner);
    const before = standIn.effects().length;

    // Act
    const result = service.decide('owner-mute', 'mod-a', { decision: 'muted', reason: 'abuse' });

    // Assess
    await expect(result).rejects.toThrow(DecisionNotApplicableError);
    await expect(result).rejects.toThrow(/owns g-own/);
    expect(standIn.effects().length).toBe(before);
  });

  it('logs a repeat-offender mute of the group owner as noEffect, with nothing left in force', async () => {
    // Prepare
    standIn.addGroupMember('g-own2', 'uma', ROLE.owner);

    // Act
    const entry = await offenders('mute').evaluate(await violation('uma', 'g-own2'));

    // Assess
    expect(entry).toMatchObject({ outcome: 'noEffect', effects: [{ action: 'mute', effect: 'noEffect' }] });
    expect((await penalties.get(entry!.penalty!.penaltyKey))?.liftedAt).toBeDefined();
    expect(standIn.calls.some((call) => call.path === '/group/mute_group_member')).toBe(false);
  });

  it('revokes with the seq of the afterMsgSaveDB record, without searching OpenIM', async () => {
    // Prepare
    const { item, seq: savedSeq } = await claimed('saved-seq', 'vic');
    await audit.putAll([
      { recordID: `saved#${item.message.serverMsgID}`, kind: 'saved', eventType: 'callbackAfterMsgSaveDBCommand', eventId: 'e-saved', operationID: 'op', occurredAt: Date.now(), serverMsgID: item.message.serverMsgID, seq: savedSeq },
    ]);

    // Act
    await service.decide('saved-seq', 'mod-a', { decision: 'removed', reason: 'scam' });

    // Assess
    expect(standIn.isRevoked(item.message.conversationID, savedSeq)).toBe(true);
    expect(standIn.calls.some((call) => call.path === '/msg/search_msg')).toBe(false);
  });
});
