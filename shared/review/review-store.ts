/** Port for the review queue's items (DynamoDB: shared/store/dynamodb-review-store.ts). */
import type { Appeal, Decision, DecisionFailure, Escalation, FlaggedMessage, Highlight, ItemSource, ReviewItem, ReviewState } from './review-item.ts';

export interface NewReviewItem {
  readonly itemId: string;
  readonly flaggedAt: string;
  readonly policyVersion: number;
  readonly terms: readonly string[];
  readonly texts: readonly string[];
  readonly highlights: readonly Highlight[];
  readonly message: FlaggedMessage;
  /** The message's sendTime as sent when it is no usable time (its `sendTime` then reads 0, unset). */
  readonly unusableSendTime?: string;
  /** @default 'flag' */
  readonly source?: ItemSource;
  readonly appeal?: Appeal;
}

export interface ReviewQuery {
  readonly state: ReviewState;
  readonly groupID?: string;
  readonly userID?: string;
  readonly term?: string;
  /** Claimed items held by this person (state `claimed`). */
  readonly claimedBy?: string;
  /** Items this person decided (state `decided`). */
  readonly decidedBy?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface ReviewPage {
  readonly items: ReviewItem[];
  /** Opaque; pass back for the next page. Absent on the last page. */
  readonly cursor?: string;
}

export interface ReviewCounts {
  readonly pending: number;
  readonly claimed: number;
  /** Decided within the counting window (the last 24 hours). */
  readonly decided: number;
}

/** What review stats read of a decided item. */
export interface DecidedRecord {
  readonly flaggedAt: string;
  /** Absent on items decided before first claims were recorded. */
  readonly firstClaimedAt?: string;
  readonly decidedAt: string;
  readonly decidedBy: string;
}

export interface ReviewStore {
  /** Adds the item unless it exists; false when it was already there (redelivery). */
  add(item: NewReviewItem): Promise<boolean>;
  get(itemId: string, now: number): Promise<ReviewItem | undefined>;
  /**
   * Claims a pending item (or one whose claim lapsed) for `moderator` until `now + claimMs`.
   * Claiming again one's own live claim extends it.
   * @throws ReviewItemNotFoundError, ClaimConflictError
   */
  claim(itemId: string, moderator: string, now: number, claimMs: number): Promise<ReviewItem>;
  /**
   * Marks the caller's live claim as having a decision under way (`decisionId`), extending the
   * claim by `leaseMs` so it cannot lapse while OpenIM is called. Only one decision can be under way.
   * @throws ReviewItemNotFoundError, NotClaimedByCallerError
   */
  beginDecision(itemId: string, moderator: string, decisionId: string, now: number, leaseMs: number): Promise<ReviewItem>;
  /** Records the decision; only the decision under way (`decisionId`) can complete. */
  completeDecision(itemId: string, decisionId: string, outcome: { decision: Decision; reason: string; decidedBy: string; decidedAt: string }): Promise<ReviewItem>;
  /** Ends a decision that failed; the item stays claimed by the same moderator. */
  abandonDecision(itemId: string, decisionId: string): Promise<void>;
  /**
   * Hands the item back to the queue. Only the claim holder may, or anyone with `anyone` (admins
   * clearing a colleague's claim); never while a decision is under way.
   * @throws ReviewItemNotFoundError, NotClaimedByCallerError
   */
  release(itemId: string, moderator: string, now: number, options?: { anyone?: boolean }): Promise<ReviewItem>;
  /** Keeps a failed decision on the item while `failure.by` still holds its claim; false otherwise. */
  recordFailure(itemId: string, failure: DecisionFailure, now: number): Promise<boolean>;
  /** Counts a user's report of the item's message (once per reporter); the summary after it. @throws ReviewItemNotFoundError */
  addReport(itemId: string, reporterID: string, category: string): Promise<ReviewItem>;
  /** Marks an undecided item as escalated. @throws ReviewItemNotFoundError, ClaimConflictError when decided */
  escalate(itemId: string, escalation: Escalation, now: number): Promise<ReviewItem>;
  list(query: ReviewQuery, now: number): Promise<ReviewPage>;
  counts(now: number): Promise<ReviewCounts>;
  /** Items decided since `since` (still in the table: decided items expire after their retention). */
  decidedSince(since: Date): Promise<DecidedRecord[]>;
}
