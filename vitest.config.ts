import { defineConfig } from 'vitest/config';

// Tests run against the compiled packages (dist/), exactly as the workers and the CLI do:
// sandboxed processors are separate Node processes that load built JavaScript.
export default defineConfig({
  test: {
    include: ['packages/**/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default'],
  },
});
