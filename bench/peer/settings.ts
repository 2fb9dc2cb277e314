/**
 * bench/peer.ts's settings: rounds and durations (ROUNDS, DUR), the peer bench's fixed ports
 * (PORT_OFFSET moves them), the query each server answers, the targets, and what one run records.
 */
import { join } from 'node:path';
import { ROOT } from '../lib/stack.js';

export const WORKDIR = process.env.WORKDIR ?? '/tmp/peer-bench';
export const PEER_BENCH_DIR = process.env.PEER_BENCH_DIR ?? join(ROOT, '..', 'shared', 'peer-bench');
export const ROUNDS = Number(process.env.ROUNDS ?? 2);
export const DUR = Number(process.env.DUR ?? 10);
export const WARMUP_S = 2;
export const DELAYS_MS = [0, 20] as const;
export const CONNECTIONS = [50, 1] as const;
export const READY_RUNS = 5;
export const RSS_SAMPLE_MS = 250;
export const START_TIMEOUT_MS = 30_000;

/** The peer bench's ports; PORT_OFFSET moves them all when another run holds them. */
const PORT_OFFSET = Number(process.env.PORT_OFFSET ?? 0);
export const STUB_PORT = 4010 + PORT_OFFSET;
export const THIN_PORT = 4002 + PORT_OFFSET;
export const MESH_PORT = 4000 + PORT_OFFSET;
export const OURS_PORT = 4003 + PORT_OFFSET;
export const OURS_NO_CACHE_PORT = 4004 + PORT_OFFSET;

export const APP_ID = '9a3f2c1e-4b5d-4e6f-8a7b-1c2d3e4f5a6b';
export const REST_KEY = 'test-rest-key-123';
export const THIN_QUERY = `{ app(id: "${APP_ID}") { id name players } }`;
export const MESH_QUERY = `{ get_app(app_id: "${APP_ID}") { ... on App { id name players } } }`;
export const OURS_QUERY = `{ app(id: "${APP_ID}") { id name playerCount messageablePlayerCount } }`;

/** The project's targets: with the cache (the default) against both peers, without it against thin. */
export const TARGET_CACHED_VS_MESH = 2.5;
export const TARGET_CACHED_VS_THIN = 1.5;
export const TARGET_UNCACHED_VS_THIN = 1.0;
export const TARGET_RSS_SHARE_OF_MESH = 1 / 4;
export const TARGET_READY_MS = 1_000;

export type ServerName = 'direct' | 'thin' | 'mesh' | 'ours' | 'ours, CACHE=off';
export const SERVERS: ServerName[] = ['direct', 'thin', 'mesh', 'ours', 'ours, CACHE=off'];

export interface RunRecord {
  label: string;
  round: number;
  delayMs: number;
  server: string;
  connections: number;
  durationS: number;
  probeStatus: number;
  probeOk: boolean;
  probeBody?: string;
  rps: number;
  p50: number;
  p99: number;
  /** Exact mean of the 2xx latencies (see runLoad). */
  meanMs: number;
  /** autocannon's `latency.average`, of whole milliseconds. */
  meanMsAutocannon: number;
  total: number;
  warmupTotal: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  firstMismatch?: string;
  peakRssMb: number;
  upstreamCalls: number;
  upstreamPerRequest: number;
  flagged: boolean;
}
