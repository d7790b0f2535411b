import { defineConfig } from 'vitest/config';

// `npm run test:postgres`: the PostgreSQL tests in tests/postgres, against the throw-away cluster
// scripts/postgres-test-cluster.mjs starts (it sets DATABASE_URL and removes the cluster afterwards).
// `npm test` leaves these out, so it needs no PostgreSQL. Each file takes databases of its own.
export default defineConfig({
  test: {
    include: ['tests/postgres/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
