/**
 * The envelope published to the `chat-events` topic for every after-callback (and, in later
 * capabilities, for events this service creates itself). Subscribers route on the `eventType`
 * message attribute through SNS filter policies, so the body is opaque to SNS.
 */
import * as z from 'zod/mini';
import { lazySchema } from '../validation/lazy-schema.ts';

export const ChatEvent = lazySchema(() =>
  z.object({
    /**
     * Unique per event; a copy published again (the local journal's replay after a crash) keeps it.
     * Consumers apply an event once by its natural key (the message ID), or by this where it has none.
     */
    eventId: z.string(),
    /** The OpenIM callbackCommand, or one of this service's own event types. */
    eventType: z.string(),
    operationID: z.string(),
    /** ISO-8601 time the callback reached us. */
    receivedAt: z.string(),
    /** OpenIM main's `?key=` query decoded ({sendID, recvID, groupID}); absent in v3.8.3. */
    routingKey: z.optional(z.record(z.string(), z.string())),
    /** Whether `payload` passed the command's schema; invalid events are still kept. */
    valid: z.boolean(),
    /** The callback body exactly as OpenIM sent it (parsed JSON, or the raw text if it was not JSON). */
    payload: z.unknown(),
    /**
     * The digits as sent of the payload's integers beyond 2^53, which `payload` holds only rounded,
     * by JSON Pointer into it (shared/events/exact-integers.ts); absent when there are none.
     */
    exactIntegers: z.optional(z.record(z.string(), z.string())),
  }),
);
export type ChatEvent = z.infer<typeof ChatEvent>;

/** The number at `pointer` in the event's payload as it was sent: its exact digits when JSON rounded it. */
export function digitsAsSent(event: Pick<ChatEvent, 'exactIntegers'>, pointer: string, parsed: number): string {
  return event.exactIntegers?.[pointer] ?? String(parsed);
}

/** SNS message attributes carried with every chat event, for subscription filter policies. */
export const CHAT_EVENT_ATTRIBUTES = {
  eventType: 'eventType',
  valid: 'valid',
} as const;
