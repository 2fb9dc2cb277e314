/** bench/peer.ts's report: medians of the rounds per delay and server, the ratios, and the targets. */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { f1, f2, f3, int } from '../lib/report.js';
import { median } from '../lib/stats.js';
import {
  DELAYS_MS,
  DUR,
  ROUNDS,
  type RunRecord,
  SERVERS,
  type ServerName,
  TARGET_CACHED_VS_MESH,
  TARGET_CACHED_VS_THIN,
  TARGET_READY_MS,
  TARGET_RSS_SHARE_OF_MESH,
  TARGET_UNCACHED_VS_THIN,
  WARMUP_S,
  WORKDIR,
} from './settings.js';

export const flagText = (r: RunRecord) =>
  r.probeOk
    ? `${r.mismatches} mismatches, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts` +
      (r.firstMismatch ? `; first mismatch: ${r.firstMismatch.slice(0, 200)}` : '')
    : `probe HTTP ${r.probeStatus}: ${r.probeBody?.slice(0, 200)}`;

interface Row {
  rps: number;
  p50: number;
  p99: number;
  mean1: number;
  rss: number;
  upstream50: number;
  upstream1: number;
  flagged: boolean;
}

function summarize(runs: RunRecord[], delayMs: number, server: ServerName): Row {
  const at = (c: number) =>
    runs.filter((r) => r.delayMs === delayMs && r.server === server && r.connections === c);
  const of = (c: number, pick: (r: RunRecord) => number) => median(at(c).map(pick));
  return {
    rps: of(50, (r) => r.rps),
    p50: of(50, (r) => r.p50),
    p99: of(50, (r) => r.p99),
    mean1: of(1, (r) => r.meanMs),
    rss: of(50, (r) => r.peakRssMb),
    upstream50: of(50, (r) => r.upstreamPerRequest),
    upstream1: of(1, (r) => r.upstreamPerRequest),
    flagged: [...at(50), ...at(1)].some((r) => r.flagged),
  };
}

