import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Suites start their own emulator and server on loopback port 0, so files can run in parallel.
    pool: 'forks',
    // Inline the GraphQL stack so every package shares one ESM copy of `graphql`; otherwise Node's CJS
    // and Vite's ESM copies meet and graphql throws "from another module or realm".
    server: {
      deps: { inline: [/@pothos/, /graphql-scalars/, /graphql-yoga/, /@graphql-tools/, /@envelop/] },
    },
  },
});
