import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who the upstream calls made now are for: the name authentication gave the GraphQL request (a JWT
 * `sub`, a token's name, `passthrough:<hash>`), never a key. The HTTP layer runs each operation inside
 * `withUpstreamCaller`, so every call its resolvers and loaders make, however deep, carries it to the
 * scheduler, which serves an app's waiting callers in turns instead of first come first served.
 */
interface UpstreamScope {
  caller: string;
  /**
   * When the GraphQL query making these calls began (Date.now()): its reads share one deadline from
   * then (`readDeadlineMs`), so a request of several reads in a row, an app key's look-up and then
   * the read, still answers before the client gives up. Unset for mutations and subscriptions, whose
   * reads each get the deadline from when they are made.
   */
  startedAt?: number;
}

const current = new AsyncLocalStorage<UpstreamScope>();

/** Calls made outside any GraphQL request (startup checks, the delivery poll) share this name. */
export const SERVER_CALLER = 'server';

export const withUpstreamCaller = <T>(caller: string, fn: () => T, startedAt?: number): T =>
  current.run(startedAt === undefined ? { caller } : { caller, startedAt }, fn);

export const upstreamCaller = (): string => current.getStore()?.caller ?? SERVER_CALLER;

/** When the query making the current calls began, if a query is making them. */
export const queryStartedAt = (): number | undefined => current.getStore()?.startedAt;

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
