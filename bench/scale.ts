/**
 * `npm run bench:scale`: a scale run (issue 22, item 7). 1,000 dashboard users on each of 10 apps
 * (10,000 users) load their app's dashboard (bench/lib/dashboard.ts: the app and its 50 latest
 * notifications) every 10–30 s (uniform, mean 20 s: a dashboard left open and refreshed, or a
 * person clicking back to it), spread round-robin over 4 replicas of the built server (`node
 * dist/main.mjs`, production mode, its defaults) on one Redis, against the emulator with
 * OneSignal's limits on (views 1/s per app, burst 3) and 100 ms per answer, for 60 s. The replicas
 * first serve 500 dashboards each of an app outside the run, so V8 has optimised their code; the
 * run's apps start with an empty cache.
 *
 * Prints loads attempted and succeeded, latency percentiles, upstream calls per app per second per
 * operation beside that app's budget and the model's prediction (bench/scale/model.ts), upstream
 * 429s, the replicas' RSS and everyone's CPU. Exits 1 when a target is missed: ≥ 99.9 % of loads
 * succeed, p95 ≤ 1 s, upstream 429s ≤ 1 % of upstream calls, every app within its budget, and
 * every app's calls within the model's bound.
 *
 * Flags: --users-per-app 1000 --apps 10 --replicas 4 --seconds 60 (a quick run: --users-per-app 50
 * --seconds 20), --think 10:30 (seconds), --upstream-ms 100, --no-redis (each replica its own cache
 * and budgets, to see the model's ×R), --cold (no warm-up: the users meet replicas just started).
 * Build first (`npm run build`; `npm run bench:scale` does).
 */
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { procCpuMs, procMemMb, rssSampler } from './lib/proc.js';
import { f0, f1, f3, int, pct } from './lib/report.js';
import { builtServerExists } from './lib/stack.js';
import { ascending, countBy, percentileAtIndex } from './lib/stats.js';
import { appSpends } from './scale/budgets.js';
import { startFleet } from './scale/fleet.js';
import { type Deployment, predict, type SharedState } from './scale/model.js';
import { runUsers } from './scale/users.js';

const { values: args } = parseArgs({
  options: {
    'users-per-app': { type: 'string', default: '1000' },
    apps: { type: 'string', default: '10' },
    replicas: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '60' },
    think: { type: 'string', default: '10:30' },
    'upstream-ms': { type: 'string', default: '100' },
    'no-redis': { type: 'boolean', default: false },
    cold: { type: 'boolean', default: false },
  },
});
const USERS_PER_APP = Number(args['users-per-app']);
const APPS = Number(args.apps);
const REPLICAS = Number(args.replicas);
const SECONDS = Number(args.seconds);
const [THINK_MIN, THINK_MAX] = args.think.split(':').map(Number) as [number, number];
const UPSTREAM_MS = Number(args['upstream-ms']);
const SHARED: SharedState = args['no-redis'] ? 'memory' : 'redis';
const positive = {
  '--users-per-app': USERS_PER_APP,
  '--apps': APPS,
  '--replicas': REPLICAS,
  '--seconds': SECONDS,
  '--think': THINK_MIN,
};
for (const [flag, value] of Object.entries(positive))
  if (!(value > 0)) throw new Error(`${flag} must be positive (the flags are at the top of bench/scale.ts)`);
if (THINK_MAX < THINK_MIN || !(UPSTREAM_MS >= 0))
  throw new Error('--think is <min>:<max> seconds, --upstream-ms ≥ 0');
/** Dashboards each replica serves, of an app outside the run, before the users arrive (`--cold`: none). */
const WARM_UP_LOADS = args.cold ? 0 : 500;
/** A dashboard that has not answered in 10 s has failed (the server ends its reads by 8 s). */
const TIMEOUT_MS = 10_000;
/** Sockets per replica: a balancer's keep-alive pool, enough for the loads in flight on 2 cores. */
const SOCKETS_PER_REPLICA = 32;
const CORES = availableParallelism();
/** The start, whose loads print apart: they meet an empty cache (with --cold, replicas not yet warm too). */
const COLD_SECONDS = 5;

if (!builtServerExists()) throw new Error('dist/main.mjs is missing: npm run build first');

const deployment: Deployment = {
  usersPerApp: USERS_PER_APP,
  secondsBetweenLoads: (THINK_MIN + THINK_MAX) / 2,
  replicas: REPLICAS,
  shared: SHARED,
  upstreamSeconds: UPSTREAM_MS / 1000,
};
const predictions = predict(deployment);

