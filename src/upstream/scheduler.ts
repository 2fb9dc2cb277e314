import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';

import {
  LIMIT_CLASSES,
  type LimitClass,
  limitsOf,
  type Rate,
  ratesFor,
  type SubjectParams,
} from '../onesignal/limits.js';
import { LimitEvidence } from './limit-evidence.js';

/**
 * OneSignal limits every app separately, by endpoint class. The classes, their rates and which
 * operations fall in each are OneSignal's documented table (src/onesignal/limits.ts), the same one
 * the emulator enforces; they are re-exported here under the names the client has always used.
 */
export { LIMIT_CLASSES, type LimitClass, type Rate };

export type RateLimits = Record<LimitClass, Rate>;

/** OneSignal's documented limits on the free plan (messages: `ONESIGNAL_LIMIT_MESSAGES=6000` on paid). */
export const ONESIGNAL_RATE_LIMITS: RateLimits = ratesFor('free');

/** Operations OneSignal does not limit per class still get a bucket each, so a 429 on one can pause it. */
const UNLIMITED = 'unlimited';

/** One budget: an app's endpoint class, or one user's or subscription's writes. */
export interface BucketRef {
  /** `<app id>|<class>|<user, subscription or unlimited operation>`: ids only, never a key. */
  key: string;
  name: LimitClass | typeof UNLIMITED;
  rate: Rate | undefined;
}

/**
 * Where budgets live. Memory serves one process; RedisBucketStore (`REDIS_URL`, src/upstream/redis.ts)
 * shares them between replicas with the same calls, rate-limiter-flexible's RateLimiterRedis having
 * the same `consume` as the RateLimiterMemory used here.
 */
export interface BucketStore {
  /** Takes one request from `key`'s budget: resolves 0 when taken, else the ms until one may be. */
  take(key: string, rate: Rate | undefined): Promise<number>;
  /** Refuses `key` for `ms` (OneSignal's Retry-After). */
  pause(key: string, ms: number): Promise<void>;
}

/**
 * Fixed windows of half the burst: at a window's edge two windows' worth may go out back to back,
 * which is still within OneSignal's burst, so a steady stream within budget never earns a 429.
 */
export function windowOf(rate: Rate): { points: number; durationMs: number } {
  const points = Math.max(1, Math.floor(rate.burst / 2));
  return { points, durationMs: (points / rate.perSecond) * 1000 };
}

export class MemoryBucketStore implements BucketStore {
  private readonly limiters = new Map<string, RateLimiterMemory>();
  private readonly pausedUntil = new Map<string, number>();

  async take(key: string, rate: Rate | undefined): Promise<number> {
    const paused = (this.pausedUntil.get(key) ?? 0) - Date.now();
    if (paused > 0) return paused;
    this.pausedUntil.delete(key);
    if (!rate) return 0;
    try {
      await this.limiterFor(rate).consume(key);
      return 0;
    } catch (res) {
      return Math.max(1, (res as RateLimiterRes).msBeforeNext);
    }
  }

  async pause(key: string, ms: number): Promise<void> {
    const now = Date.now();
    const until = now + ms;
    if (until > (this.pausedUntil.get(key) ?? 0)) this.pausedUntil.set(key, until);
    // Per-user pauses nobody asks about again would pile up: drop the expired ones now and then.
    if (this.pausedUntil.size > 10_000)
      for (const [k, at] of this.pausedUntil) if (at <= now) this.pausedUntil.delete(k);
  }

  private limiterFor(rate: Rate): RateLimiterMemory {
    const spec = `${rate.perSecond}/${rate.burst}`;
    let limiter = this.limiters.get(spec);
    if (!limiter) {
      const { points, durationMs } = windowOf(rate);
      limiter = new RateLimiterMemory({ points, duration: durationMs / 1000 });
      this.limiters.set(spec, limiter);
    }
    return limiter;
  }
}

