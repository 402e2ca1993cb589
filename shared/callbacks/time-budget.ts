/**
 * Races a decision against its time budget, the way middy races `timeoutEarlyInMillis`: when the
 * budget runs out the work is told to stop through its AbortSignal and the caller gets
 * BudgetExceededError at once, so OpenIM is answered long before its own timeout.
 */
import { BudgetExceededError } from './errors.ts';

export async function withinBudget<T>(work: (signal: AbortSignal) => Promise<T>, budgetMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new BudgetExceededError(budgetMs);
      controller.abort(error);
      reject(error);
    }, budgetMs);
  });
  try {
    return await Promise.race([work(controller.signal), overrun]);
  } finally {
    clearTimeout(timer);
  }
}
