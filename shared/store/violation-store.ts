/** Port for the per-user record of moderation violations that repeat-offender rules count. */
export type ViolationKind = 'blocked' | 'flagged';

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
  /** How many violations the user has at or after `since`. */
  countSince(userID: string, since: Date): Promise<number>;
}
