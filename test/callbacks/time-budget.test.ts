import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '#shared/callbacks/errors.ts';
import { withinBudget } from '#shared/callbacks/time-budget.ts';

describe('Function: withinBudget()', () => {
  it('returns the result when the work finishes in time', async () => {
    // Act
    const result = await withinBudget(async () => 'done', 100);

    // Assess
    expect(result).toBe('done');
  });

  it('rejects with BudgetExceededError and aborts the work when it overruns', async () => {
    // Prepare
    let aborted: unknown;
    const work = (signal: AbortSignal) =>
      new Promise<string>((resolve) => {
        signal.addEventListener('abort', () => (aborted = signal.reason));
        setTimeout(() => resolve('late'), 1_000);
      });

    // Act
    const outcome = withinBudget(work, 20);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(BudgetExceededError);
    expect(aborted).toBeInstanceOf(BudgetExceededError);
  });

  it('passes the work failure through unchanged', async () => {
    // Assess
    await expect(withinBudget(async () => Promise.reject(new Error('store down')), 100)).rejects.toThrow('store down');
  });
});
