/**
 * `npm run bench`: the layer's cost. The GraphQL server against direct REST calls, as three separate
 * processes on loopback, so every figure belongs to the process it names:
 *
 * - emulator: `tsx src/emulator/main.ts --latency-ms 20` (20 ms per request stands in for the network
 *   to OneSignal);
 * - GraphQL server: the production bundle, `npm run build` then `node dist/main.mjs` (NODE_ENV=production,
 *   every other setting at its default), pointed at the emulator; `BENCH_SKIP_BUILD=1` uses dist/ as it is;
 * - this process: only generates load (fetch) and reads the emulator's `/__emulator/stats`.
 *
 * It repeats everything for each key configuration a user can choose: the organization key only
 * (ONESIGNAL_USER_AUTH_KEY; the server looks each app's REST key up once with a get_app, as a
 * hand-written client must), the app keys only (ONESIGNAL_APP_KEYS; app settings such as its name need
 * the organization key, so operations that read them run without those fields, marked †), and both.
 * Per configuration and operation it prints:
 *
 * - upstream requests of the GraphQL operation, on a fresh server (first request, which includes the
 *   key look-up) and after warm-up (then), beside the floor: the fewest direct REST calls for the
 *   same data, plus the one-time get_app for the key where only the organization key is known;
 * - uncached, with `CACHE=off` (the shared read cache is on by default; identical reads in flight are
 *   still joined, which sequential requests never are): sequential p50/p99 of GraphQL and direct REST,
 *   alternating, and the overhead at p50; then p50/p99/throughput at 50 concurrent connections, the
 *   upstream requests per GraphQL request under that load, the server's peak RSS and CPU ms/request;
 * - a cached repeat, on a second server with the cache at its default (on): each read operation once,
 *   then again; the upstream requests of the repeat and its sequential p50 (mutations are never cached);
 * - ready time, spawn → first /health 200, over every server it starts.
 *
 * It ends with one row per target across the configurations, PASS or FAIL; a FAIL does not change the
 * exit code, an error or the watchdog does. Every loop is bounded in count and time; children are
 * killed on exit, error or signal.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { DEMO, demoAppKeys } from '../src/emulator/index.js';
import {
  type Child as BaseChild,
  freePort,
  runningChildren,
  sleep,
  spawnChild,
  stopChild,
} from './lib/children.js';

const HOST = '127.0.0.1';
const LATENCY_MS = 20;
/** Per operation and server, before measuring: the server's JIT needs a few hundred requests to settle. */
const WARMUP_RUNS = 30;
const SEQUENTIAL_RUNS = 50;
/** Timed cached repeats per read operation. */
const CACHED_RUNS = 20;
const CONCURRENCY = 50;
const CONCURRENT_REQUESTS = 400;
const CONCURRENT_TIME_LIMIT_MS = 3_000;
const RSS_SAMPLE_MS = 50;
const START_TIMEOUT_MS = 20_000;
/** Hard stop for the whole bench (three configurations), whatever happens. */
const WATCHDOG_MS = 300_000;

const TARGET_OVERHEAD_MS = 2;
const TARGET_RSS_MB = 200;
const TARGET_READY_MS = 1_000;

const SHOP = (() => {
  const app = DEMO.apps[0];
  if (!app) throw new Error('the emulator has no demo app');
  return app;
})();

/** The key configurations a user can choose: what the server holds. */
interface KeyConfig {
  name: string;
  orgKey: boolean;
  appKeys: boolean;
}
const CONFIGURATIONS: KeyConfig[] = [
  { name: 'org key only', orgKey: true, appKeys: false },
  { name: 'app keys only', orgKey: false, appKeys: true },
  { name: 'both', orgKey: true, appKeys: true },
];

// --- Child processes --------------------------------------------------------------------------------

/** A child whose stdout and stderr are kept (bounded), for its start-up banner. */
interface Child extends BaseChild {
  output(): string;
}

function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawnChild(name, command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const append = (d: Buffer) => {
    if (out.length < 64_000) out += String(d);
  };
  child.proc.stdout?.on('data', append);
  child.proc.stderr?.on('data', append);
  return { ...child, output: () => out };
}

