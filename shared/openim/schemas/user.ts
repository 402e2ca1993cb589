/** User callbacks (contract §3 "Users"). Note `nickName` here, `nickname` inside UserInfo. */
import * as z from 'zod/mini';
import { baseFields, goList, goOptionalString, goString, UserInfo } from './common.ts';
import { object } from '../../validation/jit-object.ts';
import { lazySchema } from '../../validation/lazy-schema.ts';

export const BeforeUpdateUserInfoReq = lazySchema(() =>
  object({
    ...baseFields,
    userID: z.string(),
    nickName: goString,
    faceURL: goString,
    /** Always null in OpenIM today. */
    ex: goOptionalString,
  }),
);
export type BeforeUpdateUserInfoReq = z.infer<typeof BeforeUpdateUserInfoReq>;

export const AfterUpdateUserInfoReq = BeforeUpdateUserInfoReq;
export type AfterUpdateUserInfoReq = z.infer<typeof AfterUpdateUserInfoReq>;

/** Unset fields are null; replying with a field the request left null makes OpenIM panic. */
export const BeforeUpdateUserInfoExReq = lazySchema(() =>
  object({
    ...baseFields,
    userID: z.string(),
    nickName: goOptionalString,
    faceURL: goOptionalString,
    ex: goOptionalString,
  }),
);
export type BeforeUpdateUserInfoExReq = z.infer<typeof BeforeUpdateUserInfoExReq>;

export const AfterUpdateUserInfoExReq = BeforeUpdateUserInfoExReq;
export type AfterUpdateUserInfoExReq = z.infer<typeof AfterUpdateUserInfoExReq>;

export const BeforeUserRegisterReq = lazySchema(() => object({ ...baseFields, users: goList(UserInfo) }));
export type BeforeUserRegisterReq = z.infer<typeof BeforeUserRegisterReq>;

export const AfterUserRegisterReq = BeforeUserRegisterReq;
export type AfterUserRegisterReq = z.infer<typeof AfterUserRegisterReq>;
