import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Suites start their own emulator and server on loopback port 0, so files can run in parallel.
    pool: 'forks',
  },
});
