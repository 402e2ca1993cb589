import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '#shared/callbacks/errors.ts';
import { DecisionStages, withinBudget } from '#shared/callbacks/time-budget.ts';

describe('Function: withinBudget()', () => {
  it('returns the result, not late, when the work finishes in time', async () => {
    // Act
    const result = await withinBudget(async () => 'done', 100);

    // Assess
    expect(result).toEqual({ value: 'done', overranBy: 0 });
  });

  it('rejects with BudgetExceededError naming the stage it overran in, and aborts the work', async () => {
    // Prepare
    let aborted: unknown;
    const stages = new DecisionStages();
    const work = (signal: AbortSignal) =>
      new Promise<string>((resolve) => {
        stages.enter('publish');
        signal.addEventListener('abort', () => (aborted = signal.reason));
        setTimeout(() => resolve('late'), 1_000);
      });

    // Act
    const outcome = withinBudget(work, 20, stages);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(BudgetExceededError);
    await expect(outcome).rejects.toMatchObject({ stage: 'publish', stageMs: { publish: expect.any(Number) } });
    expect(aborted).toBeInstanceOf(BudgetExceededError);
  });

  it('reports synchronous work that ran past the budget as late, since no timer could stop it', async () => {
    // Prepare
    const stages = new DecisionStages();
    const work = async () => {
      stages.enter('scan');
      const until = performance.now() + 40;
      while (performance.now() < until); // a scan the event loop cannot interrupt
      return 'decided';
    };

    // Act
    const result = await withinBudget(work, 10, stages);

    // Assess
    expect(result.value).toBe('decided');
    expect(result.overranBy).toBeGreaterThan(0);
    expect(stages.current).toBe('scan');
    expect(stages.durations().scan).toBeGreaterThanOrEqual(30);
  });

  it('passes the work failure through unchanged', async () => {
    // Assess
    await expect(withinBudget(async () => Promise.reject(new Error('store down')), 100)).rejects.toThrow('store down');
  });
});
