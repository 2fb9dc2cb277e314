import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import { hashTagged, type RedisConnection, redisClient } from './redis-connection.js';
import { fallbackRate, type ReplicaCount } from './replicas.js';
import { type BucketStore, MemoryBucketStore, type Rate, windowOf } from './scheduler.js';
import type { CachedRead, CacheStore } from './shared-reads.js';

/**
 * The shared stores with `REDIS_URL`: every replica reads and writes one cache and one set of rate
 * budgets. Redis is a help, never a dependency: when it is unreachable the cache is skipped (reads go
 * upstream), budgets fall back to each process's own, and requests never fail because of it.
 *
 * Reads in flight are joined across replicas by leases (read-leases.ts): one replica fetches a
 * resource while the others wait for its answer in this cache.
 */

const PREFIX = 'onesignal-graphql:';

export { redisUrlShown } from './redis-connection.js';

/**
 * One connection per process (to one Redis, or a cluster client with a connection per node), failing
 * fast: a dead Redis answers "no" at once instead of hanging requests.
 */
export function connectRedis(url: string): RedisConnection {
  return redisClient(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 1,
    // While disconnected, commands fail at once (and reads go upstream) rather than queue up.
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    keyPrefix: PREFIX,
  });
}

/**
 * Tells once when Redis becomes unreachable and once when it is back, whatever the number of
 * failed commands in between. Messages name the host, never the password.
 */
export class RedisHealth {
  private down = false;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly shownUrl: string,
    private readonly secret: string | undefined,
    private readonly log: (message: string) => void,
  ) {}

  failed(error: unknown): void {
    if (this.down) return;
    this.down = true;
    let reason = error instanceof Error ? error.message : String(error);
    if (this.secret) reason = reason.split(this.secret).join('***');
    this.log(
      `Redis at ${this.shownUrl} is unreachable (${reason}): reads go uncached to OneSignal and each replica keeps its own rate budgets until it is back.`,
    );
  }

  ok(): void {
    if (!this.down) return;
    this.down = false;
    this.log(`Redis at ${this.shownUrl} is reachable again: the cache and rate budgets are shared again.`);
    for (const listener of this.listeners) listener();
  }

  onBack(listener: () => void): void {
    this.listeners.push(listener);
  }
}

/**
 * Tag versions are random tokens, not counters, and an entry is stored only with tokens that exist:
 * `get` and `set` create a missing version key before reading it. So a version key that expired or was evicted
 * (Redis' maxmemory policy may drop any key) reads as missing, which never equals a stored token: the
 * entries under that tag turn stale, the safe direction. Counters would restart at 1 after an expiry
 * and could match an entry stored under the old 1. Version keys live a day and every `set` under a tag
 * extends it, so in practice they outlive the entries that saw them.
 */
const VERSION_TTL_MS = 24 * 3600_000;

/**
 * KEYS: the entry, then its tags' version keys; ARGV: a fresh token, the version ttl. Returns the entry
 * (or false) and the current versions, creating missing ones so that the miss has versions to compare.
 */
const GET_SCRIPT = `
local versions = {}
for i = 2, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if not v then
    v = ARGV[1]
    redis.call('SET', KEYS[i], v, 'PX', ARGV[2])
  end
  versions[i - 1] = v
end
return { redis.call('GET', KEYS[1]) or false, table.concat(versions, ',') }`;

/**
 * KEYS: the entry, then its tags' version keys. ARGV: entry JSON, ttl ms, a fresh token, the version
 * ttl, and the versions the miss saw (or '-' for none). Stores the entry with its tags' versions,
 * unless a write changed them since the miss: an answer fetched before an invalidation must not be
 * cached under the version that came after it.
 */
const SET_SCRIPT = `
local versions = {}
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], ARGV[3], 'NX', 'PX', ARGV[4])
  redis.call('PEXPIRE', KEYS[i], ARGV[4])
  versions[i - 1] = redis.call('GET', KEYS[i])
end
local joined = table.concat(versions, ',')
if ARGV[5] ~= '-' and ARGV[5] ~= joined then return 0 end
redis.call('SET', KEYS[1], joined .. '\\n' .. ARGV[1], 'PX', ARGV[2])
return 1`;

type ScriptedRedis = RedisConnection & {
  cacheGet(numberOfKeys: number, ...keysThenArgs: string[]): Promise<[string | null, string]>;
  cacheSet(numberOfKeys: number, ...keysThenArgs: string[]): Promise<number>;
};

export interface RedisCacheStoreOptions {
  health: RedisHealth;
  /** Entries whose JSON is longer are not stored (Redis' maxmemory bounds the total). */
  maxEntryBytes?: number;
}

