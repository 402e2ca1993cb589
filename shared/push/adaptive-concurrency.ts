/**
 * How many sends one provider gets at once, adapted to what the provider says (AIMD, as TCP does):
 * each answer within the latency target widens the window (by one per answer until the first sign
 * of overload, then by one per window's worth of answers); an answer over the target narrows it by
 * a tenth, a 429/503 or an answer that never came halves it, at most once per target interval so
 * one burst counts once; a `Retry-After` stops new sends until it has passed. A loaded provider so
 * slows the worker instead of tripping its timeouts. One instance per provider per process, shared
 * by every job the process runs.
 */
import { DeliveryOutcomeUnknownError, ProviderUnavailableError } from './errors.ts';

export interface AdaptiveConcurrencyOptions {
  /** @default 16 */
  readonly initial?: number;
  /** @default 1 */
  readonly min?: number;
  /** @default 256 */
  readonly max?: number;
  /** Answers slower than this mean the provider is saturated. @default 1000 */
  readonly latencyTargetMs?: number;
  readonly now?: () => number;
}

export class AdaptiveConcurrency {
  private window: number;
  private inFlight = 0;
  private pausedUntil = 0;
  private lastDecrease = -Infinity;
  private overloadSeen = false;
  private readonly waiting: (() => void)[] = [];
  private wakeTimer: NodeJS.Timeout | undefined;
  private readonly min: number;
  private readonly max: number;
  private readonly latencyTargetMs: number;
  private readonly now: () => number;

  constructor(options: AdaptiveConcurrencyOptions = {}) {
    this.min = options.min ?? 1;
    this.max = options.max ?? 256;
    this.window = Math.min(this.max, Math.max(this.min, options.initial ?? 16));
    this.latencyTargetMs = options.latencyTargetMs ?? 1000;
    this.now = options.now ?? (() => performance.now());
  }

  /** Sends allowed at once now. */
  get limit(): number {
    return Math.floor(this.window);
  }

  /** Runs `send` when the window has room and no Retry-After is pending; learns from how it ends. */
  async run<T>(send: () => Promise<T>): Promise<T> {
    await this.acquire();
    const started = this.now();
    try {
      const result = await send();
      this.learn(this.now() - started, undefined);
      return result;
    } catch (error) {
      this.learn(this.now() - started, error);
      throw error;
    } finally {
      this.inFlight--;
      this.admit();
    }
  }

  private acquire(): Promise<void> {
    if (this.hasRoom()) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private hasRoom(): boolean {
    return this.inFlight < this.limit && this.now() >= this.pausedUntil && this.waiting.length === 0;
  }

  private admit(): void {
    const pause = this.pausedUntil - this.now();
    if (pause > 0) {
      this.wakeTimer ??= setTimeout(() => {
        this.wakeTimer = undefined;
        this.admit();
      }, pause);
      return;
    }
    while (this.waiting.length > 0 && this.inFlight < this.limit) {
      this.inFlight++;
      this.waiting.shift()!();
    }
  }

  private learn(latencyMs: number, error: unknown): void {
    const overloaded = (error instanceof ProviderUnavailableError && error.overloaded) || error instanceof DeliveryOutcomeUnknownError;
    if (error instanceof ProviderUnavailableError && error.retryAfterMs !== undefined) {
      this.pausedUntil = Math.max(this.pausedUntil, this.now() + error.retryAfterMs);
    }
    if (overloaded) return this.decrease(0.5);
    if (latencyMs > this.latencyTargetMs) return this.decrease(0.9);
    if (error !== undefined) return;
    // Slow start until the provider first pushes back, then one more per window of answers.
    this.window = Math.min(this.max, this.window + (this.overloadSeen ? 1 / this.window : 1));
  }

  private decrease(factor: number): void {
    this.overloadSeen = true;
    const now = this.now();
    if (now - this.lastDecrease < this.latencyTargetMs) return;
    this.lastDecrease = now;
    this.window = Math.max(this.min, this.window * factor);
  }
}
