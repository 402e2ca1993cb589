/**
 * Settings of the OpenIM admin client, from the environment. OpenIM's core API (port 10002) is
 * always needed; the chat service's admin API (port 10009) only to forbid users, so its three
 * variables are all given or all left out.
 */
import { z } from 'zod';
import { parseEnv } from '../../config/parse-env.ts';

export const DEFAULT_ADMIN_USER_ID = 'openimHooksAdmin';
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const OpenImAdminConfig = z
  .object({
    OPENIM_API_URL: z.url(),
    /** `share.secret` of OpenIM's config (share.yml). */
    OPENIM_SECRET: z.string().min(1),
    /**
     * This service's own OpenIM admin: list it in share.yml `imAdminUser.userIDs` (with a nickname at
     * the same index in `nicknames`; OpenIM registers it at start). Not chat's `imAdmin`: on OpenIM
     * main each admin token issued for a userID retires that userID's earlier ones after 5 minutes.
     */
    OPENIM_ADMIN_USER_ID: z.string().min(1).default(DEFAULT_ADMIN_USER_ID),
    OPENIM_CHAT_API_URL: z.url().optional(),
    OPENIM_CHAT_ADMIN_ACCOUNT: z.string().min(1).optional(),
    /** The chat admin's password as typed; the chat service stores and compares its MD5. */
    OPENIM_CHAT_ADMIN_PASSWORD: z.string().min(1).optional(),
    OPENIM_REQUEST_TIMEOUT_MS: positiveInt(5000),
    /** Attempts per call on network errors, first included; an answer from OpenIM is never retried. */
    OPENIM_MAX_ATTEMPTS: positiveInt(3),
  })
  .superRefine((env, ctx) => {
    const chat = [env.OPENIM_CHAT_API_URL, env.OPENIM_CHAT_ADMIN_ACCOUNT, env.OPENIM_CHAT_ADMIN_PASSWORD];
    if (chat.some((value) => value !== undefined) && chat.some((value) => value === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['OPENIM_CHAT_API_URL'],
        message: 'OPENIM_CHAT_API_URL, OPENIM_CHAT_ADMIN_ACCOUNT and OPENIM_CHAT_ADMIN_PASSWORD go together',
      });
    }
  })
  .transform((env) => ({
    apiUrl: env.OPENIM_API_URL.replace(/\/+$/, ''),
    secret: env.OPENIM_SECRET,
    adminUserID: env.OPENIM_ADMIN_USER_ID,
    chat:
      env.OPENIM_CHAT_API_URL && env.OPENIM_CHAT_ADMIN_ACCOUNT && env.OPENIM_CHAT_ADMIN_PASSWORD
        ? { apiUrl: env.OPENIM_CHAT_API_URL.replace(/\/+$/, ''), account: env.OPENIM_CHAT_ADMIN_ACCOUNT, password: env.OPENIM_CHAT_ADMIN_PASSWORD }
        : undefined,
    requestTimeoutMs: env.OPENIM_REQUEST_TIMEOUT_MS,
    maxAttempts: env.OPENIM_MAX_ATTEMPTS,
  }));
export type OpenImAdminConfig = z.output<typeof OpenImAdminConfig>;

export function loadOpenImAdminConfig(env: NodeJS.ProcessEnv = process.env): OpenImAdminConfig {
  return parseEnv(OpenImAdminConfig, env);
}

/** The settings, or undefined when OPENIM_API_URL is not set (the deployment gave no OpenIM admin access). */
export function loadOptionalOpenImAdminConfig(env: NodeJS.ProcessEnv = process.env): OpenImAdminConfig | undefined {
  return env.OPENIM_API_URL ? loadOpenImAdminConfig(env) : undefined;
}