async function waitHealthy(child: Child, url: string, since: number, timeoutMs = START_TIMEOUT_MS) {
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  while (performance.now() - since < timeoutMs) {
    if (exited) throw new Error(`${child.name} exited before it was healthy:\n${child.output()}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) })
      .then(async (r) => {
        await r.arrayBuffer();
        return r.status === 200;
      })
      .catch(() => false);
    if (ok) return performance.now() - since;
    await sleep(2);
  }
  throw new Error(`${child.name} not healthy at ${url} within ${timeoutMs} ms:\n${child.output()}`);
}

function startEmulatorProcess(port: number) {
  return startChild(
    'emulator',
    'node_modules/.bin/tsx',
    ['src/emulator/main.ts', '--port', String(port), '--host', HOST, '--latency-ms', String(LATENCY_MS)],
    { ...process.env },
  );
}

function startServerProcess(port: number, emulatorUrl: string, config: KeyConfig, cache: 'on' | 'off') {
  // Nothing OneSignal-related leaks in from the caller's environment: the bench sets it all.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('ONESIGNAL_') && k !== 'CACHE'),
  );
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    PORT: String(port),
    HOST,
    ONESIGNAL_API_URL: emulatorUrl,
    ...(config.orgKey && { ONESIGNAL_USER_AUTH_KEY: DEMO.userAuthKey }),
    ...(config.appKeys && { ONESIGNAL_APP_KEYS: JSON.stringify(demoAppKeys()) }),
    // The layer's cost is measured uncached (every request reaches the upstream); the cached repeat
    // runs the default.
    ...(cache === 'off' && { CACHE: 'off' }),
    // Measured as deployed: production mode (graphql-js skips its development checks).
    NODE_ENV: 'production',
    // SERVER_NODE_OPTIONS tries V8 flags on the server alone, e.g. --max-semi-space-size=4 (less RSS, less throughput).
    NODE_OPTIONS: process.env.SERVER_NODE_OPTIONS ?? '',
    // Loopback-only benchmark against the emulator: caller authentication is not what is measured.
    AUTH_MODE: 'none',
    AUTH_ALLOW_NONE: 'true',
    // The emulator here enforces no rate limits, and this bench measures the layer, not OneSignal's
    // budgets (bench/faults.ts does): no pacing of views at OneSignal's 1/s.
    ONESIGNAL_RATE_LIMITS: 'off',
  };
  return startChild(`server (${config.name}, cache ${cache})`, process.execPath, ['dist/main.mjs'], env);
}

const readyLine = (child: Child) => /ready in (\d+) ms/.exec(child.output())?.[1];
const readyText = (child: Child) => /^.*ready in \d+ ms.*$/m.exec(child.output())?.[0]?.trim();

/** VmRSS / VmHWM of a process in MB, from /proc (Linux). */
function procMemMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** utime + stime of a process in ms, from /proc (Linux). */
function procCpuMs(pid: number): number {
  try {
    // Fields after the command name, which is parenthesised and may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

// --- Measurement ------------------------------------------------------------------------------------

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** GraphQL and REST alternately, one at a time, so drift hits both alike. */
async function sequential(a: () => Promise<unknown>, b: () => Promise<unknown>, runs: number) {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    ta.push(await timed(a));
    tb.push(await timed(b));
  }
  ta.sort((x, y) => x - y);
  tb.sort((x, y) => x - y);
  return {
    a: { p50: percentile(ta, 50), p99: percentile(ta, 99) },
    b: { p50: percentile(tb, 50), p99: percentile(tb, 99) },
  };
}

interface ConcurrentResult {
  p50: number;
  p99: number;
  rps: number;
  count: number;
  errors: number;
  firstError: string | undefined;
  /** Peak VmRSS of `rssPid` sampled during the phase, MB. */
  peakRssMb: number;
  /** CPU time `rssPid` spent per completed request during the phase, ms. */
  cpuMsPerRequest: number;
}

/** CONCURRENCY workers, each one request at a time, until `total` requests or the time limit. */
async function concurrent(fn: () => Promise<unknown>, total: number, rssPid?: number) {
  const times: number[] = [];
  let started = 0;
  let errors = 0;
  let firstError: string | undefined;
  let peakRssMb = rssPid ? procMemMb(rssPid, 'VmRSS') : Number.NaN;
  const sampler = rssPid
    ? setInterval(() => {
        peakRssMb = Math.max(peakRssMb, procMemMb(rssPid, 'VmRSS'));
      }, RSS_SAMPLE_MS)
    : undefined;
  const cpuBefore = rssPid ? procCpuMs(rssPid) : Number.NaN;
  const begin = performance.now();
  const deadline = begin + CONCURRENT_TIME_LIMIT_MS;
  const worker = async () => {
    while (started < total && performance.now() < deadline) {
      started++;
      const t0 = performance.now();
      try {
        await fn();
        times.push(performance.now() - t0);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message.slice(0, 200) : String(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    if (sampler) clearInterval(sampler);
  }
  if (rssPid) peakRssMb = Math.max(peakRssMb, procMemMb(rssPid, 'VmRSS'));
  const cpuMs = rssPid ? procCpuMs(rssPid) - cpuBefore : Number.NaN;
  const elapsed = (performance.now() - begin) / 1000;
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    rps: times.length / elapsed,
    count: times.length,
    errors,
    firstError,
    peakRssMb,
    cpuMsPerRequest: cpuMs / Math.max(1, times.length),
  } satisfies ConcurrentResult;
}

// --- Clients ----------------------------------------------------------------------------------------

function graphqlClient(url: string) {
  return async (query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
    if (res.status !== 200 || body.errors?.length)
      throw new Error(`GraphQL HTTP ${res.status}: ${JSON.stringify(body.errors ?? body)}`);
    return body.data as Record<string, unknown>;
  };
}

/** A plain REST call to the emulator, the way a hand-written client would make it. */
function restClient(baseUrl: string) {
  return async (method: 'GET' | 'POST', path: string, key: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Key ${key}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const data = (await res.json()) as unknown;
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(data)}`);
    return data as Record<string, unknown>;
  };
}

