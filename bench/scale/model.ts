/**
 * The scale model on paper (docs/operating.md, "Upstream calls at scale"): how many upstream calls
 * per app per second a fleet of dashboards costs, from the users on each app, how often each loads,
 * the cache TTL of each resource the dashboard reads and the replicas. Pure, so `npm run bench:scale`
 * prints it beside what it measures. TTLs and budgets are the server's own defaults, imported.
 */
import { appLimitOf, type LimitClass, type Rate, ratesFor } from '../../src/onesignal/limits.js';
import { type CacheTtls, DEFAULT_CACHE_TTLS } from '../../src/upstream/shared-reads.js';

/** One upstream read a dashboard load makes, and the kind of answer (its TTL) it caches as. */
export interface DashboardRead {
  operation: string;
  ttl: keyof CacheTtls;
}

/**
 * bench/lib/dashboard.ts's query: the app (`get_app`, with the organization key, cached as an app's
 * settings) and its 50 latest notifications (`get_notifications`, cached as a list page); see
 * `resourceOf` in src/upstream/shared-reads.ts.
 */
export const DASHBOARD_READS: readonly DashboardRead[] = [
  { operation: 'get_app', ttl: 'apps' },
  { operation: 'get_notifications', ttl: 'lists' },
];

/**
 * Where the replicas keep cache and budgets: `redis` shared (with read leases); `memory`, each its
 * own (no REDIS_URL); `redis-lost`, REDIS_URL set but Redis gone: nothing cached, each replica
 * spends the app's budget divided by the replicas it last counted (src/upstream/replicas.ts).
 */
export type SharedState = 'redis' | 'memory' | 'redis-lost';

export interface Deployment {
  usersPerApp: number;
  /** Mean seconds between one user's loads (think time; a load itself is milliseconds). */
  secondsBetweenLoads: number;
  replicas: number;
  shared: SharedState;
  /** OneSignal's answer time, s: an entry's TTL starts when the answer is stored. */
  upstreamSeconds: number;
  ttls?: CacheTtls;
}

export interface ReadPrediction {
  operation: string;
  ttlSeconds: number;
  /** OneSignal's per-app class for the operation; undefined when OneSignal does not limit it. */
  limitClass: LimitClass | undefined;
  budget: Rate | undefined;
  /** Reads of the resource per app per second, one per load: U / Z. */
  readsPerSecond: number;
  /** Upstream calls per app per second, steady state, within what OneSignal allows. */
  callsPerSecond: number;
  /** Whether the budget, not the cache, sets `callsPerSecond` (more reads wait, or fail at their deadline). */
  heldToBudget: boolean;
}

/**
 * Seconds from one miss to the next of one cache (TTL T) in front of reads arriving at λ per second:
 * the answer takes L to arrive and is then fresh for T, and the first read after that misses again,
 * on average 1/λ later. Its inverse, 1 / (T + L + 1/λ), is at most min(λ, 1/T).
 */
const missCycle = (readsPerSecond: number, ttlSeconds: number, upstreamSeconds: number) =>
  ttlSeconds + upstreamSeconds + 1 / readsPerSecond;

/** Misses per second of one cache (TTL 0: reads joined only while one is in flight). */
export const missesPerSecond = (readsPerSecond: number, ttlSeconds: number, upstreamSeconds: number) =>
  readsPerSecond > 0 ? 1 / missCycle(readsPerSecond, ttlSeconds, upstreamSeconds) : 0;

/** Upstream calls per app per second for each read of the dashboard. */
export function predict(deployment: Deployment): ReadPrediction[] {
  const ttls = deployment.ttls ?? DEFAULT_CACHE_TTLS;
  const rates = ratesFor('free');
  const replicas = Math.max(1, deployment.replicas);
  const reads = deployment.usersPerApp / deployment.secondsBetweenLoads;
  return DASHBOARD_READS.map(({ operation, ttl }) => {
    const ttlSeconds = ttls[ttl] / 1000;
    const limitClass = appLimitOf(operation);
    const budget = limitClass && rates[limitClass];
    // A shared cache and leases keep one copy of each entry, however many replicas read it; in
    // memory each replica caches for itself what its 1/R share of the reads asks; with Redis lost
    // nothing is cached, and each replica only joins identical reads while one is in flight.
    const copies = deployment.shared === 'redis' ? 1 : replicas;
    const fresh = deployment.shared === 'redis-lost' ? 0 : ttlSeconds;
    const calls = copies * missesPerSecond(reads / copies, fresh, deployment.upstreamSeconds);
    const cap = budget && budget.perSecond * (deployment.shared === 'memory' ? replicas : 1);
    return {
      operation,
      ttlSeconds,
      limitClass,
      budget,
      readsPerSecond: reads,
      callsPerSecond: cap === undefined ? calls : Math.min(calls, cap),
      heldToBudget: cap !== undefined && calls > cap,
    };
  });
}

/** The cache copies (and budgets) a deployment keeps: one shared, or one per replica in memory. */
const copiesOf = (deployment: Deployment) =>
  deployment.shared === 'memory' ? Math.max(1, deployment.replicas) : 1;

/**
 * The calls a run of `seconds` from an empty cache should make for one read, per app: per cache
 * copy, a miss at the first read and one per miss cycle after it.
 */
export function runExpectation(read: ReadPrediction, deployment: Deployment, seconds: number): number {
  const reads = read.readsPerSecond * seconds;
  if (read.ttlSeconds <= 0 || deployment.shared === 'redis-lost')
    return Math.round(read.callsPerSecond * seconds);
  const copies = copiesOf(deployment);
  const perCopy = read.readsPerSecond / copies;
  const cycle = missCycle(perCopy, read.ttlSeconds, deployment.upstreamSeconds);
  const misses = copies * (1 + Math.floor(Math.max(0, seconds - 1 / perCopy) / cycle));
  return Math.min(Math.round(reads), misses, runBound(read, deployment, seconds));
}

/**
 * The most calls a run of `seconds` from an empty cache may make for one read, per app, by the
 * model: with a cache, one miss at the first read and at most one per TTL after it (1 + ⌊D/T⌋) per
 * cache copy; and never more than the budgets allow (burst + rate × D, one budget per copy).
 */
export function runBound(read: ReadPrediction, deployment: Deployment, seconds: number): number {
  const copies = copiesOf(deployment);
  const cached = read.ttlSeconds > 0 && deployment.shared !== 'redis-lost';
  const perTtl = cached ? copies * (1 + Math.floor(seconds / read.ttlSeconds)) : Number.POSITIVE_INFINITY;
  const budget = read.budget ? copies * budgetOver(read.budget, seconds) : Number.POSITIVE_INFINITY;
  return Math.min(perTtl, budget);
}

/** Calls a budget allows in `seconds` from full: its burst, then its rate. */
export const budgetOver = (budget: Rate, seconds: number) =>
  Math.floor(budget.burst + budget.perSecond * seconds);
