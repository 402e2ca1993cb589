/**
 * Races a decision against its time budget, the way middy races `timeoutEarlyInMillis`: when the
 * budget runs out the work is told to stop through its AbortSignal and the caller gets
 * BudgetExceededError at once, so OpenIM is answered long before its own timeout.
 *
 * A timer cannot interrupt synchronous work, so a decision can also finish late; the race then
 * returns its (correct) result and the caller learns of the overrun from `overranBy`. Either way
 * the decision's stages say where the time went.
 *
 * Per decision this costs one deadline in a shared timer (deadline-timers.ts) and one promise: no
 * timer of its own, and no AbortController unless the work asks for the signal.
 */
import { DeadlineTimers } from './deadline-timers.ts';
import { BudgetExceededError } from './errors.ts';

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

/** What the work gets: when its budget runs out, and a signal that fires then. */
export interface Budget {
  /** Epoch milliseconds at which the budget runs out. */
  readonly deadline: number;
  /** Aborted with the BudgetExceededError when the budget runs out; made when first read. */
  readonly signal: AbortSignal;
}

const budgetTimers = new DeadlineTimers();

export function withinBudget<T>(
  work: (budget: Budget) => Promise<T>,
  budgetMs: number,
  stages: DecisionStages = new DecisionStages(),
): Promise<BudgetedResult<T>> {
  const startedAt = performance.now();
  let controller: AbortController | undefined;
  let overrun: BudgetExceededError | undefined;
  const budget: Budget = {
    deadline: Date.now() + budgetMs,
    get signal() {
      if (!controller) {
        controller = new AbortController();
        if (overrun) controller.abort(overrun);
      }
      return controller.signal;
    },
  };
  return new Promise<BudgetedResult<T>>((resolve, reject) => {
    // A promise settles once: when the budget has run out first, a result that comes later is dropped.
    const deadline = budgetTimers.set(budgetMs, () => {
      overrun = new BudgetExceededError(budgetMs, stages.current, stages.durations());
      controller?.abort(overrun);
      reject(overrun);
    });
    let running: Promise<T>;
    try {
      running = work(budget);
    } catch (error) {
      deadline.done();
      reject(error as Error);
      return;
    }
    running.then(
      (value) => {
        deadline.done();
        resolve({ value, overranBy: Math.max(0, performance.now() - startedAt - budgetMs) });
      },
      (error: unknown) => {
        deadline.done();
        reject(error as Error);
      },
    );
  });
}
