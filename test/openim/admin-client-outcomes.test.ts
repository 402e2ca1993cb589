/**
 * The admin client reads OpenIM's and chat's real answers: a state that holds is success, each
 * service's token codes bring one refresh, revokes reach both sides, and unenforced mutes say so.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CORE_TOKEN_MAX_AGE_MS, OpenImAdminClient } from '#shared/openim/admin/admin-client.ts';
import { loadOpenImAdminConfig } from '#shared/openim/admin/admin-config.ts';
import { ROLE, STAND_IN_ADMIN_USER_ID, TEMPORARY_TOKEN_MS, startOpenImAdminStandIn, type OpenImAdminStandIn } from '../helpers/openim-admin-stand-in.ts';

describe('Class: OpenImAdminClient (outcomes)', () => {
  let standIn: OpenImAdminStandIn;
  let client: OpenImAdminClient;
  let clock: number;

  beforeAll(async () => {
    standIn = await startOpenImAdminStandIn();
  });

  beforeEach(() => {
    clock = Date.now();
    client = new OpenImAdminClient(loadOpenImAdminConfig(standIn.env()), { backoffMs: 1, now: () => clock });
    standIn.calls.length = 0;
  });

  afterAll(async () => {
    await standIn?.stop();
  });

  const paths = () => standIn.calls.map((call) => [call.path, call.errCode]);

  describe('Method: forbidUser / liftForbid', () => {
    it('reports alreadyApplied for a user already on chat\'s block list', async () => {
      // Prepare
      standIn.block('ivy');

      // Act
      const outcome = await client.forbidUser('ivy', 'spam');

      // Assess
      expect(outcome).toMatchObject({ effect: 'alreadyApplied', note: expect.stringContaining('checked only when the user logs in') });
      expect(outcome.answers.map((answer) => answer.errCode)).toEqual([1001]);
    });

    it('reports alreadyApplied when lifting a ban someone lifted already', async () => {
      // Act
      const outcome = await client.liftForbid('never-blocked');

      // Assess
      expect(outcome.effect).toBe('alreadyApplied');
    });

    it('logs in to chat again once when chat forgot its token (20101), then applies', async () => {
      // Prepare
      await client.forbidUser('jay', 'spam');
      standIn.forgetChatTokens();
      standIn.calls.length = 0;

      // Act
      const outcome = await client.liftForbid('jay');

      // Assess
      expect(outcome.effect).toBe('applied');
      expect(paths()).toEqual([
        ['/block/del', 20101],
        ['/account/login', 0],
        ['/block/del', 0],
      ]);
    });

    it('reads the block list after a lost answer instead of sending /block/add again', async () => {
      // Prepare
      await client.liftForbid('warm-up');
      standIn.loseAnswers(1, '/block/add');

      // Act
      const outcome = await client.forbidUser('kim', 'spam');

      // Assess
      expect(outcome.effect).toBe('applied');
      expect(standIn.calls.filter((call) => call.path === '/block/add')).toHaveLength(1);
      expect(standIn.calls.at(-1)?.path).toBe('/block/search');
      expect(standIn.isBlocked('kim')).toBe(true);
    });
  });

  describe('Method: core token handling', () => {
    it('fetches a new token once when a newer admin token for its user retired it (1507)', async () => {
      // Prepare
      standIn.addGroupMember('g-t', 'lou');
      await client.cancelMuteGroupMember('g-t', 'lou');
      standIn.issueCoreAdminToken(STAND_IN_ADMIN_USER_ID);
      standIn.advanceClock(TEMPORARY_TOKEN_MS);
      standIn.calls.length = 0;

      // Act
      const outcome = await client.cancelMuteGroupMember('g-t', 'lou');

      // Assess
      expect(outcome.effect).toBe('applied');
      expect(paths()).toEqual([
        ['/group/cancel_mute_group_member', 1507],
        ['/auth/get_admin_token', 0],
        ['/group/cancel_mute_group_member', 0],
      ]);
    });

    it('refreshes once however many calls meet the expired token at the same time', async () => {
      // Prepare
      for (const userID of ['m1', 'm2', 'm3', 'm4']) standIn.addGroupMember('g-c', userID);
      await client.cancelMuteGroupMember('g-c', 'm1');
      standIn.expireTokens();
      standIn.calls.length = 0;

      // Act
      await Promise.all(['m1', 'm2', 'm3', 'm4'].map((userID) => client.cancelMuteGroupMember('g-c', userID)));

      // Assess
      expect(standIn.calls.filter((call) => call.path === '/auth/get_admin_token')).toHaveLength(1);
    });

    it('uses a core token for at most 4 minutes, so another instance\'s token cannot leave it dead', async () => {
      // Prepare
      standIn.addGroupMember('g-age', 'max');
      await client.cancelMuteGroupMember('g-age', 'max');
      clock += CORE_TOKEN_MAX_AGE_MS;
      standIn.calls.length = 0;

      // Act
      await client.cancelMuteGroupMember('g-age', 'max');

      // Assess
      expect(paths()).toEqual([
        ['/auth/get_admin_token', 0],
        ['/group/cancel_mute_group_member', 0],
      ]);
    });
  });

  describe('Method: revokeMessage', () => {
    it('revokes a single-chat message in the sender\'s name, so the sender\'s devices are told too', async () => {
      // Prepare
      standIn.addMessage({ conversationID: 'si_ned_nia', seq: 3, clientMsgID: 'n3', serverMsgID: 's-n3', sendID: 'ned', recvID: 'nia', sessionType: 1, contentType: 101, sendTime: 1 });

      // Act
      const outcome = await client.revokeMessage({ conversationID: 'si_ned_nia', seq: 3, sendID: 'ned', sessionType: 1 });

      // Assess
      expect(outcome.effect).toBe('applied');
      expect(standIn.revocations().find((r) => r.conversationID === 'si_ned_nia')).toEqual(expect.objectContaining({ revoker: 'ned', notified: ['ned', 'nia'] }));
    });

    it('revokes as the admin when the sender cleared the chat, and says only the receiver was told', async () => {
      // Prepare
      standIn.addMessage({ conversationID: 'si_oda_ola', seq: 1, clientMsgID: 'o1', serverMsgID: 's-o1', sendID: 'oda', recvID: 'ola', sessionType: 1, contentType: 101, sendTime: 1 });
      standIn.clearHistory('oda', 'si_oda_ola');

      // Act
      const outcome = await client.revokeMessage({ conversationID: 'si_oda_ola', seq: 1, sendID: 'oda', sessionType: 1 });

      // Assess
      expect(outcome).toMatchObject({ effect: 'applied', note: expect.stringContaining("only the receiver's devices") });
      expect(standIn.isRevoked('si_oda_ola', 1)).toBe(true);
    });
  });

  describe('Method: muteGroupMember', () => {
    it.each([
      { $case: 'the group owner', role: ROLE.owner as number | undefined, text: 'does not enforce mutes on a group owner' },
      { $case: 'a user who left the group', role: undefined, text: 'is not a member' },
    ])('reports noEffect and makes no mute call for $case', async ({ role, text }) => {
      // Prepare
      if (role !== undefined) standIn.addGroupMember('g-m', 'pat', role);

      // Act
      const outcome = await client.muteGroupMember(role === undefined ? 'g-gone' : 'g-m', 'pat', 600);

      // Assess
      expect(outcome).toMatchObject({ effect: 'noEffect', note: expect.stringContaining(text) });
      expect(standIn.calls.some((call) => call.path === '/group/mute_group_member')).toBe(false);
    });
  });
});
