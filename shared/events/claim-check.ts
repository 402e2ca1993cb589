/**
 * Claim check: an event too big for the topic (SNS takes 256 KiB per message, attributes
 * included) is stored whole in object storage, and the topic carries this small pointer instead,
 * with the event's own attributes so that filter policies route it the same. Consumers resolve it
 * through ChatEventReader and never see the difference. Objects are never deleted by consumers:
 * a redelivery or a DLQ redrive must still find them; the bucket's lifecycle rule expires them
 * (CLAIM_CHECK_RETENTION_DAYS, longer than a DLQ keeps a message).
 */
import * as z from 'zod/mini';
import { lazySchema } from '../validation/lazy-schema.ts';

export const ClaimCheckMessage = lazySchema(() =>
  z.object({
    claimCheck: z.object({
      /** The object holding the event's JSON, in the chat-event payloads bucket. */
      key: z.string().check(z.minLength(1)),
      /** Size of that JSON in bytes, for logs and checks. */
      bytes: z.int().check(z.positive()),
    }),
    /** Copied from the event, so a consumer can name it in logs before fetching it. */
    eventId: z.string(),
    eventType: z.string(),
    operationID: z.string(),
  }),
);
export type ClaimCheckMessage = z.infer<typeof ClaimCheckMessage>;

/** Every claim-checked event's key starts with this; grants are scoped to it. */
export const CLAIM_CHECK_KEY_PREFIX = 'chat-events/';

/** Objects are keyed by event ID, unique per publication: a retried publish rewrites the same object. */
export function claimCheckKeyOf(eventId: string): string {
  return `${CLAIM_CHECK_KEY_PREFIX}${eventId}.json`;
}

/** Whether a parsed topic message is a claim check rather than an event. */
export function isClaimCheck(message: unknown): boolean {
  return typeof message === 'object' && message !== null && 'claimCheck' in message;
}
