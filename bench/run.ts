/**
 * `npm run bench`: the GraphQL server against direct REST calls, as three separate processes on
 * loopback, so every figure belongs to the process it names.
 *
 * - emulator: `tsx src/emulator/main.ts --latency-ms 20` (20 ms per request stands in for the network
 *   to OneSignal);
 * - GraphQL server: the production bundle, `npm run build` then `node dist/main.mjs`, pointed at the
 *   emulator with the demo keys;
 * - this process: only generates load (fetch) and reads the emulator's `/__emulator/stats`.
 *
 * For each operation it prints upstream requests per GraphQL operation beside the fewest direct REST
 * calls for the same data, sequential p50/p99 of both, the overhead at p50, and p50/p99/throughput at
 * 50 concurrent connections (with a per-app upstream cap of 16, and raised to 64; the cap is off by default).
 * It samples the server's RSS from /proc during the concurrent phases, times `node dist/main.mjs` from
 * spawn to its first healthy answer, and ends with a table of the targets. Every loop is bounded in
 * count and time; children are killed on exit, error or signal.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { DEMO, demoAppKeys } from '../src/emulator/index.js';

const HOST = '127.0.0.1';
const LATENCY_MS = 20;
/** Per operation, before measuring: the server's JIT needs a few hundred requests to settle. */
const WARMUP_RUNS = 30;
const SEQUENTIAL_RUNS = 50;
const CONCURRENCY = 50;
const CONCURRENT_REQUESTS = 400;
const CONCURRENT_TIME_LIMIT_MS = 3_000;
const RSS_SAMPLE_MS = 50;
const READY_RUNS = 5;
const START_TIMEOUT_MS = 20_000;
const DEFAULT_CAP = 16;
const RAISED_CAP = 64;
/** Hard stop for the whole bench, whatever happens. */
const WATCHDOG_MS = 240_000;

const TARGET_OVERHEAD_MS = 2;
const TARGET_RSS_MB = 200;
const TARGET_READY_MS = 1_000;

const SHOP = (() => {
  const app = DEMO.apps[0];
  if (!app) throw new Error('the emulator has no demo app');
  return app;
})();
const APP_KEYS = JSON.stringify(demoAppKeys());

// --- Child processes --------------------------------------------------------------------------------

interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** stdout + stderr so far (bounded). */
  output(): string;
  exited: Promise<void>;
}

const children = new Set<Child>();

function killGroup(child: Child, signal: NodeJS.Signals) {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  try {
    // Each child leads its own process group (detached), so tsx's inner node process goes too.
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.proc.kill(signal);
    } catch {
      // already gone
    }
  }
}

process.on('exit', () => {
  for (const child of children) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of children) killGroup(child, 'SIGTERM');
    process.exit(130);
  });
}

function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const proc = spawn(command, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (proc.pid === undefined) throw new Error(`could not spawn ${name}`);
  let out = '';
  const append = (d: Buffer) => {
    if (out.length < 64_000) out += String(d);
  };
  proc.stdout?.on('data', append);
  proc.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const child: Child = { name, proc, pid: proc.pid, output: () => out, exited };
  children.add(child);
  void exited.then(() => children.delete(child));
  return child;
}

async function stopChild(child: Child) {
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3_000);
  await child.exited;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, HOST, () => resolve());
  });
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `url` until it answers 200; returns ms since `since`. Fails if the child exits or time runs out. */
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

function startServerProcess(port: number, emulatorUrl: string, cap?: number) {
  // Nothing OneSignal-related leaks in from the caller's environment: the bench sets it all.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('ONESIGNAL_')),
  );
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    PORT: String(port),
    HOST,
    ONESIGNAL_API_URL: emulatorUrl,
    ONESIGNAL_USER_AUTH_KEY: DEMO.userAuthKey,
    ONESIGNAL_APP_KEYS: APP_KEYS,
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
  if (cap !== undefined) env.ONESIGNAL_MAX_CONCURRENCY_PER_APP = String(cap);
  return startChild(`server${cap ? ` (cap ${cap})` : ''}`, process.execPath, ['dist/main.mjs'], env);
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
  /** Fewest direct REST calls that return the same data. */
  minimalRest: number;
  minimalRestDetail: string;
  graphql: () => Promise<unknown>;
  rest: () => Promise<unknown>;
  /** Sanity check of one GraphQL answer, so a wrong query cannot look fast. */
  check: (data: Record<string, unknown>) => string | undefined;
  /** Mutations run fewer times so the emulator's data stays small. */
  concurrentRequests?: number;
}

