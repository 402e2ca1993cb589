/**
 * Settings of the OpenIM admin client, from the environment. OpenIM's core API (port 10002) is
 * always needed; the chat service's admin API (port 10009) only to forbid users, so it is used
 * when its three variables are all given, and left out (with the reason) otherwise.
 */
import * as z from 'zod/mini';
import { capabilityOff, loadCapability, type Capability } from '../../config/capability.ts';
import { nonEmpty, parseEnv, positiveWholeNumber } from '../../config/parse-env.ts';

export const DEFAULT_ADMIN_USER_ID = 'openimHooksAdmin';

export const OpenImAdminConfig = z.pipe(
  z.object({
    OPENIM_API_URL: z.url(),
    /** `share.secret` of OpenIM's config (share.yml). */
    OPENIM_SECRET: nonEmpty,
    /**
     * This service's own OpenIM admin: list it in share.yml `imAdminUser.userIDs` (with a nickname at
     * the same index in `nicknames`; OpenIM registers it at start). Not chat's `imAdmin`: on OpenIM
     * main each admin token issued for a userID retires that userID's earlier ones after 5 minutes.
     */
    OPENIM_ADMIN_USER_ID: z._default(nonEmpty, DEFAULT_ADMIN_USER_ID),
    OPENIM_CHAT_API_URL: z.optional(z.url()),
    OPENIM_CHAT_ADMIN_ACCOUNT: z.optional(nonEmpty),
    /** The chat admin's password as typed; the chat service stores and compares its MD5. */
    OPENIM_CHAT_ADMIN_PASSWORD: z.optional(nonEmpty),
    OPENIM_REQUEST_TIMEOUT_MS: positiveWholeNumber(5000),
    /** Attempts per call on network errors, first included; an answer from OpenIM is never retried. */
    OPENIM_MAX_ATTEMPTS: positiveWholeNumber(3),
  }),
  z.transform((env) => ({
    apiUrl: env.OPENIM_API_URL.replace(/\/+$/, ''),
    secret: env.OPENIM_SECRET,
    adminUserID: env.OPENIM_ADMIN_USER_ID,
    chat:
      env.OPENIM_CHAT_API_URL && env.OPENIM_CHAT_ADMIN_ACCOUNT && env.OPENIM_CHAT_ADMIN_PASSWORD
        ? { apiUrl: env.OPENIM_CHAT_API_URL.replace(/\/+$/, ''), account: env.OPENIM_CHAT_ADMIN_ACCOUNT, password: env.OPENIM_CHAT_ADMIN_PASSWORD }
        : undefined,
    /** Why `chat` is undefined: the chat variables that are not set. */
    chatOffReason: chatOffReason(env),
    requestTimeoutMs: env.OPENIM_REQUEST_TIMEOUT_MS,
    maxAttempts: env.OPENIM_MAX_ATTEMPTS,
  })),
);
export type OpenImAdminConfig = z.output<typeof OpenImAdminConfig>;

export function loadOpenImAdminConfig(env: NodeJS.ProcessEnv = process.env): OpenImAdminConfig {
  return parseEnv(OpenImAdminConfig, env);
}

export const OPENIM_ADMIN_ACCESS = 'OpenIM admin access';

/**
 * On with the settings, or off with the reason: OPENIM_API_URL is not set (the deployment gave no
 * OpenIM admin access) or the settings are incomplete (say, no OPENIM_SECRET). Never throws, so the
 * functions that use OpenIM for some of their work still start and do the rest.
 */
export function loadOpenImAdminAccess(env: NodeJS.ProcessEnv = process.env): Capability<OpenImAdminConfig> {
  if (!env.OPENIM_API_URL) return capabilityOff(OPENIM_ADMIN_ACCESS, 'OPENIM_API_URL is not set');
  return loadCapability(OPENIM_ADMIN_ACCESS, () => loadOpenImAdminConfig(env));
}

const CHAT_VARIABLES = ['OPENIM_CHAT_API_URL', 'OPENIM_CHAT_ADMIN_ACCOUNT', 'OPENIM_CHAT_ADMIN_PASSWORD'] as const;

function chatOffReason(env: Partial<Record<(typeof CHAT_VARIABLES)[number], string>>): string | undefined {
  const missing = CHAT_VARIABLES.filter((name) => env[name] === undefined);
  return missing.length === 0 ? undefined : `${missing.join(', ')} not set`;
}
