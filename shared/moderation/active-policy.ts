/**
 * The policy the before-callbacks moderate with, compiled once per version and kept in memory.
 *
 * The store's newest version number (one small item) is read on first use and again by the first
 * message after every `refreshMs`, so a change made through the operator API takes effect without a
 * restart. A new version's document is then compiled in time slices while the policy in force keeps
 * deciding, and swapped in when ready. A message waits for the version check at most `staleWaitMs`
 * and never for a compile, except the first one, when nothing is in force yet; once a read has
 * failed, none waits until the store answers again: the next read is due after a backoff (250 ms,
 * doubled after each further failure up to `refreshMs`), the message that finds it due starts it
 * (one at a time), and every message is answered with the policy in force (with none in force and
 * no seed, refused at once with PolicyUnavailableError, which gets the callback's fallback reply).
 * With `readAhead`, the version is also read in the background a little before it is due, so that
 * the messages of a busy process wait for no store at all, however long that read takes. An
 * instance paused for over an interval (Lambda's, frozen between invocations, runs no timer) reads
 * nothing when its late timer runs, and its first message after the pause waits for the check as
 * before.
 *
 * What can go wrong, and what decides then:
 * - the store cannot be read: the policy in force (before any, the seed: MODERATION_POLICY_FILE);
 *   warned as "store unreachable", counted, and retried after the backoff by a message that does
 *   not wait for it: a store that times out (npm start's stand-ins starved of CPU took 3 x 2 s)
 *   would otherwise hold every message for `staleWaitMs`, read after read, and one that fails at
 *   once (throttled, access denied) would be read, and warned about, once per message;
 * - the newest version cannot be read or compiled at all (corrupt, not a policy document): the same,
 *   logged as an error and counted, and not retried until a newer version is saved;
 * - some of its terms cannot be compiled (say, after an engine change): the version comes into force
 *   without them, each one logged as an error and counted.
 * Every change of what is in force is logged with its version and its count of dropped terms. An
 * empty store is seeded with the seed (a conditional write, so concurrent instances seed once); with
 * neither a stored policy nor a seed, nothing is moderated (the empty policy, version 0).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { PolicyStore, PolicyVersionInfo } from '../store/policy-store.ts';
import { CallbackError } from '../callbacks/errors.ts';
import { logger } from '../observability/logger.ts';
import { countEvent, METRIC_NAMES } from '../observability/metrics.ts';
import { doublingDelayMs } from '../time/doubling-delay.ts';
import { PolicyVersionConflictError, StoredPolicyUnreadableError } from '../store/errors.ts';
import type { CompiledPolicy } from './matcher.ts';
import { PolicyDocument, type ModerationPolicy } from './policy.ts';
import { TimeSlicer } from './time-slicer.ts';

/** A callback's reason for its fallback reply (BeforeFallbackReply, `reason`), so a CallbackError. */
export class PolicyUnavailableError extends CallbackError {
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
  /** Read the version again in the background before it is due (a timer that keeps no process alive). @default false */
  readonly readAhead?: boolean;
  readonly now?: () => number;
  /** Slices of a compile; a test passes its own to count the yields. */
  readonly slicer?: () => TimeSlicer;
}

/** A document to put in force, and where it came from (for the log). */
interface Candidate {
  readonly version: number;
  readonly policy: PolicyDocument;
  readonly source: 'store' | 'MODERATION_POLICY_FILE' | 'none';
}

const nothing = (): Candidate => ({ version: 0, policy: PolicyDocument.parse({}), source: 'none' });

/** When the background read comes, as a share of `refreshMs` after the last read: early enough that no message finds it due first. */
const READ_AHEAD_SHARE = 0.9;

/** The wait before the read after a failed one; doubled after each further failure, up to `refreshMs`. */
export const FIRST_RETRY_MS = 250;

