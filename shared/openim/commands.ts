/**
 * Every webhook OpenIM can call, keyed by the `callbackCommand` it appends to the base URL.
 *
 * One table drives routing (local server and API Gateway), the `webhooks.yml` snippet, the sample
 * events and the schema lookup, so adding a command is one row here plus its schema.
 * Source: ../shared/openim-callbacks.md §3 (OpenIM main @7848d7c and v3.8.3-patch.16).
 */

/** `before` callbacks are synchronous and can stop or modify; `after` ones are fire-and-forget. */
export type CallbackMode = 'before' | 'after';

export type CallbackArea = 'message' | 'status' | 'push' | 'user' | 'friend' | 'group' | 'conversation';

export interface CallbackCommand {
  /** Key under which `config/webhooks.yml` enables this callback. */
  readonly configKey: string;
  readonly mode: CallbackMode;
  readonly area: CallbackArea;
  /** OpenIM versions that send it; `main` only for the ones v3.8.3 lacks. */
  readonly since: 'v3.8.3' | 'main';
  /** Declared by OpenIM but never sent today (kept so that a future sender is handled). */
  readonly neverSent?: true;
}

function command(
  configKey: string,
  mode: CallbackMode,
  area: CallbackArea,
  extra: Partial<Pick<CallbackCommand, 'since' | 'neverSent'>> = {},
): CallbackCommand {
  return { configKey, mode, area, since: extra.since ?? 'v3.8.3', ...(extra.neverSent ? { neverSent: true } : {}) };
}

