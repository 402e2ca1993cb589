/** Message callbacks (contract §3 "Messages"): send, modify, save, read and revoke. */
import * as z from 'zod/mini';
import { baseFields, goInt, goList, goString, msgFields } from './common.ts';
import { object } from '../../validation/jit-object.ts';
import { lazySchema } from '../../validation/lazy-schema.ts';

export const BeforeSendSingleMsgReq = lazySchema(() => object({ ...msgFields, recvID: z.string() }));
export type BeforeSendSingleMsgReq = z.infer<typeof BeforeSendSingleMsgReq>;

export const AfterSendSingleMsgReq = BeforeSendSingleMsgReq;
export type AfterSendSingleMsgReq = z.infer<typeof AfterSendSingleMsgReq>;

export const BeforeSendGroupMsgReq = lazySchema(() => object({ ...msgFields, groupID: z.string() }));
export type BeforeSendGroupMsgReq = z.infer<typeof BeforeSendGroupMsgReq>;

export const AfterSendGroupMsgReq = BeforeSendGroupMsgReq;
export type AfterSendGroupMsgReq = z.infer<typeof AfterSendGroupMsgReq>;

/** MSG only: there is no recvID or groupID in the modify request. */
export const BeforeMsgModifyReq = lazySchema(() => object(msgFields));
export type BeforeMsgModifyReq = z.infer<typeof BeforeMsgModifyReq>;

/** main only; fired after the Mongo insert (even a failed one), with the real `seq`. */
export const AfterMsgSaveDBReq = lazySchema(() => object({ ...msgFields, recvID: goString, groupID: goString }));
export type AfterMsgSaveDBReq = z.infer<typeof AfterMsgSaveDBReq>;

export const AfterSingleMsgReadReq = lazySchema(() =>
  object({
    ...baseFields,
    conversationID: z.string(),
    userID: z.string(),
    Seqs: goList(z.number()),
    /** Actually the conversation type. */
    contentType: goInt,
  }),
);
export type AfterSingleMsgReadReq = z.infer<typeof AfterSingleMsgReadReq>;

export const AfterGroupMsgReadReq = lazySchema(() =>
  object({
    ...baseFields,
    /** The reader. */
    sendID: z.string(),
    /** The reader too. */
    receiveID: goString,
    /** Actually the reader's hasReadSeq. */
    unreadMsgNum: goInt,
    contentType: goInt,
  }),
);
export type AfterGroupMsgReadReq = z.infer<typeof AfterGroupMsgReadReq>;

/** Sent as `callbackBeforeAfterMsgCommand`; only the conversation and seq identify the message. */
export const AfterRevokeMsgReq = lazySchema(() =>
  object({
    ...baseFields,
    conversationID: z.string(),
    seq: goInt,
    /** The revoker. */
    userID: goString,
  }),
);
export type AfterRevokeMsgReq = z.infer<typeof AfterRevokeMsgReq>;
