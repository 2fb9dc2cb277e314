/**
 * bench/run.ts's settings: how long each phase runs, the upstream latency, the targets it checks,
 * and the key configurations it repeats everything for.
 */
import { demoApp } from '../lib/stack.js';

export const LATENCY_MS = 20;
/** Per operation and server, before measuring: the server's JIT needs a few hundred requests to settle. */
export const WARMUP_RUNS = 30;
export const SEQUENTIAL_RUNS = 50;
/** Timed cached repeats per read operation. */
export const CACHED_RUNS = 20;
export const CONCURRENCY = 50;
export const CONCURRENT_REQUESTS = 400;
export const CONCURRENT_TIME_LIMIT_MS = 3_000;
export const RSS_SAMPLE_MS = 50;
export const START_TIMEOUT_MS = 20_000;
/** Hard stop for the whole bench (three configurations), whatever happens. */
export const WATCHDOG_MS = 300_000;

export const TARGET_OVERHEAD_MS = 2;
export const TARGET_RSS_MB = 200;
export const TARGET_READY_MS = 1_000;

export const SHOP = demoApp(0);

/** The key configurations a user can choose: what the server holds. */
export interface KeyConfig {
  name: string;
  orgKey: boolean;
  appKeys: boolean;
}
export const CONFIGURATIONS: KeyConfig[] = [
  { name: 'org key only', orgKey: true, appKeys: false },
  { name: 'app keys only', orgKey: false, appKeys: true },
  { name: 'both', orgKey: true, appKeys: true },
];
