/**
 * bench/cpu-shares.ts on Linux's /proc: the CPU a named thread of the measured process used while
 * it was measured is reported under its name, and an idle one's is not taken for it.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { startCpuShares } from '../../bench/cpu-shares.ts';

/** A thread that keeps a core busy for `ms`, then waits until it is terminated. */
function busyThread(name: string, ms: number): Promise<Worker> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.postMessage('started');
     const until = Date.now() + ${ms};
     while (Date.now() < until);
     setInterval(() => undefined, 1000);`,
    { eval: true, name },
  );
  return new Promise((resolve) => worker.once('message', () => resolve(worker)));
}

describe.runIf(existsSync('/proc/self/stat'))('Function: startCpuShares()', () => {
  it('reports the CPU of the measured process\'s other threads by their name', async () => {
    // Prepare
    const idle = await busyThread('idle-thread', 0);
    const shares = startCpuShares(process.pid);
    const busy = await busyThread('busy-thread', 500);

    // Act
    await new Promise((resolve) => setTimeout(resolve, 600));
    const { threadsByName } = shares.finish()!;
    await Promise.all([busy.terminate(), idle.terminate()]);

    // Assess: about 500 ms of a 600 ms window is ~80% of a core; idle, next to nothing.
    expect(threadsByName['busy-thread']).toBeGreaterThan(50);
    expect(threadsByName['idle-thread'] ?? 0).toBeLessThan(10);
  });
});
