/**
 * What OpenIM does with each field of a before-callback reply, per command and version, read from
 * OpenIM's code after `SyncPost` (open-im-server main @7848d7c and v3.8.3-patch.16; the call sites are
 * in docs/openim-replies.md). The identity ("continue") reply, the fallback replies and the reply
 * checks are all derived from this table, so a command's behaviour is one row here.
 */
import { CALLBACK_COMMANDS, type CallbackCommandName } from './commands.ts';

export const OPENIM_VERSIONS = ['main', 'v3.8.3'] as const;
export type OpenimVersion = (typeof OPENIM_VERSIONS)[number];

/**
 * How OpenIM copies one reply field onto the user's operation.
 * - `always`: a plain (non-pointer) Go field copied unconditionally: a missing key writes `""`/0.
 * - `alwaysNullable`: a pointer copied unconditionally: a missing key writes nil ("do not change"),
 *   which erases the change the user asked for.
 * - `whenNotNull`: copied only when the key is present and not null.
 * - `whenNonEmpty`: a list or string that replaces only when non-empty.
 * - `perMember`: list entries applied to the member with the same `userID`.
 * - `ignored`: decoded, never used.
 */
export type ApplyRule = 'always' | 'alwaysNullable' | 'whenNotNull' | 'whenNonEmpty' | 'perMember' | 'ignored';

/**
 * What OpenIM needs of a value it applies: main decodes a modified `content` into a struct (an object
 * or null, else the send fails with 1001); list entries it dereferences must not be null, and member
 * entries are matched through their `userID` pointer.
 */
export type ValueCheck = 'jsonObjectOrNull' | 'noNullEntries' | 'entriesWithUserID';

export interface ReplyField {
  /** The rule of each version whose reply struct has the field. */
  readonly rule: Partial<Record<OpenimVersion, ApplyRule>>;
  /** The request key that carries the user's own value of this field. */
  readonly from?: string;
  /** Sending the field at all breaks OpenIM (why). */
  readonly neverSend?: string;
  /** Sending a non-null value breaks OpenIM unless the request carries `requestKey` non-null (why). */
  readonly requires?: { readonly requestKey: string; readonly why: string };
  /** What OpenIM (main) checks the applied value against. */
  readonly check?: ValueCheck;
}

export type ReplySemantics = Readonly<Record<string, ReplyField>>;

type BeforeCommandName = {
  [C in CallbackCommandName]: (typeof CALLBACK_COMMANDS)[C]['mode'] extends 'before' ? C : never;
}[CallbackCommandName];

const both = (rule: ApplyRule, from?: string): ReplyField => ({ rule: { main: rule, 'v3.8.3': rule }, ...(from ? { from } : {}) });
const throughRequestWrapper = (requestKey: string) => ({
  requestKey,
  why: `written through the request's ${requestKey} wrapper pointer: a nil dereference when the user did not set it`,
});
const mainOnly = (rule: ApplyRule, from?: string): ReplyField => ({ rule: { main: rule }, ...(from ? { from } : {}) });

/** The conversation callbacks (main only): each setting replaces the new conversation's when not null. */
const CONVERSATION_REPLY: ReplySemantics = {
  recvMsgOpt: mainOnly('whenNotNull', 'recvMsgOpt'),
  isPinned: mainOnly('whenNotNull', 'isPinned'),
  isPrivateChat: mainOnly('whenNotNull', 'isPrivateChat'),
  burnDuration: mainOnly('whenNotNull', 'burnDuration'),
  groupAtType: mainOnly('whenNotNull', 'groupAtType'),
  attachedInfo: mainOnly('whenNotNull', 'attachedInfo'),
  ex: mainOnly('whenNotNull', 'ex'),
};