export function report(runs: RunRecord[], ready: number[]): boolean {
  const out: string[] = [];
  const rows = new Map<string, Row>();
  for (const d of DELAYS_MS) for (const s of SERVERS) rows.set(`${d}/${s}`, summarize(runs, d, s));
  const row = (d: number, s: ServerName) => rows.get(`${d}/${s}`)!;

  out.push('# Peer bench: ours beside a thin yoga layer and GraphQL Mesh', '');
  out.push(
    `${new Date().toISOString()}, Node ${process.version}, ${availableParallelism()} cores shared by every process ` +
      '(stub, thin, mesh, both ours and autocannon in this process all run at once on 127.0.0.1).',
    '',
    `Settings: ROUNDS=${ROUNDS} (figures are medians of rounds), DUR=${DUR} s per run after a ${WARMUP_S} s warm-up at the same ` +
      'connections; stub delay 0 and 20 ms; fresh processes per round and delay. ' +
      `Ours with every feature on: NODE_ENV=production, AUTH_MODE=tokens (Bearer token checked against AUTH_TOKENS_FILE), ` +
      'metrics on METRICS_PORT, LOG_LEVEL info (one JSON line per request, to WORKDIR/logs), default query limits, ' +
      "OneSignal's rate limits; `ours` with the shared read cache (default), `ours, CACHE=off` without it (in-flight " +
      'sharing still on). Thin and mesh as the peer bench starts them.',
    '',
    'Every response of warm-up and run is checked against a probe made before them: GraphQL by `data` and no ' +
      '`errors` (ours add a varying `extensions.upstream`), the stub by its whole body. Latencies are ' +
      "autocannon's; " +
      "p50/p99 are whole milliseconds (its histogram's), the mean at 1 connection is the exact mean of its per-response " +
      'times (its `latency.average` truncates each to whole ms, so it reads near 0 at 0 ms delay; the JSON lines keep both). ' +
      'Upstream calls per request count warm-up and run.',
    '',
  );
  for (const d of DELAYS_MS) {
    const direct = row(d, 'direct');
    out.push(`## Stub delay ${d} ms`, '');
    out.push(
      '| server | req/s (50 c) | p50 ms (50 c) | p99 ms (50 c) | mean ms (1 c) | added over direct ms (1 c) | peak RSS MB (50 c) | upstream calls/req (50 c / 1 c) |',
      '|---|--:|--:|--:|--:|--:|--:|--:|',
    );
    for (const s of SERVERS) {
      const r = row(d, s);
      out.push(
        `| ${s}${r.flagged ? ' ⚠' : ''} | ${int(r.rps)} | ${r.p50} | ${r.p99} | ${f2(r.mean1)} | ` +
          `${s === 'direct' ? '–' : f1(r.mean1 - direct.mean1)} | ${int(r.rss)} | ${f3(r.upstream50)} / ${f3(r.upstream1)} |`,
      );
    }
    out.push('');
  }
  const flagged = runs.filter((r) => r.flagged);
  if (flagged.length) {
    out.push('**⚠ Runs with wrong answers (their figures do not count):**', '');
    for (const r of flagged) out.push(`- ${r.label}: ${flagText(r)}`);
    out.push('');
  } else {
    out.push(
      'Every response of every run matched its probe: no mismatches, non-2xx, errors or timeouts.',
      '',
    );
  }

  out.push('## Ratios (req/s at 50 connections)', '');
  for (const variant of ['ours', 'ours, CACHE=off'] as const) {
    for (const peer of ['mesh', 'thin'] as const) {
      const parts = DELAYS_MS.map((d) => `${f2(row(d, variant).rps / row(d, peer).rps)}× at ${d} ms`);
      out.push(`- ${variant} ÷ ${peer}: ${parts.join(', ')}`);
    }
  }
  out.push('');

  const verdict = (met: boolean) => (met ? 'met' : '**NOT met**');
  let allMet = true;
  const cell = (value: string, met: boolean) => {
    allMet &&= met;
    return `${value} ${verdict(met)}`;
  };
  out.push(
    '## Targets',
    '',
    'With the cache (the default) against both peers; without it (`CACHE=off`, every read sent ' +
      'upstream unless an identical one is in flight) against thin. Every row decides the exit code.',
    '',
    '| target | delay | measured |',
    '|---|--:|---|',
  );
  for (const d of DELAYS_MS) {
    const [mesh, thin, direct] = [row(d, 'mesh'), row(d, 'thin'), row(d, 'direct')];
    const [cached, uncached] = [row(d, 'ours'), row(d, 'ours, CACHE=off')];
    const added = (r: Row) => r.mean1 - direct.mean1;
    out.push(
      `| ours req/s ≥ ${TARGET_CACHED_VS_MESH}× mesh | ${d} ms | ${cell(`${f2(cached.rps / mesh.rps)}×`, cached.rps >= TARGET_CACHED_VS_MESH * mesh.rps)} |`,
      `| ours req/s ≥ ${TARGET_CACHED_VS_THIN}× thin | ${d} ms | ${cell(`${f2(cached.rps / thin.rps)}×`, cached.rps >= TARGET_CACHED_VS_THIN * thin.rps)} |`,
      `| ours, CACHE=off req/s ≥ ${TARGET_UNCACHED_VS_THIN.toFixed(1)}× thin | ${d} ms | ${cell(`${f2(uncached.rps / thin.rps)}×`, uncached.rps >= TARGET_UNCACHED_VS_THIN * thin.rps)} |`,
      `| ours, CACHE=off added latency at 1 c ≤ thin's (${f1(added(thin))} ms) | ${d} ms | ${cell(`${f1(added(uncached))} ms`, added(uncached) <= added(thin))} |`,
      `| ours added latency at 1 c ≤ thin's (${f1(added(thin))} ms) | ${d} ms | ${cell(`${f1(added(cached))} ms`, added(cached) <= added(thin))} |`,
      `| ours peak RSS ≤ ¼ of mesh's (${int(mesh.rss)} MB) | ${d} ms | ${cell(`${int(cached.rss)} MB = ${f2(cached.rss / mesh.rss)}×`, cached.rss <= TARGET_RSS_SHARE_OF_MESH * mesh.rss)} |`,
    );
  }
  const readyMs = median(ready);
  out.push(
    `| ready < ${TARGET_READY_MS} ms (median of ${ready.length} spawns → first 200 from /health: ${ready.map((t) => Math.round(t)).join(', ')} ms) | – | ${cell(`${Math.round(readyMs)} ms`, readyMs < TARGET_READY_MS)} |`,
    '',
    `Raw runs: ${join(WORKDIR, 'results', 'bench-peer.jsonl')} (appended).`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  return allMet && flagged.length === 0;
}
