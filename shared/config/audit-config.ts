/** Settings of the audit writer and the audit routes, from the environment. */
import * as z from 'zod/mini';
import { nonEmpty, parseEnv, positiveWholeNumber, wholeNumber } from './parse-env.ts';

export const AuditConfig = z.pipe(
  z.object({
    AUDIT_TABLE_NAME: nonEmpty,
    /** Records expire this long after the audited event (DynamoDB TTL; readers filter locally). */
    AUDIT_RETENTION_DAYS: positiveWholeNumber(90),
    /** BatchWriteItem calls per batch, first included, before unprocessed items go back to SQS. */
    AUDIT_WRITE_MAX_ATTEMPTS: z._default(wholeNumber(z.minimum(1), z.maximum(10)), 5),
  }),
  z.transform((env) => ({
    auditTableName: env.AUDIT_TABLE_NAME,
    retentionDays: env.AUDIT_RETENTION_DAYS,
    writeMaxAttempts: env.AUDIT_WRITE_MAX_ATTEMPTS,
  })),
);
export type AuditConfig = z.output<typeof AuditConfig>;

export function loadAuditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  return parseEnv(AuditConfig, env);
}
