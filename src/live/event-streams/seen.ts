import { LRUCache } from 'lru-cache';
import type { RedisConnection } from '../../upstream/redis-connection.js';

/**
 * Which event ids were already accepted: OneSignal delivers each event at least once, so a retry (or
 * a second replica receiving the same event) must not publish it again. An id is claimed before its
 * event is published and released when the publish fails, so OneSignal's retry of that event is not
 * mistaken for a duplicate.
 */
export interface SeenEvents {
  /** True for the first claim of `id` within the ttl; false when it was claimed before. */
  claim(id: string): Promise<boolean>;
  /** Forgets a claim whose event could not be published. */
  release(id: string): Promise<void>;
}

/** One process: a bounded LRU with a ttl (the oldest ids go first when it is full). */
export class MemorySeenEvents implements SeenEvents {
  private readonly ids: LRUCache<string, true>;

  constructor(ttlMs: number, max = 100_000) {
    this.ids = new LRUCache({ max, ttl: ttlMs, ttlAutopurge: false });
  }

  async claim(id: string): Promise<boolean> {
    if (this.ids.has(id)) return false;
    this.ids.set(id, true);
    return true;
  }

  async release(id: string): Promise<void> {
    this.ids.delete(id);
  }
}

const PREFIX = 'onesignal-graphql:event-streams:seen:';

/** Every replica: `SET NX PX` on one key per id, so exactly one replica claims each event. */
export class RedisSeenEvents implements SeenEvents {
  constructor(
    private readonly redis: RedisConnection,
    private readonly ttlMs: number,
  ) {}

  async claim(id: string): Promise<boolean> {
    return (await this.redis.set(`${PREFIX}${id}`, '1', 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  async release(id: string): Promise<void> {
    await this.redis.del(`${PREFIX}${id}`);
  }
}
