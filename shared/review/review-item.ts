/**
 * A flagged message in the review queue, as the operator API shows it. Stored states are
 * pending -> claimed -> decided; a claim whose `claimExpiresAt` has passed reads as pending again
 * (evaluated at read time and on claim, so an abandoned item returns without a sweeper).
 */
import * as z from 'zod/mini';
import { ModeratedMessage } from '../moderation/moderation-event.ts';

export const REVIEW_STATES = ['pending', 'claimed', 'decided'] as const;
export const ReviewState = z.enum(REVIEW_STATES);
export type ReviewState = z.infer<typeof ReviewState>;

/** approved: the message stays; removed: revoked; muted: revoked + sender muted in the group; banned: revoked + sender forbidden. */
export const DECISIONS = ['approved', 'removed', 'muted', 'banned'] as const;
export const Decision = z.enum(DECISIONS);
export type Decision = z.infer<typeof Decision>;

/** A matched term's span in one of the message's texts (UTF-16 offsets, end exclusive). */
export const Highlight = z.object({ text: z.int(), start: z.int(), end: z.int(), term: z.string() });
export type Highlight = z.infer<typeof Highlight>;

/** The flagged message, exactly as moderation published it. */
export const FlaggedMessage = ModeratedMessage;
export type FlaggedMessage = z.infer<typeof FlaggedMessage>;

export const DecisionFailure = z.object({
  decision: Decision,
  by: z.string(),
  at: z.string(),
  /** Why it failed (the API's error message); the moderation log has OpenIM's answers. */
  error: z.string(),
  kind: z.enum(['notApplicable', 'openimFailed']).check(
    z.describe('notApplicable: it cannot apply here (a 422, retrying will not help); openimFailed: OpenIM refused or was unreachable (a 502, a retry may work)'),
  ),
});
export type DecisionFailure = z.infer<typeof DecisionFailure>;

export const Escalation = z.object({ by: z.string(), at: z.string(), reason: z.string() });
export type Escalation = z.infer<typeof Escalation>;

/** What put the item in the queue: the policy's flag, users' reports, or an appeal of a decision. */
export const ITEM_SOURCES = ['flag', 'report', 'appeal'] as const;
export const ItemSource = z.enum(ITEM_SOURCES);
export type ItemSource = z.infer<typeof ItemSource>;

/** Users' reports of the message: distinct reporters counted, their categories. */
export const ReportSummary = z.object({ count: z.int(), categories: z.array(z.string()) });
export type ReportSummary = z.infer<typeof ReportSummary>;

/** The affected user's appeal, on an appeal item. */
export const Appeal = z.object({
  of: z.string().check(z.describe('the appealed item')),
  by: z.string(),
  at: z.string(),
  text: z.string(),
  decision: Decision,
  decidedBy: z.string(),
});
export type Appeal = z.infer<typeof Appeal>;

export const ReviewItem = z.object({
  /** The message's clientMsgID (its serverMsgID when the client sent none): one item per message; `appeal#<itemId>` for an appeal. */
  itemId: z.string(),
  state: ReviewState,
  source: ItemSource,
  flaggedAt: z.string().check(z.describe('ISO time the flag, first report or appeal reached the review queue')),
  policyVersion: z.number().check(z.describe('the policy version that flagged it; 0 for an item only users reported')),
  reports: z.optional(ReportSummary),
  appeal: z.optional(Appeal),
  terms: z.array(z.string()),
  /** The message's texts as read for moderation, and where the terms matched in them. */
  texts: z.array(z.string()),
  highlights: z.array(Highlight),
  message: FlaggedMessage,
  /** The message's sendTime as sent (decimal digits) when it is no usable time; `message.sendTime` then reads 0. */
  unusableSendTime: z.optional(z.string()),
  claimedBy: z.optional(z.string()),
  claimedAt: z.optional(z.string()).check(z.describe('ISO time of the claim now held')),
  claimExpiresAt: z.optional(z.string()),
  /** The last decision that failed on this item, shown until the item is decided or released. */
  lastFailure: z.optional(DecisionFailure),
  /** Set by a triage or moderator who wants another look at it. */
  escalation: z.optional(Escalation),
  decision: z.optional(Decision),
  reason: z.optional(z.string()),
  decidedBy: z.optional(z.string()),
  decidedAt: z.optional(z.string()),
});
export type ReviewItem = z.infer<typeof ReviewItem>;

/** The state an item is in at `now`: a lapsed claim is pending again. */
export function effectiveState(stored: ReviewState, claimExpiresAtMs: number | undefined, now: number): ReviewState {
  return stored === 'claimed' && (claimExpiresAtMs ?? 0) <= now ? 'pending' : stored;
}
