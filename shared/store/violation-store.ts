/** Port for the per-user record of moderation violations that repeat-offender rules count. */
/** blocked and flagged come from the send path; a moderator's decision turns a flag into confirmed. */
export type ViolationKind = 'blocked' | 'flagged' | 'confirmed';

export interface Violation {
  readonly userID: string;
  readonly kind: ViolationKind;
  /** The message's clientMsgID: recording the same message twice counts once. */
  readonly messageID: string;
  readonly occurredAt: Date;
  readonly terms: readonly string[];
  readonly policyVersion: number;
  readonly groupID?: string;
}

export interface ViolationStore {
  /** Records the violation; returns false when it was already recorded. */
  record(violation: Violation): Promise<boolean>;
  /**
   * Records a blocked message, which nothing changes once recorded, so it is written without a
   * condition (recording it again changes nothing) and cheaply in bulk.
   */
  recordBlocked(violation: Omit<Violation, 'kind'>): Promise<void>;
  /**
   * How many violations the user has at or after `since`; only those of `kinds` when given.
   * `atMost` stops counting once it is reached: rules only need to know whether a threshold is,
   * and a user who sent thousands of blocked messages must not make every check read them all.
   */
  countSince(userID: string, since: Date, kinds?: readonly ViolationKind[], atMost?: number): Promise<number>;
  /**
   * Turns the flag of `violation.messageID` (sent at `occurredAt`) into a confirmed violation, or
   * records a confirmed one when the flag is not there (expired, or sent without a time). Idempotent.
   */
  confirm(violation: Violation): Promise<void>;
}