function operations(
  gqlUrl: string,
  emulatorUrl: string,
  tenIds: string[],
): { ops: Operation[]; setGraphqlUrl(url: string): void } {
  let gql = graphqlClient(gqlUrl);
  const rest = restClient(emulatorUrl);
  const app = SHOP.id;
  const tenGlobalIds = tenIds.map((id) => Buffer.from(`Notification:${app}/${id}`).toString('base64url'));
  const getApp = () => rest('GET', `/apps/${app}`, DEMO.userAuthKey);
  const listNotifications = (limit: number) =>
    rest('GET', `/notifications?app_id=${app}&limit=${limit}&offset=0`, SHOP.restApiKey);
  const nodesOf = (data: Record<string, unknown>, field: string) =>
    ((data.app as Record<string, Record<string, unknown[]>> | null)?.[field]?.nodes ?? []) as Record<
      string,
      unknown
    >[];

  const ops: Operation[] = [
    {
      name: '50 notifications with their app',
      minimalRest: 2,
      minimalRestDetail: 'get_app ∥ get_notifications',
      graphql: () =>
        gql(
          'query($id: UUID!) { app(id: $id) { notifications(first: 50) { nodes { id app { name } successfulCount } } } }',
          { id: app },
        ),
      rest: () => Promise.all([getApp(), listNotifications(50)]),
      check: (d) => {
        const nodes = nodesOf(d, 'notifications');
        const named = nodes.filter((n) => (n.app as { name?: string } | null)?.name === SHOP.name).length;
        return nodes.length === 50 && named === 50
          ? undefined
          : `${nodes.length} nodes, ${named} with app name`;
      },
    },
    {
      name: 'app + 50 notifications w/ stats',
      minimalRest: 2,
      minimalRestDetail: 'get_app ∥ get_notifications',
      graphql: () =>
        gql(
          'query($id: UUID!) { app(id: $id) { name notifications(first: 50) { totalCount nodes { id successfulCount failedCount convertedCount platformDeliveryStats { platform successfulCount } } } } }',
          { id: app },
        ),
      rest: () => Promise.all([getApp(), listNotifications(50)]),
      check: (d) => {
        const n = nodesOf(d, 'notifications').length;
        return n === 50 ? undefined : `${n} nodes`;
      },
    },
    {
      name: '10 notifications by node id',
      minimalRest: 10,
      minimalRestDetail: 'get_notification ×10 ∥',
      graphql: () =>
        gql(
          'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Notification { oneSignalId successfulCount } } }',
          {
            ids: tenGlobalIds,
          },
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
      name: 'app + segments',
      minimalRest: 2,
      minimalRestDetail: 'get_app ∥ get_segments',
      graphql: () =>
        gql('query($id: UUID!) { app(id: $id) { name segments { totalCount nodes { name readOnly } } } }', {
          id: app,
        }),
      rest: () =>
        Promise.all([getApp(), rest('GET', `/apps/${app}/segments?limit=300&offset=0`, SHOP.restApiKey)]),
      check: (d) => {
        const n = nodesOf(d, 'segments').length;
        return n > 0 ? undefined : 'no segments';
      },
    },
    {
      name: 'notificationCreate',
      minimalRest: 1,
      minimalRestDetail: 'create_notification',
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
  return {
    ops,
    setGraphqlUrl: (url) => {
      gql = graphqlClient(url);
    },
  };
}

// --- Main -------------------------------------------------------------------------------------------

const f1 = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '–');
const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');
const signed = (ms: number) => `${ms >= 0 ? '+' : ''}${ms.toFixed(1)}`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (percentile(s, 50) + (s.length % 2 ? percentile(s, 50) : (s[s.length / 2] ?? Number.NaN))) / 2;
};

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

interface OpResult {
  op: Operation;
  gqlCalls: { total: number; detail: string };
  restCalls: { total: number; detail: string };
  seqGql: { p50: number; p99: number };
  seqRest: { p50: number; p99: number };
  conGql: ConcurrentResult;
  conGqlRaised?: ConcurrentResult;
  conRest: ConcurrentResult;
}

async function main() {
  const log = (msg: string) =>
    console.log(`[bench ${((performance.now() - began) / 1000).toFixed(1)}s] ${msg}`);

  log('npm run build (esbuild → dist/main.mjs)');
  const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit', timeout: 120_000 });
  if (build.status !== 0)
    throw new Error(`npm run build failed (status ${build.status}, ${build.error ?? ''})`);

  const emulatorPort = await freePort();
  const emulatorUrl = `http://${HOST}:${emulatorPort}`;
  const emulatorProc = startEmulatorProcess(emulatorPort);
  await waitHealthy(emulatorProc, `${emulatorUrl}/__emulator/health`, performance.now());
  const emulator = emulatorHooks(emulatorUrl);
  log(`emulator pid ${emulatorProc.pid} at ${emulatorUrl} (latency ${LATENCY_MS} ms/request)`);

  const serverPort = await freePort();
  const serverProc = startServerProcess(serverPort, emulatorUrl, DEFAULT_CAP);
  const serverStartMs = await waitHealthy(
    serverProc,
    `http://${HOST}:${serverPort}/health`,
    performance.now(),
  );
  log(
    `server pid ${serverProc.pid} at http://${HOST}:${serverPort} (healthy after ${f0(serverStartMs)} ms; it printed: "${readyText(serverProc) ?? 'no ready line'}")`,
  );

  const idleRssMb = procMemMb(serverProc.pid, 'VmRSS');
  const rest = restClient(emulatorUrl);
  const page = await rest('GET', `/notifications?app_id=${SHOP.id}&limit=10&offset=0`, SHOP.restApiKey);
  const tenIds = ((page.notifications ?? []) as { id: string }[]).map((n) => n.id);
  if (tenIds.length !== 10) throw new Error(`expected 10 demo notifications, got ${tenIds.length}`);

  const { ops, setGraphqlUrl } = operations(`http://${HOST}:${serverPort}/graphql`, emulatorUrl, tenIds);
  const results: OpResult[] = [];

  for (const op of ops) {
    const problem = op.check((await op.graphql()) as Record<string, unknown>);
    if (problem) throw new Error(`${op.name}: unexpected GraphQL answer: ${problem}`);
    for (let i = 0; i < WARMUP_RUNS; i++) {
      await op.graphql();
      await op.rest();
    }
    const gqlCalls = await upstreamCalls(emulator, op.graphql);
    const restCalls = await upstreamCalls(emulator, op.rest);
    const seq = await sequential(op.graphql, op.rest, SEQUENTIAL_RUNS);
    const n = op.concurrentRequests ?? CONCURRENT_REQUESTS;
    const conGql = await concurrent(op.graphql, n, serverProc.pid);
    const conRest = await concurrent(op.rest, n);
    results.push({ op, gqlCalls, restCalls, seqGql: seq.a, seqRest: seq.b, conGql, conRest });
    log(
      `${op.name}: upstream ${gqlCalls.total} (REST ${restCalls.total}); seq p50 ${f1(seq.a.p50)} vs ${f1(seq.b.p50)} ms; c${CONCURRENCY} ${f0(conGql.rps)} vs ${f0(conRest.rps)} req/s`,
    );
  }
  const hwmDefault = procMemMb(serverProc.pid, 'VmHWM');
  const rssEndDefault = procMemMb(serverProc.pid, 'VmRSS');
  await stopChild(serverProc);

  // Same concurrent phase against a fresh server whose per-app upstream cap is raised, on fresh data.
  await emulator.resetData();
  const raisedPort = await freePort();
  const raisedProc = startServerProcess(raisedPort, emulatorUrl, RAISED_CAP);
  await waitHealthy(raisedProc, `http://${HOST}:${raisedPort}/health`, performance.now());
  setGraphqlUrl(`http://${HOST}:${raisedPort}/graphql`);
  for (const result of results) {
    for (let i = 0; i < WARMUP_RUNS; i++) await result.op.graphql();
    result.conGqlRaised = await concurrent(
      result.op.graphql,
      result.op.concurrentRequests ?? CONCURRENT_REQUESTS,
      raisedProc.pid,
    );
  }
  const hwmRaised = procMemMb(raisedProc.pid, 'VmHWM');
  await stopChild(raisedProc);
  log(`cap ${RAISED_CAP} concurrent phase done`);

  // Time to ready: spawn → first 200 from /health, against the running emulator, keys set.
  await emulator.resetData();
  const ready: number[] = [];
  const selfReported: number[] = [];
  for (let i = 0; i < READY_RUNS; i++) {
    const port = await freePort();
    const start = performance.now();
    const child = startServerProcess(port, emulatorUrl);
    try {
      ready.push(await waitHealthy(child, `http://${HOST}:${port}/health`, start));
      // The "ready in" line is printed right after listen; give stdout a moment to arrive.
      for (let j = 0; j < 50 && !readyLine(child); j++) await sleep(5);
      const own = readyLine(child);
      if (own) selfReported.push(Number(own));
    } finally {
      await stopChild(child);
    }
  }
  await stopChild(emulatorProc);

  // --- Report ---------------------------------------------------------------------------------------
  const cpus = (await import('node:os')).availableParallelism();
  console.log(
    `\n## onesignal-graphql bench\n\nemulator (own process, ${LATENCY_MS} ms latency per request) ← GraphQL server (\`node dist/main.mjs\`, own process) ← load generator (this process); loopback, ${cpus} CPUs shared by all three. Node ${process.version}.`,
  );

  console.log(
    `\n### Sequential (one request at a time, ${SEQUENTIAL_RUNS} runs each after ${WARMUP_RUNS} warm-up, GraphQL and REST alternating; ms)\n`,
  );
  console.log(
    table(
      [
        'operation',
        'upstream req/op GQL',
        'direct REST (minimal)',
        'GQL p50',
        'GQL p99',
        'REST p50',
        'REST p99',
        'overhead p50',
      ],
      results.map((r) => [
        r.op.name,
        `${r.gqlCalls.total} (${r.gqlCalls.detail})`,
        `${r.restCalls.total} (${r.op.minimalRestDetail})`,
        f1(r.seqGql.p50),
        f1(r.seqGql.p99),
        f1(r.seqRest.p50),
        f1(r.seqRest.p99),
        signed(r.seqGql.p50 - r.seqRest.p50),
      ]),
    ),
  );

  console.log(
    `\n### ${CONCURRENCY} concurrent connections (≤${CONCURRENT_REQUESTS} requests or ${CONCURRENT_TIME_LIMIT_MS / 1000} s per cell; ms, req/s)\n`,
  );
  const con = (c: ConcurrentResult | undefined) =>
    c ? `${f1(c.p50)} / ${f1(c.p99)} @ ${f0(c.rps)}${c.errors ? ` (${c.errors} err)` : ''}` : '–';
  console.log(
    table(
      [
        'operation',
        `GQL, cap ${DEFAULT_CAP}/app`,
        `GQL, cap ${RAISED_CAP}/app`,
        'direct REST (no cap)',
        `server peak RSS MB (cap ${DEFAULT_CAP} / ${RAISED_CAP})`,
        'server CPU ms/req',
      ],
      results.map((r) => [
        r.op.name,
        con(r.conGql),
        con(r.conGqlRaised),
        con(r.conRest),
        `${f0(r.conGql.peakRssMb)} / ${f0(r.conGqlRaised?.peakRssMb ?? Number.NaN)}`,
        f1(r.conGql.cpuMsPerRequest),
      ]),
    ),
  );
  console.log(
    `\nCells are p50 / p99 @ throughput. The server queues upstream calls beyond ONESIGNAL_MAX_CONCURRENCY_PER_APP (set to ${DEFAULT_CAP} in the first phase; off by default) per app (and ${DEFAULT_CAP} for /apps calls), so at ${CONCURRENCY} connections × N upstream calls each it deliberately waits where direct REST fires everything at once; with ${LATENCY_MS} ms upstream the cap alone bounds it to ≈ ${DEFAULT_CAP} × 1000/${LATENCY_MS} = ${(DEFAULT_CAP * 1000) / LATENCY_MS} upstream calls/s per app. Direct REST has no cap. Server CPU ms/req: the server process's user+sys time per GraphQL request in the cap ${DEFAULT_CAP} phase; all three processes share ${cpus} CPUs, so the req/s columns are also CPU-bound.`,
  );
  const errors = results.flatMap((r) =>
    [r.conGql, r.conGqlRaised, r.conRest].flatMap((c) =>
      c?.firstError ? [`${r.op.name}: ${c.errors} errors, first: ${c.firstError}`] : [],
    ),
  );
  if (errors.length) console.log(`\nErrors under load:\n${errors.map((e) => `- ${e}`).join('\n')}`);

  // Targets.
  const upstreamOk = results.every((r) => r.gqlCalls.total <= r.op.minimalRest);
  const worst = results.reduce((a, b) =>
    b.seqGql.p50 - b.seqRest.p50 > a.seqGql.p50 - a.seqRest.p50 ? b : a,
  );
  const worstOverhead = worst.seqGql.p50 - worst.seqRest.p50;
  const overFails = results.filter((r) => r.seqGql.p50 - r.seqRest.p50 > TARGET_OVERHEAD_MS);
  const peakRss = Math.max(...results.map((r) => r.conGql.peakRssMb));
  const peakRssRaised = Math.max(...results.map((r) => r.conGqlRaised?.peakRssMb ?? 0));
  const rssWorst = Math.max(peakRss, peakRssRaised, hwmDefault, hwmRaised);
  const readyMax = Math.max(...ready);
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  console.log('\n### Targets\n');
  console.log(
    table(
      ['target', 'measured', 'result'],
      [
        [
          'one upstream request per distinct resource per operation',
          results.map((r) => `${r.gqlCalls.total}/${r.op.minimalRest}`).join(', ') +
            ' (GQL/minimal; a naive gateway: 51 for the first)',
          verdict(upstreamOk),
        ],
        [
          `≤ +${TARGET_OVERHEAD_MS} ms over direct REST at p50 (${LATENCY_MS} ms upstream)`,
          `worst ${signed(worstOverhead)} ms (${worst.op.name}); ${results.map((r) => signed(r.seqGql.p50 - r.seqRest.p50)).join(', ')}`,
          verdict(overFails.length === 0) +
            (overFails.length ? ` (${overFails.length}/${results.length} over)` : ''),
        ],
        [
          `< ${TARGET_RSS_MB} MB server RSS at ${CONCURRENCY} concurrent connections`,
          `peak VmRSS ${f0(peakRss)} MB (cap ${DEFAULT_CAP}), ${f0(peakRssRaised)} MB (cap ${RAISED_CAP}); VmHWM ${f0(hwmDefault)} / ${f0(hwmRaised)} MB; idle after start ${f0(idleRssMb)} MB, after load ${f0(rssEndDefault)} MB`,
          verdict(rssWorst < TARGET_RSS_MB),
        ],
        [
          `ready < ${TARGET_READY_MS / 1000} s (spawn → first /health 200)`,
          `median ${f0(median(ready))} ms, max ${f0(readyMax)} ms over ${READY_RUNS} runs; server's own "ready in": median ${selfReported.length ? f0(median(selfReported)) : '?'} ms (${selfReported.join(', ')})`,
          verdict(readyMax < TARGET_READY_MS),
        ],
      ],
    ),
  );
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
    await Promise.all([...children].map(stopChild));
  });