/**
 * The compiler (matcher, normaliser, word forms: ~45 KiB) is a chunk of its own, read when the store
 * has first answered, not while importing nor before the read: Node's loader reads and compiles an
 * `import()`ed file before `import()` returns, so loading it first held the read's request back by
 * that long (docs/benchmarks.md "Built on first use").
 */
let compiler: Promise<typeof import('./compile-policy-document.ts')> | undefined;
const loadCompiler = () => (compiler ??= import('./compile-policy-document.ts'));

export class ActivePolicy {
  private inForce: CompiledPolicy | undefined;
  /** When the next read of the version is due: `refreshMs` after a read, the backoff after a failed one. */
  private nextReadAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;
  /** The compile under way; a newer version aborts it. */
  private compiling: { readonly version: number; readonly done: Promise<void>; readonly abort: AbortController } | undefined;
  /** The newest stored version, when it could not be used at all: not read again. */
  private unusableVersion: number | undefined;
  private readAheadTimer: NodeJS.Timeout | undefined;
  private readingAhead: boolean;
  /**
   * A read started ahead of time is under way. No message waits for it, even once the version falls
   * due: a busy store (npm start's stand-ins, below the event loop's priority) may take longer than
   * the time ahead, and the messages would otherwise each wait up to `staleWaitMs` for it.
   */
  private readAheadInFlight = false;
  /** Reads failed since the store last answered: while any, messages answer with the policy in force, not waiting for the next read. */
  private failedReads = 0;
  private readonly now: () => number;

  constructor(private readonly options: ActivePolicyOptions) {
    this.now = options.now ?? Date.now;
    this.readingAhead = options.readAhead ?? false;
  }

  /**
   * The compiled policy in force: at once while no read is due or since the last read failed, else
   * once the store has answered (or `staleWaitMs` has passed with the policy in force); on first
   * use, once it is compiled (or, after a failed read with no seed, refused at once).
   */
  current(): CompiledPolicy | Promise<CompiledPolicy> {
    if (this.inForce !== undefined) {
      if (this.readAheadInFlight || this.now() < this.nextReadAt) return this.inForce;
      if (this.failedReads > 0) {
        void this.refresh();
        return this.inForce;
      }
    }
    return this.currentAfterRead();
  }

  private async currentAfterRead(): Promise<CompiledPolicy> {
    if (this.inForce === undefined) {
      if (this.failedReads === 0) await this.refresh();
      else if (this.now() >= this.nextReadAt) void this.refresh();
      // A newer version may abort the compile awaited here: wait for whichever finishes.
      while (this.inForce === undefined && this.compiling) await this.compiling.done;
    } else if (this.now() >= this.nextReadAt) {
      await Promise.race([this.refresh(), delay(this.options.staleWaitMs ?? 50, undefined, { ref: false })]);
    }
    if (this.inForce === undefined) throw new PolicyUnavailableError(undefined);
    return this.inForce;
  }

  /**
   * Reads the store now (one read at a time) and starts compiling a new version; resolves once the
   * compile has started, not finished. On failure keeps what is in force.
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
      this.scheduleReadAhead();
    });
    return this.refreshing;
  }

  /** Ends the background reads (`readAhead`), for an owner that stops the store before the process ends; messages still refresh as they come. */
  stopReadingAhead(): void {
    this.readingAhead = false;
    clearTimeout(this.readAheadTimer);
  }

  private scheduleReadAhead(): void {
    if (!this.readingAhead) return;
    clearTimeout(this.readAheadTimer);
    const delayMs = this.options.refreshMs * READ_AHEAD_SHARE;
    const firesAt = this.now() + delayMs;
    this.readAheadTimer = setTimeout(() => this.readAhead(firesAt), delayMs).unref();
  }

  private readAhead(firesAt: number): void {
    // Over an interval late, the instance was paused (a frozen Lambda instance runs no timer): the
    // next message reads the version, and waits for that read as it would without reading ahead.
    if (this.now() - firesAt > this.options.refreshMs) return;
    this.readAheadInFlight = true;
    void this.refresh().finally(() => {
      this.readAheadInFlight = false;
    });
  }

