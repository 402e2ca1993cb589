import { describe, expect, it } from 'vitest';
import { restartDelayMs } from '../../local/restart-backoff.ts';

describe('Function: restartDelayMs()', () => {
  const backoff = { initialMs: 500, maxMs: 4_000, stableAfterMs: 60_000 };

  it.each([
    { case: 'the first death', deaths: 1, delay: 500 },
    { case: 'the second in a row', deaths: 2, delay: 1_000 },
    { case: 'the fourth in a row', deaths: 4, delay: 4_000 },
    { case: 'many in a row', deaths: 40, delay: 4_000 },
  ])('waits $delay ms after $case', ({ deaths, delay }) => {
    // Assess
    expect(restartDelayMs(backoff, deaths)).toBe(delay);
  });
});
