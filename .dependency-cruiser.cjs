/**
 * The layers of src/, and the rule that imports only run down them: `npm run lint` (so CI) fails otherwise.
 *
 * A request flows top to bottom; a file may import from its own layer and any layer below it:
 *
 *   main.ts, config.ts, heap.ts   the process: reads the environment, starts everything (and the emulator)
 *   http/                         yoga factory, routes (/health, /ready, /metrics), error policy, GraphiQL
 *   schema/                       the Pothos schema: types, queries, mutations, input validation
 *   auth/ security/ observability/  the yoga plugins (caller, scopes, limits, logs, metrics, traces);
 *                                 mounted by http/, consulted by schema/, so below both
 *   loaders/                      per-request DataLoaders
 *   live/                         work that outlives a request: delivery polls, export readiness
 *   upstream/                     state shared across requests and replicas: cache, in-flight sharing,
 *                                 rate-limit scheduler, memory and Redis stores, the client pool
 *   onesignal/                    the typed REST client: wire types, one module per resource, transport
 *   core/                         errors and ids every layer speaks; imports nothing of ours
 *
 * `emulator/` is a sibling, not a layer: a stand-in for OneSignal that only main.ts starts. It shares
 * one file with the client, OneSignal's documented rate limits (onesignal/limits.ts), so that the
 * limits we pace by and the limits we are tested against are the same table.
 *
 * test/lint/layers.test.ts proves each rule fails on a deliberate violation.
 */

/** What each layer may import from src/ besides itself. */
const LAYERS = {
  http: ['schema', 'auth', 'security', 'observability', 'loaders', 'live', 'upstream', 'onesignal', 'core'],
  schema: ['auth', 'security', 'observability', 'loaders', 'live', 'upstream', 'onesignal', 'core'],
  auth: ['security', 'observability', 'loaders', 'live', 'upstream', 'onesignal', 'core'],
  security: ['auth', 'observability', 'loaders', 'live', 'upstream', 'onesignal', 'core'],
  observability: ['auth', 'security', 'loaders', 'live', 'upstream', 'onesignal', 'core'],
  loaders: ['upstream', 'onesignal', 'core'],
  live: ['upstream', 'onesignal', 'core'],
  upstream: ['onesignal', 'core'],
  onesignal: ['core'],
  core: [],
};

const layerRules = Object.entries(LAYERS).map(([layer, below]) => ({
  name: `${layer}-imports-only-down`,
  comment: below.length
    ? `src/${layer}/ may import only from itself and the layers below it: ${below.join(', ')}.`
    : `src/${layer}/ imports nothing of ours, so every layer can speak it.`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: {
    path: '^src/',
    pathNot: `^src/(${[layer, ...below].join('|')})/`,
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles between files of ours: each file can be read knowing only what it imports.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'nothing-imports-the-process',
      comment: 'main.ts, config.ts and heap.ts sit above every layer: only main.ts imports the other two.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^src/(main|config|heap)\\.ts$' },
    },
    {
      name: 'only-main-starts-the-emulator',
      comment: 'The emulator is a sibling that only the entry point starts; no layer depends on it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(main\\.ts$|emulator/)' },
      to: { path: '^src/emulator/' },
    },
    {
      name: 'emulator-stands-apart',
      comment:
        "The emulator follows OneSignal's documentation, not our client: it imports nothing of ours but the table of OneSignal's documented rate limits.",
      severity: 'error',
      from: { path: '^src/emulator/' },
      to: { path: '^src/', pathNot: '^src/(emulator/|onesignal/limits\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type from a higher layer is still a dependency on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs'],
    },
  },
};
