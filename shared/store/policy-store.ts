/** Port for the versioned moderation policy: every save is a new version, none is overwritten. */
import type { ModerationPolicy, PolicyDocument } from '../moderation/policy.ts';

/** Who saved which version when: what a reader checks before fetching a (possibly large) document. */
export interface PolicyVersionInfo {
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface StoredPolicy extends PolicyVersionInfo {
  /**
   * The document as saved. Its terms are not checked again on reading: a term that an engine
   * change made unusable must cost that term, not the whole policy (see `ActivePolicy`).
   */
  readonly policy: PolicyDocument;
}

export interface PolicyStore {
  /** The newest version's metadata (one small read), or `undefined` when no policy was ever saved. */
  latestVersion(): Promise<PolicyVersionInfo | undefined>;
  /**
   * The newest version, or `undefined` when no policy was ever saved.
   * @throws StoredPolicyUnreadableError when the newest version is incomplete or not a policy document.
   */
  latest(): Promise<StoredPolicy | undefined>;
  /**
   * Saves `policy` as version `expectedVersion + 1`.
   * @throws PolicyVersionConflictError when `expectedVersion` is not the newest version.
   * @throws PolicyTooLargeError when its JSON is over MAX_POLICY_BYTES.
   */
  save(policy: ModerationPolicy, expectedVersion: number, updatedBy: string): Promise<StoredPolicy>;
}
