/**
 * `npm run bench:peer`: this server beside the peers of ../shared/peer-bench, in one sitting, on
 * one stub of the OneSignal REST API, with our server the way it is deployed: every feature on.
 *
 * - direct: the stub itself (`stub-upstream.mjs`, port 4010, `DELAY_MS` 0 or 20 per response);
 * - thin: graphql-yoga + one ofetch resolver (`yoga-thin.mjs`, 4002), the thinnest honest layer;
 * - mesh: GraphQL Mesh over OneSignal's OpenAPI spec, served by Hive Gateway (4000);
 * - ours: `node dist/main.mjs` (4003) in production mode with token auth, metrics, info logging (one
 *   JSON line per request), default query limits and OneSignal's rate limits; `ours, CACHE=off`
 *   (4004) is the same without the shared read cache (in-flight sharing stays on).
 *
 * Per round and stub delay, fresh processes; then at 50 connections and at 1, each server gets one
 * probe request (HTTP 200, no `errors`), a 2 s autocannon warm-up and a DUR s run. Every response of
 * warm-up and run is checked against the probe: GraphQL answers by `data` (ours carry a varying
 * `extensions.upstream` block, so whole bodies differ), the stub by its whole body. Per run it also
 * samples the server's peak RSS and counts upstream calls per client request from the stub's
 * `/__stats`. It times `node dist/main.mjs` from spawn to its first healthy answer, prints a markdown
 * report to stdout (progress goes to stderr) and appends every run to WORKDIR/results/bench-peer.jsonl.
 *
 *   npm run bench:peer                       # builds, then ROUNDS=2 DUR=10: about ten minutes
 *   DUR=3 ROUNDS=1 npx tsx bench/peer.ts     # quick look at an existing build
 *
 * Ports are the peer bench's (stub 4010, mesh 4000, thin 4002, ours 4003 and 4004); PORT_OFFSET
 * moves them all. WORKDIR (default /tmp/peer-bench) holds the peers' node_modules and supergraph; when they are
 * missing this runs `run.sh setup` from PEER_BENCH_DIR (default ../shared/peer-bench beside the repo).
 * Every process shares this machine's cores: compare ratios within one sitting, not absolute figures
 * across sittings. Children are killed on exit, error or signal. Exits 1 when a run's responses were
 * wrong or any target was missed: `ours` (the defaults) against both peers, `ours, CACHE=off` against thin.
 *
 * This file runs the matrix; bench/peer/ holds its settings and run record (settings.ts), the
 * processes (servers.ts), autocannon and the probe (autocannon.ts, shared with bench/cpu-profile.ts)
 * and the report (report.ts), and bench/lib/ what every bench shares.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, stopChild } from './lib/children.js';
import { rssSampler } from './lib/proc.js';
import { f2, f3 } from './lib/report.js';
import { builtServerExists, HOST, ROOT, SERVER_ENTRY } from './lib/stack.js';
import {
  type Autocannon,
  type AutocannonOptions,
  type AutocannonResult,
  loadAutocannon,
  probe,
  runLoad,
} from './peer/autocannon.js';
import { flagText, report } from './peer/report.js';
import {
  type Child,
  ensurePeerSetup,
  log,
  makeToken,
  type OursAuth,
  oursEnv,
  startMesh,
  startNode,
  startOurs,
  startStub,
  startThin,
  stubTotal,
  waitHttp,
  waitPortsFree,
} from './peer/servers.js';
import {
  APP_ID,
  CONNECTIONS,
  DELAYS_MS,
  DUR,
  MESH_PORT,
  MESH_QUERY,
  OURS_NO_CACHE_PORT,
  OURS_PORT,
  OURS_QUERY,
  READY_RUNS,
  REST_KEY,
  ROUNDS,
  RSS_SAMPLE_MS,
  type RunRecord,
  type ServerName,
  STUB_PORT,
  THIN_PORT,
  THIN_QUERY,
  WARMUP_S,
  WORKDIR,
} from './peer/settings.js';

// --- One measured run -------------------------------------------------------------------------------

interface Target {
  name: ServerName;
  url: string;
  headers: Record<string, string>;
  /** GraphQL request body; none for the stub (GET). */
  body?: string;
  child: Child;
}

async function measure(
  autocannon: Autocannon,
  target: Target,
  connections: number,
  round: number,
  delayMs: number,
): Promise<RunRecord> {
  const label = `r${round}/delay${delayMs}/c${connections}/${target.name}`;
  const headers = target.body ? { ...target.headers, 'content-type': 'application/json' } : target.headers;
  const p = await probe(target.url, headers, target.body);
  const record: RunRecord = {
    label,
    round,
    delayMs,
    server: target.name,
    connections,
    durationS: DUR,
    probeStatus: p.status,
    probeOk: p.ok,
    rps: Number.NaN,
    p50: Number.NaN,
    p99: Number.NaN,
    meanMs: Number.NaN,
    meanMsAutocannon: Number.NaN,
    total: 0,
    warmupTotal: 0,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    mismatches: 0,
    peakRssMb: Number.NaN,
    upstreamCalls: Number.NaN,
    upstreamPerRequest: Number.NaN,
    flagged: true,
  };
  if (!p.ok) {
    record.probeBody = p.text.slice(0, 500);
    return record;
  }
  let firstMismatch: string | undefined;
  const verifyBody = (b: string) => {
    const ok = p.verify(b);
    if (!ok) firstMismatch ??= b.slice(0, 500);
    return ok;
  };
  const opts: AutocannonOptions = {
    url: target.url,
    headers,
    connections,
    duration: DUR,
    verifyBody,
    ...(target.body ? { method: 'POST', body: target.body } : { method: 'GET' }),
  };
  const stubBefore = await stubTotal();
  const warm = await autocannon({ ...opts, duration: WARMUP_S });
  const sampler = rssSampler(target.child.pid, RSS_SAMPLE_MS);
  let peakRssMb: number;
  let run: AutocannonResult;
  let meanMs: number;
  try {
    ({ result: run, meanMs } = await runLoad(autocannon, opts));
  } finally {
    peakRssMb = sampler.stop();
  }
  const upstreamCalls = (await stubTotal()) - stubBefore;
  Object.assign(record, {
    rps: run.requests.average,
    p50: run.latency.p50,
    p99: run.latency.p99,
    meanMs,
    meanMsAutocannon: run.latency.average,
    total: run.requests.total,
    warmupTotal: warm.requests.total,
    non2xx: warm.non2xx + run.non2xx,
    errors: warm.errors + run.errors,
    timeouts: warm.timeouts + run.timeouts,
    mismatches: warm.mismatches + run.mismatches,
    firstMismatch,
    peakRssMb,
    upstreamCalls,
    upstreamPerRequest: upstreamCalls / Math.max(1, warm.requests.total + run.requests.total),
  });
  record.flagged = record.non2xx + record.errors + record.timeouts + record.mismatches > 0;
  return record;
}

