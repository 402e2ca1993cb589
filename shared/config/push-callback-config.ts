/**
 * The before-callback's push settings, from the environment (docs/push.md): how it answers
 * beforeOfflinePush. The push worker's and the operator API's are modules of their own, so that
 * no function builds the schemas of another's settings at its cold start.
 */
import * as z from 'zod/mini';
import { nonEmpty, parseEnv } from './parse-env.ts';

/** How the before-callback answers beforeOfflinePush (shared/push/offline-push-decider.ts). */
export const PUSH_MODES = ['takeover', 'enrich'] as const;
export type PushMode = (typeof PUSH_MODES)[number];

export const PushCallbackConfig = z.pipe(
  z
    .object({
      PUSH_MODE: z._default(z.enum(PUSH_MODES), 'takeover'),
      /** Read by the enrich mode only. */
      PUSH_PREFERENCES_TABLE_NAME: z.optional(nonEmpty),
    })
    .check(
      z.refine((env) => env.PUSH_MODE !== 'enrich' || env.PUSH_PREFERENCES_TABLE_NAME !== undefined, {
        message: 'PUSH_MODE=enrich needs PUSH_PREFERENCES_TABLE_NAME',
      }),
    ),
  z.transform((env) => ({ mode: env.PUSH_MODE, preferencesTableName: env.PUSH_PREFERENCES_TABLE_NAME })),
);
export type PushCallbackConfig = z.output<typeof PushCallbackConfig>;

export const loadPushCallbackConfig = (env: NodeJS.ProcessEnv = process.env) => parseEnv(PushCallbackConfig, env);
