/** Conversation callbacks, OpenIM main only. Note the lower-case `Id` keys (PR #3609). */
import * as z from 'zod/mini';
import { baseFields, goBool, goInt, goString } from './common.ts';
import { object } from '../../validation/jit-object.ts';
import { lazySchema } from '../../validation/lazy-schema.ts';

const conversationFields = {
  ...baseFields,
  ownerUserId: goString,
  conversationId: z.string(),
  conversationType: goInt,
  recvMsgOpt: goInt,
  isPinned: goBool,
  isPrivateChat: goBool,
  burnDuration: goInt,
  groupAtType: goInt,
  attachedInfo: goString,
  ex: goString,
} as const;

export const BeforeCreateSingleChatConversationsReq = lazySchema(() => object({ ...conversationFields, userId: goString }));
export type BeforeCreateSingleChatConversationsReq = z.infer<typeof BeforeCreateSingleChatConversationsReq>;

export const AfterCreateSingleChatConversationsReq = BeforeCreateSingleChatConversationsReq;
export type AfterCreateSingleChatConversationsReq = z.infer<typeof AfterCreateSingleChatConversationsReq>;

/** `ownerUserId` is `""` here. */
export const BeforeCreateGroupChatConversationsReq = lazySchema(() => object({ ...conversationFields, groupId: goString }));
export type BeforeCreateGroupChatConversationsReq = z.infer<typeof BeforeCreateGroupChatConversationsReq>;

export const AfterCreateGroupChatConversationsReq = BeforeCreateGroupChatConversationsReq;
export type AfterCreateGroupChatConversationsReq = z.infer<typeof AfterCreateGroupChatConversationsReq>;
