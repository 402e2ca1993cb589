import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const networkGuard = fileURLToPath(new URL('./test/setup/network-guard.mjs', import.meta.url));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start real servers; two cores cannot run many at once. `npm test` runs
    // the CDK tests (long synchronous synths) after the rest, so that the two never compete.
    maxWorkers: 2,
    minWorkers: 1,
    // Hermetic: the guard refuses any host but this machine, in the test workers and (through
    // NODE_OPTIONS) in every Node process they start; a test that tried fails.
    // Output: log lines written straight to stdout/stderr reach the runner as console output.
    setupFiles: ['test/setup/network-guard-hooks.ts', 'test/setup/output-through-console.ts'],
    // Temporary files under one directory of the run's own, removed at its end.
    globalSetup: ['test/setup/scratch-tmpdir.ts'],
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import "${networkGuard}"`.trim() },
    // Log lines of passing tests are noise; a failing test's are printed with it (the processes a
    // test starts are piped into the test, never onto the terminal).
    silent: 'passed-only',
  },
});
