/**
 * Races a decision against its time budget, the way middy races `timeoutEarlyInMillis`: when the
 * budget runs out the work is told to stop through its AbortSignal and the caller gets
 * BudgetExceededError at once, so OpenIM is answered long before its own timeout.
 *
 * A timer cannot interrupt synchronous work, so a decision can also finish late; the race then
 * returns its (correct) result and the caller learns of the overrun from `overranBy`. Either way
 * the decision's stages say where the time went.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { BudgetExceededError } from './errors.ts';

/**
 * How long before its deadline a decision whose effects are under way (an event being published)
 * stops waiting for them and answers: early enough that its answer, not the budget's fallback,
 * reaches OpenIM, so the answer matches what was done.
 */
export const ANSWER_MARGIN_MS = 20;

/**
 * Waits for `effects` until `deadline` (epoch ms) less ANSWER_MARGIN_MS; `false` if they had not
 * settled by then. They go on in the background either way.
 */
export async function settledBeforeDeadline(effects: Promise<unknown>, deadline: number): Promise<boolean> {
  const timeLeft = deadline - Date.now() - ANSWER_MARGIN_MS;
  if (!Number.isFinite(timeLeft)) {
    await effects;
    return true;
  }
  return Promise.race([effects.then(() => true), delay(Math.max(0, timeLeft), false, { ref: false })]);
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

export async function withinBudget<T>(
  work: (signal: AbortSignal) => Promise<T>,
  budgetMs: number,
  stages: DecisionStages = new DecisionStages(),
): Promise<BudgetedResult<T>> {
  const startedAt = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new BudgetExceededError(budgetMs, stages.current, stages.durations());
      controller.abort(error);
      reject(error);
    }, budgetMs);
  });
  try {
    const value = await Promise.race([work(controller.signal), overrun]);
    return { value, overranBy: Math.max(0, performance.now() - startedAt - budgetMs) };
  } finally {
    clearTimeout(timer);
  }
}
