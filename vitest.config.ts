import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The same rule as scripts/build.mjs: one (ESM) graphql. Vitest loads graphql-armor's CommonJS
    // build, whose `require('graphql/language/parser')` reaches graphql's CommonJS files while
    // everything else has the ESM ones: two GraphQLError classes, and every syntax error became a 500.
    alias: [
      {
        find: /^@escape\.tech\/(graphql-armor-[a-z-]+)$/,
        replacement: '@escape.tech/$1/dist/$1.esm.js',
      },
      { find: /^graphql\/language\/parser$/, replacement: 'graphql/language/parser.mjs' },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Suites start their own emulator and server on loopback port 0, so files can run in parallel.
    pool: 'forks',
    // Inline the GraphQL stack so every package shares one ESM copy of `graphql`; otherwise Node's CJS
    // and Vite's ESM copies meet and graphql throws "from another module or realm".
    server: {
      deps: {
        inline: [
          /@escape\.tech/,
          /@pothos/,
          /graphql-scalars/,
          /graphql-yoga/,
          /@graphql-tools/,
          /@envelop/,
          /graphql-ws/,
        ],
      },
    },
  },
});
