/**
 * The shared upstream layer: what every request's OneSignal calls pass through and what requests (and
 * replicas) share. A read goes cache → the same read in flight → rate-limit scheduler → the wire
 * (src/onesignal/); writes invalidate what they touched. It knows nothing of GraphQL.
 */

export {
  parseCallerShares,
  SERVER_CALLER,
  SERVER_SCOPE,
  type UpstreamScope,
  type UpstreamTally,
} from './callers.js';
export {
  type AttemptEvent,
  createOneSignalClient,
  type OneSignalClientOptions,
  scopedClient,
  UpstreamRequester,
} from './client.js';
export { DEFAULT_CACHE_MAX_BYTES, MemoryCacheStore } from './memory-cache.js';
export { type CallerKeys, ClientPool, fingerprint, passthroughClient } from './pool.js';
export { type ReadLease, type ReadLeases, RedisReadLeases } from './read-leases.js';
export {
  type BucketRef,
  type BucketStore,
  LIMIT_CLASSES,
  type LimitClass,
  MemoryBucketStore,
  ONESIGNAL_RATE_LIMITS,
  type Rate,
  type RateLimits,
  Scheduler,
} from './scheduler.js';
export {
  type CachedRead,
  type CacheStore,
  type CacheTtls,
  DEFAULT_CACHE_TTLS,
  type ReadEvent,
  SharedReads,
  type SharedReadsOptions,
  tagsOf,
} from './shared-reads.js';
