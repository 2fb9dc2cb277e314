import type { BucketStore } from './scheduler.js';
import { type CacheStore, MemoryCacheStore } from './shared-reads.js';

/** The state requests share: cached reads and rate budgets. */
export interface SharedStores {
  /** Undefined when caching is off: reads are then shared only while in flight. */
  cache: CacheStore | undefined;
  /** Undefined: each client keeps its budgets in memory. */
  buckets: BucketStore | undefined;
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
 * live in Redis and every replica shares them.
 */
export async function createSharedStores(config: SharedStoresConfig): Promise<SharedStores> {
  if (config.redisUrl) {
    throw new Error('REDIS_URL is set, but this build keeps shared state in memory only.');
  }
  return {
    cache: config.cache ? new MemoryCacheStore(config.cacheMaxBytes) : undefined,
    buckets: undefined,
    description: config.cache
      ? `memory (cache up to ${Math.round(config.cacheMaxBytes / 1048576)} MiB)`
      : 'memory (cache off)',
    close: async () => {},
  };
}
