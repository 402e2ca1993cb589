/**
 * A small model of OpenIM's before-callbacks, independent of the service's own reply table, for
 * contract tests. Per command: the user's operation (OpenIM's RPC request state), the callback
 * request OpenIM builds from it, the Go response struct our reply is decoded into, and what OpenIM's
 * code does with it after `SyncPost`, transcribed from open-im-server main @7848d7c and
 * v3.8.3-patch.16 (file:line in docs/openim-replies.md). `apply` mutates the operation as OpenIM would.
 */
import fc from 'fast-check';
import type { GoStruct } from './go-json.ts';

export type OpenimVersion = 'main' | 'v3.8.3';

/** A nil dereference in OpenIM's code: the RPC middleware turns it into errCode 500. */
export class OpenimPanic extends Error {}
/** A check OpenIM runs on the applied reply (e.g. main's modified content must be a JSON object). */
export class OpenimRefusal extends Error {}

type Operation = Record<string, unknown>;

export interface CommandModel {
  readonly versions: readonly OpenimVersion[];
  readonly operation: fc.Arbitrary<Operation>;
  /** The callback body OpenIM builds from the operation (before Go encoding). */
  request(operation: Operation, command: string): Record<string, unknown>;
  readonly response: GoStruct;
  apply(operation: Operation, reply: Record<string, unknown>, version: OpenimVersion): void;
}

const COMMON_RESP: GoStruct = { actionCode: 'int32', errCode: 'int32', errMsg: 'string', errDlt: 'string', nextCode: 'int32' };

// Values of the kinds OpenIM's users send, with what trips encoders up: markup, escapes, astral characters.
const text = fc.oneof(fc.constant(''), fc.string({ maxLength: 12 }), fc.constantFrom('<b>&amp;</b>', 'héllo 🅑', 'a\u2028b', '"quoted"\\'));
const id = fc.stringMatching(/^[a-z0-9_]{1,12}$/);
const int32 = fc.oneof(fc.constantFrom(0, 1, 2, 60, 100), fc.integer());
const ids = fc.array(id, { maxLength: 3 });
/** int64 epoch milliseconds, past 2^32 as OpenIM's are. */
const millis = fc.maxSafeNat().map((n) => 1_600_000_000_000 + (n % 400_000_000_000));
const orNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 3 });
const msgContent = fc.oneof(
  text.map((t) => JSON.stringify({ content: t })),
  text.map((t) => JSON.stringify({ text: t, isAtSelf: false })),
  fc.constant(JSON.stringify({ sourcePicture: { url: 'https://x/y.png', width: 1 } })),
);

/** Replaces a value with the reply's when the reply's pointer is non-nil (datautil.NotNilReplace(&x, resp.X)). */
function whenNotNull(operation: Operation, key: string, value: unknown): void {
  if (value !== null && value !== undefined) operation[key] = value;
}

const commonOnly = (operation: fc.Arbitrary<Operation>, response: GoStruct = {}): CommandModel => ({
  versions: ['main', 'v3.8.3'],
  operation,
  request: (op, command) => ({ callbackCommand: command, ...op }),
  response: { ...COMMON_RESP, ...response },
  apply: () => undefined,
});

const MSG = {
  sendID: id, serverMsgID: id, clientMsgID: id, operationID: id, senderPlatformID: int32, senderNickname: text,
  sessionType: fc.constantFrom(1, 3), msgFrom: fc.constantFrom(100, 200), contentType: fc.constantFrom(101, 102, 106),
  status: fc.constantFrom(1, 2), sendTime: millis, createTime: millis, content: msgContent,
  seq: fc.constant(0), atUserList: fc.option(ids, { nil: null }), faceURL: text, ex: text,
};
const msgRequest = (op: Operation, command: string) => {
  const { recvID, groupID, options: _options, attachedInfo: _attached, ...msg } = op;
  return { callbackCommand: command, ...msg, ...(command.includes('Single') ? { recvID } : {}), ...(command.includes('Group') ? { groupID } : {}) };
};

