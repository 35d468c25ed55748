import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/globalSetup.ts'],
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**', '.temporal/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: each file starts its own Temporal dev server and database.
    maxWorkers: 2,
    pool: 'forks',
  },
});
