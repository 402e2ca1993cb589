/**
 * What moderation publishes to `chat-events` when it blocks or flags a message: everything the
 * review queue and the audit trail need, including the content (the message itself is what a
 * moderator reviews). Consumers parse it with this schema.
 */
import * as z from 'zod/mini';
import { lazySchema } from '../validation/lazy-schema.ts';

export const MODERATION_EVENT_TYPES = {
  blocked: 'moderation.blocked',
  flagged: 'moderation.flagged',
} as const;

/** The message a moderation event is about, as the review queue stores it. */
export const ModeratedMessage = lazySchema(() =>
  z.object({
    sendID: z.string(),
    senderNickname: z.string(),
    sessionType: z.number(),
    recvID: z.string(),
    groupID: z.string(),
    conversationID: z.string(),
    serverMsgID: z.string(),
    clientMsgID: z.string(),
    contentType: z.number(),
    content: z.string(),
    sendTime: z.number(),
  }),
);
export type ModeratedMessage = z.infer<typeof ModeratedMessage>;

export const ModerationEventPayload = lazySchema(() =>
  z.extend(ModeratedMessage, {
    decision: z.enum(['blocked', 'flagged']),
    policyVersion: z.number(),
    matches: z.array(z.object({ term: z.string(), action: z.enum(['blocked', 'masked', 'flagged']) })),
  }),
);
export type ModerationEventPayload = z.infer<typeof ModerationEventPayload>;
