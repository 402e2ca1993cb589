/** The per-provider window of sends: how it grows, shrinks and pauses on what the provider answers. */
import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency } from '#shared/push/adaptive-concurrency.ts';
import { DeliveryOutcomeUnknownError, ProviderUnavailableError } from '#shared/push/errors.ts';

/** A clock the test moves: each send "takes" `latencyMs`. */
function clocked(latencyMs: number) {
  let now = 0;
  const window = new AdaptiveConcurrency({ initial: 8, max: 64, latencyTargetMs: 500, now: () => now });
  const answer = (outcome?: Error) =>
    window.run(async () => {
      now += latencyMs;
      if (outcome) throw outcome;
    });
  return { window, answer, advance: (ms: number) => (now += ms) };
}

describe('Class: AdaptiveConcurrency', () => {
  it('widens by one per answer within the latency target until the provider first pushes back', async () => {
    // Prepare
    const { window, answer } = clocked(50);

    // Act
    for (let i = 0; i < 10; i++) await answer();

    // Assess
    expect(window.limit).toBe(18);
  });

  it.each([
    { case: 'a 429/503', error: new ProviderUnavailableError('fcm', '429', { overloaded: true }), limit: 4 },
    { case: 'an answer that never came', error: new DeliveryOutcomeUnknownError('fcm', 'timeout'), limit: 4 },
    { case: 'a 500 that is no sign of load', error: new ProviderUnavailableError('fcm', '500'), limit: 8 },
  ])('halves only on overload, once per burst, when the provider answers $case', async ({ error, limit }) => {
    // Prepare
    const { window, answer } = clocked(10);

    // Act
    await Promise.allSettled([answer(error), answer(error), answer(error)]);

    // Assess
    expect(window.limit).toBe(limit);
  });

  it('narrows by a tenth when answers are slower than the target', async () => {
    // Prepare
    const { window, answer } = clocked(800);

    // Act
    await answer();

    // Assess
    expect(window.limit).toBe(7);
  });

  it('starts nothing new until the Retry-After has passed', async () => {
    // Prepare
    const window = new AdaptiveConcurrency({ initial: 8 });
    const throttled = new ProviderUnavailableError('fcm', '429', { overloaded: true, retryAfterMs: 300 });
    await window.run(() => Promise.reject(throttled)).catch(() => undefined);
    const paused = performance.now();

    // Act
    const startedAfter = await window.run(async () => performance.now() - paused);

    // Assess
    expect(startedAfter).toBeGreaterThanOrEqual(290);
  });
});
