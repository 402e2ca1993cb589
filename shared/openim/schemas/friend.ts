/** Friend and blacklist callbacks (contract §3 "Friends"). */
import * as z from 'zod/mini';
import { baseFields, goInt, goList, goString } from './common.ts';
import { object } from '../../validation/jit-object.ts';
import { lazySchema } from '../../validation/lazy-schema.ts';

export const BeforeAddFriendReq = lazySchema(() =>
  object({
    ...baseFields,
    fromUserID: z.string(),
    toUserID: z.string(),
    reqMsg: goString,
    ex: goString,
  }),
);
export type BeforeAddFriendReq = z.infer<typeof BeforeAddFriendReq>;

/** Fired when the application is stored, not when the friendship is formed. */
export const AfterAddFriendReq = lazySchema(() =>
  object({
    ...baseFields,
    fromUserID: z.string(),
    toUserID: z.string(),
    reqMsg: goString,
  }),
);
export type AfterAddFriendReq = z.infer<typeof AfterAddFriendReq>;

/** `blackUserID` holds the responder (a tag bug in OpenIM); the capitalised keys are real. */
export const BeforeAddFriendAgreeReq = lazySchema(() =>
  object({
    ...baseFields,
    fromUserID: z.string(),
    blackUserID: goString,
    HandleResult: goInt,
    HandleMsg: goString,
  }),
);
export type BeforeAddFriendAgreeReq = z.infer<typeof BeforeAddFriendAgreeReq>;

export const AfterAddFriendAgreeReq = BeforeAddFriendAgreeReq;
export type AfterAddFriendAgreeReq = z.infer<typeof AfterAddFriendAgreeReq>;

export const AfterDeleteFriendReq = lazySchema(() => object({ ...baseFields, ownerUserID: z.string(), friendUserID: z.string() }));
export type AfterDeleteFriendReq = z.infer<typeof AfterDeleteFriendReq>;

export const BeforeImportFriendsReq = lazySchema(() =>
  object({
    ...baseFields,
    ownerUserID: z.string(),
    friendUserIDs: goList(z.string()),
  }),
);
export type BeforeImportFriendsReq = z.infer<typeof BeforeImportFriendsReq>;

export const AfterImportFriendsReq = BeforeImportFriendsReq;
export type AfterImportFriendsReq = z.infer<typeof AfterImportFriendsReq>;

export const BeforeSetFriendRemarkReq = lazySchema(() =>
  object({
    ...baseFields,
    ownerUserID: z.string(),
    friendUserID: z.string(),
    remark: goString,
  }),
);
export type BeforeSetFriendRemarkReq = z.infer<typeof BeforeSetFriendRemarkReq>;

export const AfterSetFriendRemarkReq = BeforeSetFriendRemarkReq;
export type AfterSetFriendRemarkReq = z.infer<typeof AfterSetFriendRemarkReq>;

export const BeforeAddBlackReq = lazySchema(() => object({ ...baseFields, ownerUserID: z.string(), blackUserID: z.string() }));
export type BeforeAddBlackReq = z.infer<typeof BeforeAddBlackReq>;

export const AfterRemoveBlackReq = BeforeAddBlackReq;
export type AfterRemoveBlackReq = z.infer<typeof AfterRemoveBlackReq>;
