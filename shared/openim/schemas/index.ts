/**
 * The request schema of every callback command. `satisfies Record<CallbackCommandName, …>` makes
 * the compiler refuse a command without a schema.
 */
import type * as z from 'zod/mini';
import type { CallbackCommandName } from '../commands.ts';
import * as conversation from './conversation.ts';
import * as friend from './friend.ts';
import * as group from './group.ts';
import * as message from './message.ts';
import * as push from './push.ts';
import * as status from './status.ts';
import * as user from './user.ts';

export const REQUEST_SCHEMAS = {
  callbackBeforeSendSingleMsgCommand: message.BeforeSendSingleMsgReq,
  callbackAfterSendSingleMsgCommand: message.AfterSendSingleMsgReq,
  callbackBeforeSendGroupMsgCommand: message.BeforeSendGroupMsgReq,
  callbackAfterSendGroupMsgCommand: message.AfterSendGroupMsgReq,
  callbackBeforeMsgModifyCommand: message.BeforeMsgModifyReq,
  callbackAfterMsgSaveDBCommand: message.AfterMsgSaveDBReq,
  callbackAfterSingleMsgReadCommand: message.AfterSingleMsgReadReq,
  callbackAfterGroupMsgReadCommand: message.AfterGroupMsgReadReq,
  callbackBeforeAfterMsgCommand: message.AfterRevokeMsgReq,
  callbackAfterUserOnlineCommand: status.AfterUserOnlineReq,
  callbackAfterUserOfflineCommand: status.AfterUserOfflineReq,
  callbackAfterUserKickOffCommand: status.AfterUserKickOffReq,
  callbackBeforeOnlinePushCommand: push.BeforeOnlinePushReq,
  callbackBeforeOfflinePushCommand: push.BeforeOfflinePushReq,
  callbackBeforeGroupOnlinePushCommand: push.BeforeGroupOnlinePushReq,
  callbackBeforeUpdateUserInfoCommand: user.BeforeUpdateUserInfoReq,
  callbackAfterUpdateUserInfoCommand: user.AfterUpdateUserInfoReq,
  callbackBeforeUpdateUserInfoExCommand: user.BeforeUpdateUserInfoExReq,
  callbackAfterUpdateUserInfoExCommand: user.AfterUpdateUserInfoExReq,
  callbackBeforeUserRegisterCommand: user.BeforeUserRegisterReq,
  callbackAfterUserRegisterCommand: user.AfterUserRegisterReq,
  callbackBeforeAddFriendCommand: friend.BeforeAddFriendReq,
  callbackAfterAddFriendCommand: friend.AfterAddFriendReq,
  callbackBeforeAddFriendAgreeCommand: friend.BeforeAddFriendAgreeReq,
  callbackAfterAddFriendAgreeCommand: friend.AfterAddFriendAgreeReq,
  callbackAfterDeleteFriendCommand: friend.AfterDeleteFriendReq,
  callbackBeforeImportFriendsCommand: friend.BeforeImportFriendsReq,
  callbackAfterImportFriendsCommand: friend.AfterImportFriendsReq,
  callbackBeforeSetFriendRemarkCommand: friend.BeforeSetFriendRemarkReq,
  callbackAfterSetFriendRemarkCommand: friend.AfterSetFriendRemarkReq,
  callbackBeforeAddBlackCommand: friend.BeforeAddBlackReq,
  callbackAfterRemoveBlackCommand: friend.AfterRemoveBlackReq,
  callbackBeforeCreateGroupCommand: group.BeforeCreateGroupReq,
  callbackAfterCreateGroupCommand: group.AfterCreateGroupReq,
  callbackBeforeMembersJoinGroupCommand: group.BeforeMemberJoinGroupReq,
  callbackBeforeSetGroupMemberInfoCommand: group.BeforeSetGroupMemberInfoReq,
  callbackAfterSetGroupMemberInfoCommand: group.AfterSetGroupMemberInfoReq,
  callbackAfterQuitGroupCommand: group.AfterQuitGroupReq,
  callbackAfterKickGroupCommand: group.AfterKickGroupMemberReq,
  callbackAfterDisMissGroupCommand: group.AfterDismissGroupReq,
  callbackBeforeJoinGroupCommand: group.BeforeApplyJoinGroupReq,
  callbackAfterJoinGroupCommand: group.AfterJoinGroupReq,
  callbackBeforeInviteJoinGroupCommand: group.BeforeInviteUserToGroupReq,
  callbackAfterTransferGroupOwnerCommand: group.AfterTransferGroupOwnerReq,
  callbackBeforeSetGroupInfoCommand: group.BeforeSetGroupInfoReq,
  callbackAfterSetGroupInfoCommand: group.AfterSetGroupInfoReq,
  callbackBeforeSetGroupInfoExCommand: group.BeforeSetGroupInfoExReq,
  callbackAfterSetGroupInfoExCommand: group.AfterSetGroupInfoExReq,
  callbackBeforeCreateSingleChatConversationsCommand: conversation.BeforeCreateSingleChatConversationsReq,
  callbackAfterCreateSingleChatConversationsCommand: conversation.AfterCreateSingleChatConversationsReq,
  callbackBeforeCreateGroupChatConversationsCommand: conversation.BeforeCreateGroupChatConversationsReq,
  callbackAfterCreateGroupChatConversationsCommand: conversation.AfterCreateGroupChatConversationsReq,
} as const satisfies Record<CallbackCommandName, z.ZodMiniType>;

export type RequestOf<C extends CallbackCommandName> = z.output<(typeof REQUEST_SCHEMAS)[C]>;

export * from './common.ts';
export * from './conversation.ts';
export * from './friend.ts';
export * from './group.ts';
export * from './message.ts';
export * from './push.ts';
export * from './status.ts';
export * from './user.ts';
