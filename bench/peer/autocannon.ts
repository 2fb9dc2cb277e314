/**
 * Load for bench/peer.ts and bench/cpu-profile.ts: autocannon, loaded from WORKDIR/node_modules
 * (the peer bench installs it), and the probe every response of a run is checked against.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WORKDIR } from './settings.js';

export interface AutocannonOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  duration: number;
  /** Called with every response body; false counts a mismatch. */
  verifyBody?: (body: string) => boolean;
}

export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { average: number; p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
}

/** The run's promise, and an emitter of each response (milliseconds as measured, not rounded). */
export type Autocannon = (opts: AutocannonOptions) => Promise<AutocannonResult> & {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
};

/**
 * One autocannon run, plus the exact mean latency of its 2xx responses: autocannon's histogram
 * keeps whole milliseconds (truncated), so its `latency.average` of sub-millisecond answers reads
 * near 0.
 */
export async function runLoad(autocannon: Autocannon, opts: AutocannonOptions) {
  let sum = 0;
  let count = 0;
  const run = autocannon(opts);
  run.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) {
      sum += ms;
      count++;
    }
  });
  return { result: await run, meanMs: count ? sum / count : Number.NaN };
}

export async function loadAutocannon(): Promise<Autocannon> {
  const file = join(WORKDIR, 'node_modules', 'autocannon', 'autocannon.js');
  return ((await import(pathToFileURL(file).href)) as { default: Autocannon }).default;
}

export interface Probe {
  status: number;
  ok: boolean;
  text: string;
  verify: (body: string) => boolean;
}

/**
 * One request before the load; its answer is what every later response must equal. GraphQL answers
 * are compared by `data` alone because ours add `extensions.upstream` (cache age), which varies.
 */
export async function probe(url: string, headers: Record<string, string>, body?: string): Promise<Probe> {
  const res = await fetch(url, { method: body ? 'POST' : 'GET', headers, body });
  const text = await res.text();
  if (!body) return { status: res.status, ok: res.status === 200, text, verify: (b) => b === text };
  let parsed: { data?: unknown; errors?: unknown } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // not JSON: reported below as a failed probe
  }
  const expected = JSON.stringify(parsed?.data);
  const ok = res.status === 200 && parsed !== undefined && parsed.data != null && parsed.errors === undefined;
  const verify = (b: string) => {
    try {
      const r = JSON.parse(b) as { data?: unknown; errors?: unknown };
      return r.errors === undefined && JSON.stringify(r.data) === expected;
    } catch {
      return false;
    }
  };
  return { status: res.status, ok, text, verify };
}