  private async load(): Promise<void> {
    const { store } = this.options;
    try {
      const newest = (await store.latestVersion()) ?? (await this.seedStore());
      this.nextReadAt = this.now() + this.options.refreshMs;
      this.failedReads = 0;
      const version = newest?.version ?? 0;
      if (version === this.inForce?.version || version === this.compiling?.version || version === this.unusableVersion) return;
      const stored = newest === undefined ? undefined : await store.latest();
      this.startCompile(stored ? { ...stored, source: 'store' } : nothing());
    } catch (error) {
      if (error instanceof StoredPolicyUnreadableError) this.refuse(error.version, error);
      else {
        // Retried sooner than a whole refresh interval, so that a new version is not held up as long.
        this.failedReads += 1;
        const retryInMs = doublingDelayMs(FIRST_RETRY_MS, this.options.refreshMs, this.failedReads);
        this.nextReadAt = this.now() + retryInMs;
        logger.warn('moderation policy store unreachable; keeping the policy in force', {
          policyVersion: this.inForce?.version ?? null,
          failedReads: this.failedReads,
          retryInMs,
          error: error as Error,
        });
        countEvent(METRIC_NAMES.moderationPolicyStoreUnreachable);
      }
      const { seed } = this.options;
      if (this.inForce === undefined && this.compiling === undefined && seed) {
        this.startCompile({ version: seed.version, policy: seed, source: 'MODERATION_POLICY_FILE' });
      }
    }
  }

  private startCompile(candidate: Candidate): void {
    this.compiling?.abort.abort();
    const abort = new AbortController();
    const done = this.compileAndSwap(candidate, abort.signal).finally(() => {
      if (this.compiling?.done === done) this.compiling = undefined;
    });
    this.compiling = { version: candidate.version, done, abort };
  }

  private async compileAndSwap(candidate: Candidate, signal: AbortSignal): Promise<void> {
    const started = performance.now();
    const slicer = this.options.slicer?.() ?? new TimeSlicer();
    try {
      const { compilePolicyDocument } = await loadCompiler();
      const { compiled, problems, termCount } = await compilePolicyDocument(candidate.policy, candidate.version, slicer, signal);
      for (const problem of problems) {
        logger.error('moderation policy term dropped: it cannot be compiled', { policyVersion: candidate.version, ...problem });
        countEvent(METRIC_NAMES.moderationPolicyTermDropped, { list: problem.list ?? 'policy' });
      }
      const previousVersion = this.inForce?.version ?? null;
      this.inForce = compiled;
      countEvent(METRIC_NAMES.moderationPolicyApplied);
      logger[problems.length > 0 ? 'warn' : 'info']('moderation policy in force', {
        policyVersion: candidate.version,
        previousVersion,
        source: candidate.source,
        terms: termCount,
        droppedTerms: problems.length,
        // false: no term to match (none stored, or allowed words only), so no message is read.
        scansMessages: !compiled.matchesNothing,
        compileMs: Math.round(performance.now() - started),
        slices: slicer.yields + 1,
      });
    } catch (error) {
      if (!signal.aborted) this.refuse(candidate.version, error);
    }
  }

  /** A version that cannot be used at all: logged, counted, and not tried again. */
  private refuse(version: number, error: unknown): void {
    this.unusableVersion = version;
    logger.error('moderation policy version cannot be used; keeping the policy in force', {
      storedVersion: version,
      policyVersion: this.inForce?.version ?? null,
      error: error as Error,
    });
    countEvent(METRIC_NAMES.moderationPolicyUnreadable);
  }

  private async seedStore(): Promise<PolicyVersionInfo | undefined> {
    if (!this.options.seed) return undefined;
    try {
      return await this.options.store.save(this.options.seed, 0, 'MODERATION_POLICY_FILE');
    } catch (error) {
      if (error instanceof PolicyVersionConflictError) return this.options.store.latestVersion();
      throw error;
    }
  }
}
