import { randomUUID } from 'node:crypto';
import type { RedisConnection } from './redis-connection.js';
import type { Rate } from './scheduler.js';

/** RedisHealth's two calls (redis.ts), named here so the two files do not import each other. */
interface Health {
  ok(): void;
  failed(error: unknown): void;
}

/**
 * How many replicas share Redis, as each last saw it. Each replica announces itself in a sorted set
 * (`replicas`, scored by its last heartbeat) while Redis is up, and counts the members heard from
 * within `ttlMs`. When Redis goes away the last count is kept: each replica then spends its share of
 * an app's budget (`fallbackRate`), so N replicas together stay within one budget instead of N.
 */
export class ReplicaCount {
  readonly id: string;
  private last = 1;
  private timer: NodeJS.Timeout | undefined;
  private readonly ttlMs: number;
  private readonly intervalMs: number;

  constructor(
    private readonly redis: RedisConnection,
    private readonly health: Health,
    options: { ttlMs?: number; intervalMs?: number; id?: string } = {},
  ) {
    this.id = options.id ?? randomUUID();
    this.ttlMs = options.ttlMs ?? 10_000;
    this.intervalMs = options.intervalMs ?? Math.max(100, Math.floor(this.ttlMs / 3));
  }

  /** Replicas seen at the last heartbeat that reached Redis (this one included); 1 before any. */
  get count(): number {
    return this.last;
  }

  /** Announces this replica now and every `intervalMs` until `stop()`. */
  start(): void {
    if (this.timer) return;
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  async beat(): Promise<void> {
    const now = Date.now();
    try {
      const results = await this.redis
        .multi()
        .zadd(KEY, now, this.id)
        .zremrangebyscore(KEY, 0, now - this.ttlMs)
        .zcard(KEY)
        .pexpire(KEY, this.ttlMs * 2)
        .exec();
      const counted = results?.[2]?.[1];
      if (typeof counted === 'number') this.last = Math.max(1, counted);
      this.health.ok();
    } catch (error) {
      // Redis is away: the last count stands until it is back.
      this.health.failed(error);
    }
  }

  /** Stops announcing and leaves the set, so the others' count drops at once (best effort). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.redis.zrem(KEY, this.id).catch(() => {});
  }
}

/** One replica's part of `rate` when `replicas` share it: rate and burst both divided. */
export function fallbackRate(rate: Rate, replicas: number): Rate {
  const n = Math.max(1, replicas);
  return { perSecond: rate.perSecond / n, burst: Math.max(1, rate.burst / n) };
}

const KEY = 'replicas';
