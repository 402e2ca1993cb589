/**
 * Port for the penalties in force per (kind, user[, group]), which also carry the repeat-offender
 * cooldown (DynamoDB: shared/store/dynamodb-penalty-store.ts).
 */
import type { PenaltyKind } from './moderation-decided-event.ts';

export interface Penalty {
  /** `forbid#<userID>` or `mute#<groupID>#<userID>`. */
  readonly penaltyKey: string;
  /** Deterministic per trigger, so a redelivered trigger finds its own penalty. */
  readonly penaltyId: string;
  readonly kind: PenaltyKind;
  readonly userID: string;
  readonly groupID: string;
  readonly appliedAt: string;
  /** Unix ms before which no new penalty of this key starts. */
  readonly cooldownUntil: number;
  readonly liftedAt?: string;
  readonly liftedBy?: string;
}

export interface PenaltyStore {
  /**
   * Starts `penalty` unless one of its key is in its cooldown; a retry of the same penaltyId
   * is allowed. Returns false when the cooldown holds.
   */
  tryStart(penalty: Penalty, now: number): Promise<boolean>;
  /** Undoes a start whose OpenIM call failed, so the next violation can try again. */
  cancelStart(penaltyKey: string, penaltyId: string): Promise<void>;
  get(penaltyKey: string): Promise<Penalty | undefined>;
  /** Marks the penalty lifted; false when it was lifted already. */
  markLifted(penaltyKey: string, penaltyId: string, liftedBy: string, liftedAt: string): Promise<boolean>;
}

export const penaltyKeyOf = (kind: PenaltyKind, userID: string, groupID: string): string =>
  kind === 'forbid' ? `forbid#${userID}` : `mute#${groupID}#${userID}`;
