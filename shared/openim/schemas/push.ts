/** Push callbacks (contract §3 "Push"); they run after the message is stored. */
import * as z from 'zod/mini';
import { goBool, goInt, goList, pushMsgFields, statusFields } from './common.ts';
import { object } from '../../validation/jit-object.ts';
import { lazySchema } from '../../validation/lazy-schema.ts';

export const BeforeOnlinePushReq = lazySchema(() =>
  object({
    ...statusFields,
    userIDList: goList(z.string()),
    ...pushMsgFields,
  }),
);
export type BeforeOnlinePushReq = z.infer<typeof BeforeOnlinePushReq>;

/**
 * The offline-push fields are flattened in and present only when the message has
 * offlinePushInfo, so `hasOfflinePushInfo` records whether they were sent: replying with
 * `offlinePushInfo` when they were not makes OpenIM dereference a nil pointer.
 */
export const BeforeOfflinePushReq = lazySchema(() =>
  z.pipe(
    object({
      ...statusFields,
      userIDList: goList(z.string()),
      ...pushMsgFields,
      title: z.optional(z.string()),
      desc: z.optional(z.string()),
      ex: z.optional(z.string()),
      iOSPushSound: z.optional(z.string()),
      iOSBadgeCount: z.optional(goBool),
      signalInfo: z.optional(z.string()),
    }),
    z.transform((req) => ({ ...req, hasOfflinePushInfo: req.title !== undefined || req.desc !== undefined })),
  ),
);
export type BeforeOfflinePushReq = z.infer<typeof BeforeOfflinePushReq>;

export const BeforeGroupOnlinePushReq = lazySchema(() =>
  object({
    ...statusFields,
    ...pushMsgFields,
    seq: goInt,
  }),
);
export type BeforeGroupOnlinePushReq = z.infer<typeof BeforeGroupOnlinePushReq>;

