import { afterEach, describe, expect, it, vi } from 'vitest';
import { BudgetExceededError } from '#shared/callbacks/errors.ts';
import { ANSWER_MARGIN_MS, DecisionStages, settledBeforeDeadline, TimeBudget, withinBudget } from '#shared/callbacks/time-budget.ts';

const busyFor = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until); // work the event loop cannot interrupt
};

describe('Function: withinBudget()', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('returns the result, not late, when the work finishes in time', async () => {
    // Act
    const result = await withinBudget(new TimeBudget(100), Promise.resolve('done'));

    // Assess
    expect(result).toEqual({ value: 'done', overranBy: 0 });
  });

  it('answers a decision that waited for nothing at once: no promise, no timer, no abort signal made', () => {
    // Prepare
    vi.useFakeTimers();
    const budget = new TimeBudget(100);

    // Act
    const result = withinBudget(budget, 'continue');

    // Assess
    expect(result).toEqual({ value: 'continue', overranBy: 0 });
    expect(vi.getTimerCount()).toBe(0);
    expect(Object.getOwnPropertyDescriptor(budget, 'controller')?.value).toBeUndefined();
  });

  it('rejects with BudgetExceededError naming the stage it overran in, and aborts the work', async () => {
    // Prepare
    let aborted: unknown;
    const budget = new TimeBudget(20, new DecisionStages());
    const work = new Promise<string>((resolve) => {
      budget.stages.enter('publish');
      budget.signal.addEventListener('abort', () => (aborted = budget.signal.reason));
      setTimeout(() => resolve('late'), 1_000);
    });

    // Act
    const outcome = withinBudget(budget, work);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(BudgetExceededError);
    await expect(outcome).rejects.toMatchObject({ stage: 'publish', stageMs: { publish: expect.any(Number) } });
    expect(aborted).toBeInstanceOf(BudgetExceededError);
  });

  it('counts the budget from its start, not from when the work handed over its promise', async () => {
    // Prepare: 30 ms of synchronous work before the work starts waiting for something that never comes
    const budget = new TimeBudget(50);
    busyFor(30);
    const started = performance.now();

    // Act
    const outcome = withinBudget(budget, new Promise<string>(() => undefined));

    // Assess: abandoned at the budget's own deadline, ~20 ms later, not 50
    await expect(outcome).rejects.toBeInstanceOf(BudgetExceededError);
    expect(performance.now() - started).toBeLessThan(45);
  });

  it('gives a signal first asked for after the budget ran out already aborted', async () => {
    // Prepare
    const budget = new TimeBudget(10);
    const outcome = withinBudget(budget, new Promise<string>(() => undefined));
    await expect(outcome).rejects.toBeInstanceOf(BudgetExceededError);

    // Act
    const { signal } = budget;

    // Assess
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(BudgetExceededError);
  });

  it('reports synchronous work that ran past the budget as late, since no timer could stop it', () => {
    // Prepare
    const budget = new TimeBudget(10, new DecisionStages());
    budget.stages.enter('scan');
    busyFor(40);

    // Act
    const result = withinBudget(budget, 'decided');

    // Assess
    expect(result).toMatchObject({ value: 'decided', overranBy: expect.any(Number) });
    expect((result as { overranBy: number }).overranBy).toBeGreaterThan(0);
    expect(budget.stages.current).toBe('scan');
    expect(budget.stages.durations().scan).toBeGreaterThanOrEqual(30);
  });

  it('reports asynchronous work whose synchronous part ran past the budget as late, not abandoned', async () => {
    // Prepare: the result is ready in the same turn, before any timer could fire
    const budget = new TimeBudget(10);
    busyFor(30);

    // Act
    const result = await withinBudget(budget, Promise.resolve('decided'));

    // Assess
    expect(result.value).toBe('decided');
    expect(result.overranBy).toBeGreaterThan(0);
  });

  it('passes the work failure through unchanged', async () => {
    // Assess
    await expect(withinBudget(new TimeBudget(100), Promise.reject(new Error('store down')))).rejects.toThrow('store down');
  });

  it('abandons a shorter budget set after a longer one at its own deadline', async () => {
    // Prepare
    const never = new Promise<string>(() => undefined);
    const long = withinBudget(new TimeBudget(2_000), never);
    (long as Promise<unknown>).catch(() => undefined);
    const started = performance.now();

    // Act
    const short = withinBudget(new TimeBudget(30), never);

    // Assess
    await expect(short).rejects.toMatchObject({ budgetMs: 30 });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('abandons every decision still running when their deadlines fall due, and none that finished', async () => {
    // Prepare
    const outcomes = Array.from({ length: 50 }, (_, index) =>
      Promise.resolve(
        withinBudget(new TimeBudget(20), new Promise<number>((resolve) => (index % 2 === 0 ? resolve(index) : setTimeout(() => resolve(index), 300)))),
      ).then(
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

describe('Function: settledBeforeDeadline()', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers true once the effects have settled, and leaves no timer behind', async () => {
    // Prepare
    vi.useFakeTimers();

    // Act
    const settled = await settledBeforeDeadline(Promise.resolve('published'), Date.now() + 300);

    // Assess
    expect(settled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('answers false at the deadline less the answer margin while the effects go on', async () => {
    // Prepare
    vi.useFakeTimers();
    const outcome = settledBeforeDeadline(new Promise(() => undefined), Date.now() + 300);

    // Act
    await vi.advanceTimersByTimeAsync(300 - ANSWER_MARGIN_MS);

    // Assess
    await expect(outcome).resolves.toBe(false);
  });
});
