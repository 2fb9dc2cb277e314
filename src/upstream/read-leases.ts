import { createHash, randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** RedisHealth's reporting half (redis.ts imports this module's users: no import back). */
interface Health {
  ok(): void;
  failed(error: unknown): void;
}

/**
 * One upstream read per resource across replicas: before a replica sends a cacheable read, it takes
 * a short lease on the cache key in Redis (`SET NX PX`). The replicas that find the lease taken wait
 * for the holder's answer to land in the shared cache instead of sending the same read: the holder
 * publishes the key when it is done (Redis pub/sub), and waiters also look at the lease every
 * `pollMs` in case they missed the message or the holder died. Within a process SharedReads' in-flight
 * map already joins identical reads, so at most one waiter per key and process talks to Redis.
 *
 * The holder renews its lease while it waits for the rate budget and OneSignal, so a slow read keeps
 * it; a holder that dies stops renewing, its lease expires within `ttlMs`, and a waiter takes over.
 * Lease keys and messages are a SHA-256 of the cache key (itself a credential hash and a path), never
 * a key or secret.
 */

/** A lease this process holds on one read. */
export interface ReadLease {
  /** Gives the lease back and tells the waiters (after the answer is cached, or the read failed). */
  release(): Promise<void>;
}

/** Cross-replica leases on reads; SharedReads uses them only with a shared cache to wait on. */
export interface ReadLeases {
  /**
   * This process's lease on `key`; `'taken'`: another replica holds it; `undefined`: leases are
   * unavailable (Redis unreachable), so the caller reads by itself as without leases.
   */
  take(key: string): Promise<ReadLease | 'taken' | undefined>;
  /** Resolves once `key`'s lease is released or expired, or after `ms`, whichever comes first. */
  released(key: string, ms: number): Promise<void>;
}

/** A read's answer, and whether it came from the cache (another replica's read) rather than the wire. */
export interface Leased<E> {
  entry: E;
  cached: boolean;
}

/** What `leasedRead` needs of the cache (SharedReads' CacheStore; named here to import nothing back). */
interface LeasedCache<E> {
  get(key: string, tags: readonly string[]): Promise<E | undefined>;
  forget?(key: string): void;
}

/**
 * Fetches under the key's lease, or waits for the replica holding it and takes its answer from the
 * cache. When the wait ends without one (the holder's read failed, its answer was not cacheable or
 * went stale at once, or the holder died and its lease expired), the lease is tried again; after
 * `waitMs` in all, or with Redis unreachable, this process fetches by itself. `fetch` reads upstream
 * and stores the answer in the cache.
 */
export async function leasedRead<E>(
  leases: ReadLeases,
  cache: LeasedCache<E>,
  key: string,
  tags: readonly string[],
  waitMs: number,
  fetch: () => Promise<E>,
): Promise<Leased<E>> {
  // Another replica's answer, if it is in the cache now (this read then stores nothing).
  const landed = async (): Promise<Leased<E> | undefined> => {
    const entry = await cache.get(key, tags);
    if (entry === undefined) return undefined;
    cache.forget?.(key);
    return { entry, cached: true };
  };
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const lease = await leases.take(key);
    if (lease !== 'taken') {
      try {
        if (lease) {
          // The lease may be free because its holder has just answered, after this read's miss. The
          // versions this look saw, not those of some earlier miss in this process (a read that
          // joined another's answer leaves its own behind), are those the answer is stored under.
          cache.forget?.(key);
          const answered = await landed();
          if (answered) return answered;
        }
        return { entry: await fetch(), cached: false };
      } finally {
        await lease?.release();
      }
    }
    await leases.released(key, deadline - Date.now());
    const answered = await landed();
    if (answered) return answered;
  }
  return { entry: await fetch(), cached: false };
}

export interface RedisReadLeasesOptions {
  /** How long a lease outlives its holder's last renewal (renewed every third of it). */
  ttlMs?: number;
  /** How often a waiter checks the lease itself, besides listening for the holder's message. */
  pollMs?: number;
}

