/** Group callbacks (contract §3 "Groups"). GroupInfo is flattened at the top level. */
import * as z from 'zod/mini';
import { baseFields, goInt, goList, goOptionalInt, goOptionalString, goString, groupInfoFields } from './common.ts';
import { object } from '../../validation/jit-object.ts';
import { lazySchema } from '../../validation/lazy-schema.ts';

const InitMember = object({ userID: z.string(), roleLevel: goInt });

export const BeforeCreateGroupReq = lazySchema(() =>
  object({
    ...baseFields,
    operationID: goString,
    ...groupInfoFields,
    initMemberList: goList(InitMember),
  }),
);
export type BeforeCreateGroupReq = z.infer<typeof BeforeCreateGroupReq>;

export const AfterCreateGroupReq = lazySchema(() => object({ ...baseFields, ...groupInfoFields, initMemberList: goList(InitMember) }));
export type AfterCreateGroupReq = z.infer<typeof AfterCreateGroupReq>;

export const BeforeMemberJoinGroupReq = lazySchema(() =>
  object({
    ...baseFields,
    groupID: z.string(),
    memberList: goList(object({ userID: z.string(), ex: goString })),
    groupEx: goString,
  }),
);
export type BeforeMemberJoinGroupReq = z.infer<typeof BeforeMemberJoinGroupReq>;

/** Sent once per member; unset fields are null. */
export const BeforeSetGroupMemberInfoReq = lazySchema(() =>
  object({
    ...baseFields,
    groupID: z.string(),
    userID: z.string(),
    nickName: goOptionalString,
    faceURL: goOptionalString,
    roleLevel: goOptionalInt,
    ex: goOptionalString,
  }),
);
export type BeforeSetGroupMemberInfoReq = z.infer<typeof BeforeSetGroupMemberInfoReq>;

export const AfterSetGroupMemberInfoReq = BeforeSetGroupMemberInfoReq;
export type AfterSetGroupMemberInfoReq = z.infer<typeof AfterSetGroupMemberInfoReq>;

export const AfterQuitGroupReq = lazySchema(() => object({ ...baseFields, groupID: z.string(), userID: z.string() }));
export type AfterQuitGroupReq = z.infer<typeof AfterQuitGroupReq>;

export const AfterKickGroupMemberReq = lazySchema(() =>
  object({
    ...baseFields,
    groupID: z.string(),
    kickedUserIDs: goList(z.string()),
    reason: goString,
  }),
);
export type AfterKickGroupMemberReq = z.infer<typeof AfterKickGroupMemberReq>;

/**
 * `groupType` is Go's `string(int32)`: a one-character string such as "\u0002".
 * It is decoded back to the number so that nothing downstream handles control characters.
 */
const goRuneGroupType = z.pipe(
  z.nullish(z.union([z.string(), z.number()])),
  z.transform((value) => (typeof value === 'number' ? value : (value?.codePointAt(0) ?? 0))),
);

export const AfterDismissGroupReq = lazySchema(() =>
  object({
    ...baseFields,
    groupID: z.string(),
    ownerID: goString,
    groupType: goRuneGroupType,
    membersID: goList(z.string()),
  }),
);
export type AfterDismissGroupReq = z.infer<typeof AfterDismissGroupReq>;

export const BeforeApplyJoinGroupReq = lazySchema(() =>
  object({
    ...baseFields,
    groupID: z.string(),
    groupType: goRuneGroupType,
    /** The applicant. */
    applyID: z.string(),
    reqMessage: goString,
    ex: goString,
  }),
);
export type BeforeApplyJoinGroupReq = z.infer<typeof BeforeApplyJoinGroupReq>;

/** Direct joins only; `inviterUserID` holds the applicant. */
export const AfterJoinGroupReq = lazySchema(() =>
  object({
    ...baseFields,
    operationID: goString,
    groupID: z.string(),
    reqMessage: goString,
    joinSource: goInt,
    inviterUserID: goString,
  }),
);
export type AfterJoinGroupReq = z.infer<typeof AfterJoinGroupReq>;

export const BeforeInviteUserToGroupReq = lazySchema(() =>
  object({
    ...baseFields,
    operationID: goString,
    groupID: z.string(),
    reason: goString,
    invitedUserIDs: goList(z.string()),
  }),
);
export type BeforeInviteUserToGroupReq = z.infer<typeof BeforeInviteUserToGroupReq>;

export const AfterTransferGroupOwnerReq = lazySchema(() =>
  object({
    ...baseFields,
    groupID: z.string(),
    oldOwnerUserID: goString,
    newOwnerUserID: goString,
  }),
);
export type AfterTransferGroupOwnerReq = z.infer<typeof AfterTransferGroupOwnerReq>;

const setGroupInfoFields = {
  ...baseFields,
  operationID: goString,
  groupID: z.string(),
  groupName: goString,
  notification: goString,
  introduction: goString,
  faceURL: goString,
} as const;

export const BeforeSetGroupInfoReq = lazySchema(() =>
  object({
    ...setGroupInfoFields,
    ex: goString,
    needVerification: goInt,
    lookMemberInfo: goInt,
    applyMemberFriend: goInt,
  }),
);
export type BeforeSetGroupInfoReq = z.infer<typeof BeforeSetGroupInfoReq>;

/** Same keys as the before request, but the optional settings may be null. */
export const AfterSetGroupInfoReq = lazySchema(() =>
  object({
    ...setGroupInfoFields,
    ex: goOptionalString,
    needVerification: goOptionalInt,
    lookMemberInfo: goOptionalInt,
    applyMemberFriend: goOptionalInt,
  }),
);
export type AfterSetGroupInfoReq = z.infer<typeof AfterSetGroupInfoReq>;

/** Wrapper types arrive as plain values or null ("not changed"). */
export const BeforeSetGroupInfoExReq = lazySchema(() =>
  object({
    ...baseFields,
    operationID: goString,
    groupID: z.string(),
    groupName: goOptionalString,
    notification: goOptionalString,
    introduction: goOptionalString,
    faceURL: goOptionalString,
    ex: goOptionalString,
    needVerification: goOptionalInt,
    lookMemberInfo: goOptionalInt,
    applyMemberFriend: goOptionalInt,
  }),
);
export type BeforeSetGroupInfoExReq = z.infer<typeof BeforeSetGroupInfoExReq>;

export const AfterSetGroupInfoExReq = BeforeSetGroupInfoExReq;
export type AfterSetGroupInfoExReq = z.infer<typeof AfterSetGroupInfoExReq>;
