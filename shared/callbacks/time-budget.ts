/**
 * Races a decision against its time budget, the way middy races `timeoutEarlyInMillis`: when the
 * budget runs out the work is told to stop through its AbortSignal and the caller gets
 * BudgetExceededError at once, so OpenIM is answered long before its own timeout.
 *
 * A timer cannot interrupt synchronous work, so a decision can also finish late; the caller then
 * gets its (correct) result and learns of the overrun from `overranBy`. Either way the decision's
 * stages say where the time went. A decision that waited for nothing (most messages) is answered in
 * the same turn with no timer set: the timer, the controller and the promises were ~7% of the local
 * server's event-loop CPU per callback (docs/benchmarks-history.md).
 */
import { BudgetExceededError } from './errors.ts';

/**
 * How long before its deadline a decision whose effects are under way (an event being published)
 * stops waiting for them and answers: early enough that its answer, not the budget's fallback,
 * reaches OpenIM, so the answer matches what was done.
 */
export const ANSWER_MARGIN_MS = 20;

/**
 * Waits for `effects` until `deadline` (epoch ms) less ANSWER_MARGIN_MS; `false` if they had not
 * settled by then. They go on in the background either way; a rejection of theirs in time is passed on.
 * The timer is cleared once they settle, so that a published event leaves none behind.
 */
export async function settledBeforeDeadline(effects: Promise<unknown>, deadline: number): Promise<boolean> {
  const timeLeft = deadline - Date.now() - ANSWER_MARGIN_MS;
  if (!Number.isFinite(timeLeft)) {
    await effects;
    return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, timeLeft), false).unref();
  });
  try {
    return await Promise.race([effects.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where a decision is: each stage runs from its `enter()` to the next one's. */
export class DecisionStages {
  private stage = 'start';
  private enteredAt: number;
  private readonly spent: Record<string, number> = {};

  constructor(private readonly now: () => number = performance.now.bind(performance)) {
    this.enteredAt = now();
  }

  enter(stage: string): void {
    this.close();
    this.stage = stage;
  }

  get current(): string {
    return this.stage;
  }

  /** Milliseconds per stage so far, the current one included. */
  durations(): Record<string, number> {
    this.close();
    return { ...this.spent };
  }

  private close(): void {
    const at = this.now();
    this.spent[this.stage] = Math.round(((this.spent[this.stage] ?? 0) + at - this.enteredAt) * 10) / 10;
    this.enteredAt = at;
  }
}

export interface BudgetedResult<T> {
  readonly value: T;
  /** Milliseconds past the budget when the work finished (synchronous work the timer could not stop); 0 in time. */
  readonly overranBy: number;
}

/**
 * A decision's time budget, from when it is made: its deadline, where the decision is (`stages`),
 * and the signal that tells its work to stop. The signal is made when first asked for: a decision
 * that waits for nothing (a clean message, the policy in force) never needs one.
 */
export class TimeBudget {
  /** When the budget runs out (epoch ms): side effects of a decision already made must not outlast it. */
  readonly deadline: number;
  private readonly startedAt = performance.now();
  private controller: AbortController | undefined;

  constructor(
    readonly budgetMs: number,
    readonly stages: DecisionStages = new DecisionStages(),
  ) {
    this.deadline = Date.now() + budgetMs;
  }

  /** Aborted when the budget runs out; long work should stop when it fires. */
  get signal(): AbortSignal {
    return (this.controller ??= new AbortController()).signal;
  }

  /** Milliseconds past the budget so far; 0 within it. */
  overrun(): number {
    return Math.max(0, performance.now() - this.startedAt - this.budgetMs);
  }

  /** Milliseconds left; 0 once the budget has run out. */
  remaining(): number {
    return Math.max(0, this.budgetMs - (performance.now() - this.startedAt));
  }

  /** Ends the budget: the signal (even one asked for later) is aborted with the error returned. */
  expire(): BudgetExceededError {
    const error = new BudgetExceededError(this.budgetMs, this.stages.current, this.stages.durations());
    (this.controller ??= new AbortController()).abort(error);
    return error;
  }
}

/**
 * The outcome of work started under `budget`. A value (the work waited for nothing) is the answer
 * as it is, without a timer or a promise, since no timer could have stopped it; a promise is raced
 * against what is left of the budget.
 */
export function withinBudget<T>(budget: TimeBudget, outcome: T | Promise<T>): BudgetedResult<T> | Promise<BudgetedResult<T>> {
  if (outcome instanceof Promise) return raceBudget(budget, outcome);
  return { value: outcome, overranBy: budget.overrun() };
}

async function raceBudget<T>(budget: TimeBudget, outcome: Promise<T>): Promise<BudgetedResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(budget.expire()), budget.remaining());
  });
  try {
    const value = await Promise.race([outcome, overrun]);
    return { value, overranBy: budget.overrun() };
  } finally {
    clearTimeout(timer);
  }
}