/** The channel holders publish released keys on (ioredis prefixes keys, not channels: named in full). */
const CHANNEL = 'onesignal-graphql:lease-released';

/** KEYS: the lease; ARGV: the holder's token, the channel, the message. Frees only the holder's own lease. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;

/** KEYS: the lease; ARGV: the holder's token, the ttl. Extends only a lease still the holder's. */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** One Redis or a Redis Cluster: the lease is one key per command, and `PUBLISH` reaches every node. */
type Connection = Redis | Cluster;

type LeaseRedis = Connection & {
  leaseRelease(key: string, token: string, channel: string, message: string): Promise<number>;
  leaseRenew(key: string, token: string, ttlMs: string): Promise<number>;
};

export class RedisReadLeases implements ReadLeases {
  private readonly redis: LeaseRedis;
  private readonly subscriber: Connection;
  private readonly ttlMs: number;
  private readonly pollMs: number;
  /** This process's waiters, by lease id. */
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    redis: Connection,
    private readonly health: Health,
    options: RedisReadLeasesOptions = {},
  ) {
    redis.defineCommand('leaseRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    redis.defineCommand('leaseRenew', { numberOfKeys: 1, lua: RENEW_SCRIPT });
    this.redis = redis as LeaseRedis;
    this.ttlMs = options.ttlMs ?? 3_000;
    this.pollMs = options.pollMs ?? 250;
    // A subscribed connection can send nothing else: a second one, listening only. Its failures are
    // the main connection's to report (same Redis); while it is down, waiters fall back to polling.
    this.subscriber = redis.duplicate();
    this.subscriber.on('error', () => {});
    this.subscriber.on('ready', () => void this.subscriber.subscribe(CHANNEL).catch(() => {}));
    this.subscriber.on('message', (_channel: string, id: string) => {
      for (const wake of this.waiters.get(id) ?? []) wake();
    });
    void this.subscriber.connect().catch(() => {});
  }

  async take(key: string): Promise<ReadLease | 'taken' | undefined> {
    const id = leaseId(key);
    const token = randomBytes(9).toString('base64url');
    try {
      const set = await this.redis.set(leaseKey(id), token, 'PX', this.ttlMs, 'NX');
      this.health.ok();
      if (set !== 'OK') return 'taken';
    } catch (error) {
      this.health.failed(error);
      return undefined;
    }
    const renewal = setInterval(
      () => void this.redis.leaseRenew(leaseKey(id), token, String(this.ttlMs)).catch(() => {}),
      Math.max(10, Math.floor(this.ttlMs / 3)),
    );
    renewal.unref();
    return {
      release: async () => {
        clearInterval(renewal);
        try {
          await this.redis.leaseRelease(leaseKey(id), token, CHANNEL, id);
        } catch (error) {
          // The lease expires by itself; waiters notice through their polls.
          this.health.failed(error);
        }
      },
    };
  }

  released(key: string, ms: number): Promise<void> {
    const id = leaseId(key);
    return new Promise<void>((resolve) => {
      let waiting = true;
      const finish = () => {
        if (!waiting) return;
        waiting = false;
        clearTimeout(timer);
        clearInterval(poll);
        const set = this.waiters.get(id);
        set?.delete(finish);
        if (set?.size === 0) this.waiters.delete(id);
        resolve();
      };
      const set = this.waiters.get(id) ?? new Set();
      set.add(finish);
      this.waiters.set(id, set);
      const timer = setTimeout(finish, Math.max(0, ms));
      // Also asks Redis: the message may have gone out before this waiter listened, or never (the
      // holder died). An unreachable Redis ends the wait too: the caller then reads by itself.
      const check = () =>
        void this.redis.exists(leaseKey(id)).then(
          (exists) => exists === 0 && finish(),
          () => finish(),
        );
      const poll = setInterval(check, this.pollMs);
      check();
    });
  }

  async close(): Promise<void> {
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }
}

const leaseId = (key: string) => createHash('sha256').update(key).digest('base64url');
const leaseKey = (id: string) => `lease:${id}`;
