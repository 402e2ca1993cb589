/** Settings of moderation in the before-callbacks, from the environment (README "Configuration"). */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseModerationPolicy, type ModerationPolicy } from '../moderation/policy.ts';
import { InvalidConfigError } from './errors.ts';
import { parseEnv } from './parse-env.ts';

export const ModerationConfig = z
  .object({
    POLICY_TABLE_NAME: z.string().min(1),
    MODERATION_POLICY_FILE: z.string().min(1).optional(),
    POLICY_REFRESH_MS: z.coerce.number().int().positive().default(5_000),
  })
  .transform((env) => ({
    policyTableName: env.POLICY_TABLE_NAME,
    policyFile: env.MODERATION_POLICY_FILE,
    policyRefreshMs: env.POLICY_REFRESH_MS,
  }));
export type ModerationConfig = z.output<typeof ModerationConfig>;

export function loadModerationConfig(env: NodeJS.ProcessEnv = process.env): ModerationConfig {
  return parseEnv(ModerationConfig, env);
}

/** The seed policy from MODERATION_POLICY_FILE; a missing or invalid file stops start-up with the reason. */
export function readPolicyFile(path: string | undefined): ModerationPolicy | undefined {
  if (path === undefined) return undefined;
  try {
    return parseModerationPolicy(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new InvalidConfigError(`MODERATION_POLICY_FILE ${path}: ${(error as Error).message}`);
  }
}
