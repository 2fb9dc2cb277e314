import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full GC kept, before the next one.
 *
 * Left to itself on a machine with a few GB of memory, V8 lets the heap grow to about 4× its live
 * size, so under load this server (about 25 MB live) held 100+ MB of dead objects at peaks: RSS
 * 200–260 MB at 50 connections. At 50 % growth it peaks near 130–190 MB, with no loss of throughput
 * measurable on this machine (bench/shared-reads.ts prints both; bench/peer.ts the default's).
 *
 * V8 reads this flag each time it sets the next GC's limit, so setting it at start-up takes effect;
 * the flags that size the heap itself (`--max-old-space-size`, `--max-semi-space-size`) are read once,
 * when the process starts, and can only be given on the command line.
 */
export const DEFAULT_HEAP_GROWING_PERCENT = 50;

export interface HeapSetting {
  /** The growth applied, or undefined when V8 chooses (`HEAP_GROWING_PERCENT=0`, or set by the user). */
  percent: number | undefined;
  /** Where it came from, for the start-up banner. */
  source: string;
}

/**
 * Applies `HEAP_GROWING_PERCENT` (default 50; 0 leaves V8's own, up to 300 %) unless the process was
 * started with `--heap-growing-percent` already (on the command line or in NODE_OPTIONS), which wins.
 */
export function configureHeapGrowth(
  env: NodeJS.ProcessEnv = process.env,
  execArgv: readonly string[] = process.execArgv,
): HeapSetting {
  const given = [...execArgv, ...(env.NODE_OPTIONS?.split(/\s+/) ?? [])].find((a) =>
    /^--heap[-_]growing[-_]percent(=|$)/.test(a),
  );
  if (given) return { percent: undefined, source: `${given} (node option)` };
  const raw = env.HEAP_GROWING_PERCENT?.trim();
  if (raw && !/^\d+$/.test(raw))
    throw new Error(`HEAP_GROWING_PERCENT must be a whole number of percent (0: V8 decides), got "${raw}".`);
  const percent = raw ? Number(raw) : DEFAULT_HEAP_GROWING_PERCENT;
  if (percent === 0) return { percent: undefined, source: 'V8 default (HEAP_GROWING_PERCENT=0)' };
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return { percent, source: raw ? 'HEAP_GROWING_PERCENT' : 'default' };
}
