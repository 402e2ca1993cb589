/**
 * What moderation publishes to `chat-events` when it blocks or flags a message: everything the
 * review queue and the audit trail need, including the content (the message itself is what a
 * moderator reviews). Consumers parse it with this schema.
 */
import { z } from 'zod';

export const MODERATION_EVENT_TYPES = {
  blocked: 'moderation.blocked',
  flagged: 'moderation.flagged',
} as const;

export const ModerationEventPayload = z.object({
  decision: z.enum(['blocked', 'flagged']),
  policyVersion: z.number(),
  matches: z.array(z.object({ term: z.string(), action: z.enum(['blocked', 'masked', 'flagged']) })),
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
});
export type ModerationEventPayload = z.infer<typeof ModerationEventPayload>;
