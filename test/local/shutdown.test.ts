import { describe, expect, it, vi } from 'vitest';
import { createShutdown } from '../../local/shutdown.ts';

describe('Function: createShutdown()', () => {
  it('runs the steps last-added first, then exits with 0', async () => {
    // Prepare
    const calls: string[] = [];
    const shutdown = createShutdown({ deadlineMs: 1_000, exit: (code) => void calls.push(`exit ${code}`) });
    shutdown.onStop('stand-ins', () => void calls.push('stand-ins'));
    shutdown.onStop('workers', async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      calls.push('workers');
    });

    // Act
    await shutdown.stop('SIGINT');

    // Assess
    expect(calls).toEqual(['workers', 'stand-ins', 'exit 0']);
  });

  it('runs the steps once however often it is asked', async () => {
    // Prepare
    const exit = vi.fn();
    const step = vi.fn();
    const shutdown = createShutdown({ deadlineMs: 1_000, exit });
    shutdown.onStop('step', step);

    // Act
    await Promise.all([shutdown.stop('SIGINT'), shutdown.stop('SIGTERM'), shutdown.stop('SIGINT')]);

    // Assess
    expect(step).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledTimes(1);
  });

  it('runs the other steps and exits with 1 when a step fails', async () => {
    // Prepare
    const calls: string[] = [];
    const shutdown = createShutdown({ deadlineMs: 1_000, exit: (code) => void calls.push(`exit ${code}`) });
    shutdown.onStop('first', () => void calls.push('first'));
    shutdown.onStop('failing', () => {
      throw new Error('boom');
    });

    // Act
    await shutdown.stop('SIGTERM');

    // Assess
    expect(calls).toEqual(['first', 'exit 1']);
  });

  it('exits with 1 when a step outlasts the deadline', async () => {
    // Prepare
    const calls: string[] = [];
    const shutdown = createShutdown({ deadlineMs: 50, exit: (code) => void calls.push(`exit ${code}`) });
    shutdown.onStop('hanging', () => new Promise<void>(() => {}));

    // Act
    void shutdown.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Assess
    expect(calls).toEqual(['exit 1']);
  });
});
