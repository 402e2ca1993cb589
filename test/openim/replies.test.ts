import { describe, expect, it } from 'vitest';
import {
  checkedReply,
  continueReply,
  identityReply,
  InvalidErrCodeError,
  InvalidReplyError,
  modifyReply,
  stopReply,
  stopsOperation,
} from '#shared/openim/replies.ts';

describe('Function: continueReply()', () => {
  it('answers all five common fields and does not stop', () => {
    // Act
    const reply = continueReply();

    // Assess
    expect(reply).toEqual({ actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 });
    expect(stopsOperation(reply)).toBe(false);
  });
});

describe('Function: stopReply()', () => {
  it('sets actionCode 0 and nextCode 1, the only pair that stops OpenIM', () => {
    // Act
    const reply = stopReply(10101, 'blocked', 'detail');

    // Assess
    expect(reply).toEqual({ actionCode: 0, errCode: 10101, errMsg: 'blocked', errDlt: 'detail', nextCode: 1 });
    expect(stopsOperation(reply)).toBe(true);
  });

  it.each([{ errCode: 0 }, { errCode: -1 }, { errCode: 99 }, { errCode: 2 ** 31 }, { errCode: 2 ** 32 }, { errCode: 1.5 }])(
    'throws when errCode is $errCode, which OpenIM cannot decode (int32) or main turns into 500 (below 100)',
    ({ errCode }) => {
      // Assess
      expect(() => stopReply(errCode, 'x')).toThrow(InvalidErrCodeError);
    },
  );
});

describe('Function: modifyReply()', () => {
  it('continues and carries only present, non-null changes', () => {
    // Act
    const reply = modifyReply({ content: '{"content":"***"}', ex: undefined, recvID: null });

    // Assess
    expect(reply).toEqual({ actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0, content: '{"content":"***"}' });
    expect(stopsOperation(reply)).toBe(false);
  });
});

describe('Function: modifyReply() content', () => {
  it.each(['"text"', '[1]', '1', 'true', 'not json', ''])('refuses content %j, which OpenIM main would refuse with 1001', (content) => {
    // Assess
    expect(() => modifyReply({ content })).toThrow(InvalidReplyError);
  });

  it.each(['{}', 'null', ' {"content":"x"} '])('accepts content %j, an object or null', (content) => {
    // Assess
    expect(modifyReply({ content }).content).toBe(content);
  });
});

describe('Function: identityReply()', () => {
  it('echoes the four fields set-group-info always applies, as received, and not the settings it shows as ""/0 when unset', () => {
    // Prepare
    const request = { groupID: 'g1', groupName: 'New <name>', notification: 'n', introduction: '', faceURL: 'f', ex: '', needVerification: 0, lookMemberInfo: 0, applyMemberFriend: 0 };

    // Act
    const reply = identityReply('callbackBeforeSetGroupInfoCommand', request);

    // Assess
    expect(reply).toEqual({ ...continueReply(), groupID: 'g1', groupName: 'New <name>', introduction: '', faceURL: 'f' });
  });

  it('echoes every field of set-group-info-ex, null staying null', () => {
    // Prepare
    const request = { groupID: 'g1', groupName: null, notification: null, introduction: 'i', faceURL: null, ex: '{}', needVerification: 1, lookMemberInfo: null, applyMemberFriend: 0 };

    // Act
    const reply = identityReply('callbackBeforeSetGroupInfoExCommand', request);

    // Assess
    expect(reply).toEqual({ ...continueReply(), groupID: 'g1', groupName: null, introduction: 'i', faceURL: null, ex: '{}', needVerification: 1, lookMemberInfo: null, applyMemberFriend: 0 });
  });

  it.each(['callbackBeforeSendSingleMsgCommand', 'callbackBeforeMsgModifyCommand', 'callbackAfterSendSingleMsgCommand', 'notACommand'])('is a bare continue for %s', (command) => {
    // Assess
    expect(identityReply(command, { groupID: 'g1', content: '{}' })).toEqual(continueReply());
  });
});

describe('Function: checkedReply()', () => {
  it('adds the identity fields to a decision that continues', () => {
    // Act
    const reply = checkedReply('callbackBeforeSetGroupInfoCommand', { groupID: 'g1', groupName: 'x', introduction: '', faceURL: '' }, continueReply());

    // Assess
    expect(reply).toMatchObject({ groupID: 'g1', groupName: 'x', nextCode: 0 });
  });

  it('passes a stop through unchanged, checking its errCode', () => {
    // Assess
    expect(checkedReply('callbackBeforeSetGroupInfoCommand', { groupID: 'g1' }, stopReply(10101, 'no'))).toEqual(stopReply(10101, 'no'));
    expect(() => checkedReply('callbackBeforeSendSingleMsgCommand', {}, { ...stopReply(10101, 'no'), errCode: 2 ** 31 })).toThrow(InvalidErrCodeError);
  });

  it.each([
    { case: 'a field the command has no such reply field for', command: 'callbackBeforeSendSingleMsgCommand', request: {}, change: { content: '{}' } },
    { case: 'offlinePushInfo in message-modify (a nil dereference in OpenIM)', command: 'callbackBeforeMsgModifyCommand', request: {}, change: { offlinePushInfo: { title: 't' } } },
    { case: 'offlinePushInfo for a message without push info', command: 'callbackBeforeOfflinePushCommand', request: { userIDList: ['u'] }, change: { offlinePushInfo: { title: 't' } } },
    { case: 'user-info-ex ex, which the request never shows', command: 'callbackBeforeUpdateUserInfoExCommand', request: { ex: null }, change: { ex: 'x' } },
    { case: 'a null user in user-register', command: 'callbackBeforeUserRegisterCommand', request: {}, change: { users: [null] } },
    { case: 'a member entry without userID', command: 'callbackBeforeMembersJoinGroupCommand', request: {}, change: { memberCallbackList: [{ ex: 'x' }] } },
  ])('refuses $case', ({ command, request, change }) => {
    // Assess
    expect(() => checkedReply(command, request, { ...continueReply(), ...change })).toThrow(InvalidReplyError);
  });

  it('accepts offlinePushInfo when the message has push info', () => {
    // Act
    const reply = checkedReply('callbackBeforeOfflinePushCommand', { title: 'Hi' }, { ...continueReply(), offlinePushInfo: { title: 'Hello' } } as never);

    // Assess
    expect(reply).toMatchObject({ offlinePushInfo: { title: 'Hello' } });
  });
});

describe('Function: stopsOperation()', () => {
  it.each([
    { case: 'actionCode 1 with nextCode 1', reply: { actionCode: 1, nextCode: 1 }, stops: false },
    { case: 'actionCode 0 with nextCode 0', reply: { actionCode: 0, nextCode: 0 }, stops: false },
    { case: 'actionCode 0 with nextCode 1', reply: { actionCode: 0, nextCode: 1 }, stops: true },
  ])('judges $case as OpenIM does', ({ reply, stops }) => {
    // Assess
    expect(stopsOperation(reply)).toBe(stops);
  });
});
