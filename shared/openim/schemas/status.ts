/** Online-status callbacks (contract §3 "Online status"). `seq` is the event time in unix ms. */
import * as z from 'zod/mini';
import { goBool, goInt, goString, statusFields } from './common.ts';
import { object } from '../../validation/jit-object.ts';
import { lazySchema } from '../../validation/lazy-schema.ts';

export const AfterUserOnlineReq = lazySchema(() =>
  object({
    ...statusFields,
    userID: z.string(),
    seq: goInt,
    isAppBackground: goBool,
    /** Always `""` today. */
    connID: goString,
  }),
);
export type AfterUserOnlineReq = z.infer<typeof AfterUserOnlineReq>;

export const AfterUserOfflineReq = lazySchema(() =>
  object({
    ...statusFields,
    userID: z.string(),
    seq: goInt,
    connID: goString,
  }),
);
export type AfterUserOfflineReq = z.infer<typeof AfterUserOfflineReq>;

/** Declared by OpenIM but never sent today. */
export const AfterUserKickOffReq = lazySchema(() => object({ ...statusFields, userID: z.string(), seq: goInt }));
export type AfterUserKickOffReq = z.infer<typeof AfterUserKickOffReq>;
