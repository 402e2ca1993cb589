/**
 * Requests and replies of the review API (`/api/review/...`), as zod schemas: the handlers parse
 * with them and `GET /api/openapi.json` is generated from them, so the document cannot drift.
 */
import * as z from 'zod';
import { SECONDS_PER_DAY } from '../time/durations.ts';
import { ModerationLogEntry, PenaltyKind } from './moderation-decided-event.ts';
import { Role } from '../api/moderator-access.ts';
import { FlaggedMessage, Decision, ReviewItem, ReviewState } from './review-item.ts';

const limit = z.coerce.number().int().min(1).max(100).default(20);

export const ListItemsQuery = z.object({
  state: z._default(ReviewState, 'pending'),
  groupID: z.string().min(1).optional(),
  userID: z.string().min(1).optional().describe("the sender's userID"),
  term: z.string().min(1).optional().describe('a matched term, exactly as the policy writes it'),
  claimedBy: z.string().min(1).optional().describe('state=claimed: held by this person (the console\'s "mine")'),
  decidedBy: z.string().min(1).optional().describe('state=decided: decided by this person'),
  limit,
  cursor: z.string().min(1).optional().describe('from the previous page'),
});

export const ItemPage = z.object({ items: z.array(ReviewItem), cursor: z.string().optional() });

/** A message of the audit trail (shared/audit/conversation-history.ts). */
export const ContextMessage = z.object({
  serverMsgID: z.string(),
  clientMsgID: z.string(),
  conversationID: z.string(),
  sendID: z.string(),
  senderNickname: z.string(),
  contentType: z.number(),
  content: z.string(),
  sendTime: z.number(),
});

export const ItemDetail = z.object({
  item: ReviewItem,
  context: z.array(ContextMessage).nullable().describe('the conversation before the message, newest first; null without an audit trail'),
  decisions: z
    .array(z.object({ decision: Decision, available: z.boolean(), reason: z.string().optional() }))
    .describe('per decision, whether this deployment can carry it out on this message, and why not'),
  sender: z.object({
    userID: z.string(),
    nickname: z.string(),
    violations: z.object({ blocked: z.number().int(), flagged: z.number().int(), confirmed: z.number().int() }).describe('in the last 30 days'),
    penalties: z
      .array(z.object({ penaltyKey: z.string(), kind: PenaltyKind, userID: z.string(), groupID: z.string(), appliedAt: z.string() }))
      .describe('repeat-offender penalties not lifted'),
  }),
});

export const NoteRequest = z.strictObject({ text: z.string().trim().min(1).max(2000) });
export const EscalateRequest = z.strictObject({ reason: z.string().trim().min(1).max(1000) });

export const EscalateReply = z.object({ item: ReviewItem, entry: ModerationLogEntry });

export const CallerReply = z.object({
  name: z.string().describe('as claims, decisions, notes and log entries record the caller'),
  role: Role,
  rights: z.record(Role, z.string()).describe('what each role may do'),
});

export const DecisionRequest = z.strictObject({
  decision: Decision,
  reason: z.string().trim().min(1).max(1000),
  muteSeconds: z.number().int().min(60).max(30 * SECONDS_PER_DAY).optional().describe('for `muted`; default REVIEW_MUTE_SECONDS'),
});

export const DecisionReply = z.object({ item: ReviewItem, entry: ModerationLogEntry });

export const Counts = z.object({
  pending: z.number().int(),
  claimed: z.number().int(),
  decided: z.number().int().describe('decided in the last 24 hours'),
});

export const LogQuery = z
  .object({ userID: z.string().min(1).optional(), itemId: z.string().min(1).optional(), limit, cursor: z.string().min(1).optional() })
  .refine((query) => (query.userID === undefined) !== (query.itemId === undefined), { message: 'give exactly one of userID and itemId' });

export const LogPage = z.object({ entries: z.array(ModerationLogEntry), cursor: z.string().optional() });

export const LiftRequest = z.strictObject({
  kind: PenaltyKind,
  userID: z.string().min(1),
  groupID: z.string().min(1).optional().describe('for mutes'),
  reason: z.string().trim().min(1).max(1000),
});

export const ErrorReply = z.object({ error: z.string(), details: z.unknown().optional() });

export const REPORT_CATEGORIES = ['spam', 'scam', 'harassment', 'hate', 'sexual', 'violence', 'self-harm', 'other'] as const;

/** A user's report of a message, sent by the app backend (which knows the message as its user saw it). */
export const ReportRequest = z.strictObject({
  reporterID: z.string().min(1).describe('the reporting user'),
  category: z.enum(REPORT_CATEGORIES),
  text: z.string().trim().max(1000).default('').describe("the reporter's own words"),
  message: z.object({ ...FlaggedMessage.shape, senderNickname: z.string().default(''), recvID: z.string().default(''), groupID: z.string().default('') }),
});

export const ReportReply = z.object({
  item: ReviewItem,
  entry: ModerationLogEntry,
  created: z.boolean().describe('false when the message was in the queue already (flagged or reported before); the reporter was counted on it'),
});

/** The affected user's appeal of a decision, sent by the app backend. */
export const AppealRequest = z.strictObject({
  itemId: z.string().min(1).describe('the decided item'),
  userID: z.string().min(1).describe("the appealing user: the decided message's sender"),
  text: z.string().trim().min(1).max(2000),
});

export const AppealReply = z.object({ item: ReviewItem, entry: ModerationLogEntry });
