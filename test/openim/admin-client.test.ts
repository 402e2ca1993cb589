/** The OpenIM admin client against the contract-faithful stand-in, over real HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadOpenImAdminConfig } from '#shared/openim/admin/admin-config.ts';
import { OpenImAdminClient } from '#shared/openim/admin/admin-client.ts';
import { ChatServiceNotConfiguredError, OpenImApiError, OpenImUnreachableError } from '#shared/openim/admin/errors.ts';
import { startOpenImAdminStandIn, type OpenImAdminStandIn } from '../helpers/openim-admin-stand-in.ts';

describe('Class: OpenImAdminClient', () => {
  let standIn: OpenImAdminStandIn;
  let client: OpenImAdminClient;
  const message = {
    conversationID: 'sg_group-1',
    seq: 7,
    clientMsgID: 'client-7',
    serverMsgID: 'server-7',
    sendID: 'alice',
    recvID: 'group-1',
    sessionType: 3,
    contentType: 101,
    sendTime: Date.parse('2026-11-25T10:00:00Z'),
  };

  beforeAll(async () => {
    standIn = await startOpenImAdminStandIn();
    standIn.addMessage(message);
    for (const userID of ['bob', 'carol', 'dave']) standIn.addGroupMember('group-1', userID);
  });

  beforeEach(() => {
    client = new OpenImAdminClient(loadOpenImAdminConfig(standIn.env()), { backoffMs: 1 });
    standIn.calls.length = 0;
  });

  afterAll(async () => {
    await standIn?.stop();
  });

  it('fetches one admin token and reuses it, with an operationID on every call', async () => {
    // Act
    await client.muteGroupMember('group-1', 'alice', 60);
    await client.cancelMuteGroupMember('group-1', 'alice');

    // Assess
    expect(standIn.calls.map((call) => [call.path, call.errCode])).toEqual([
      ['/auth/get_admin_token', 0],
      ['/group/get_group_members_info', 0],
      ['/group/mute_group_member', 0],
      ['/group/cancel_mute_group_member', 0],
    ]);
    expect(standIn.calls.every((call) => call.operationID?.startsWith('hooks-'))).toBe(true);
    expect(new Set(standIn.calls.slice(1).map((call) => call.token)).size).toBe(1);
  });

  it('refreshes the token once when OpenIM says it expired', async () => {
    // Prepare
    await client.muteGroupMember('group-1', 'bob', 60);
    standIn.expireTokens();
    standIn.calls.length = 0;

    // Act
    await client.cancelMuteGroupMember('group-1', 'bob');

    // Assess
    expect(standIn.calls.map((call) => [call.path, call.errCode])).toEqual([
      ['/group/cancel_mute_group_member', 1501],
      ['/auth/get_admin_token', 0],
      ['/group/cancel_mute_group_member', 0],
    ]);
  });

  it('reads the state back before sending a change again whose connection failed, with the same operationID', async () => {
    // Prepare
    await client.muteGroupMember('group-1', 'carol', 60);
    standIn.calls.length = 0;
    standIn.failConnections(1);

    // Act
    const outcome = await client.cancelMuteGroupMember('group-1', 'carol');

    // Assess
    expect(outcome.effect).toBe('applied');
    expect(standIn.calls.map((call) => call.path)).toEqual(['/group/get_group_members_info', '/group/cancel_mute_group_member']);
    expect(new Set(standIn.calls.map((call) => call.operationID))).toEqual(new Set([outcome.answers[0]!.operationID]));
  });

  it('does not send a change again whose lost answer had applied it', async () => {
    // Prepare
    standIn.loseAnswers(1, '/group/mute_group_member');

    // Act
    const outcome = await client.muteGroupMember('group-1', 'dave', 600);

    // Assess
    expect(outcome).toMatchObject({ effect: 'applied', note: expect.stringContaining('read back') });
    expect(standIn.effects().filter((call) => call.path === '/group/mute_group_member')).toHaveLength(1);
  });

  it('throws OpenImUnreachableError when no connection can be made', async () => {
    // Prepare
    const closed = new OpenImAdminClient(loadOpenImAdminConfig({ ...standIn.env(), OPENIM_API_URL: 'http://127.0.0.1:9' }), { backoffMs: 1 });

    // Act
    const result = closed.cancelMuteGroupMember('group-1', 'dave');

    // Assess
    await expect(result).rejects.toBeInstanceOf(OpenImUnreachableError);
  });

  it('does not retry an answer with an error code', async () => {
    // Act
    const result = client.revokeMessage({ conversationID: 'sg_group-1', seq: 999, sendID: 'alice', sessionType: 3 });

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'OpenImApiError', errCode: 1004 });
    expect(standIn.calls.filter((call) => call.path === '/msg/revoke_msg')).toHaveLength(1);
  });

  it('finds the seq by clientMsgID and revokes the message once', async () => {
    // Act
    const found = await client.findMessage({ ...message });
    const first = await client.revokeMessage({ ...message, seq: found!.seq });
    const again = await client.revokeMessage({ ...message, seq: found!.seq });

    // Assess
    expect(found).toEqual({ seq: 7, isRevoked: false });
    expect(standIn.isRevoked('sg_group-1', 7)).toBe(true);
    expect([first.effect, again.effect]).toEqual(['applied', 'alreadyApplied']);
    expect(again.answers.map((answer) => answer.errCode)).toEqual([1404]);
    expect(await client.findMessage({ ...message })).toEqual({ seq: 7, isRevoked: true });
  });

  it('answers undefined for a message OpenIM does not hold', async () => {
    // Assess
    expect(await client.findMessage({ ...message, clientMsgID: 'nope' })).toBeUndefined();
  });

  it('forbids and lifts through the chat service with its own login', async () => {
    // Act
    await client.forbidUser('eve', 'repeat offender');
    const blocked = standIn.isBlocked('eve');
    await client.liftForbid('eve');

    // Assess
    expect(blocked).toBe(true);
    expect(standIn.isBlocked('eve')).toBe(false);
    expect(standIn.calls.map((call) => `${call.service} ${call.path}`)).toEqual(['chat /account/login', 'chat /block/add', 'chat /block/del']);
  });

  it('refuses to forbid when the chat service is not configured', async () => {
    // Prepare
    const coreOnly = new OpenImAdminClient(loadOpenImAdminConfig(standIn.env({ chat: false })));

    // Assess
    expect(coreOnly.canForbid).toBe(false);
    await expect(coreOnly.forbidUser('eve', 'x')).rejects.toBeInstanceOf(ChatServiceNotConfiguredError);
  });

  it('surfaces a wrong secret as OpenImApiError with OpenIM envelope fields', async () => {
    // Prepare
    const wrong = new OpenImAdminClient(loadOpenImAdminConfig({ ...standIn.env(), OPENIM_SECRET: 'wrong' }));

    // Act
    const error = await wrong.muteGroupMember('group-1', 'alice', 1).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(OpenImApiError);
    expect(error).toMatchObject({ path: '/auth/get_admin_token', errCode: 1002, errDlt: 'secret invalid' });
  });
});
