/**
 * Building blocks for OpenIM request schemas, tolerant the way Go's encoder is lenient:
 * nil slices arrive as `null`, zero values may be missing in other versions, and unknown
 * fields are stripped (inbound schemas are never strict: OpenIM adds fields between versions).
 * Domain code never sees `null` where a list or a plain value belongs.
 * The request schemas use zod/mini (the functional API: `z.optional(x)`, `z.pipe(x, z.transform(f))`):
 * classic zod costs the after-callback ~18 ms of every cold start (docs/benchmarks.md "Cold starts").
 * Their objects are built with `object` (shared/validation/jit-object.ts), zod/mini's object on
 * the parser zod generates for a shape, which validates a request ~2.5x faster.
 */
import * as z from 'zod/mini';
import { object } from '../../validation/jit-object.ts';

/** A Go slice: `null` (nil) or missing becomes `[]`. */
export const goList = <T extends z.ZodMiniType>(item: T) =>
  z.pipe(
    z.nullish(z.array(item)),
    z.transform((value): z.output<T>[] => value ?? []),
  );

/**
 * `value`, with `null` and a missing field read as `absent`: Go's zero value, or `null` for "not
 * set". A primitive, so that no two parses share it (goList makes a new `[]` each time).
 */
const withAbsentAs = <T extends z.ZodMiniType, A extends string | number | boolean | null>(value: T, absent: A) =>
  z.pipe(
    z.nullish(value),
    z.transform((given) => given ?? absent),
  );

/** A Go string with its zero value `""`. */
export const goString = withAbsentAs(z.string(), '');

/**
 * A Go integer (int32, int64, uint32) with its zero value 0. int64 values above 2^53 lose
 * precision in JSON.parse but still parse; OpenIM's timestamps and seqs stay far below that.
 */
export const goInt = withAbsentAs(z.number(), 0);

export const goBool = withAbsentAs(z.boolean(), false);

/** A Go pointer or wrapper field (`*string`, `wrapperspb.StringValue`): `null` means "not set". */
export const goOptionalString = withAbsentAs(z.string(), null);

export const goOptionalInt = withAbsentAs(z.number(), null);

/** Fields every callback body carries. `callbackCommand` is routed on the URL, not trusted from the body. */
export const baseFields = {
  callbackCommand: goString,
} as const;

/** `CommonCallbackReq`: the MSG block of every message callback (contract §3). */
export const msgFields = {
  ...baseFields,
  sendID: z.string(),
  serverMsgID: goString,
  clientMsgID: goString,
  operationID: goString,
  senderPlatformID: goInt,
  senderNickname: goString,
  sessionType: z.number(),
  msgFrom: goInt,
  contentType: z.number(),
  status: goInt,
  sendTime: goInt,
  createTime: goInt,
  /** The message element as JSON text (contract §4); parse it per contentType. */
  content: goString,
  /** 0 in before/after send: OpenIM assigns it later. */
  seq: goInt,
  atUserList: goList(z.string()),
  /** The sender's face URL (the modify reply calls it `senderFaceURL`). */
  faceURL: goString,
  ex: goString,
} as const;

/** `UserStatusBaseCallback`: the STATUS block of presence and push callbacks. */
export const statusFields = {
  ...baseFields,
  operationID: goString,
  platformID: goInt,
  /** Platform name from contract §4, `""` if unknown. */
  platform: goString,
} as const;

/** The PUSHMSG block of push callbacks. */
export const pushMsgFields = {
  clientMsgID: goString,
  sendID: goString,
  groupID: goString,
  contentType: goInt,
  sessionType: goInt,
  atUserIDList: goList(z.string()),
  content: goString,
} as const;

/** `sdkws.GroupInfo`, flattened at the top level of group callbacks. */
export const groupInfoFields = {
  groupID: z.string(),
  groupName: goString,
  notification: goString,
  introduction: goString,
  faceURL: goString,
  ownerUserID: goString,
  createTime: goInt,
  memberCount: goInt,
  ex: goString,
  status: goInt,
  creatorUserID: goString,
  groupType: goInt,
  needVerification: goInt,
  lookMemberInfo: goInt,
  applyMemberFriend: goInt,
  notificationUpdateTime: goInt,
  notificationUserID: goString,
} as const;

/** `sdkws.UserInfo` (note the lower-case `nickname` here, unlike the update callbacks' `nickName`). */
export const UserInfo = object({
  userID: z.string(),
  nickname: goString,
  faceURL: goString,
  ex: goString,
  createTime: goInt,
  appMangerLevel: goInt,
  globalRecvMsgOpt: goInt,
});
export type UserInfo = z.infer<typeof UserInfo>;