const PUSH_INFO: GoStruct = { title: 'string', desc: 'string', ex: 'string', iOSPushSound: 'string', iOSBadgeCount: 'bool', signalInfo: 'string' };
const pushInfo = fc.record({ title: text, desc: text, ex: text, iOSPushSound: text, iOSBadgeCount: fc.boolean(), signalInfo: text });
const pushMessage = {
  operationID: id, platformID: int32, platform: fc.constantFrom('IOS', 'Android', 'Web'), clientMsgID: id, sendID: id,
  groupID: id, contentType: int32, sessionType: fc.constantFrom(1, 3), atUserIDList: fc.option(ids, { nil: null }), content: text,
};

const GROUP_INFO = {
  groupID: id, groupName: text, notification: text, introduction: text, faceURL: text, ownerUserID: id, createTime: millis,
  memberCount: fc.nat(), ex: text, status: int32, creatorUserID: id, groupType: fc.constant(2), needVerification: int32,
  lookMemberInfo: int32, applyMemberFriend: int32, notificationUpdateTime: millis, notificationUserID: id,
};
const CONVERSATION = {
  conversationType: int32, recvMsgOpt: int32, isPinned: fc.boolean(), isPrivateChat: fc.boolean(), burnDuration: int32,
  groupAtType: int32, attachedInfo: text, ex: text,
};
const CONVERSATION_RESP: GoStruct = {
  recvMsgOpt: '*int32', isPinned: '*bool', isPrivateChat: '*bool', burnDuration: '*int32', groupAtType: '*int32', attachedInfo: '*string', ex: '*string',
};
const conversation = (extra: Record<string, fc.Arbitrary<unknown>>): CommandModel => ({
  versions: ['main'],
  operation: fc.record({ ownerUserId: id, conversationId: id, ...extra, ...CONVERSATION }),
  request: (op, command) => ({ callbackCommand: command, ...op }),
  response: { ...COMMON_RESP, ...CONVERSATION_RESP },
  apply: (op, reply) => {
    for (const key of Object.keys(CONVERSATION_RESP)) whenNotNull(op, key, reply[key]);
  },
});

const USER_INFO: GoStruct = { userID: 'string', nickname: 'string', faceURL: 'string', ex: 'string', createTime: '*int64', appMangerLevel: 'int32', globalRecvMsgOpt: 'int32' };
const MEMBER_CALLBACK: GoStruct = { groupID: '*string', userID: '*string', nickname: '*string', faceURL: '*string', roleLevel: '*int32', muteEndTime: '*int64', ex: '*string' };

