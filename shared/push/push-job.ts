/**
 * A push job: one offline notification for a chunk of recipients, published to `chat-events` as
 * a `push.job` event by the beforeOfflinePush take-over and consumed by the push worker. A large
 * group's message becomes several jobs (split-push-job.ts) so no message exceeds SNS/SQS limits.
 * It carries the notification already rendered: the worker never needs the message content.
 */
import * as z from 'zod/mini';
import { lazySchema } from '../validation/lazy-schema.ts';

export const PUSH_EVENT_TYPES = {
  job: 'push.job',
} as const;

export const PushJob = lazySchema(() =>
  z.object({
    /** OpenIM's clientMsgID: the push callback carries no serverMsgID; unique per message. */
    messageID: z.string().check(z.minLength(1)),
    conversationID: z.string(),
    sendID: z.string(),
    groupID: z.string(),
    sessionType: z.number(),
    contentType: z.number(),
    title: z.string(),
    body: z.string(),
    /** Per conversation, so a newer notification replaces the older one on the device. */
    collapseKey: z.string(),
    /** offlinePushInfo.ex, passed to the app as data. */
    ex: z.string(),
    iOSPushSound: z.string(),
    /** The recipients of this chunk, as OpenIM listed them (offline, after its own DND filter). */
    userIDs: z.array(z.string()).check(z.minLength(1)),
    /** Recipients of this chunk that the message @-mentions. */
    mentionedUserIDs: z.array(z.string()),
    /** 0-based position of this chunk among `chunkCount` chunks of the same message. */
    chunk: z.int().check(z.minimum(0)),
    chunkCount: z.int().check(z.minimum(1)),
  }),
);
export type PushJob = z.infer<typeof PushJob>;
