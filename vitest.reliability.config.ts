import { defineConfig } from 'vitest/config';

// `npm run test:reliability`: the load, fault and bad-input suites in tests/reliability. Files run one
// at a time (the load test needs the machine to itself, and several start child processes), with
// generous timeouts for a slow shared 2-core machine.
export default defineConfig({
  test: {
    include: ['tests/reliability/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 240_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