export const OPENIM_MODEL: Record<string, CommandModel> = {
  callbackBeforeSendSingleMsgCommand: commonOnly(fc.record({ ...MSG, recvID: id })),
  callbackBeforeSendGroupMsgCommand: commonOnly(fc.record({ ...MSG, groupID: id })),
  // mcb:142-184@main, 134-171@v3.8.3 (v3.8.3: text only, no content check).
  callbackBeforeMsgModifyCommand: {
    versions: ['main', 'v3.8.3'],
    operation: fc.record({ ...MSG, recvID: id, groupID: id, options: fc.dictionary(id, fc.boolean(), { maxKeys: 2 }), attachedInfo: text }),
    request: msgRequest,
    response: {
      ...COMMON_RESP, content: '*string', recvID: '*string', groupID: '*string', clientMsgID: '*string', serverMsgID: '*string',
      senderPlatformID: '*int32', senderNickname: '*string', senderFaceURL: '*string', sessionType: '*int32', msgFrom: '*int32',
      contentType: '*int32', status: '*int32', options: '*map[string]bool', offlinePushInfo: { pointer: true, struct: PUSH_INFO },
      atUserIDList: '*[]string', msgDataList: '*[]byte', attachedInfo: '*string', ex: '*string',
    },
    apply: (op, reply, version) => {
      if (reply.content !== null) {
        op.content = reply.content;
        if (version === 'main') {
          const parsed: unknown = JSON.parse(reply.content as string);
          if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new OpenimRefusal('webhook msg modify content is not json');
        }
      }
      // The model's messages carry no offlinePushInfo: NotNilReplace(nil, non-nil) dereferences nil.
      if (reply.offlinePushInfo !== null) throw new OpenimPanic('nil offlinePushInfo');
      for (const key of ['recvID', 'groupID', 'clientMsgID', 'serverMsgID', 'senderPlatformID', 'senderNickname', 'sessionType', 'msgFrom', 'contentType', 'status', 'options', 'attachedInfo', 'ex']) {
        whenNotNull(op, key, reply[key]);
      }
      whenNotNull(op, 'faceURL', reply.senderFaceURL);
      whenNotNull(op, 'atUserList', reply.atUserIDList);
    },
  },
  callbackBeforeOnlinePushCommand: commonOnly(fc.record({ ...pushMessage, userIDList: ids }), { userIDList: '[]string', offlinePushInfo: { pointer: true, struct: PUSH_INFO } }),
  // pcb:30-69@main: a non-empty list replaces the targets, a non-nil push info replaces the message's.
  callbackBeforeOfflinePushCommand: {
    versions: ['main', 'v3.8.3'],
    operation: fc.record({ ...pushMessage, userIDList: fc.array(id, { minLength: 1, maxLength: 3 }), offlinePushInfo: orNull(pushInfo) }),
    request: (op, command) => {
      const { offlinePushInfo, ...rest } = op;
      return { callbackCommand: command, ...rest, ...(offlinePushInfo as object | null ?? {}) };
    },
    response: { ...COMMON_RESP, userIDList: '[]string', offlinePushInfo: { pointer: true, struct: PUSH_INFO } },
    apply: (op, reply) => {
      if (Array.isArray(reply.userIDList) && reply.userIDList.length > 0) op.userIDList = reply.userIDList;
      whenNotNull(op, 'offlinePushInfo', reply.offlinePushInfo);
    },
  },
  callbackBeforeGroupOnlinePushCommand: {
    versions: ['main', 'v3.8.3'],
    operation: fc.record({ ...pushMessage, seq: millis, pushTo: fc.constant([]) }),
    request: (op, command) => {
      const { pushTo: _pushTo, ...rest } = op;
      return { callbackCommand: command, ...rest };
    },
    response: { ...COMMON_RESP, userIDList: '[]string', offlinePushInfo: { pointer: true, struct: PUSH_INFO } },
    apply: (op, reply) => {
      if (Array.isArray(reply.userIDList) && reply.userIDList.length > 0) op.pushTo = reply.userIDList;
    },
  },
  // ucb:28-46: the request's ex is never set (always null).
  callbackBeforeUpdateUserInfoCommand: {
    versions: ['main', 'v3.8.3'],
    operation: fc.record({ userID: id, nickname: text, faceURL: text, ex: text }),
    request: (op, command) => ({ callbackCommand: command, userID: op.userID, nickName: op.nickname, faceURL: op.faceURL, ex: null }),
    response: { ...COMMON_RESP, nickName: '*string', faceURL: '*string', ex: '*string' },
    apply: (op, reply) => {
      whenNotNull(op, 'faceURL', reply.faceURL);
      whenNotNull(op, 'ex', reply.ex);
      whenNotNull(op, 'nickname', reply.nickName);
    },
  },
  // ucb:58-76: NotNilReplace(req.X, resp.X) on wrapper pointers, which may be nil.
  callbackBeforeUpdateUserInfoExCommand: {
    versions: ['main', 'v3.8.3'],
    operation: fc.record({ userID: id, nickname: orNull(text), faceURL: orNull(text), ex: orNull(text) }),
    request: (op, command) => ({ callbackCommand: command, userID: op.userID, nickName: op.nickname, faceURL: op.faceURL, ex: null }),
    response: { ...COMMON_RESP, nickName: 'wrapperString', faceURL: 'wrapperString', ex: 'wrapperString' },
    apply: (op, reply) => {
      for (const [replyKey, key] of [['faceURL', 'faceURL'], ['ex', 'ex'], ['nickName', 'nickname']] as const) {
        if (reply[replyKey] === null) continue;
        if (op[key] === null) throw new OpenimPanic(`nil ${key}`);
        op[key] = reply[replyKey];
      }
    },
  },
  callbackBeforeUserRegisterCommand: {
    versions: ['main', 'v3.8.3'],
    operation: fc.record({ users: fc.array(fc.record({ userID: id, nickname: text, faceURL: text, ex: text, createTime: millis, appMangerLevel: fc.constantFrom(0, 1), globalRecvMsgOpt: fc.constantFrom(0, 1) }), { minLength: 1, maxLength: 2 }) }),
    request: (op, command) => ({ callbackCommand: command, ...op }),
    response: { ...COMMON_RESP, users: { slice: { pointer: true, struct: USER_INFO } } },
    apply: (op, reply) => {
      const users = reply.users as (Record<string, unknown> | null)[] | null;
      if (!users || users.length === 0) return;
      if (users.some((user) => user === null)) throw new OpenimPanic('nil user');
      op.users = users;
    },
  },
  callbackBeforeAddFriendCommand: commonOnly(fc.record({ fromUserID: id, toUserID: id, reqMsg: text, ex: text })),
  callbackBeforeAddFriendAgreeCommand: commonOnly(fc.record({ fromUserID: id, blackUserID: id, HandleResult: fc.constant(1), HandleMsg: text })),
  callbackBeforeImportFriendsCommand: {
    versions: ['main', 'v3.8.3'],
    operation: fc.record({ ownerUserID: id, friendUserIDs: fc.option(ids, { nil: null }) }),
    request: (op, command) => ({ callbackCommand: command, ...op }),
    response: { ...COMMON_RESP, friendUserIDs: '[]string' },
    apply: (op, reply) => {
      if (Array.isArray(reply.friendUserIDs) && reply.friendUserIDs.length > 0) op.friendUserIDs = reply.friendUserIDs;
    },
  },
  callbackBeforeSetFriendRemarkCommand: {
    versions: ['main', 'v3.8.3'],
    operation: fc.record({ ownerUserID: id, friendUserID: id, remark: text }),
    request: (op, command) => ({ callbackCommand: command, ...op }),
    response: { ...COMMON_RESP, remark: 'string' },
    apply: (op, reply) => {
      if (reply.remark !== '') op.remark = reply.remark;
    },
  },
  callbackBeforeAddBlackCommand: commonOnly(fc.record({ ownerUserID: id, blackUserID: id })),
  // gcb:35-78: pointers replace when non-nil; applyMemberFriend is decoded and ignored.
  callbackBeforeCreateGroupCommand: {
    versions: ['main', 'v3.8.3'],
    operation: fc.record({ operationID: id, ...GROUP_INFO, initMemberList: fc.array(fc.record({ userID: id, roleLevel: fc.constantFrom(20, 60, 100) }), { maxLength: 2 }) }),
    request: (op, command) => ({ callbackCommand: command, ...op }),
    response: {
      ...COMMON_RESP, groupID: '*string', groupName: '*string', notification: '*string', introduction: '*string', faceURL: '*string', ownerUserID: '*string',
      ex: '*string', status: '*int32', creatorUserID: '*string', groupType: '*int32', needVerification: '*int32', lookMemberInfo: '*int32', applyMemberFriend: '*int32',
    },
    apply: (op, reply) => {
      for (const key of ['groupID', 'groupName', 'notification', 'introduction', 'faceURL', 'ownerUserID', 'ex', 'status', 'creatorUserID', 'groupType', 'needVerification', 'lookMemberInfo']) {
        whenNotNull(op, key, reply[key]);
      }
    },
  },
  // gcb:104-145: entries matched by *userID (a nil entry or userID dereferences nil).
  callbackBeforeMembersJoinGroupCommand: {
    versions: ['main', 'v3.8.3'],
    operation: fc.record({ groupID: id, groupEx: text, members: fc.array(fc.record({ userID: id, ex: text, nickname: text, faceURL: text, roleLevel: fc.constant(20), muteEndTime: millis }), { minLength: 1, maxLength: 3 }) }),
    request: (op, command) => ({
      callbackCommand: command,
      groupID: op.groupID,
      memberList: (op.members as Record<string, unknown>[]).map(({ userID, ex }) => ({ userID, ex })),
      groupEx: op.groupEx,
    }),
    response: { ...COMMON_RESP, memberCallbackList: { slice: { pointer: true, struct: MEMBER_CALLBACK } } },
    apply: (op, reply) => {
      for (const entry of (reply.memberCallbackList as (Record<string, unknown> | null)[] | null) ?? []) {
        if (entry === null || entry.userID === null) throw new OpenimPanic('nil member userID');
        const member = (op.members as Record<string, unknown>[]).find((m) => m.userID === entry.userID);
        if (!member) continue;
        for (const key of ['muteEndTime', 'faceURL', 'ex', 'nickname', 'roleLevel']) whenNotNull(member, key, entry[key]);
      }
    },
  },
  // gcb:147-184: pointers, null when the user did not set them.
  callbackBeforeSetGroupMemberInfoCommand: {
    versions: ['main', 'v3.8.3'],
    operation: fc.record({ groupID: id, userID: id, nickName: orNull(text), faceURL: orNull(text), roleLevel: orNull(fc.constantFrom(20, 60)), ex: orNull(text) }),
    request: (op, command) => ({ callbackCommand: command, ...op }),
    response: { ...COMMON_RESP, nickName: '*string', faceURL: '*string', roleLevel: '*int32', ex: '*string' },
    apply: (op, reply) => {
      for (const key of ['faceURL', 'nickName', 'roleLevel', 'ex']) whenNotNull(op, key, reply[key]);
    },
  },
  callbackBeforeJoinGroupCommand: commonOnly(fc.record({ groupID: id, groupType: fc.constant('\u0002'), applyID: id, reqMessage: text, ex: text })),
  callbackBeforeInviteJoinGroupCommand: commonOnly(fc.record({ operationID: id, groupID: id, reason: text, invitedUserIDs: ids }), { refusedMembersAccount: '[]string' }),
  // gcb:290-337: wrappers in the operation; the request shows an unset one as ""/0; four plain
  // strings are copied back unconditionally (NotNilReplace(&req.X, &resp.X)).
  callbackBeforeSetGroupInfoCommand: {
    versions: ['main', 'v3.8.3'],
    operation: fc.record({
      groupID: id, groupName: text, notification: text, introduction: text, faceURL: text,
      ex: orNull(text), needVerification: orNull(int32), lookMemberInfo: orNull(int32), applyMemberFriend: orNull(int32),
    }),
    request: (op, command) => ({
      callbackCommand: command, operationID: '', groupID: op.groupID, groupName: op.groupName, notification: op.notification,
      introduction: op.introduction, faceURL: op.faceURL, ex: op.ex ?? '', needVerification: op.needVerification ?? 0,
      lookMemberInfo: op.lookMemberInfo ?? 0, applyMemberFriend: op.applyMemberFriend ?? 0,
    }),
    response: {
      ...COMMON_RESP, groupID: 'string', groupName: 'string', notification: 'string', introduction: 'string', faceURL: 'string',
      ex: '*string', needVerification: '*int32', lookMemberInfo: '*int32', applyMemberFriend: '*int32',
    },
    apply: (op, reply) => {
      for (const key of ['ex', 'needVerification', 'lookMemberInfo', 'applyMemberFriend']) whenNotNull(op, key, reply[key]);
      for (const key of ['groupID', 'groupName', 'faceURL', 'introduction']) op[key] = reply[key];
    },
  },
  // gcb:363-406: every field copied pointer for pointer, nil included.
  callbackBeforeSetGroupInfoExCommand: {
    versions: ['main', 'v3.8.3'],
    operation: fc.record({
      groupID: id, groupName: orNull(text), notification: orNull(text), introduction: orNull(text), faceURL: orNull(text),
      ex: orNull(text), needVerification: orNull(int32), lookMemberInfo: orNull(int32), applyMemberFriend: orNull(int32),
    }),
    request: (op, command) => ({ callbackCommand: command, operationID: '', ...op }),
    response: {
      ...COMMON_RESP, groupID: 'string', groupName: 'wrapperString', notification: 'wrapperString', introduction: 'wrapperString', faceURL: 'wrapperString',
      ex: 'wrapperString', needVerification: 'wrapperInt32', lookMemberInfo: 'wrapperInt32', applyMemberFriend: 'wrapperInt32',
    },
    apply: (op, reply) => {
      for (const key of ['groupID', 'groupName', 'faceURL', 'introduction', 'ex', 'needVerification', 'lookMemberInfo', 'applyMemberFriend']) op[key] = reply[key];
    },
  },
  callbackBeforeCreateSingleChatConversationsCommand: conversation({ userId: id }),
  callbackBeforeCreateGroupChatConversationsCommand: conversation({ groupId: id }),
};
