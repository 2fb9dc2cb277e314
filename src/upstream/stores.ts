import { MemoryCacheStore } from './memory-cache.js';
import { type ReadLeases, RedisReadLeases } from './read-leases.js';
import { connectRedis, RedisBucketStore, RedisCacheStore, RedisHealth, redisUrlShown } from './redis.js';
import { redisPasswordOf } from './redis-connection.js';
import { ReplicaCount } from './replicas.js';
import type { BucketStore } from './scheduler.js';
import type { CacheStore } from './shared-reads.js';

/** The state requests share: cached reads and rate budgets. */
export interface SharedStores {
  /** Undefined when caching is off: reads are then shared only while in flight. */
  cache: CacheStore | undefined;
  /** Undefined: each client keeps its budgets in memory. */
  buckets: BucketStore | undefined;
  /** With Redis and the cache on: one replica reads a resource while the others wait for its answer. */
  leases: ReadLeases | undefined;
  /** For the start-up banner: where the state lives. */
  description: string;
  close(): Promise<void>;
}

export interface SharedStoresConfig {
  redisUrl: string | undefined;
  cache: boolean;
  cacheMaxBytes: number;
}

/**
 * Memory, the embedded default: one process's cache (size-capped) and budgets. With `redisUrl`, both
 * live in Redis and every replica shares them; a Redis that cannot be reached at start-up (or later)
 * is warned about through `log`, and the server serves uncached meanwhile rather than not at all.
 */
export async function createSharedStores(
  config: SharedStoresConfig,
  log: (message: string) => void = console.warn,
): Promise<SharedStores> {
  if (config.redisUrl) {
    const shown = redisUrlShown(config.redisUrl);
    const redis = connectRedis(config.redisUrl);
    const password = redisPasswordOf(config.redisUrl);
    const health = new RedisHealth(shown, password, log);
    // ioredis reconnects by itself; errors are reported once through `health`, not as events.
    redis.on('error', (error: unknown) => health.failed(error));
    redis.on('ready', () => health.ok());
    await redis.connect().catch((error: unknown) => health.failed(error));
    // Waiting for another replica's answer needs the shared cache it lands in.
    const leases = config.cache ? new RedisReadLeases(redis, health) : undefined;
    // Heartbeats while Redis is up, so a replica that loses it knows its part of each budget.
    const replicas = new ReplicaCount(redis, health);
    replicas.start();
    return {
      cache: config.cache
        ? new RedisCacheStore(redis, { health, maxEntryBytes: config.cacheMaxBytes })
        : undefined,
      buckets: new RedisBucketStore(redis, health, replicas),
      leases,
      description: `redis (${shown}${password ? ', password hidden' : ''}${config.cache ? '' : ', cache off'})`,
      close: async () => {
        await leases?.close();
        await replicas.stop();
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  }
  return {
    cache: config.cache ? new MemoryCacheStore(config.cacheMaxBytes) : undefined,
    buckets: undefined,
    leases: undefined,
    description: config.cache
      ? `memory (cache up to ${Math.round(config.cacheMaxBytes / 1048576)} MiB)`
      : 'memory (cache off)',
    close: async () => {},
  };
}
