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

/** One caller's waiting calls for one bucket. */
interface Lane {
  caller: string;
  queue: Waiter[];
  /** Calls served in the lane's current turn; the turn ends at its share. */
  served: number;
}

interface Bucket {
  ref: BucketRef;
  /** The callers waiting, in turn order: the first is served next. */
  lanes: Lane[];
  /** Calls waiting, every lane together. */
  size: number;
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
  /** Calls a caller is served per turn while others wait for the same bucket (1 unless named). */
  callerShares?: ReadonlyMap<string, number>;
}

/**
 * Sits in front of every upstream call: each waits in its app's and class's bounded queue until the
 * budget lets it through, instead of being sent into a 429. Inside a bucket, waiting callers are
 * served in turns (each its share per turn, first come first served within a caller), so one caller
 * polling hard cannot hold every other caller of the app behind its backlog. A call whose deadline
 * cannot be met is refused at once, with how long to wait.
 */
export class Scheduler {
  readonly limits: RateLimits | undefined;
  private readonly store: BucketStore;
  private readonly maxQueued: number;
  private readonly shares: ReadonlyMap<string, number>;
  private readonly buckets = new Map<string, Bucket>();
  private readonly evidence = new LimitEvidence();

  constructor(options: SchedulerOptions = {}) {
    this.limits = options.limits === false ? undefined : { ...ONESIGNAL_RATE_LIMITS, ...options.limits };
    this.store = options.store ?? new MemoryBucketStore();
    this.maxQueued = options.maxQueuedPerBucket ?? 1000;
    this.shares = options.callerShares ?? new Map();
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

  /**
   * Waits for every bucket in turn, in `caller`'s lane; rejects with BudgetRefused as soon as the
   * deadline cannot be met.
   */
  async acquire(refs: BucketRef[], deadline: number, caller = ''): Promise<void> {
    for (const ref of refs) await this.acquireOne(ref, deadline, caller);
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

  private shareOf(caller: string): number {
    return this.shares.get(caller) ?? 1;
  }

  private acquireOne(ref: BucketRef, deadline: number, caller: string): Promise<void> {
    let bucket = this.buckets.get(ref.key);
    if (!bucket) {
      bucket = { ref, lanes: [], size: 0, pumping: false, blockedUntil: 0 };
      this.buckets.set(ref.key, bucket);
    }
    const estimate = this.estimateWait(bucket, this.positionOfNext(bucket, caller));
    if (this.full(bucket, caller))
      return Promise.reject(new BudgetRefused(ref, seconds(estimate), 'queue-full'));
    if (Date.now() + estimate > deadline)
      return Promise.reject(new BudgetRefused(ref, seconds(estimate), 'deadline'));
    const b = bucket;
    return new Promise<void>((resolve, reject) => {
      let lane = b.lanes.find((l) => l.caller === caller);
      if (!lane) {
        // A caller new to the bucket joins the end of the turn order.
        lane = { caller, queue: [], served: 0 };
        b.lanes.push(lane);
      }
      lane.queue.push({ deadline, resolve, reject });
      b.size++;
      if (!b.pumping) void this.pump(b);
    });
  }

  /**
   * A full queue refuses the callers holding more than an even part of it, not a caller with little
   * waiting: one caller's backlog must not shut the others out. So the bucket may hold up to about
   * twice `maxQueued` when many callers wait at once, still bounded.
   */
  private full(bucket: Bucket, caller: string): boolean {
    if (bucket.size < this.maxQueued) return false;
    const own = bucket.lanes.find((l) => l.caller === caller);
    const lanes = bucket.lanes.length + (own ? 0 : 1);
    return (
      (own?.queue.length ?? 0) >= Math.floor(this.maxQueued / lanes) || bucket.size >= 2 * this.maxQueued
    );
  }

  /**
   * How many calls would be served before a new call of `caller`: its own queue, and from each other
   * lane what it is served in the turns `caller` needs to reach the new call.
   */
  private positionOfNext(bucket: Bucket, caller: string): number {
    const own = bucket.lanes.find((l) => l.caller === caller);
    const ahead = own?.queue.length ?? 0;
    const turns = Math.ceil((ahead + 1) / this.shareOf(caller));
    let position = ahead;
    for (const lane of bucket.lanes)
      if (lane !== own) position += Math.min(lane.queue.length, turns * this.shareOf(lane.caller));
    return position;
  }

  /** Every waiting call in the order the turns will serve it, without serving any. */
  private serviceOrder(bucket: Bucket): Waiter[] {
    const lanes = bucket.lanes.map((l) => ({ lane: l, next: 0, served: l.served }));
    const order: Waiter[] = [];
    while (lanes.length > 0) {
      const head = lanes[0] as (typeof lanes)[number];
      order.push(head.lane.queue[head.next++] as Waiter);
      head.served++;
      if (head.next >= head.lane.queue.length) lanes.shift();
      else if (head.served >= this.shareOf(head.lane.caller)) {
        head.served = 0;
        lanes.push(lanes.shift() as (typeof lanes)[number]);
      }
    }
    return order;
  }

  /** Takes the next call in turn order off its lane; its lane's turn ends at its share. */
  private next(bucket: Bucket): Waiter | undefined {
    const lane = bucket.lanes[0];
    if (!lane) return undefined;
    const waiter = lane.queue.shift();
    bucket.size--;
    lane.served++;
    if (lane.queue.length === 0) bucket.lanes.shift();
    else if (lane.served >= this.shareOf(lane.caller)) {
      lane.served = 0;
      bucket.lanes.push(bucket.lanes.shift() as Lane);
    }
    return waiter;
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
      while (bucket.size > 0) {
        const wait = await this.store.take(bucket.ref.key, bucket.ref.rate);
        if (wait === 0) {
          this.next(bucket)?.resolve();
          continue;
        }
        bucket.blockedUntil = Date.now() + wait;
        // Whoever cannot be served in time learns it now rather than at the deadline.
        this.refuseLate(bucket);
        if (bucket.size > 0) await sleep(wait);
      }
    } finally {
      bucket.pumping = false;
      // Idle buckets go (per-user ones would otherwise pile up); the store keeps their budget.
      if (bucket.size === 0) this.buckets.delete(bucket.ref.key);
      else void this.pump(bucket);
    }
  }

  /** Refuses every waiting call whose turn would come after its deadline. */
  private refuseLate(bucket: Bucket): void {
    const now = Date.now();
    const late = new Map<Waiter, number>();
    this.serviceOrder(bucket).forEach((waiter, i) => {
      const estimate = this.estimateWait(bucket, i);
      if (now + estimate > waiter.deadline) late.set(waiter, estimate);
    });
    if (late.size === 0) return;
    for (const lane of bucket.lanes) lane.queue = lane.queue.filter((w) => !late.has(w));
    bucket.lanes = bucket.lanes.filter((lane) => lane.queue.length > 0);
    bucket.size -= late.size;
    for (const [waiter, estimate] of late)
      waiter.reject(new BudgetRefused(bucket.ref, seconds(estimate), 'deadline'));
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