export class RedisCacheStore implements CacheStore {
  private readonly redis: ScriptedRedis;
  private readonly health: RedisHealth;
  private readonly maxEntryBytes: number;
  /** The versions each miss saw, until its answer is stored (bounded: a failed fetch stores nothing). */
  private readonly seenAtMiss = new LRUCache<string, string>({ max: 10_000 });
  /** Invalidations Redis did not take while unreachable, sent again when it is back. */
  private readonly unsent = new Set<string>();

  constructor(redis: RedisConnection, options: RedisCacheStoreOptions) {
    redis.defineCommand('cacheGet', { lua: GET_SCRIPT });
    redis.defineCommand('cacheSet', { lua: SET_SCRIPT });
    this.redis = redis as ScriptedRedis;
    this.health = options.health;
    this.maxEntryBytes = options.maxEntryBytes ?? 32 * 1024 * 1024;
    options.health.onBack(() => void this.invalidate([]));
  }

  async get(key: string, tags: readonly string[]): Promise<CachedRead | undefined> {
    const slot = this.slotOf(tags);
    if (slot === false) return undefined;
    let stored: string | null;
    let current: string;
    try {
      [stored, current] = await this.redis.cacheGet(
        tags.length + 1,
        this.entryKey(slot, key),
        ...tags.map((tag) => this.versionKey(slot, tag)),
        token(),
        String(VERSION_TTL_MS),
      );
      this.health.ok();
    } catch (error) {
      this.health.failed(error);
      return undefined;
    }
    const newline = stored?.indexOf('\n') ?? -1;
    if (stored && newline >= 0 && stored.slice(0, newline) === current) {
      return JSON.parse(stored.slice(newline + 1)) as CachedRead;
    }
    if (!this.seenAtMiss.has(key)) this.seenAtMiss.set(key, current);
    return undefined;
  }

  forget(key: string): void {
    this.seenAtMiss.delete(key);
  }

  async set(key: string, tags: readonly string[], entry: CachedRead, ttlMs: number): Promise<void> {
    const seen = this.seenAtMiss.get(key);
    this.seenAtMiss.delete(key);
    const json = JSON.stringify(entry);
    if (json.length > this.maxEntryBytes) return;
    const slot = this.slotOf(tags);
    if (slot === false) return;
    try {
      await this.redis.cacheSet(
        tags.length + 1,
        this.entryKey(slot, key),
        ...tags.map((tag) => this.versionKey(slot, tag)),
        json,
        String(Math.max(1, Math.round(ttlMs))),
        token(),
        String(VERSION_TTL_MS),
        // A read with Cache-Control: no-cache saw no versions before its fetch: nothing to check.
        seen ?? '-',
      );
      this.health.ok();
    } catch (error) {
      this.health.failed(error);
    }
  }

  async invalidate(tags: readonly string[]): Promise<void> {
    for (const tag of tags) this.unsent.add(tag);
    if (this.unsent.size === 0) return;
    const pending = [...this.unsent];
    this.unsent.clear();
    try {
      // One pipeline per slot: a cluster client refuses a pipeline whose keys live on several nodes.
      const bySlot = new Map<string, string[]>();
      for (const tag of pending) {
        const slot = slotOfTag(tag);
        bySlot.set(slot, [...(bySlot.get(slot) ?? []), tag]);
      }
      await Promise.all(
        [...bySlot].map(async ([slot, slotTags]) => {
          const pipeline = this.redis.pipeline();
          for (const tag of slotTags) pipeline.set(this.versionKey(slot, tag), token(), 'PX', VERSION_TTL_MS);
          const results = await pipeline.exec();
          const failure = results?.find(([error]) => error)?.[0];
          if (failure) throw failure;
        }),
      );
      this.health.ok();
    } catch (error) {
      // Kept for when Redis is back: entries stored before the outage may outlive it.
      if (this.unsent.size + pending.length <= 100_000) for (const tag of pending) this.unsent.add(tag);
      this.health.failed(error);
    }
  }

  /**
   * The hash tag every key of a read shares, so its scripts stay in one cluster slot: the app its
   * tags name (each app's entries and versions on one slot, apps spread over the cluster), `apps` for
   * the app list and app settings. False when the tags name several: not cached (no read has such
   * tags today; a future one is then safe, merely uncached).
   */
  private slotOf(tags: readonly string[]): string | false {
    if (!(this.redis instanceof Cluster)) return '';
    const slots = new Set(tags.map(slotOfTag));
    if (slots.size > 1) return false;
    return [...slots][0] ?? '';
  }

  private entryKey(slot: string, key: string) {
    return hashTagged(this.redis, slot, `cache:${key}`);
  }