// --- Ready time ---------------------------------------------------------------------------------------

/** Spawn → first 200 from /health, READY_RUNS times, the stub up and nothing else running. */
async function readyTimes(auth: OursAuth): Promise<number[]> {
  const stub = await startStub(0);
  const times: number[] = [];
  try {
    for (let i = 0; i < READY_RUNS; i++) {
      const env = await oursEnv(auth, OURS_PORT);
      const since = performance.now();
      const child = startNode('ours (ready)', [SERVER_ENTRY], ROOT, env, 'peer-ours-ready');
      times.push(await waitHttp(child, `http://${HOST}:${OURS_PORT}/health`, since, 200));
      await stopChild(child);
      await sleep(300);
    }
  } finally {
    await stopChild(stub);
  }
  return times;
}

// --- The matrix -------------------------------------------------------------------------------------

async function matrix(autocannon: Autocannon, auth: OursAuth): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  const jsonl = join(WORKDIR, 'results', 'bench-peer.jsonl');
  mkdirSync(join(WORKDIR, 'results'), { recursive: true });
  const started = new Date().toISOString();
  const keyHeader = { authorization: `Key ${REST_KEY}` };
  const gqlBody = (query: string) => JSON.stringify({ query });
  for (let round = 1; round <= ROUNDS; round++) {
    for (const delayMs of DELAYS_MS) {
      log(`round ${round}, stub delay ${delayMs} ms: starting stub, thin, mesh, ours, ours CACHE=off`);
      const stub = await startStub(delayMs);
      const [thin, mesh, ours, oursNoCache] = await Promise.all([
        startThin(),
        startMesh(),
        startOurs('ours', auth, OURS_PORT, `peer-ours-d${delayMs}`),
        startOurs('ours, CACHE=off', auth, OURS_NO_CACHE_PORT, `peer-ours-nocache-d${delayMs}`, {
          CACHE: 'off',
        }),
      ]);
      const bearer = { authorization: `Bearer ${auth.token}` };
      const targets: Target[] = [
        {
          name: 'direct',
          url: `http://${HOST}:${STUB_PORT}/apps/${APP_ID}`,
          headers: keyHeader,
          child: stub,
        },
        {
          name: 'thin',
          url: `http://${HOST}:${THIN_PORT}/graphql`,
          headers: keyHeader,
          body: gqlBody(THIN_QUERY),
          child: thin,
        },
        {
          name: 'mesh',
          url: `http://${HOST}:${MESH_PORT}/graphql`,
          headers: keyHeader,
          body: gqlBody(MESH_QUERY),
          child: mesh,
        },
        {
          name: 'ours',
          url: `http://${HOST}:${OURS_PORT}/graphql`,
          headers: bearer,
          body: gqlBody(OURS_QUERY),
          child: ours,
        },
        {
          name: 'ours, CACHE=off',
          url: `http://${HOST}:${OURS_NO_CACHE_PORT}/graphql`,
          headers: bearer,
          body: gqlBody(OURS_QUERY),
          child: oursNoCache,
        },
      ];
      try {
        for (const connections of CONNECTIONS) {
          for (const target of targets) {
            const r = await measure(autocannon, target, connections, round, delayMs);
            runs.push(r);
            appendFileSync(jsonl, `${JSON.stringify({ started, at: new Date().toISOString(), ...r })}\n`);
            log(
              `  ${r.label}: ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, mean ${f2(r.meanMs)} ms, ` +
                `RSS ${Math.round(r.peakRssMb)} MB, ${f3(r.upstreamPerRequest)} upstream/req` +
                (r.flagged ? `  FLAGGED ${flagText(r)}` : ''),
            );
          }
        }
      } finally {
        await Promise.all([stub, thin, mesh, ours, oursNoCache].map((c) => stopChild(c)));
      }
    }
  }
  return runs;
}

async function main() {
  if (!builtServerExists()) throw new Error('no dist/main.mjs: run `npm run build` first');
  ensurePeerSetup();
  const autocannon = await loadAutocannon();
  const auth = makeToken();
  await waitPortsFree([STUB_PORT, THIN_PORT, MESH_PORT, OURS_PORT, OURS_NO_CACHE_PORT]);
  log(`ready time: ${READY_RUNS} spawns of node dist/main.mjs`);
  const ready = await readyTimes(auth);
  log(`  ${ready.map((t) => Math.round(t)).join(', ')} ms`);
  const runs = await matrix(autocannon, auth);
  return report(runs, ready);
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