console.log(
  `# Scale run: ${int(USERS_PER_APP)} users on each of ${APPS} apps (${int(USERS_PER_APP * APPS)} users), a load every ${THINK_MIN}–${THINK_MAX} s each, over ${REPLICAS} replica${REPLICAS > 1 ? 's' : ''} ${SHARED === 'redis' ? 'on one Redis' : 'without Redis'}, ${SECONDS} s; OneSignal's limits on, ${UPSTREAM_MS} ms per upstream answer; ${WARM_UP_LOADS ? `replicas warmed with ${WARM_UP_LOADS} dashboards each of an app outside the run` : 'replicas cold (--cold)'}; ${CORES} cores\n`,
);
console.log('## The model (bench/scale/model.ts, docs/operating.md#upstream-calls-at-scale), per app\n');
for (const shared of ['redis', 'memory', 'redis-lost'] as const) {
  const each = predict({ ...deployment, shared });
  const parts = each
    .map((p) => `${p.operation} ${f3(p.callsPerSecond)}/s${p.heldToBudget ? ' (held to the budget)' : ''}`)
    .join(', ');
  const sum = each.reduce((total, p) => total + p.callsPerSecond, 0);
  console.log(
    `${shared === SHARED ? 'this run:  ' : 'not run:   '}${shared.padEnd(10)} ${f1(predictions[0]!.readsPerSecond)} loads/s → ${parts}; ${f3(sum)} calls/s in all`,
  );
}

const fleet = await startFleet({
  apps: APPS,
  replicas: REPLICAS,
  redis: SHARED === 'redis',
  upstreamMs: UPSTREAM_MS,
  warmUpLoads: WARM_UP_LOADS,
});
const samplers = fleet.replicas.map((replica) => rssSampler(replica.pid, 1_000));
const cpuBefore = {
  bench: process.cpuUsage(),
  replicas: fleet.replicas.map((replica) => procCpuMs(replica.pid)),
  redis: fleet.redis ? procCpuMs(fleet.redis.pid) : 0,
};
fleet.emulator.resetStats();
const started = performance.now();
const loads = await runUsers({
  replicas: fleet.replicas.map((replica) => replica.url),
  appIds: fleet.apps.map((app) => app.id),
  usersPerApp: USERS_PER_APP,
  seconds: SECONDS,
  thinkSeconds: { min: THINK_MIN, max: THINK_MAX },
  timeoutMs: TIMEOUT_MS,
  socketsPerReplica: SOCKETS_PER_REPLICA,
});
const runSeconds = (performance.now() - started) / 1000;
const stats = fleet.emulator.stats();
const benchCpu = process.cpuUsage(cpuBefore.bench);
const cpu = {
  bench: (benchCpu.user + benchCpu.system) / 1000,
  replicas: fleet.replicas.map((replica, i) => procCpuMs(replica.pid) - cpuBefore.replicas[i]!),
  redis: fleet.redis ? procCpuMs(fleet.redis.pid) - cpuBefore.redis : 0,
};
const rssPeak = samplers.map((sampler) => sampler.stop());
const rssEnd = fleet.replicas.map((replica) => procMemMb(replica.pid));
await fleet.stop();

const results: { figure: string; met: boolean }[] = [];
const report = (figure: string, value: string, target: string, met: boolean) => {
  results.push({ figure, met });
  console.log(`${met ? 'met   ' : 'MISSED'}  ${figure}: ${value} (target ${target})`);
};

