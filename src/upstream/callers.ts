/**
 * Who the upstream calls made through a client are for, and how: each GraphQL request builds one
 * scope (src/http/server.ts) and a client bound to it (`scopedClient`), so every call its resolvers
 * and loaders make, however deep, carries it to the scheduler, which serves an app's waiting callers
 * in turns instead of first come first served. The scope is passed by hand rather than held in an
 * AsyncLocalStorage: once one is in use Node 20 runs promise hooks on every promise of every request,
 * which cost the uncached hot path about a sixth of its throughput (bench/cpu-profile.ts).
 */
export interface UpstreamScope {
  /** The name authentication gave the request (a JWT `sub`, a token's name, `passthrough`), never a key. */
  readonly caller: string;
  /**
   * When the GraphQL query making these calls began (Date.now()): its reads share one deadline from
   * then (`readDeadlineMs`), so a request of several reads in a row, an app key's look-up and then
   * the read, still answers before the client gives up. Set once the operation is known to be a
   * query; unset for mutations and subscriptions, whose reads each get the deadline from when they
   * are made.
   */
  startedAt?: number;
  /** `Cache-Control: no-cache`: reads skip cached answers (and refresh the cache with what they get). */
  readonly bypassCache?: boolean;
  /** The request's id, for the log lines its calls write. */
  readonly requestId?: string;
  /** Counts of what the scope's calls did, kept by whoever made the scope (the request's log record). */
  readonly tally?: UpstreamTally;
}

/** What one request's upstream calls did: it becomes part of its log line and its `extensions.upstream`. */
export interface UpstreamTally {
  /** HTTP attempts sent to OneSignal, retries included. */
  calls: number;
  retries: number;
  failures: number;
  /** Time calls waited for their rate-limit budget before being sent. */
  queuedMs: number;
  /** Reads answered from the shared cache. */
  cacheHits: number;
  /** Reads that joined the same read already in flight (for any request). */
  sharedReads: number;
  /** Age of the oldest data the response used, when any came from the cache (ms). */
  oldestDataMs: number;
}

/** Calls made outside any GraphQL request (startup checks, the delivery poll) share this name. */
export const SERVER_CALLER = 'server';

/** The scope of calls made outside any request. */
export const SERVER_SCOPE: UpstreamScope = { caller: SERVER_CALLER };

/**
 * `ONESIGNAL_CALLER_SHARES`: `name:weight,...`. A caller of weight 3 is served three calls per turn
 * where others (weight 1 unless named) are served one, while both wait for the same app's budget.
 */
export function parseCallerShares(value: string, variable = 'ONESIGNAL_CALLER_SHARES'): Map<string, number> {
  const shares = new Map<string, number>();
  for (const entry of value.split(',')) {
    const trimmed = entry.trim();
    if (!trimmed) continue;
    const at = trimmed.lastIndexOf(':');
    const name = trimmed.slice(0, at).trim();
    const weight = Number(trimmed.slice(at + 1));
    if (at <= 0 || !name || !Number.isInteger(weight) || weight < 1 || weight > 100)
      throw new Error(
        `${variable} must be a comma-separated list of name:weight, each weight a whole number from 1 to 100, e.g. "reporting:1,dashboard:3"; "${trimmed}" is not.`,
      );
    shares.set(name, weight);
  }
  return shares;
}
