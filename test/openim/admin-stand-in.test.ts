/**
 * The OpenIM admin stand-in answers as open-im-server @7848d7c and openimsdk/chat @73e7b82 do, for
 * each behaviour the client depends on (raw HTTP, no client in between).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  CHAT_IM_ADMIN_USER_ID,
  STAND_IN_ADMIN_USER_ID,
  STAND_IN_CHAT_ACCOUNT,
  STAND_IN_CHAT_PASSWORD,
  STAND_IN_SECRET,
  TEMPORARY_TOKEN_MS,
  startOpenImAdminStandIn,
  type OpenImAdminStandIn,
} from '../helpers/openim-admin-stand-in.ts';

describe('Function: startOpenImAdminStandIn()', () => {
  let standIn: OpenImAdminStandIn;
  let seq = 0;

  beforeAll(async () => {
    standIn = await startOpenImAdminStandIn();
  });

  afterAll(async () => {
    await standIn?.stop();
  });

  async function post(base: string, path: string, body: unknown, token?: string) {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', operationID: `op-${++seq}`, ...(token ? { token } : {}) },
      body: JSON.stringify(body),
    });
    return (await response.json()) as { errCode: number; errMsg: string; errDlt: string; data?: any };
  }
  const coreToken = async (userID = STAND_IN_ADMIN_USER_ID) => (await post(standIn.coreUrl, '/auth/get_admin_token', { secret: STAND_IN_SECRET, userID })).data.token as string;
  const chatToken = async () =>
    (await post(standIn.chatUrl, '/account/login', { account: STAND_IN_CHAT_ACCOUNT, password: createHash('md5').update(STAND_IN_CHAT_PASSWORD).digest('hex'), version: 'v' })).data
      .adminToken as string;

  it('answers 1001 "user already blocked" to a second /block/add', async () => {
    // Prepare
    const token = await chatToken();
    await post(standIn.chatUrl, '/block/add', { userID: 'ann', reason: 'x' }, token);

    // Act
    const again = await post(standIn.chatUrl, '/block/add', { userID: 'ann', reason: 'x' }, token);

    // Assess
    expect(again).toMatchObject({ errCode: 1001, errMsg: 'ArgsError', errDlt: 'user already blocked' });
  });

  it('answers 1001 "user not blocked <ids>" to /block/del of a user not blocked, and deletes nothing', async () => {
    // Prepare
    const token = await chatToken();
    standIn.block('ben');

    // Act
    const answer = await post(standIn.chatUrl, '/block/del', { userIDs: ['ben', 'bill'] }, token);

    // Assess
    expect(answer).toMatchObject({ errCode: 1001, errDlt: 'user not blocked bill' });
    expect(standIn.isBlocked('ben')).toBe(true);
  });

  it('answers 1004 to a revoke of a seq OpenIM does not hold, and to a revoker who cleared the chat', async () => {
    // Prepare
    const token = await coreToken();
    standIn.addMessage({ conversationID: 'si_cat_cid', seq: 1, clientMsgID: 'c1', serverMsgID: 's1', sendID: 'cat', recvID: 'cid', sessionType: 1, contentType: 101, sendTime: 1 });
    standIn.clearHistory('cat', 'si_cat_cid');

    // Act
    const missing = await post(standIn.coreUrl, '/msg/revoke_msg', { conversationID: 'si_cat_cid', seq: 9, userID: 'cid' }, token);
    const cleared = await post(standIn.coreUrl, '/msg/revoke_msg', { conversationID: 'si_cat_cid', seq: 1, userID: 'cat' }, token);

    // Assess
    expect([missing.errCode, cleared.errCode]).toEqual([1004, 1004]);
  });

  it('answers 1404 to a second revoke, and notifies the revoker and the receiver of a single chat', async () => {
    // Prepare
    const token = await coreToken();
    standIn.addMessage({ conversationID: 'si_dan_dee', seq: 1, clientMsgID: 'd1', serverMsgID: 's-d1', sendID: 'dan', recvID: 'dee', sessionType: 1, contentType: 101, sendTime: 1 });
    await post(standIn.coreUrl, '/msg/revoke_msg', { conversationID: 'si_dan_dee', seq: 1, userID: STAND_IN_ADMIN_USER_ID }, token);

    // Act
    const again = await post(standIn.coreUrl, '/msg/revoke_msg', { conversationID: 'si_dan_dee', seq: 1, userID: 'dan' }, token);

    // Assess
    expect(again).toMatchObject({ errCode: 1404, errMsg: 'MsgAlreadyRevoke' });
    expect(standIn.revocations().find((r) => r.conversationID === 'si_dan_dee')?.notified).toEqual([STAND_IN_ADMIN_USER_ID, 'dee']);
  });

  it('answers 1004 to muting a user who is not a member of the group', async () => {
    // Act
    const answer = await post(standIn.coreUrl, '/group/mute_group_member', { groupID: 'g-none', userID: 'eve', mutedSeconds: 60 }, await coreToken());

    // Assess
    expect(answer.errCode).toBe(1004);
  });

  it('answers 1507 once a newer admin token for the same user has been issued and 5 minutes passed', async () => {
    // Prepare
    const older = await coreToken(CHAT_IM_ADMIN_USER_ID);
    standIn.addGroupMember('g-tok', 'fay');
    await coreToken(CHAT_IM_ADMIN_USER_ID);
    const withinGrace = await post(standIn.coreUrl, '/group/cancel_mute_group_member', { groupID: 'g-tok', userID: 'fay' }, older);

    // Act
    standIn.advanceClock(TEMPORARY_TOKEN_MS);
    const after = await post(standIn.coreUrl, '/group/cancel_mute_group_member', { groupID: 'g-tok', userID: 'fay' }, older);

    // Assess
    expect(withinGrace.errCode).toBe(0);
    expect(after).toMatchObject({ errCode: 1507, errMsg: 'TokenNotExistError' });
  });

  it('answers 20101 for a chat token chat forgot, and 1503 for a string it never issued', async () => {
    // Prepare
    const token = await chatToken();
    standIn.forgetChatTokens();

    // Act
    const forgotten = await post(standIn.chatUrl, '/block/search', { keyword: '', pagination: { pageNumber: 1, showNumber: 10 } }, token);
    const neverIssued = await post(standIn.chatUrl, '/block/search', { keyword: '', pagination: { pageNumber: 1, showNumber: 10 } }, 'not-a-jwt');

    // Assess
    expect(forgotten).toMatchObject({ errCode: 20101, errMsg: 'ErrTokenNotExist' });
    expect(neverIssued.errCode).toBe(1503);
  });

  it('lets the group owner send whatever its mute says', async () => {
    // Prepare
    const token = await coreToken();
    standIn.addGroupMember('g-own', 'gil', 100);
    standIn.addGroupMember('g-own', 'gus');

    // Act
    for (const userID of ['gil', 'gus']) await post(standIn.coreUrl, '/group/mute_group_member', { groupID: 'g-own', userID, mutedSeconds: 600 }, token);

    // Assess
    expect([standIn.canSend('g-own', 'gil'), standIn.canSend('g-own', 'gus')]).toEqual([true, false]);
  });
});