console.log(`\n## Loads (${f1(runSeconds)} s from the first user to the last answer)\n`);
const succeeded = loads.filter((load) => load.ok).length;
const latencies = ascending(loads.map((load) => load.ms));
const at = (p: number) => f0(percentileAtIndex(latencies, p));
const upstreamLoads = loads.filter((load) => load.upstreamCalls > 0);
const failures = countBy(loads.filter((load) => !load.ok).map((load) => load.failure ?? '?'));
report(
  'loads that succeeded',
  `${int(succeeded)} of ${int(loads.length)} attempted = ${pct(succeeded, loads.length)} (${f1(loads.length / runSeconds)} loads/s)${Object.keys(failures).length ? `; failed: ${JSON.stringify(failures)}` : ''}`,
  '≥ 99.9 %',
  succeeded >= loads.length * 0.999 && loads.length > 0,
);
report(
  'load latency p95',
  `${at(95)} ms (p50 ${at(50)} ms, p99 ${at(99)} ms, max ${at(100)} ms)`,
  '≤ 1000 ms',
  percentileAtIndex(latencies, 95) <= 1000,
);
const coldUntil = started + COLD_SECONDS * 1000;
const cold = ascending(loads.filter((load) => load.at < coldUntil).map((load) => load.ms));
const warm = ascending(loads.filter((load) => load.at >= coldUntil).map((load) => load.ms));
console.log(
  `        the first ${COLD_SECONDS} s (${WARM_UP_LOADS ? 'the apps not yet cached' : 'replicas just started, nothing cached'}): ${int(cold.length)} loads, p95 ${f0(percentileAtIndex(cold, 95))} ms, p99 ${f0(percentileAtIndex(cold, 99))} ms; after: p95 ${f0(percentileAtIndex(warm, 95))} ms, p99 ${f0(percentileAtIndex(warm, 99))} ms`,
);
const upstreamLatencies = ascending(upstreamLoads.map((load) => load.ms));
console.log(
  `        loads the server answered with an upstream call of their own: ${int(upstreamLoads.length)} (p50 ${f0(percentileAtIndex(upstreamLatencies, 50))} ms, max ${f0(percentileAtIndex(upstreamLatencies, 100))} ms); the rest from the cache or another's read`,
);

console.log(`\n## Upstream (the emulator's counts)\n`);
const limited = Object.values(stats.rateLimited).reduce((a, b) => a + b, 0);
report(
  'upstream 429s',
  `${limited} of ${stats.total} upstream calls = ${pct(limited, stats.total)}${limited ? ` ${JSON.stringify(stats.rateLimited)}` : ''}`,
  '≤ 1 %',
  limited <= stats.total * 0.01,
);
const { spends, printed } = appSpends(fleet.apps, stats.byApp, predictions, deployment, runSeconds);
console.log(`\n${printed}\n`);
const overBudget = spends.filter((spend) => spend.overBudget.length > 0);
const busiest = spends
  .flatMap((spend) => spend.perSecond.map((p) => ({ app: spend.app.name, ...p })))
  .sort((a, b) => b.callsPerSecond / b.budget - a.callsPerSecond / a.budget)[0];
report(
  'apps within their budgets',
  `${spends.length - overBudget.length} of ${spends.length}${busiest ? ` (the busiest: ${busiest.app}, ${busiest.limitClass} ${f3(busiest.callsPerSecond)}/s of ${busiest.budget}/s)` : ''}${overBudget.map((s) => `; ${s.app.name}: ${s.overBudget.map((o) => `${o.limitClass} ${o.calls} > ${o.allowed}`).join(', ')}`).join('')}`,
  `all (a view class: burst 3 + 1/s × ${f1(runSeconds)} s)`,
  overBudget.length === 0,
);
const overModel = spends.filter((spend) => spend.overModel.length > 0);
report(
  "apps within the model's bound",
  `${spends.length - overModel.length} of ${spends.length}${overModel.map((s) => `; ${s.app.name}: ${s.overModel.map((o) => `${o.operation} ${o.calls} > ${o.bound}`).join(', ')}`).join('')}`,
  'all',
  overModel.length === 0,
);

console.log(`\n## The machine\n`);
console.log(
  `replicas' RSS: peak ${rssPeak.map(f0).join(' / ')} MB, at the end ${rssEnd.map(f0).join(' / ')} MB`,
);
const share = (ms: number) => `${f0((100 * ms) / (runSeconds * 1000))} %`;
const total = cpu.bench + cpu.redis + cpu.replicas.reduce((a, b) => a + b, 0);
console.log(
  `CPU (100 % = one core): replicas ${cpu.replicas.map(share).join(' / ')}, redis ${share(cpu.redis)}, users and emulator (this process) ${share(cpu.bench)}; ${f0((100 * total) / (runSeconds * 1000 * CORES))} % of ${CORES} cores`,
);

console.log(`load average (1 min) at the end: ${f1(loadavg()[0]!)}, other work on this machine included`);

const missed = results.filter((r) => !r.met);
console.log(
  `\n${results.length - missed.length} of ${results.length} targets met${missed.length ? `; missed: ${missed.map((m) => m.figure).join('; ')}` : ''}.`,
);
process.exit(missed.length ? 1 : 0);
