import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The load, fault and bad-input suites run on their own: npm run test:reliability.
    exclude: [...configDefaults.exclude, 'tests/reliability/**'],
    // Real SQLite files and loopback servers: give slow shared machines some room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
