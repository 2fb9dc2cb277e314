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
 *
 * This file runs the phases; bench/run/ holds its settings and targets (settings.ts), the operations
 * and their REST floors (operations.ts), the measurements (measure.ts) and the report (report.ts),
 * and bench/lib/ what every bench shares.
 */
import { availableParallelism } from 'node:os';
import { DEMO, demoAppKeys } from '../src/emulator/index.js';
import { freePort, type OutputChild, runningChildren, sleep, stopChild } from './lib/children.js';
import { restClient } from './lib/clients.js';
import { procMemMb } from './lib/proc.js';
import { f0, f1 } from './lib/report.js';
import {
  buildServer,
  builtServerExists,
  HOST,
  inheritedEnv,
  loopbackServerEnv,
  spawnBuiltServer,
  spawnEmulator,
  waitForHttp,
} from './lib/stack.js';
import {
  type ConfigResult,
  concurrent,
  type EmulatorHooks,
  emulatorHooks,
  type OpResult,
  sequential,
  series,
  upstreamCalls,
} from './run/measure.js';
import { firstFloor, type Operation, operations } from './run/operations.js';
import { report } from './run/report.js';
import {
  CACHED_RUNS,
  CONCURRENCY,
  CONCURRENT_REQUESTS,
  CONFIGURATIONS,
  type KeyConfig,
  LATENCY_MS,
  SEQUENTIAL_RUNS,
  SHOP,
  START_TIMEOUT_MS,
  WARMUP_RUNS,
  WATCHDOG_MS,
} from './run/settings.js';

// --- The server -------------------------------------------------------------------------------------

function startServerProcess(port: number, emulatorUrl: string, config: KeyConfig, cache: 'on' | 'off') {
  const env: NodeJS.ProcessEnv = {
    // Nothing OneSignal-related leaks in from the caller's environment: the bench sets it all.
    ...inheritedEnv(/^(ONESIGNAL_|CACHE$)/),
    ...loopbackServerEnv(port, emulatorUrl),
    ...(config.orgKey && { ONESIGNAL_USER_AUTH_KEY: DEMO.userAuthKey }),
    ...(config.appKeys && { ONESIGNAL_APP_KEYS: JSON.stringify(demoAppKeys()) }),
    // The layer's cost is measured uncached (every request reaches the upstream); the cached repeat
    // runs the default.
    ...(cache === 'off' && { CACHE: 'off' }),
    // SERVER_NODE_OPTIONS tries V8 flags on the server alone, e.g. --max-semi-space-size=4 (less RSS, less throughput).
    NODE_OPTIONS: process.env.SERVER_NODE_OPTIONS ?? '',
    // The emulator here enforces no rate limits, and this bench measures the layer, not OneSignal's
    // budgets (bench/faults.ts does): no pacing of views at OneSignal's 1/s.
    ONESIGNAL_RATE_LIMITS: 'off',
  };
  return spawnBuiltServer(`server (${config.name}, cache ${cache})`, env);
}

const readyLine = (child: OutputChild) => /ready in (\d+) ms/.exec(child.output())?.[1];
const readyText = (child: OutputChild) => /^.*ready in \d+ ms.*$/m.exec(child.output())?.[0]?.trim();

// --- One key configuration --------------------------------------------------------------------------

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
    ready.push(
      await waitForHttp(child, `http://${HOST}:${port}/health`, {
        since: start,
        expect: 200,
        timeoutMs: START_TIMEOUT_MS,
      }),
    );
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
  emulator: EmulatorHooks,
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

// --- Main -------------------------------------------------------------------------------------------

async function main() {
  const log: Log = (msg) => console.log(`[bench ${((performance.now() - began) / 1000).toFixed(1)}s] ${msg}`);

  if (process.env.BENCH_SKIP_BUILD === '1') {
    if (!builtServerExists()) throw new Error('BENCH_SKIP_BUILD=1 but dist/main.mjs is missing');
    log('BENCH_SKIP_BUILD=1: using dist/main.mjs as it is');
  } else {
    log('npm run build (esbuild → dist/main.mjs)');
    buildServer();
  }

  const emulatorPort = await freePort();
  const emulatorUrl = `http://${HOST}:${emulatorPort}`;
  const emulatorProc = spawnEmulator(emulatorPort, LATENCY_MS);
  await waitForHttp(emulatorProc, `${emulatorUrl}/__emulator/health`, {
    since: performance.now(),
    expect: 200,
    timeoutMs: START_TIMEOUT_MS,
  });
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
