/** Port for the versioned moderation policy: every save is a new version, none is overwritten. */
import type { ModerationPolicy } from '../moderation/policy.ts';

export interface StoredPolicy {
  readonly version: number;
  readonly policy: ModerationPolicy;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface PolicyStore {
  /** The newest version, or `undefined` when no policy was ever saved. */
  latest(): Promise<StoredPolicy | undefined>;
  /**
   * Saves `policy` as version `expectedVersion + 1`.
   * @throws PolicyVersionConflictError when `expectedVersion` is not the newest version.
   */
  save(policy: ModerationPolicy, expectedVersion: number, updatedBy: string): Promise<StoredPolicy>;
}
