/**
 * Settings of the moderator workflow (review worker and review API), from the environment.
 * Repeat offenders: REPEAT_OFFENDER_THRESHOLD violations (blocked messages or confirmed flags)
 * within REPEAT_OFFENDER_WINDOW_SECONDS start REPEAT_OFFENDER_PENALTY (`mute` in the group of the
 * violation, `forbid` the user through OpenIM chat, or `off`), at most once per
 * REPEAT_OFFENDER_COOLDOWN_SECONDS per user (and group, for mutes).
 */
import * as z from 'zod/mini';
import { SECONDS_PER_DAY } from '../time/durations.ts';
import { nonEmpty, parseEnv, positiveWholeNumber } from './parse-env.ts';

export const ReviewConfig = z.pipe(
  z.object({
    REVIEW_ITEMS_TABLE_NAME: nonEmpty,
    MODERATION_LOG_TABLE_NAME: nonEmpty,
    PENALTIES_TABLE_NAME: nonEmpty,
    VIOLATIONS_TABLE_NAME: nonEmpty,
    CHAT_EVENTS_TOPIC_ARN: nonEmpty,
    /** The audit trail, for conversation context in the console; optional. */
    AUDIT_TABLE_NAME: z.optional(nonEmpty),
    REVIEW_CLAIM_SECONDS: positiveWholeNumber(300),
    /** How long a decision may take to be carried out on OpenIM before its claim can lapse. */
    REVIEW_DECISION_LEASE_SECONDS: positiveWholeNumber(60),
    /** Mute length of a moderator's `muted` decision when the request gives none. */
    REVIEW_MUTE_SECONDS: positiveWholeNumber(SECONDS_PER_DAY),
    REVIEW_RETENTION_DAYS: positiveWholeNumber(90),
    VIOLATION_RETENTION_DAYS: positiveWholeNumber(30),
    REPEAT_OFFENDER_PENALTY: z._default(z.enum(['off', 'mute', 'forbid']), 'mute'),
    REPEAT_OFFENDER_THRESHOLD: positiveWholeNumber(3),
    REPEAT_OFFENDER_WINDOW_SECONDS: positiveWholeNumber(SECONDS_PER_DAY),
    REPEAT_OFFENDER_MUTE_SECONDS: positiveWholeNumber(3600),
    REPEAT_OFFENDER_COOLDOWN_SECONDS: positiveWholeNumber(SECONDS_PER_DAY),
  }),
  z.transform((env) => ({
    itemsTableName: env.REVIEW_ITEMS_TABLE_NAME,
    logTableName: env.MODERATION_LOG_TABLE_NAME,
    penaltiesTableName: env.PENALTIES_TABLE_NAME,
    violationsTableName: env.VIOLATIONS_TABLE_NAME,
    chatEventsTopicArn: env.CHAT_EVENTS_TOPIC_ARN,
    auditTableName: env.AUDIT_TABLE_NAME,
    claimMs: env.REVIEW_CLAIM_SECONDS * 1000,
    decisionLeaseMs: env.REVIEW_DECISION_LEASE_SECONDS * 1000,
    muteSeconds: env.REVIEW_MUTE_SECONDS,
    decidedRetentionSeconds: env.REVIEW_RETENTION_DAYS * SECONDS_PER_DAY,
    violationRetentionSeconds: env.VIOLATION_RETENTION_DAYS * SECONDS_PER_DAY,
    repeatOffenders: {
      penalty: env.REPEAT_OFFENDER_PENALTY,
      threshold: env.REPEAT_OFFENDER_THRESHOLD,
      windowMs: env.REPEAT_OFFENDER_WINDOW_SECONDS * 1000,
      muteSeconds: env.REPEAT_OFFENDER_MUTE_SECONDS,
      cooldownMs: env.REPEAT_OFFENDER_COOLDOWN_SECONDS * 1000,
    },
  })),
);
export type ReviewConfig = z.output<typeof ReviewConfig>;
export type RepeatOffenderRules = ReviewConfig['repeatOffenders'];

export function loadReviewConfig(env: NodeJS.ProcessEnv = process.env): ReviewConfig {
  return parseEnv(ReviewConfig, env);
}
