import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The load, fault and bad-input suites run on their own: npm run test:reliability. The PostgreSQL
    // tests need a server: npm run test:postgres (vitest.postgres.config.ts) starts one.
    exclude: [...configDefaults.exclude, 'tests/reliability/**', 'tests/postgres/**'],
    globalSetup: ['tests/helpers/postgres-not-run-note.ts'],
    // Real SQLite files and loopback servers: give slow shared machines some room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