/** A call could not get its budget before its deadline (or the queue was full): fail now, not later. */
export class BudgetRefused extends Error {
  constructor(
    readonly bucket: BucketRef,
    readonly retryAfterSeconds: number,
    readonly reason: 'deadline' | 'queue-full',
  ) {
    super(`${bucket.name} budget refused (${reason})`);
  }
}

interface Waiter {
  deadline: number;
  resolve: () => void;
  reject: (error: BudgetRefused) => void;
}

interface Bucket {
  ref: BucketRef;
  queue: Waiter[];
  pumping: boolean;
  /** Until when the last refusal said the bucket is empty (a local estimate for fast failures). */
  blockedUntil: number;
}

export interface SchedulerOptions {
  /**
   * Per-class limits; OneSignal's free-plan defaults for any not given. `false`: no budgets, only
   * the pauses 429s ask for (for servers without OneSignal's limits, such as the emulator by default).
   */
  limits?: Partial<RateLimits> | false;
  store?: BucketStore;
  /** Calls that may wait for one bucket; more fail at once with RATE_LIMITED. */
  maxQueuedPerBucket?: number;
}

/**
 * Sits in front of every upstream call: each waits, first come first served, in its app's and
 * class's bounded queue until the budget lets it through, instead of being sent into a 429. A call
 * whose deadline cannot be met is refused at once, with how long to wait.
 */
export class Scheduler {
  readonly limits: RateLimits | undefined;
  private readonly store: BucketStore;
  private readonly maxQueued: number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly evidence = new LimitEvidence();

  constructor(options: SchedulerOptions = {}) {
    this.limits = options.limits === false ? undefined : { ...ONESIGNAL_RATE_LIMITS, ...options.limits };
    this.store = options.store ?? new MemoryBucketStore();
    this.maxQueued = options.maxQueuedPerBucket ?? 1000;
  }

  /** The budgets an operation spends: the per-subject one first (if any), then its app's class. */
  bucketsFor(operation: string, appId: string | undefined, path: string): BucketRef[] {
    const app = (appId ?? '/apps').toLowerCase();
    const limits = limitsOf(operation, subjectParams(path));
    // Without a class of its own, an operation's 429s pause only that operation for the app.
    if (limits.length === 0) return [this.ref(app, UNLIMITED, operation)];
    return limits.map(({ name, subject }) => this.ref(app, name, subject));
  }

  /** The bucket a 429 names (`limit.name`, `limit.subject`), or undefined when it names none we know. */
  bucketNamed(appId: string | undefined, name: unknown, subject: unknown): BucketRef | undefined {
    if (typeof name !== 'string' || !(LIMIT_CLASSES as readonly string[]).includes(name)) return undefined;
    const cls = name as LimitClass;
    if (cls === 'user_write_per_subject' && typeof subject !== 'string') return undefined;
    return this.ref(
      (appId ?? '/apps').toLowerCase(),
      cls,
      cls === 'user_write_per_subject' ? (subject as string) : undefined,
    );
  }

  /** Waits for every bucket in turn; rejects with BudgetRefused as soon as the deadline cannot be met. */
  async acquire(refs: BucketRef[], deadline: number): Promise<void> {
    for (const ref of refs) await this.acquireOne(ref, deadline);
  }

  /** A call spending these buckets was answered without a 429: evidence that they are not spent. */
  answered(refs: BucketRef[]): void {
    for (const ref of refs) this.evidence.record(ref.key, true);
  }

  /**
   * OneSignal answered 429 for this bucket, Retry-After `ms`. When the bucket's recent answers say
   * its budget is spent, the bucket (only this one) waits; resolves whether it did. When they do not
   * (see limit-evidence.ts), only the call that was refused should wait.
   */
  async limited(ref: BucketRef, ms: number): Promise<boolean> {
    if (!this.evidence.limited(ref.key)) return false;
    await this.pause(ref, ms);
    return true;
  }

