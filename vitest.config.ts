import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    alias: {
      // graphql 16 ships index.js and index.mjs without an `exports` map. Node (and so
      // @apollo/server, loaded by Node) resolves `graphql` to index.js, while Vite would
      // pick index.mjs for our sources: two copies, and `instanceof GraphQLError` fails
      // across them. Point Vite at the file Node uses, so tests run what production runs.
      graphql: require.resolve('graphql'),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