interface Stats {
  total: number;
  byOperation: Record<string, number>;
}

function emulatorHooks(baseUrl: string) {
  const call = async (method: string, path: string) => {
    const res = await fetch(`${baseUrl}${path}`, { method });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}`);
    return (await res.json()) as unknown;
  };
  return {
    stats: async () => (await call('GET', '/__emulator/stats')) as Stats,
    resetStats: async () => {
      await call('DELETE', '/__emulator/stats');
    },
    resetData: async () => {
      await call('POST', '/__emulator/reset');
    },
  };
}

/** Upstream requests that one call of `fn` causes, per OneSignal operation. */
async function upstreamCalls(emulator: ReturnType<typeof emulatorHooks>, fn: () => Promise<unknown>) {
  await emulator.resetStats();
  await fn();
  const stats = await emulator.stats();
  const detail = Object.entries(stats.byOperation)
    .map(([op, n]) => `${op}×${n}`)
    .join(' ');
  return { total: stats.total, detail };
}

// --- Operations -------------------------------------------------------------------------------------

interface Operation {
  name: string;
  /** Fewest direct REST calls that return the same data, once the app's REST key is known. */
  floor: number;
  floorDetail: string;
  /** Whether the floor already reads the app (get_app), which then also yields its REST key. */
  readsApp: boolean;
  /** Mutations are never cached. */
  read: boolean;
  graphql: () => Promise<unknown>;
  rest: () => Promise<unknown>;
  /** Sanity check of one GraphQL answer, so a wrong query cannot look fast. */
  check: (data: Record<string, unknown>) => string | undefined;
  /** Mutations run fewer times so the emulator's data stays small. */
  concurrentRequests?: number;
}

/**
 * The fewest upstream calls of a first request: a hand-written client holding only the organization
 * key must fetch the app's REST key (get_app) once before any call that needs it, unless it reads the
 * app anyway.
 */
const firstFloor = (op: Operation, config: KeyConfig) =>
  op.floor + (config.orgKey && !config.appKeys && !op.readsApp ? 1 : 0);

/** The bench's operations for one key configuration, sent to whichever server `target.url` names. */
function operations(target: { url: string }, emulatorUrl: string, tenIds: string[], config: KeyConfig) {
  const gql = (query: string, variables?: Record<string, unknown>) =>
    graphqlClient(target.url)(query, variables);
  const rest = restClient(emulatorUrl);
  const app = SHOP.id;
  const tenGlobalIds = tenIds.map((id) => Buffer.from(`Notification:${app}/${id}`).toString('base64url'));
  const getApp = () => rest('GET', `/apps/${app}`, DEMO.userAuthKey);
  const listNotifications = (limit: number) =>
    rest('GET', `/notifications?app_id=${app}&limit=${limit}&offset=0`, SHOP.restApiKey);
  const getSegments = () => rest('GET', `/apps/${app}/segments?limit=300&offset=0`, SHOP.restApiKey);
  const nodesOf = (data: Record<string, unknown>, field: string) =>
    ((data.app as Record<string, Record<string, unknown[]>> | null)?.[field]?.nodes ?? []) as Record<
      string,
      unknown
    >[];
  // App settings (its name) need the organization key, in GraphQL as in REST: without it those
  // operations leave them out (†), and so does their direct REST counterpart.
  const appFields = config.orgKey;
  const dagger = appFields ? '' : ' †';

  const ops: Operation[] = [
    {
      name: `50 notifications with their app${dagger}`,
      floor: appFields ? 2 : 1,
      floorDetail: appFields ? 'get_app ∥ get_notifications' : 'get_notifications',
      readsApp: appFields,
      read: true,
      graphql: () =>
        gql(
          appFields
            ? 'query($id: UUID!) { app(id: $id) { notifications(first: 50) { nodes { id app { name } successfulCount } } } }'
            : 'query($id: UUID!) { app(id: $id) { notifications(first: 50) { nodes { id successfulCount } } } }',
          { id: app },
        ),
      rest: () => (appFields ? Promise.all([getApp(), listNotifications(50)]) : listNotifications(50)),
      check: (d) => {
        const nodes = nodesOf(d, 'notifications');
        const named = nodes.filter((n) => (n.app as { name?: string } | null)?.name === SHOP.name).length;
        return nodes.length === 50 && (!appFields || named === 50)
          ? undefined
          : `${nodes.length} nodes, ${named} with app name`;
      },
    },
    {
      name: `app + 50 notifications w/ stats${dagger}`,
      floor: appFields ? 2 : 1,
      floorDetail: appFields ? 'get_app ∥ get_notifications' : 'get_notifications',
      readsApp: appFields,
      read: true,
      graphql: () =>
        gql(
          `query($id: UUID!) { app(id: $id) { ${appFields ? 'name ' : ''}notifications(first: 50) { totalCount nodes { id successfulCount failedCount convertedCount platformDeliveryStats { platform successfulCount } } } } }`,
          { id: app },
        ),
      rest: () => (appFields ? Promise.all([getApp(), listNotifications(50)]) : listNotifications(50)),
      check: (d) => {
        const n = nodesOf(d, 'notifications').length;
        const named = !appFields || (d.app as { name?: string } | null)?.name === SHOP.name;
        return n === 50 && named ? undefined : `${n} nodes, app name ${named ? 'right' : 'wrong'}`;
      },
    },
    {
      name: '10 notifications by node id',
      floor: 10,
      floorDetail: 'get_notification ×10 ∥',
      readsApp: false,
      read: true,
      graphql: () =>
        gql(
          'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Notification { oneSignalId successfulCount } } }',
          { ids: tenGlobalIds },
        ),
      rest: () =>
        Promise.all(tenIds.map((id) => rest('GET', `/notifications/${id}?app_id=${app}`, SHOP.restApiKey))),
      check: (d) => {
        const nodes = (d.nodes ?? []) as ({ oneSignalId?: string } | null)[];
        const found = nodes.filter((n) => n?.oneSignalId).length;
        return found === 10 ? undefined : `${found} of 10 found`;
      },
    },
    {
      name: `app + segments${dagger}`,
      floor: appFields ? 2 : 1,
      floorDetail: appFields ? 'get_app ∥ get_segments' : 'get_segments',
      readsApp: appFields,
      read: true,
      graphql: () =>
        gql(
          `query($id: UUID!) { app(id: $id) { ${appFields ? 'name ' : ''}segments { totalCount nodes { name readOnly } } } }`,
          { id: app },
        ),
      rest: () => (appFields ? Promise.all([getApp(), getSegments()]) : getSegments()),
      check: (d) => {
        const n = nodesOf(d, 'segments').length;
        return n > 0 ? undefined : 'no segments';
      },
    },
    {
      name: 'notificationCreate',
      floor: 1,
      floorDetail: 'create_notification',
      readsApp: false,
      read: false,
      graphql: () =>
        gql(
          'mutation($input: NotificationCreateInput!) { notificationCreate(input: $input) { __typename ... on NotificationCreatePayload { oneSignalId recipientCount } } }',
          {
            input: {
              appId: app,
              contents: [{ language: 'en', text: 'Bench' }],
              includedSegments: ['Subscribed Users'],
            },
          },
        ),
      rest: () =>
        rest('POST', '/notifications', SHOP.restApiKey, {
          app_id: app,
          contents: { en: 'Bench' },
          included_segments: ['Subscribed Users'],
          idempotency_key: randomUUID(),
        }),
      check: (d) => {
        const p = d.notificationCreate as { __typename?: string; oneSignalId?: string } | null;
        return p?.oneSignalId ? undefined : `got ${JSON.stringify(p)}`;
      },
      concurrentRequests: 200,
    },
  ];
  return ops;
}

// --- Main -------------------------------------------------------------------------------------------

const f1 = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '–');
const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');
const signed = (ms: number) => (Number.isFinite(ms) ? `${ms >= 0 ? '+' : ''}${ms.toFixed(1)}` : '–');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (percentile(s, 50) + (s.length % 2 ? percentile(s, 50) : (s[s.length / 2] ?? Number.NaN))) / 2;
};

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** One timed series of `fn`, one call at a time. */
async function series(fn: () => Promise<unknown>, runs: number) {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) t.push(await timed(fn));
  t.sort((a, b) => a - b);
  return { p50: percentile(t, 50), p99: percentile(t, 99) };
}

interface OpResult {
  op: Operation;
  /** Upstream calls of the operation as a fresh server's first request. */
  firstCalls: { total: number; detail: string };
  gqlCalls: { total: number; detail: string };
  restCalls: { total: number; detail: string };
  seqGql: { p50: number; p99: number };
  seqRest: { p50: number; p99: number };
  conGql: ConcurrentResult;
  /** Upstream calls per completed GraphQL request during the concurrent phase. */
  conGqlUpstream: number;
  conRest: ConcurrentResult;
  cached?: { calls: { total: number; detail: string }; p50: number };
}

interface ConfigResult {
  config: KeyConfig;
  results: OpResult[];
  /** spawn → first /health 200, ms, per server started. */
  ready: number[];
  selfReported: number[];
  idleRssMb: number;
  hwmMb: number;
  rssEndMb: number;
}

type Log = (msg: string) => void;

/** Starts a server and waits until it is healthy; records its ready time. */
async function startServer(
  emulatorUrl: string,
  config: KeyConfig,
  cache: 'on' | 'off',
  ready: number[],
  selfReported: number[],
) {
  const port = await freePort();
  const start = performance.now();
  const child = startServerProcess(port, emulatorUrl, config, cache);
  try {
    ready.push(await waitHealthy(child, `http://${HOST}:${port}/health`, start));
    // The "ready in" line is printed right after listen; give stdout a moment to arrive.
    for (let j = 0; j < 50 && !readyLine(child); j++) await sleep(5);
    const own = readyLine(child);
    if (own) selfReported.push(Number(own));
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { child, url: `http://${HOST}:${port}/graphql` };
}

