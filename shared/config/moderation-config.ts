/** Settings of moderation in the before-callbacks, from the environment (docs/configuration.md). */
import * as z from 'zod/mini';
import { parseModerationPolicy, type ModerationPolicy } from '../moderation/policy.ts';
import { InvalidConfigError } from './errors.ts';
import { nonEmpty, parseEnv, positiveWholeNumber } from './parse-env.ts';

/**
 * The largest message content (UTF-8 bytes) that is scanned. The slowest input measured by
 * `npm run bench:moderation` (1 MiB of `1`, every unit a leet start for hundreds of terms) scanned at
 * ~600 ms per MiB on a loaded 2-core machine, and a before-decision has BEFORE_BUDGET_MS (300 ms) for
 * everything, publishing included: 256 KiB keeps that worst scan near 150 ms. Chat text is far below
 * it; OpenIM's REST send accepts up to 8 MiB.
 */
export const DEFAULT_MAX_TEXT_BYTES = 256 * 1024;

/**
 * What happens to a message larger than MODERATION_MAX_TEXT_BYTES, which is not scanned. `flag` (the
 * default) lets it through but puts it in front of a moderator, so that size alone neither hides a
 * message from moderation nor breaks an app that sends large custom payloads; `block` refuses it
 * (errCode 10101) and `allow` lets it through unreviewed. Every case is counted and logged.
 */
export const OVER_TEXT_LIMIT_RULES = ['block', 'flag', 'allow'] as const;
export type OverTextLimitRule = (typeof OVER_TEXT_LIMIT_RULES)[number];

export const ModerationConfig = z.pipe(
  z.object({
    POLICY_TABLE_NAME: nonEmpty,
    MODERATION_POLICY_FILE: z.optional(nonEmpty),
    POLICY_REFRESH_MS: positiveWholeNumber(5_000),
    MODERATION_MAX_TEXT_BYTES: positiveWholeNumber(DEFAULT_MAX_TEXT_BYTES),
    MODERATION_OVER_TEXT_LIMIT: z._default(z.enum(OVER_TEXT_LIMIT_RULES), 'flag'),
  }),
  z.transform((env) => ({
    policyTableName: env.POLICY_TABLE_NAME,
    policyFile: env.MODERATION_POLICY_FILE,
    policyRefreshMs: env.POLICY_REFRESH_MS,
    textLimit: { maxBytes: env.MODERATION_MAX_TEXT_BYTES, overLimit: env.MODERATION_OVER_TEXT_LIMIT },
  })),
);
export type ModerationConfig = z.output<typeof ModerationConfig>;

export function loadModerationConfig(env: NodeJS.ProcessEnv = process.env): ModerationConfig {
  return parseEnv(ModerationConfig, env);
}

/** The seed policy from MODERATION_POLICY_FILE; a missing or invalid file stops start-up with the reason. */
export function readPolicyFile(path: string | undefined): ModerationPolicy | undefined {
  if (path === undefined) return undefined;
  try {
    // Not a static import: importing node:fs as ESM also loads fs/promises, readline and the REPL's
    // history (~1 ms of the before-callback's cold start); only the local mode sets the file.
    const { readFileSync } = process.getBuiltinModule('node:fs');
    return parseModerationPolicy(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new InvalidConfigError(`MODERATION_POLICY_FILE ${path}: ${(error as Error).message}`);
  }
}