  /** OneSignal said "retry after": this bucket, and only this one, waits. */
  async pause(ref: BucketRef, ms: number): Promise<void> {
    await this.store.pause(ref.key, ms);
    const bucket = this.buckets.get(ref.key);
    if (bucket) bucket.blockedUntil = Math.max(bucket.blockedUntil, Date.now() + ms);
  }

  private ref(app: string, name: BucketRef['name'], subject: string | undefined): BucketRef {
    return {
      key: `${app}|${name}|${subject ?? ''}`,
      name,
      rate: name === UNLIMITED ? undefined : this.limits?.[name],
    };
  }

  private acquireOne(ref: BucketRef, deadline: number): Promise<void> {
    let bucket = this.buckets.get(ref.key);
    if (!bucket) {
      bucket = { ref, queue: [], pumping: false, blockedUntil: 0 };
      this.buckets.set(ref.key, bucket);
    }
    const ahead = bucket.queue.length;
    const estimate = this.estimateWait(bucket, ahead);
    if (ahead >= this.maxQueued)
      return Promise.reject(new BudgetRefused(ref, seconds(estimate), 'queue-full'));
    if (Date.now() + estimate > deadline)
      return Promise.reject(new BudgetRefused(ref, seconds(estimate), 'deadline'));
    const b = bucket;
    return new Promise<void>((resolve, reject) => {
      b.queue.push({ deadline, resolve, reject });
      if (!b.pumping) void this.pump(b);
    });
  }

  /** How long the call at `position` in the queue should expect to wait. */
  private estimateWait(bucket: Bucket, position: number): number {
    const blocked = Math.max(0, bucket.blockedUntil - Date.now());
    if (!bucket.ref.rate) return blocked;
    const { points, durationMs } = windowOf(bucket.ref.rate);
    return blocked + Math.floor(position / points) * durationMs;
  }

  private async pump(bucket: Bucket): Promise<void> {
    bucket.pumping = true;
    try {
      while (bucket.queue.length > 0) {
        const wait = await this.store.take(bucket.ref.key, bucket.ref.rate);
        if (wait === 0) {
          bucket.queue.shift()?.resolve();
          continue;
        }
        bucket.blockedUntil = Date.now() + wait;
        // Whoever cannot be served in time learns it now rather than at the deadline.
        const now = Date.now();
        bucket.queue = bucket.queue.filter((waiter, i) => {
          const estimate = this.estimateWait(bucket, i);
          if (now + estimate <= waiter.deadline) return true;
          waiter.reject(new BudgetRefused(bucket.ref, seconds(estimate), 'deadline'));
          return false;
        });
        if (bucket.queue.length > 0) await sleep(wait);
      }
    } finally {
      bucket.pumping = false;
      // Idle buckets go (per-user ones would otherwise pile up); the store keeps their budget.
      if (bucket.queue.length === 0) this.buckets.delete(bucket.ref.key);
      else void this.pump(bucket);
    }
  }
}

/**
 * The path parameters that name a user or subscription, decoded as the emulator's router decodes
 * them, so the table's subject names here and in its 429 bodies are the same strings.
 */
function subjectParams(path: string): SubjectParams {
  const sub = /^\/apps\/[^/]+\/subscriptions\/([^/?]+)/.exec(path);
  if (sub?.[1]) return { subscription_id: decodeURIComponent(sub[1]) };
  const byToken = /^\/apps\/[^/]+\/subscriptions_by_token\/([^/?]+)\/([^/?]+)/.exec(path);
  if (byToken?.[1] && byToken[2])
    return { token_type: decodeURIComponent(byToken[1]), token: decodeURIComponent(byToken[2]) };
  const user = /^\/apps\/[^/]+\/users\/by\/([^/?]+)\/([^/?]+)/.exec(path);
  if (user?.[1] && user[2])
    return { alias_label: decodeURIComponent(user[1]), alias_id: decodeURIComponent(user[2]) };
  return {};
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
