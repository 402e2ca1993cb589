import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Node 20 is the project's fixed runtime; the SDK's notice about Node 22 is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    hookTimeout: 60_000,
    // Integration suites start real servers; two cores cannot run many at once. `npm test` runs
    // the CDK tests (long synchronous synths) after the rest, so that the two never compete.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