  private versionKey(slot: string, tag: string) {
    return hashTagged(this.redis, slot, `tag:${tag}`);
  }
}

/** `notifications:<app>`, `notification:<app>/<id>`, … → the app; `apps` and `app:<app>` → `apps`. */
export function slotOfTag(tag: string): string {
  if (tag === 'apps' || tag.startsWith('app:')) return 'apps';
  const colon = tag.indexOf(':');
  return colon < 0 ? tag : (tag.slice(colon + 1).split('/')[0] ?? tag);
}

const token = () => randomBytes(9).toString('base64url');

/**
 * rate-limiter-flexible's Redis script counts windows in whole seconds, and a window under one second
 * (150 messages/s → 75 per 500 ms) would get no expiry at all. This script takes the window in ms from
 * the limiter's own `duration` argument, and `_upsert` is told at least a second so the script runs.
 */
const INCR_MS_SCRIPT = `
local ms = math.floor(tonumber(ARGV[4]) * 1000)
redis.call('SET', KEYS[1], 0, 'PX', ms, 'NX')
local consumed = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl == -1 then redis.call('PEXPIRE', KEYS[1], ms) ttl = ms end
return { consumed, ttl }`;

class RateLimiterRedisMs extends RateLimiterRedis {
  _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false, options = {}): unknown {
    const upsert = (RateLimiterRedis.prototype as unknown as Record<string, (...args: unknown[]) => unknown>)
      ._upsert as (...args: unknown[]) => unknown;
    return upsert.call(this, rlKey, points, Math.max(msDuration, 1000), forceExpire, options);
  }
}

/**
 * Budgets in Redis, so replicas together stay within one app's limits: the same fixed windows as the
 * memory store (`windowOf`). When Redis fails, each process falls back to a memory budget of its
 * own: the app's budget divided by the replicas last seen sharing Redis (`replicas`, see
 * replicas.ts), so together they still spend about one budget; the whole budget without `replicas`.
 * Once Redis answers again, budgets are taken there again.
 */
export class RedisBucketStore implements BucketStore {
  private readonly limiters = new Map<string, RateLimiterRedis>();
  /** This process's own pauses (a memory store without rates), also honoured when Redis is unreachable. */
  private readonly local = new MemoryBucketStore();
  /** This process's budgets while Redis is unreachable. */
  private readonly fallback = new MemoryBucketStore();

  constructor(
    private readonly redis: RedisConnection,
    private readonly health: RedisHealth,
    private readonly replicas?: ReplicaCount,
  ) {}

  async take(key: string, rate: Rate | undefined): Promise<number> {
    const pausedHere = await this.local.take(key, undefined);
    if (pausedHere > 0) return pausedHere;
    try {
      const pausedElsewhere = await this.redis.pttl(pauseKey(key));
      this.health.ok();
      if (pausedElsewhere > 0) return pausedElsewhere;
    } catch (error) {
      this.health.failed(error);
    }
    if (!rate) return 0;
    try {
      await this.limiterFor(rate).consume(key);
      return 0;
    } catch (res) {
      if (!(res instanceof Error)) return Math.max(1, (res as RateLimiterRes).msBeforeNext);
      // Redis did not answer: this replica's part of the budget, from its memory.
      this.health.failed(res);
      return this.fallback.take(key, fallbackRate(rate, this.replicas?.count ?? 1));
    }
  }

  async pause(key: string, ms: number): Promise<void> {
    await this.local.pause(key, ms);
    try {
      // Only ever lengthens a pause another replica set.
      const left = await this.redis.pttl(pauseKey(key));
      if (left < ms) await this.redis.set(pauseKey(key), '1', 'PX', Math.max(1, Math.round(ms)));
    } catch (error) {
      this.health.failed(error);
    }
  }

  private limiterFor(rate: Rate): RateLimiterRedis {
    const spec = `${rate.perSecond}/${rate.burst}`;
    let limiter = this.limiters.get(spec);
    if (!limiter) {
      const { points, durationMs } = windowOf(rate);
      const duration = durationMs / 1000;
      limiter = new RateLimiterRedisMs({
        storeClient: this.redis,
        // ioredis adds the connection's `onesignal-graphql:` prefix.
        keyPrefix: `rl:${spec}`,
        points,
        duration,
        customIncrTtlLuaScript: INCR_MS_SCRIPT,
        // Errors reach `take`, which falls back to this replica's part of the budget.
        rejectIfRedisNotReady: true,
      });
      this.limiters.set(spec, limiter);
    }
    return limiter;
  }
}

const pauseKey = (key: string) => `pause:${key}`;
