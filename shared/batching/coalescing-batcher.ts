/**
 * Coalesces concurrent submissions into batch calls (SNS PublishBatch, DynamoDB BatchWriteItem).
 *
 * A call to an AWS service costs far more than one item in it (signing, serialising, a round
 * trip): measured here, a 10-entry PublishBatch costs about a fifth per entry of what a Publish
 * costs. Items submitted while `maxBatchesInFlight` batches are on their way wait and leave
 * together in the next one, so batches grow with the load by themselves and no timer adds
 * latency: an item submitted when nothing is in flight leaves at the end of the current turn of
 * the event loop, with whatever else that turn submitted. In a Lambda instance, which serves one
 * request at a time, a batch holds what one invocation submits.
 * Where many requests are served at once and items come a few at a time, `lingerMs` lets a batch
 * that is not full wait that long for more (Kafka's `linger.ms`): fewer, fuller calls for a few
 * milliseconds more on each item.
 */

export interface CoalescingBatcherOptions<T> {
  /**
   * Sends one batch. Resolves with one entry per item, in order: `undefined` when the item was
   * taken, or why it was not (retries are the sender's business). Rejecting fails every item.
   */
  readonly sendBatch: (items: readonly T[]) => Promise<readonly (Error | undefined)[]>;
  /** Items per batch at most. */
  readonly maxItems: number;
  /** Total `sizeOf` per batch at most; an item larger than this alone still leaves, alone. */
  readonly maxBytes?: number;
  /** What an item counts towards `maxBytes`. @default () => 0 */
  readonly sizeOf?: (item: T) => number;
  /** Batches on their way at once; more means smaller batches. @default 1 */
  readonly maxBatchesInFlight?: number;
  /** How long a batch that is not full waits for more items before it leaves. @default 0 */
  readonly lingerMs?: number;
}

interface Submission<T> {
  readonly item: T;
  readonly bytes: number;
  /** performance.now() when submitted. */
  readonly submittedAt: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class CoalescingBatcher<T> {
  private readonly waiting: Submission<T>[] = [];
  private batchesInFlight = 0;
  private flushScheduled = false;
  /** The timer of a batch that lingers, until it leaves. */
  private lingering: NodeJS.Timeout | undefined;
  private readonly maxBatchesInFlight: number;
  private readonly lingerMs: number;

  constructor(private readonly options: CoalescingBatcherOptions<T>) {
    if (options.maxItems < 1) throw new RangeError('maxItems must be at least 1');
    this.maxBatchesInFlight = options.maxBatchesInFlight ?? 1;
    this.lingerMs = options.lingerMs ?? 0;
  }

  /** Resolves once the item's batch took it; rejects with why it did not. */
  submit(item: T): Promise<void> {
    const bytes = this.options.sizeOf?.(item) ?? 0;
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, bytes, submittedAt: performance.now(), resolve, reject });
      if (this.lingering && this.hasFullBatch()) this.flushNow();
      else this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.waiting.length === 0 || this.batchesInFlight >= this.maxBatchesInFlight) return;
    this.flushScheduled = true;
    // The linger counts from the oldest waiting item, which may have waited for a call already.
    const lingerLeft = this.lingerMs > 0 && !this.hasFullBatch() ? this.lingerMs - (performance.now() - this.waiting[0]!.submittedAt) : 0;
    if (lingerLeft > 0) this.lingering = setTimeout(() => this.flush(), lingerLeft);
    else setImmediate(() => this.flush());
  }

  /** A lingering batch filled up: it leaves at the end of this turn. */
  private flushNow(): void {
    clearTimeout(this.lingering);
    this.lingering = undefined;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.lingering = undefined;
    this.flushScheduled = false;
    while (this.waiting.length > 0 && this.batchesInFlight < this.maxBatchesInFlight) {
      this.batchesInFlight += 1;
      void this.send(this.takeBatch()).finally(() => {
        this.batchesInFlight -= 1;
        this.scheduleFlush();
      });
    }
  }

  /** How many of the waiting items the next batch takes: the longest run within the limits, at least one. */
  private nextBatchSize(): number {
    const maxBytes = this.options.maxBytes ?? Number.POSITIVE_INFINITY;
    let count = 0;
    let bytes = 0;
    for (const submission of this.waiting) {
      if (count === this.options.maxItems || (count > 0 && bytes + submission.bytes > maxBytes)) break;
      count += 1;
      bytes += submission.bytes;
    }
    return count;
  }

  private hasFullBatch(): boolean {
    const size = this.nextBatchSize();
    return size === this.options.maxItems || size < this.waiting.length;
  }

  private takeBatch(): Submission<T>[] {
    return this.waiting.splice(0, this.nextBatchSize());
  }

  private async send(batch: readonly Submission<T>[]): Promise<void> {
    let outcomes: readonly (Error | undefined)[];
    try {
      outcomes = await this.options.sendBatch(batch.map((submission) => submission.item));
    } catch (error) {
      for (const submission of batch) submission.reject(error as Error);
      return;
    }
    batch.forEach((submission, index) => {
      const failure = outcomes[index];
      if (failure) submission.reject(failure);
      else submission.resolve();
    });
  }
}
