/**
 * bench/run.ts's measurements: upstream calls counted by the emulator, sequential and concurrent
 * latencies, and the server process's RSS and CPU time under load.
 */
import { timed, workers } from '../lib/load.js';
import { procCpuMs, procMemMb, rssSampler } from '../lib/proc.js';
import { percentile } from '../lib/stats.js';
import type { Operation } from './operations.js';
import { CONCURRENCY, CONCURRENT_TIME_LIMIT_MS, type KeyConfig, RSS_SAMPLE_MS } from './settings.js';

/** GraphQL and REST alternately, one at a time, so drift hits both alike. */
export async function sequential(a: () => Promise<unknown>, b: () => Promise<unknown>, runs: number) {
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

/** One timed series of `fn`, one call at a time. */
export async function series(fn: () => Promise<unknown>, runs: number) {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) t.push(await timed(fn));
  t.sort((a, b) => a - b);
  return { p50: percentile(t, 50), p99: percentile(t, 99) };
}

export interface ConcurrentResult {
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
export async function concurrent(fn: () => Promise<unknown>, total: number, rssPid?: number) {
  const times: number[] = [];
  let started = 0;
  let errors = 0;
  let firstError: string | undefined;
  const sampler = rssPid ? rssSampler(rssPid, RSS_SAMPLE_MS) : undefined;
  let peakRssMb = Number.NaN;
  const cpuBefore = rssPid ? procCpuMs(rssPid) : Number.NaN;
  const begin = performance.now();
  const deadline = begin + CONCURRENT_TIME_LIMIT_MS;
  try {
    await workers(
      CONCURRENCY,
      () => started < total && performance.now() < deadline,
      async () => {
        started++;
        const t0 = performance.now();
        try {
          await fn();
          times.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? error.message.slice(0, 200) : String(error);
        }
      },
    );
  } finally {
    if (sampler) peakRssMb = sampler.stop();
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

interface Stats {
  total: number;
  byOperation: Record<string, number>;
}

/** The emulator's test hooks: its request counts, and a reset of them or of its data. */
export function emulatorHooks(baseUrl: string) {
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

export type EmulatorHooks = ReturnType<typeof emulatorHooks>;

/** Upstream requests that one call of `fn` causes, per OneSignal operation. */
export async function upstreamCalls(emulator: EmulatorHooks, fn: () => Promise<unknown>) {
  await emulator.resetStats();
  await fn();
  const stats = await emulator.stats();
  const detail = Object.entries(stats.byOperation)
    .map(([op, n]) => `${op}×${n}`)
    .join(' ');
  return { total: stats.total, detail };
}

export interface OpResult {
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

export interface ConfigResult {
  config: KeyConfig;
  results: OpResult[];
  /** spawn → first /health 200, ms, per server started. */
  ready: number[];
  selfReported: number[];
  idleRssMb: number;
  hwmMb: number;
  rssEndMb: number;
}
