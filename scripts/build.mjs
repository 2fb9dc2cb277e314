/**
 * Builds what `npm start` runs: `dist/main.mjs` plus lazily loaded chunks (the emulator, GraphiQL),
 * and `dist/emulator.mjs`, the emulator alone.
 *
 * Bundled because start-up is part of the product (ready in well under a second), but with one rule
 * the bundler does not give by itself: exactly one copy of graphql. graphql 16 ships CommonJS (`.js`)
 * and ESM (`.mjs`) side by side without an `exports` map, so `import 'graphql'` and a CommonJS
 * package's `require('graphql/language/parser')` land in different files. Two copies mean two
 * `GraphQLError` classes, and an error from one fails `instanceof` in the other: every syntax error
 * then surfaced as a masked HTTP 500. Every `graphql` and `graphql/…` import is resolved here to the
 * ESM file, which the artifact tests (test/artifact/) check on the built output.
 *
 * Plain `.mjs` so it runs under `node` with nothing compiled first (esbuild is the only tool it needs).
 */
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const graphqlRoot = dirname(createRequire(join(root, 'package.json')).resolve('graphql/package.json'));

/** `graphql`, `graphql/language`, `graphql/language/parser(.js|.mjs)` → the one ESM file. */
function graphqlEsmFile(specifier) {
  const sub = specifier
    .slice('graphql'.length)
    .replace(/^\//, '')
    .replace(/\.m?js$/, '');
  const base = sub ? join(graphqlRoot, sub) : join(graphqlRoot, 'index');
  for (const candidate of [`${base}.mjs`, join(base, 'index.mjs')])
    if (existsSync(candidate)) return candidate;
  return undefined;
}

const oneGraphql = {
  name: 'one-graphql',
  setup(b) {
    b.onResolve({ filter: /^graphql(\/.*)?$/ }, (args) => {
      const file = graphqlEsmFile(args.path);
      if (!file) return { errors: [{ text: `graphql has no ESM file for "${args.path}"` }] };
      return { path: file };
    });
  },
};

/**
 * Escapes the non-ASCII characters left in the output. esbuild writes strings, identifiers and
 * regular expressions as ASCII already (its default charset), so what remains is in comments (a
 * "§" or a "’" in a dependency's): one is enough for V8 to hold the whole file's source, which it
 * keeps for lazy compilation, at two bytes a character. That was 7.4 MB of a server's heap for the
 * 3.7 MB main.mjs; all ASCII, it is 3.7 MB. test/artifact/ checks the output is ASCII.
 */
function asciiOnly(dir) {
  for (const entry of readdirSync(dir, { recursive: true })) {
    const file = join(dir, String(entry));
    if (!file.endsWith('.mjs')) continue;
    const text = readFileSync(file, 'utf8');
    const ascii = text.replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    if (ascii !== text) writeFileSync(file, ascii);
  }
}

// Built beside dist/ and swapped in at the end, so a server started meanwhile (tests run builds and
// servers side by side) never finds a half-written dist/.
const fresh = join(root, `dist.building-${process.pid}`);
rmSync(fresh, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // The server, and the emulator on its own for deployments that run it as a separate service
  // (compose.yaml); they share chunks.
  entryPoints: { main: 'src/main.ts', emulator: 'src/emulator/main.ts' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // ESM entry points first: graphql reached through CommonJS getters is measurably slower.
  mainFields: ['module', 'main'],
  outdir: fresh,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  // Some bundled CommonJS packages call `require` for Node built-ins.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  plugins: [oneGraphql],
});
asciiOnly(fresh);
// `bin` (npx onesignal-graphql) runs the file itself.
for (const entry of ['main', 'emulator']) chmodSync(join(fresh, `${entry}.mjs`), 0o755);
const old = join(root, `dist.old-${process.pid}`);
if (existsSync(join(root, 'dist'))) renameSync(join(root, 'dist'), old);
renameSync(fresh, join(root, 'dist'));
rmSync(old, { recursive: true, force: true });
