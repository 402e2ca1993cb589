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

  it('abandons a shorter budget set after a longer one at its own deadline', async () => {
    // Prepare
    const never = () => new Promise<string>(() => undefined);
    const long = withinBudget(never, 2_000);
    long.catch(() => undefined);
    const started = performance.now();

    // Act
    const short = withinBudget(never, 30);

    // Assess
    await expect(short).rejects.toMatchObject({ budgetMs: 30 });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('abandons every decision still running when their deadlines fall due, and none that finished', async () => {
    // Prepare
    const outcomes = Array.from({ length: 50 }, (_, index) =>
      withinBudget(() => new Promise<number>((resolve) => (index % 2 === 0 ? resolve(index) : setTimeout(() => resolve(index), 300))), 20).then(
        (result) => ({ index, ok: true as const, value: result.value }),
        (error: unknown) => ({ index, ok: false as const, error }),
      ),
    );

    // Act
    const settled = await Promise.all(outcomes);

    // Assess
    for (const outcome of settled) {
      if (outcome.index % 2 === 0) expect(outcome).toMatchObject({ ok: true, value: outcome.index });
      else expect(outcome).toMatchObject({ ok: false, error: expect.any(BudgetExceededError) });
    }
  });
});