async function benchConfiguration(
  config: KeyConfig,
  emulatorUrl: string,
  emulator: ReturnType<typeof emulatorHooks>,
  log: Log,
): Promise<ConfigResult> {
  await emulator.resetData();
  const rest = restClient(emulatorUrl);
  const page = await rest('GET', `/notifications?app_id=${SHOP.id}&limit=10&offset=0`, SHOP.restApiKey);
  const tenIds = ((page.notifications ?? []) as { id: string }[]).map((n) => n.id);
  if (tenIds.length !== 10) throw new Error(`expected 10 demo notifications, got ${tenIds.length}`);
  const target = { url: '' };
  const ops = operations(target, emulatorUrl, tenIds, config);
  const ready: number[] = [];
  const selfReported: number[] = [];
  const runChecked = async (op: Operation) => {
    const problem = op.check((await op.graphql()) as Record<string, unknown>);
    if (problem) throw new Error(`${config.name}, ${op.name}: unexpected GraphQL answer: ${problem}`);
  };

  // First requests: each operation alone on a fresh uncached server, so it pays any key look-up.
  const firstCalls = new Map<Operation, { total: number; detail: string }>();
  for (const op of ops) {
    const server = await startServer(emulatorUrl, config, 'off', ready, selfReported);
    target.url = server.url;
    try {
      firstCalls.set(op, await upstreamCalls(emulator, () => runChecked(op)));
    } finally {
      await stopChild(server.child);
    }
  }

  // Uncached: sequential, then 50 connections, on one server at its defaults plus CACHE=off.
  const server = await startServer(emulatorUrl, config, 'off', ready, selfReported);
  target.url = server.url;
  log(
    `${config.name}: server pid ${server.child.pid}, CACHE=off (${readyText(server.child) ?? 'no ready line'})`,
  );
  const idleRssMb = procMemMb(server.child.pid, 'VmRSS');
  const results: OpResult[] = [];
  let hwmMb = Number.NaN;
  let rssEndMb = Number.NaN;
  try {
    for (const op of ops) {
      await runChecked(op);
      for (let i = 0; i < WARMUP_RUNS; i++) {
        await op.graphql();
        await op.rest();
      }
      const gqlCalls = await upstreamCalls(emulator, op.graphql);
      const restCalls = await upstreamCalls(emulator, op.rest);
      const seq = await sequential(op.graphql, op.rest, SEQUENTIAL_RUNS);
      const n = op.concurrentRequests ?? CONCURRENT_REQUESTS;
      await emulator.resetStats();
      const conGql = await concurrent(op.graphql, n, server.child.pid);
      const conGqlUpstream = (await emulator.stats()).total / Math.max(1, conGql.count);
      const conRest = await concurrent(op.rest, n);
      const first = firstCalls.get(op) ?? { total: Number.NaN, detail: '' };
      results.push({
        op,
        firstCalls: first,
        gqlCalls,
        restCalls,
        seqGql: seq.a,
        seqRest: seq.b,
        conGql,
        conGqlUpstream,
        conRest,
      });
      log(
        `${config.name}, ${op.name}: upstream ${first.total}·${gqlCalls.total} (floor ${firstFloor(op, config)}·${op.floor}); seq p50 ${f1(seq.a.p50)} vs ${f1(seq.b.p50)} ms; c${CONCURRENCY} ${f0(conGql.rps)} vs ${f0(conRest.rps)} req/s`,
      );
    }
    hwmMb = procMemMb(server.child.pid, 'VmHWM');
    rssEndMb = procMemMb(server.child.pid, 'VmRSS');
  } finally {
    await stopChild(server.child);
  }

  // Cached repeats: a second server with the cache at its default (on).
  const cachedServer = await startServer(emulatorUrl, config, 'on', ready, selfReported);
  target.url = cachedServer.url;
  try {
    for (const result of results) {
      if (!result.op.read) continue;
      await runChecked(result.op);
      const calls = await upstreamCalls(emulator, result.op.graphql);
      const { p50 } = await series(result.op.graphql, CACHED_RUNS);
      result.cached = { calls, p50 };
    }
  } finally {
    await stopChild(cachedServer.child);
  }
  log(`${config.name}: cached repeats done`);
  return { config, results, ready, selfReported, idleRssMb, hwmMb, rssEndMb };
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const upstreamText = (c: { total: number; detail: string }) =>
  `${c.total}${c.detail ? ` (${c.detail})` : ''}`;
const con = (c: ConcurrentResult) =>
  `${f1(c.p50)} / ${f1(c.p99)} @ ${f0(c.rps)}${c.errors ? ` (${c.errors} err)` : ''}`;
const overhead = (r: OpResult) => r.seqGql.p50 - r.seqRest.p50;
const atFloor = (r: OpResult, config: KeyConfig) =>
  r.gqlCalls.total <= r.op.floor && r.firstCalls.total <= firstFloor(r.op, config);

function report(all: ConfigResult[]) {
  for (const { config, results } of all) {
    console.log(`\n### ${config.name}\n`);
    console.log(
      `Uncached (CACHE=off): upstream requests, first on a fresh server · then after warm-up; sequential, ${SEQUENTIAL_RUNS} runs each after ${WARMUP_RUNS} warm-up, GraphQL and REST alternating; cached repeat on a second server with the cache on (default), p50 of ${CACHED_RUNS}; ms.\n`,
    );
    console.log(
      table(
        [
          'operation',
          'upstream req GQL (first · then)',
          'floor (first · then: minimal REST)',
          'GQL p50',
          'GQL p99',
          'REST p50',
          'REST p99',
          'overhead p50',
          'cached repeat: upstream',
          'cached repeat p50',
        ],
        results.map((r) => [
          r.op.name,
          `${r.firstCalls.total} · ${upstreamText(r.gqlCalls)}${atFloor(r, config) ? '' : ' ▲'}`,
          `${firstFloor(r.op, config)} · ${r.op.floor} (${r.op.floorDetail})${r.restCalls.total === r.op.floor ? '' : ` measured ${r.restCalls.total}!`}`,
          f1(r.seqGql.p50),
          f1(r.seqGql.p99),
          f1(r.seqRest.p50),
          f1(r.seqRest.p99),
          signed(overhead(r)),
          r.cached ? upstreamText(r.cached.calls) : 'n/a (mutation)',
          r.cached ? f1(r.cached.p50) : 'n/a',
        ]),
      ),
    );
    console.log(
      `\n${CONCURRENCY} concurrent connections, CACHE=off, no per-app cap (the default); ≤${CONCURRENT_REQUESTS} requests or ${CONCURRENT_TIME_LIMIT_MS / 1000} s per cell; p50 / p99 @ req/s.\n`,
    );
    console.log(
      table(
        [
          'operation',
          'GQL',
          'direct REST',
          'GQL upstream req/req',
          'server peak RSS MB',
          'server CPU ms/req',
        ],
        results.map((r) => [
          r.op.name,
          con(r.conGql),
          con(r.conRest),
          f1(r.conGqlUpstream),
          f0(r.conGql.peakRssMb),
          f1(r.conGql.cpuMsPerRequest),
        ]),
      ),
    );
  }
  const cpus = availableParallelism();
  console.log(
    [
      '\nNotes:',
      `- ▲: above the floor. The floor is what a hand-written REST client reaches. With the org key only, such a client must first fetch the app's REST key with a get_app, once (first ≥ then by 1), unless it reads the app anyway (the key comes with it); "then" is its steady state, which the direct REST columns time (key already known).`,
      "- †: with the app keys only, the app's settings (its name) need the organization key in GraphQL as in REST, so these operations leave them out, and so does their REST counterpart.",
      `- CACHE=off measures the layer's cost: every request reaches the upstream. Identical reads in flight are still joined, so under ${CONCURRENCY} connections "GQL upstream req/req" can fall below the floor while direct REST sends every call.`,
      `- Server CPU ms/req: the server process's user+sys time per GraphQL request in the concurrent phase; the emulator, the server and this load generator share ${cpus} CPUs, so req/s is also CPU-bound.`,
    ].join('\n'),
  );
  const errors = all.flatMap(({ config, results }) =>
    results.flatMap((r) =>
      [r.conGql, r.conRest].flatMap((c) =>
        c.firstError ? [`${config.name}, ${r.op.name}: ${c.errors} errors, first: ${c.firstError}`] : [],
      ),
    ),
  );
  if (errors.length) console.log(`\nErrors under load:\n${errors.map((e) => `- ${e}`).join('\n')}`);

  // Targets: one row each, figures per configuration.
  const per = (fn: (c: ConfigResult) => string) => all.map((c) => `${c.config.name}: ${fn(c)}`).join('; ');
  const aboveFloor = (c: ConfigResult) => c.results.filter((r) => !atFloor(r, c.config));
  const floorOk = all.every((c) => aboveFloor(c).length === 0);
  const cachedOf = (c: ConfigResult) => c.results.flatMap((r) => (r.cached ? [r.cached] : []));
  const cachedOk = all.every((c) => cachedOf(c).every((x) => x.calls.total === 0));
  const worstOf = (c: ConfigResult) => c.results.reduce((a, b) => (overhead(b) > overhead(a) ? b : a));
  const overOk = all.every((c) => c.results.every((r) => overhead(r) <= TARGET_OVERHEAD_MS));
  const rssOf = (c: ConfigResult) => Math.max(c.hwmMb, ...c.results.map((r) => r.conGql.peakRssMb));
  const rssOk = all.every((c) => rssOf(c) <= TARGET_RSS_MB);
  const readyOk = all.every((c) => Math.max(...c.ready) < TARGET_READY_MS);
  console.log('\n### Targets\n');
  console.log(
    table(
      ['target', 'measured', 'result'],
      [
        [
          'upstream calls per operation = the floor of a hand-written REST client, in every key configuration',
          per((c) => {
            const above = aboveFloor(c);
            return above.length
              ? above
                  .map(
                    (r) =>
                      `${r.op.name}: ${upstreamText(r.firstCalls)} · ${r.gqlCalls.total} > ${firstFloor(r.op, c.config)} · ${r.op.floor}`,
                  )
                  .join(', ')
              : `all ${c.results.length} at the floor`;
          }),
          verdict(floorOk),
        ],
        [
          '0 upstream calls for a cached repeat (cache on, the default)',
          per((c) => {
            const xs = cachedOf(c);
            return `max ${Math.max(...xs.map((x) => x.calls.total))} calls over ${xs.length} reads, p50 ≤ ${f1(Math.max(...xs.map((x) => x.p50)))} ms`;
          }),
          verdict(cachedOk),
        ],
        [
          `≤ +${TARGET_OVERHEAD_MS} ms over direct REST at p50 (${LATENCY_MS} ms upstream, CACHE=off)`,
          per((c) => {
            const w = worstOf(c);
            const over = c.results.filter((r) => overhead(r) > TARGET_OVERHEAD_MS).length;
            return `worst ${signed(overhead(w))} ms (${w.op.name}), ${over}/${c.results.length} over`;
          }),
          verdict(overOk),
        ],
        [
          `≤ ${TARGET_RSS_MB} MB server RSS at ${CONCURRENCY} concurrent connections`,
          per((c) => `peak ${f0(rssOf(c))} MB (idle ${f0(c.idleRssMb)}, after load ${f0(c.rssEndMb)})`),
          verdict(rssOk),
        ],
        [
          `ready < ${TARGET_READY_MS / 1000} s (spawn → first /health 200)`,
          per(
            (c) =>
              `median ${f0(median(c.ready))}, max ${f0(Math.max(...c.ready))} ms of ${c.ready.length} starts (own "ready in" ${c.selfReported.length ? f0(median(c.selfReported)) : '?'})`,
          ),
          verdict(readyOk),
        ],
      ],
    ),
  );
}

async function main() {
  const log: Log = (msg) => console.log(`[bench ${((performance.now() - began) / 1000).toFixed(1)}s] ${msg}`);

  if (process.env.BENCH_SKIP_BUILD === '1') {
    if (!existsSync('dist/main.mjs')) throw new Error('BENCH_SKIP_BUILD=1 but dist/main.mjs is missing');
    log('BENCH_SKIP_BUILD=1: using dist/main.mjs as it is');
  } else {
    log('npm run build (esbuild → dist/main.mjs)');
    const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit', timeout: 120_000 });
    if (build.status !== 0)
      throw new Error(`npm run build failed (status ${build.status}, ${build.error ?? ''})`);
  }

  const emulatorPort = await freePort();
  const emulatorUrl = `http://${HOST}:${emulatorPort}`;
  const emulatorProc = startEmulatorProcess(emulatorPort);
  await waitHealthy(emulatorProc, `${emulatorUrl}/__emulator/health`, performance.now());
  const emulator = emulatorHooks(emulatorUrl);
  log(`emulator pid ${emulatorProc.pid} at ${emulatorUrl} (latency ${LATENCY_MS} ms/request)`);

  const all: ConfigResult[] = [];
  for (const config of CONFIGURATIONS) all.push(await benchConfiguration(config, emulatorUrl, emulator, log));
  await stopChild(emulatorProc);

  console.log(
    `\n## onesignal-graphql bench: the layer's cost, per key configuration\n\nemulator (own process, ${LATENCY_MS} ms latency per request) ← GraphQL server (\`node dist/main.mjs\`, production mode, own process; CACHE=off unless a column says cached) ← load generator (this process); loopback, ${availableParallelism()} CPUs shared by all three. Node ${process.version}.`,
  );
  report(all);
}

const began = performance.now();
const watchdog = setTimeout(() => {
  console.error(`bench: watchdog fired after ${WATCHDOG_MS / 1000} s; killing children`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

main()
  .then(() => console.log(`\nbench finished in ${((performance.now() - began) / 1000).toFixed(1)} s`))
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await Promise.all(runningChildren().map((child) => stopChild(child)));
  });
