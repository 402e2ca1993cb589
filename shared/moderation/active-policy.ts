/**
 * The policy the before-callbacks moderate with, compiled once per version and kept in memory.
 *
 * The store is read on first use and again by the first message after every `refreshMs`, so a
 * change made through the operator API takes effect without a restart. That message waits for the
 * read at most `staleWaitMs`; a slower store is left to finish in the background while the
 * policy in force decides. When the store cannot be read, the last good policy
 * stays in force; before any was read, the seed policy (MODERATION_POLICY_FILE) is used. An empty
 * store is seeded with it (a conditional write, so concurrent instances seed once); with neither a
 * stored policy nor a seed, nothing is moderated (the empty policy, version 0).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { PolicyStore } from '../store/policy-store.ts';
import { logger } from '../observability/logger.ts';
import { PolicyVersionConflictError } from '../store/errors.ts';
import { ModerationError } from './errors.ts';
import { compilePolicy, type CompiledPolicy } from './matcher.ts';
import { ModerationPolicy } from './policy.ts';

const EMPTY_POLICY = ModerationPolicy.parse({});

export class PolicyUnavailableError extends ModerationError {
  constructor(cause: unknown) {
    super('no moderation policy could be loaded and no MODERATION_POLICY_FILE seed is configured', { cause });
    this.name = 'PolicyUnavailableError';
  }
}

export interface ActivePolicyOptions {
  readonly store: PolicyStore;
  /** The policy from MODERATION_POLICY_FILE, if any. */
  readonly seed?: ModerationPolicy | undefined;
  readonly refreshMs: number;
  /** How long a message may wait for a due refresh. @default 50 */
  readonly staleWaitMs?: number;
  readonly now?: () => number;
}

export class ActivePolicy {
  private compiled: CompiledPolicy | undefined;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: ActivePolicyOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The compiled policy in force; waits for the store only on first use. */
  async current(): Promise<CompiledPolicy> {
    if (this.compiled === undefined) await this.refresh();
    else if (this.now() - this.loadedAt >= this.options.refreshMs) {
      await Promise.race([this.refresh(), delay(this.options.staleWaitMs ?? 50, undefined, { ref: false })]);
    }
    if (this.compiled === undefined) throw new PolicyUnavailableError(undefined);
    return this.compiled;
  }

  /** Reads the store now (one read at a time); on failure keeps what is in force. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async load(): Promise<void> {
    try {
      const stored = (await this.options.store.latest()) ?? (await this.seedStore());
      this.loadedAt = this.now();
      const policy = stored?.policy ?? EMPTY_POLICY;
      if (this.compiled === undefined || policy.version !== this.compiled.version) this.compiled = compilePolicy(policy);
    } catch (error) {
      // Retry at the next request rather than after a whole refresh interval.
      this.loadedAt = this.now() - this.options.refreshMs;
      logger.warn('moderation policy store unreachable; keeping the policy in force', {
        policyVersion: this.compiled?.version ?? null,
        error: error as Error,
      });
      if (this.compiled === undefined && this.options.seed) this.compiled = compilePolicy(this.options.seed);
    }
  }

  private async seedStore() {
    if (!this.options.seed) return undefined;
    try {
      return await this.options.store.save(this.options.seed, 0, 'MODERATION_POLICY_FILE');
    } catch (error) {
      if (error instanceof PolicyVersionConflictError) return this.options.store.latest();
      throw error;
    }
  }
}
