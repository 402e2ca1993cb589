/**
 * One timer for every deadline in flight, instead of a timer per request: a server answering
 * thousands of callbacks a second arms, clears and re-arms far fewer timers. Deadlines are kept
 * in first-in-first-out lines, one per duration, so that within a line the earliest is always at
 * the head; the timer is armed for the earliest head that is still pending. A deadline that is no
 * longer needed is only marked done: it leaves its line when it reaches the head.
 */

export interface Deadline {
  /** performance.now() at which `expire` runs, unless `done()` was called first. */
  readonly at: number;
  /** Marks the deadline as no longer needed; `expire` will not run. */
  done(): void;
}

interface PendingDeadline extends Deadline {
  readonly expire: () => void;
  finished: boolean;
}

export class DeadlineTimers {
  /** Deadlines by duration, each line in the order they were set, so also in the order they fall due. */
  private readonly lines = new Map<number, PendingDeadline[]>();
  private timer: NodeJS.Timeout | undefined;
  /** performance.now() the timer is armed for. */
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(private readonly now: () => number = performance.now.bind(performance)) {}

  /** Runs `expire` in `durationMs` unless the returned deadline is done by then. */
  set(durationMs: number, expire: () => void): Deadline {
    const deadline: PendingDeadline = {
      at: this.now() + durationMs,
      expire,
      finished: false,
      done: () => {
        deadline.finished = true;
      },
    };
    let line = this.lines.get(durationMs);
    if (!line) this.lines.set(durationMs, (line = []));
    line.push(deadline);
    if (deadline.at < this.armedFor) this.arm(deadline.at);
    return deadline;
  }

  /** Deadlines set and not yet fallen due or removed (done ones included until they reach their line's head). */
  get size(): number {
    let size = 0;
    for (const line of this.lines.values()) size += line.length;
    return size;
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.armedFor = at;
    // unref: a deadline alone must not keep the process running.
    this.timer = setTimeout(() => this.fire(), Math.max(0, Math.ceil(at - this.now()))).unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = this.now();
    const due: PendingDeadline[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [durationMs, line] of this.lines) {
      let head = 0;
      while (head < line.length && (line[head]!.finished || line[head]!.at <= now)) {
        if (!line[head]!.finished) due.push(line[head]!);
        head += 1;
      }
      line.splice(0, head);
      if (line.length === 0) this.lines.delete(durationMs);
      else next = Math.min(next, line[0]!.at);
    }
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
    for (const deadline of due) {
      deadline.finished = true;
      deadline.expire();
    }
  }
}