export const CALLBACK_COMMANDS = {
  // Messages
  callbackBeforeSendSingleMsgCommand: command('beforeSendSingleMsg', 'before', 'message'),
  callbackAfterSendSingleMsgCommand: command('afterSendSingleMsg', 'after', 'message'),
  callbackBeforeSendGroupMsgCommand: command('beforeSendGroupMsg', 'before', 'message'),
  callbackAfterSendGroupMsgCommand: command('afterSendGroupMsg', 'after', 'message'),
  callbackBeforeMsgModifyCommand: command('beforeMsgModify', 'before', 'message'),
  callbackAfterMsgSaveDBCommand: command('afterMsgSaveDB', 'after', 'message', { since: 'main' }),
  callbackAfterSingleMsgReadCommand: command('afterSingleMsgRead', 'after', 'message'),
  callbackAfterGroupMsgReadCommand: command('afterGroupMsgRead', 'after', 'message'),
  // The revoke command really is spelled "BeforeAfter" in OpenIM.
  callbackBeforeAfterMsgCommand: command('afterRevokeMsg', 'after', 'message'),
  // Online status
  callbackAfterUserOnlineCommand: command('afterUserOnline', 'after', 'status'),
  callbackAfterUserOfflineCommand: command('afterUserOffline', 'after', 'status'),
  callbackAfterUserKickOffCommand: command('afterUserKickOff', 'after', 'status', { neverSent: true }),
  // Push
  callbackBeforeOnlinePushCommand: command('beforeOnlinePush', 'before', 'push'),
  callbackBeforeOfflinePushCommand: command('beforeOfflinePush', 'before', 'push'),
  callbackBeforeGroupOnlinePushCommand: command('beforeGroupOnlinePush', 'before', 'push'),
  // Users
  callbackBeforeUpdateUserInfoCommand: command('beforeUpdateUserInfo', 'before', 'user'),
  callbackAfterUpdateUserInfoCommand: command('afterUpdateUserInfo', 'after', 'user'),
  callbackBeforeUpdateUserInfoExCommand: command('beforeUpdateUserInfoEx', 'before', 'user'),
  callbackAfterUpdateUserInfoExCommand: command('afterUpdateUserInfoEx', 'after', 'user'),
  callbackBeforeUserRegisterCommand: command('beforeUserRegister', 'before', 'user'),
  callbackAfterUserRegisterCommand: command('afterUserRegister', 'after', 'user'),
  // Friends
  callbackBeforeAddFriendCommand: command('beforeAddFriend', 'before', 'friend'),
  callbackAfterAddFriendCommand: command('afterAddFriend', 'after', 'friend'),
  callbackBeforeAddFriendAgreeCommand: command('beforeAddFriendAgree', 'before', 'friend'),
  callbackAfterAddFriendAgreeCommand: command('afterAddFriendAgree', 'after', 'friend'),
  callbackAfterDeleteFriendCommand: command('afterDeleteFriend', 'after', 'friend'),
  callbackBeforeImportFriendsCommand: command('beforeImportFriends', 'before', 'friend'),
  callbackAfterImportFriendsCommand: command('afterImportFriends', 'after', 'friend'),
  callbackBeforeSetFriendRemarkCommand: command('beforeSetFriendRemark', 'before', 'friend'),
  callbackAfterSetFriendRemarkCommand: command('afterSetFriendRemark', 'after', 'friend'),
  callbackBeforeAddBlackCommand: command('beforeAddBlack', 'before', 'friend'),
  callbackAfterRemoveBlackCommand: command('afterRemoveBlack', 'after', 'friend'),
  // Groups (several command strings differ from their config keys)
  callbackBeforeCreateGroupCommand: command('beforeCreateGroup', 'before', 'group'),
  callbackAfterCreateGroupCommand: command('afterCreateGroup', 'after', 'group'),
  callbackBeforeMembersJoinGroupCommand: command('beforeMemberJoinGroup', 'before', 'group'),
  callbackBeforeSetGroupMemberInfoCommand: command('beforeSetGroupMemberInfo', 'before', 'group'),
  callbackAfterSetGroupMemberInfoCommand: command('afterSetGroupMemberInfo', 'after', 'group'),
  callbackAfterQuitGroupCommand: command('afterQuitGroup', 'after', 'group'),
  callbackAfterKickGroupCommand: command('afterKickGroupMember', 'after', 'group'),
  callbackAfterDisMissGroupCommand: command('afterDismissGroup', 'after', 'group'),
  callbackBeforeJoinGroupCommand: command('beforeApplyJoinGroup', 'before', 'group'),
  callbackAfterJoinGroupCommand: command('afterJoinGroup', 'after', 'group'),
  callbackBeforeInviteJoinGroupCommand: command('beforeInviteUserToGroup', 'before', 'group'),
  callbackAfterTransferGroupOwnerCommand: command('afterTransferGroupOwner', 'after', 'group'),
  callbackBeforeSetGroupInfoCommand: command('beforeSetGroupInfo', 'before', 'group'),
  callbackAfterSetGroupInfoCommand: command('afterSetGroupInfo', 'after', 'group'),
  callbackBeforeSetGroupInfoExCommand: command('beforeSetGroupInfoEx', 'before', 'group'),
  callbackAfterSetGroupInfoExCommand: command('afterSetGroupInfoEx', 'after', 'group'),
  // Conversations (main only)
  callbackBeforeCreateSingleChatConversationsCommand: command('beforeCreateSingleChatConversations', 'before', 'conversation', { since: 'main' }),
  callbackAfterCreateSingleChatConversationsCommand: command('afterCreateSingleChatConversations', 'after', 'conversation', { since: 'main' }),
  callbackBeforeCreateGroupChatConversationsCommand: command('beforeCreateGroupChatConversations', 'before', 'conversation', { since: 'main' }),
  callbackAfterCreateGroupChatConversationsCommand: command('afterCreateGroupChatConversations', 'after', 'conversation', { since: 'main' }),
} as const satisfies Record<string, CallbackCommand>;

export type CallbackCommandName = keyof typeof CALLBACK_COMMANDS;

/**
 * Config keys that exist in `webhooks.yml` but have no command: OpenIM never sends them.
 * They are still listed in the generated snippet so that it mirrors OpenIM's file key for key.
 */
export const CONFIG_KEYS_WITHOUT_COMMAND = ['afterGroupMsgRevoke'] as const;

export const COMMAND_NAMES = Object.keys(CALLBACK_COMMANDS) as CallbackCommandName[];

export function isKnownCommand(name: string): name is CallbackCommandName {
  return Object.hasOwn(CALLBACK_COMMANDS, name);
}

/** The mode of a known command; `undefined` for a name OpenIM may add in a future version. */
export function modeOf(name: string): CallbackMode | undefined {
  return isKnownCommand(name) ? CALLBACK_COMMANDS[name].mode : undefined;
}
