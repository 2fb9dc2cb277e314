/** bench/run.ts's report: per key configuration its tables, then one row per target, PASS or FAIL. */
import { availableParallelism } from 'node:os';
import { f0, f1, signed, table } from '../lib/report.js';
import { median } from '../lib/stats.js';
import type { ConcurrentResult, ConfigResult, OpResult } from './measure.js';
import { firstFloor } from './operations.js';
import {
  CACHED_RUNS,
  CONCURRENCY,
  CONCURRENT_REQUESTS,
  CONCURRENT_TIME_LIMIT_MS,
  type KeyConfig,
  LATENCY_MS,
  SEQUENTIAL_RUNS,
  TARGET_OVERHEAD_MS,
  TARGET_READY_MS,
  TARGET_RSS_MB,
  WARMUP_RUNS,
} from './settings.js';

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const upstreamText = (c: { total: number; detail: string }) =>
  `${c.total}${c.detail ? ` (${c.detail})` : ''}`;
const con = (c: ConcurrentResult) =>
  `${f1(c.p50)} / ${f1(c.p99)} @ ${f0(c.rps)}${c.errors ? ` (${c.errors} err)` : ''}`;
const overhead = (r: OpResult) => r.seqGql.p50 - r.seqRest.p50;
const atFloor = (r: OpResult, config: KeyConfig) =>
  r.gqlCalls.total <= r.op.floor && r.firstCalls.total <= firstFloor(r.op, config);

export function report(all: ConfigResult[]) {
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