/** Reply fields honoured for each before-command; a command with none only continues or stops. */
export const BEFORE_REPLY_SEMANTICS = {
  callbackBeforeSendSingleMsgCommand: {},
  callbackBeforeSendGroupMsgCommand: {},
  callbackBeforeMsgModifyCommand: {
    content: { ...both('whenNotNull', 'content'), check: 'jsonObjectOrNull' },
    recvID: both('whenNotNull', 'recvID'),
    groupID: both('whenNotNull', 'groupID'),
    clientMsgID: both('whenNotNull', 'clientMsgID'),
    serverMsgID: both('whenNotNull', 'serverMsgID'),
    senderPlatformID: both('whenNotNull', 'senderPlatformID'),
    senderNickname: both('whenNotNull', 'senderNickname'),
    senderFaceURL: both('whenNotNull', 'faceURL'),
    sessionType: both('whenNotNull', 'sessionType'),
    msgFrom: both('whenNotNull', 'msgFrom'),
    contentType: both('whenNotNull', 'contentType'),
    status: both('whenNotNull', 'status'),
    options: both('whenNotNull'),
    offlinePushInfo: {
      ...both('whenNotNull'),
      neverSend: 'copied into the message\'s own offlinePushInfo pointer, nil for most messages (the request does not say which): a nil dereference',
    },
    atUserIDList: both('whenNotNull', 'atUserList'),
    attachedInfo: both('whenNotNull'),
    ex: both('whenNotNull', 'ex'),
  },
  callbackBeforeOnlinePushCommand: {
    userIDList: both('ignored'),
    offlinePushInfo: both('ignored'),
  },
  callbackBeforeOfflinePushCommand: {
    userIDList: both('whenNonEmpty', 'userIDList'),
    offlinePushInfo: {
      ...both('whenNotNull'),
      requires: { requestKey: 'title', why: 'copied into the message\'s offlinePushInfo pointer: a nil dereference when the message has none (no title in the request)' },
    },
  },
  callbackBeforeGroupOnlinePushCommand: {
    userIDList: both('whenNonEmpty'),
  },
  callbackBeforeUpdateUserInfoCommand: {
    nickName: both('whenNotNull', 'nickName'),
    faceURL: both('whenNotNull', 'faceURL'),
    // The request's ex is always null, so a reply's ex (even "") would overwrite a change we never saw.
    ex: { ...both('whenNotNull', 'ex'), requires: { requestKey: 'ex', why: 'the request never shows the user\'s ex, so any value overwrites it' } },
  },
  callbackBeforeUpdateUserInfoExCommand: {
    nickName: { ...both('whenNotNull', 'nickName'), requires: throughRequestWrapper('nickName') },
    faceURL: { ...both('whenNotNull', 'faceURL'), requires: throughRequestWrapper('faceURL') },
    ex: { ...both('whenNotNull', 'ex'), requires: throughRequestWrapper('ex') },
  },
  callbackBeforeUserRegisterCommand: {
    users: { ...both('whenNonEmpty', 'users'), check: 'noNullEntries' },
  },
  callbackBeforeAddFriendCommand: {},
  callbackBeforeAddFriendAgreeCommand: {},
  callbackBeforeImportFriendsCommand: {
    friendUserIDs: both('whenNonEmpty', 'friendUserIDs'),
  },
  callbackBeforeSetFriendRemarkCommand: {
    remark: both('whenNonEmpty', 'remark'),
  },
  callbackBeforeAddBlackCommand: {},
  callbackBeforeCreateGroupCommand: {
    groupID: both('whenNotNull', 'groupID'),
    groupName: both('whenNotNull', 'groupName'),
    notification: both('whenNotNull', 'notification'),
    introduction: both('whenNotNull', 'introduction'),
    faceURL: both('whenNotNull', 'faceURL'),
    ownerUserID: both('whenNotNull', 'ownerUserID'),
    ex: both('whenNotNull', 'ex'),
    status: both('whenNotNull', 'status'),
    creatorUserID: both('whenNotNull', 'creatorUserID'),
    groupType: both('whenNotNull', 'groupType'),
    needVerification: both('whenNotNull', 'needVerification'),
    lookMemberInfo: both('whenNotNull', 'lookMemberInfo'),
    applyMemberFriend: both('ignored'),
  },
  callbackBeforeMembersJoinGroupCommand: {
    memberCallbackList: { ...both('perMember'), check: 'entriesWithUserID' },
  },
  callbackBeforeSetGroupMemberInfoCommand: {
    nickName: both('whenNotNull', 'nickName'),
    faceURL: both('whenNotNull', 'faceURL'),
    roleLevel: both('whenNotNull', 'roleLevel'),
    ex: both('whenNotNull', 'ex'),
  },
  callbackBeforeJoinGroupCommand: {},
  callbackBeforeInviteJoinGroupCommand: {
    refusedMembersAccount: both('ignored'),
  },
  callbackBeforeSetGroupInfoCommand: {
    groupID: both('always', 'groupID'),
    groupName: both('always', 'groupName'),
    faceURL: both('always', 'faceURL'),
    introduction: both('always', 'introduction'),
    notification: both('ignored'),
    // The request shows an unset setting as "" or 0, so these must not be echoed: that would set them.
    ex: both('whenNotNull'),
    needVerification: both('whenNotNull'),
    lookMemberInfo: both('whenNotNull'),
    applyMemberFriend: both('whenNotNull'),
  },
  callbackBeforeSetGroupInfoExCommand: {
    groupID: both('always', 'groupID'),
    groupName: both('alwaysNullable', 'groupName'),
    faceURL: both('alwaysNullable', 'faceURL'),
    introduction: both('alwaysNullable', 'introduction'),
    ex: both('alwaysNullable', 'ex'),
    needVerification: both('alwaysNullable', 'needVerification'),
    lookMemberInfo: both('alwaysNullable', 'lookMemberInfo'),
    applyMemberFriend: both('alwaysNullable', 'applyMemberFriend'),
    notification: both('ignored'),
  },
  callbackBeforeCreateSingleChatConversationsCommand: CONVERSATION_REPLY,
  callbackBeforeCreateGroupChatConversationsCommand: CONVERSATION_REPLY,
} as const satisfies Record<BeforeCommandName, ReplySemantics>;

export type { BeforeCommandName };

const UNCONDITIONAL: ReadonlySet<ApplyRule> = new Set(['always', 'alwaysNullable']);

/** The semantics of a command's reply; `{}` for after-commands and unknown names (nothing applied). */
export function replySemanticsOf(command: string): ReplySemantics {
  return Object.hasOwn(BEFORE_REPLY_SEMANTICS, command) ? BEFORE_REPLY_SEMANTICS[command as BeforeCommandName] : {};
}

const echoesByCommand = new Map<string, ReadonlyArray<readonly [replyKey: string, requestKey: string]>>();

/**
 * The fields OpenIM overwrites whatever the reply says (in any version), with the request key that
 * holds the user's value: a "continue" must echo exactly these, as received.
 */
export function echoedFields(command: string): ReadonlyArray<readonly [replyKey: string, requestKey: string]> {
  // Asked for every reply sent: worked out once per command (the semantics are fixed).
  let echoes = echoesByCommand.get(command);
  if (echoes === undefined) {
    echoes = Object.entries(replySemanticsOf(command)).flatMap(([key, field]) =>
      Object.values(field.rule).some((rule) => UNCONDITIONAL.has(rule)) && field.from ? [[key, field.from] as const] : [],
    );
    if (Object.hasOwn(BEFORE_REPLY_SEMANTICS, command)) echoesByCommand.set(command, echoes);
  }
  return echoes;
}

/** True when no identity reply can be built without the request (some field is always applied). */
export function needsRequestToContinue(command: string): boolean {
  return echoedFields(command).length > 0;
}
