import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start real servers; two cores cannot run many at once. `npm test` runs
    // the CDK tests (long synchronous synths) after the rest, so that the two never compete.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
