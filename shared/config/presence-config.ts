/** Settings of the presence worker and the presence routes, from the environment. */
import * as z from 'zod/mini';
import { nonEmpty, parseEnv } from './parse-env.ts';

export const PresenceConfig = z.pipe(
  z.object({
    PRESENCE_TABLE_NAME: nonEmpty,
    /** OpenIM's own online expiry: it renews online about every 10 minutes within 30. */
    PRESENCE_EXPIRY_MINUTES: z._default(z.coerce.number().check(z.positive()), 30),
  }),
  z.transform((env) => ({ presenceTableName: env.PRESENCE_TABLE_NAME, expiryMinutes: env.PRESENCE_EXPIRY_MINUTES })),
);
export type PresenceConfig = z.output<typeof PresenceConfig>;

export function loadPresenceConfig(env: NodeJS.ProcessEnv = process.env): PresenceConfig {
  return parseEnv(PresenceConfig, env);
}
