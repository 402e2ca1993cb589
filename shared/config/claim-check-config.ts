/**
 * Where events too big for the topic go (shared/events/claim-check.ts), from the environment.
 * Set for every function that publishes or consumes chat events, by the CDK app and by the local
 * provisioning. Without it an oversized event is refused at publish, and a claim check cannot be
 * read (it fails, and rests in the DLQ until a redrive with the bucket configured).
 */
import * as z from 'zod/mini';
import { parseEnv } from './parse-env.ts';

/** Environment variable naming the chat-event payloads bucket. */
export const CLAIM_CHECK_BUCKET_ENV = 'CHAT_EVENT_PAYLOADS_BUCKET';

export const ClaimCheckConfig = z.pipe(
  z.object({ [CLAIM_CHECK_BUCKET_ENV]: z.optional(z.string().check(z.minLength(3, `${CLAIM_CHECK_BUCKET_ENV} must name an S3 bucket`))) }),
  z.transform((env) => ({ bucketName: env[CLAIM_CHECK_BUCKET_ENV] })),
);
export type ClaimCheckConfig = z.output<typeof ClaimCheckConfig>;

export function loadClaimCheckConfig(env: NodeJS.ProcessEnv = process.env): ClaimCheckConfig {
  return parseEnv(ClaimCheckConfig, env);
}
