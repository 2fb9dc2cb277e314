import { randomUUID } from 'node:crypto';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { PubSubEventTarget } from 'graphql-yoga';
import type { OneSignalClient } from '../onesignal/index.js';
import type { WireNotification } from '../onesignal/notifications.js';
import { type RedisConnection, redisClient } from '../upstream/redis-connection.js';

/**
 * Live delivery: one upstream poll per watched notification, whoever and wherever its watchers are.
 *
 * Within a process every watcher of a notification follows one poll loop. Across replicas (REDIS_URL)
 * the loops compete for a lease, a Redis key set with NX and PX: the holder polls and publishes each
 * change on a Redis channel (@graphql-yoga/redis-event-target), the others only relay what arrives,
 * and take the lease over when its holder stops renewing it. Without Redis the same code runs on an
 * in-memory lease and event target.
 *
 * Pacing: OneSignal allows about one notification view per second per app, shared with queries. A
 * lease holder polls each notification every `pollMs` × (notifications watched in that app, counted
 * across replicas), so polls take at most 1000/`pollMs` views per second per app (0.5/s at the 2 s
 * default) however many notifications are watched; the client's scheduler paces every call on top.
 * Polls are fresh reads through the client, so they join any identical read in flight and refresh the
 * shared cache that queries read.
 */

export type DeliveryStatus = 'SCHEDULED' | 'SENDING' | 'DELIVERED' | 'CANCELED';

/** A notification's progress at one moment: what a watcher is told. */
export interface DeliverySnapshot {
  appId: string;
  notificationId: string;
  status: DeliveryStatus;
  successful: number;
  failed: number;
  errored: number;
  converted: number;
  /** Null when the app does not track confirmed deliveries. */
  received: number | null;
  remaining: number;
  /** Unix seconds; null until delivered. */
  completedAt: number | null;
  /** Epoch milliseconds when this state was read from OneSignal. */
  observedAt: number;
}

export const isFinal = (s: DeliverySnapshot) => s.status === 'DELIVERED' || s.status === 'CANCELED';

export function deliveryStatusOf(n: WireNotification, now = Date.now()): DeliveryStatus {
  if (n.canceled) return 'CANCELED';
  if (n.completed_at) return 'DELIVERED';
  if (n.send_after && n.send_after * 1000 > now) return 'SCHEDULED';
  return 'SENDING';
}

export function snapshotOf(appId: string, n: WireNotification, observedAt = Date.now()): DeliverySnapshot {
  return {
    appId,
    notificationId: n.id,
    status: deliveryStatusOf(n, observedAt),
    successful: n.successful ?? 0,
    failed: n.failed ?? 0,
    errored: n.errored ?? 0,
    converted: n.converted ?? 0,
    received: n.received ?? null,
    remaining: n.remaining ?? 0,
    completedAt: n.completed_at ?? null,
    observedAt,
  };
}

/** What changed for a watcher: everything but the time it was read. */
export const sameProgress = (a: DeliverySnapshot, b: DeliverySnapshot) =>
  a.status === b.status &&
  a.successful === b.successful &&
  a.failed === b.failed &&
  a.errored === b.errored &&
  a.converted === b.converted &&
  a.received === b.received &&
  a.remaining === b.remaining &&
  a.completedAt === b.completedAt;

/** Who polls which notification, and how many are watched per app. */
export interface LeaseStore {
  /** Takes the lease on `key` for `ttlMs`, or renews it when `holder` has it; false when another does. */
  acquire(key: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Records that `notification` of `appId` is watched for `ttlMs` more, and counts the app's watched ones. */
  watchedIn(appId: string, notification: string, ttlMs: number): Promise<number>;
  /** `holder` stops watching: its lease (if it has it) and the app's count let go at once. */
  release(key: string, holder: string, appId: string, notification: string): Promise<void>;
  close(): Promise<void>;
}

export class MemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { holder: string; until: number }>();
  private readonly watched = new Map<string, Map<string, number>>();

  async acquire(key: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const lease = this.leases.get(key);
    if (lease && lease.holder !== holder && lease.until > now) return false;
    this.leases.set(key, { holder, until: now + ttlMs });
    return true;
  }

  async watchedIn(appId: string, notification: string, ttlMs: number): Promise<number> {
    const now = Date.now();
    const app = this.watched.get(appId) ?? new Map<string, number>();
    this.watched.set(appId, app);
    app.set(notification, now + ttlMs);
    for (const [id, until] of app) if (until <= now) app.delete(id);
    return app.size;
  }

  async release(key: string, holder: string, appId: string, notification: string): Promise<void> {
    if (this.leases.get(key)?.holder === holder) this.leases.delete(key);
    this.watched.get(appId)?.delete(notification);
  }

  async close(): Promise<void> {}
}

const PREFIX = 'onesignal-graphql:delivery:';

export class RedisLeaseStore implements LeaseStore {
  constructor(private readonly redis: RedisConnection) {}

  async acquire(key: string, holder: string, ttlMs: number): Promise<boolean> {
    const lease = `${PREFIX}lease:${key}`;
    if ((await this.redis.set(lease, holder, 'PX', ttlMs, 'NX')) === 'OK') return true;
    // Renew only our own lease (a holder that stopped renewing loses it after ttlMs).
    const renewed = await this.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end",
      1,
      lease,
      holder,
      String(ttlMs),
    );
    return renewed === 1;
  }

  async watchedIn(appId: string, notification: string, ttlMs: number): Promise<number> {
    const set = `${PREFIX}watched:${appId}`;
    const now = Date.now();
    const [, , [, count]] = (await this.redis
      .multi()
      .zadd(set, now + ttlMs, notification)
      .zremrangebyscore(set, '-inf', now)
      .zcard(set)
      .pexpire(set, ttlMs)
      .exec()) as [unknown, unknown, [unknown, number]];
    return count;
  }

  async release(key: string, holder: string, appId: string, notification: string): Promise<void> {
    await this.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end",
      1,
      `${PREFIX}lease:${key}`,
      holder,
    );
    await this.redis.zrem(`${PREFIX}watched:${appId}`, notification);
  }

  async close(): Promise<void> {}
}

export interface DeliveryWatchOptions {
  /** Base poll interval per notification, in ms (default 2000); multiplied by the app's watched count. */
  pollMs?: number;
  leases?: LeaseStore;
  /** Where changes are published; in-memory when omitted. */
  eventTarget?: PubSubEventTarget<Topics>;
  /** Called when a poll fails (it is retried at the next tick). */
  onError?: (error: unknown) => void;
  /** Closes what the watch opened (Redis connections). */
  onClose?: () => Promise<void>;
}

type Topics = Record<string, [DeliverySnapshot]>;
const topicOf = (key: string) => `onesignal-graphql:delivery:${key}`;

interface Loop {
  appId: string;
  notificationId: string;
  client: OneSignalClient;
  listeners: Set<(snapshot: DeliverySnapshot) => void>;
  onEvent: (event: Event) => void;
  timer: NodeJS.Timeout | undefined;
  last: DeliverySnapshot | undefined;
  /** When the next tick is due, and when this loop last polled (epoch ms). */
  nextAt: number;
  polledAt: number;
  ticking: boolean;
}

export class DeliveryWatch {
  readonly pollMs: number;
  private readonly holder = randomUUID();
  private readonly leases: LeaseStore;
  private readonly target: PubSubEventTarget<Topics>;
  private readonly loops = new Map<string, Loop>();
  private readonly onError: (error: unknown) => void;
  private readonly onClose: (() => Promise<void>) | undefined;
  private closed = false;

  constructor(options: DeliveryWatchOptions = {}) {
    this.pollMs = options.pollMs ?? 2000;
    this.leases = options.leases ?? new MemoryLeaseStore();
    this.target = options.eventTarget ?? (new EventTarget() as PubSubEventTarget<Topics>);
    this.onError = options.onError ?? (() => {});
    this.onClose = options.onClose;
  }

  /**
   * Calls `listener` with each change of one notification, as the shared poll sees it, from now until
   * the returned function is called; first with what this process last saw, when a poll is under way.
   * `client` is the watcher's own (already authorized) client, reading fresh (it skips the cache,
   * Context.freshClient); the first watcher's polls for everyone here.
   */
  follow(
    client: OneSignalClient,
    appId: string,
    notificationId: string,
    listener: (snapshot: DeliverySnapshot) => void,
  ): () => void {
    const key = `${appId}/${notificationId}`;
    let loop = this.loops.get(key);
    if (!loop) {
      const created: Loop = {
        appId,
        notificationId,
        client,
        listeners: new Set(),
        timer: undefined,
        last: undefined,
        nextAt: 0,
        polledAt: 0,
        ticking: false,
        // One listener per notification on the event target (one Redis SUBSCRIBE), fanned out here.
        onEvent: (event: Event) => {
          const snapshot = (event as CustomEvent<DeliverySnapshot>).detail;
          created.last = snapshot;
          for (const l of created.listeners) l(snapshot);
        },
      };
      loop = created;
      this.loops.set(key, loop);
      this.target.addEventListener(topicOf(key), loop.onEvent);
      this.schedule(key, loop, this.pollMs);
    }
    const current = loop;
    const own = (snapshot: DeliverySnapshot) => listener(snapshot);
    current.listeners.add(own);
    if (current.last) listener(current.last);
    return () => {
      if (!current.listeners.delete(own)) return;
      if (current.listeners.size === 0) this.stop(key, current);
    };
  }

  private stop(key: string, loop: Loop) {
    clearTimeout(loop.timer);
    this.target.removeEventListener(topicOf(key), loop.onEvent);
    void this.leases.release(key, this.holder, loop.appId, loop.notificationId).catch(this.onError);
    if (this.loops.get(key) === loop) this.loops.delete(key);
  }

  /**
   * An Event Streams event of this notification arrived: its counts have changed, so its next poll
   * comes now rather than at the end of its interval, but never sooner than `pollMs` after the last
   * one, so a burst of events costs one poll. Only where the notification is watched; the lease
   * decides, as for every tick, which replica polls. The client's scheduler paces it with the rest.
   */
  nudge(appId: string, notificationId: string): void {
    const key = `${appId}/${notificationId}`;
    const loop = this.loops.get(key);
    if (!loop || loop.ticking || this.closed) return;
    const due = Math.max(Date.now(), loop.polledAt + this.pollMs);
    if (due >= loop.nextAt) return;
    clearTimeout(loop.timer);
    this.schedule(key, loop, due - Date.now());
  }

  private schedule(key: string, loop: Loop, delayMs: number) {
    if (this.closed) return;
    loop.nextAt = Date.now() + delayMs;
    loop.timer = setTimeout(() => void this.tick(key, loop), delayMs);
    loop.timer.unref?.();
  }

  private async tick(key: string, loop: Loop): Promise<void> {
    if (this.loops.get(key) !== loop) return;
    let interval = this.pollMs;
    loop.ticking = true;
    try {
      const leaseMs = this.pollMs * 3;
      // Without the shared leases (Redis unreachable) each replica polls for its own watchers, paced
      // by its own count, and tells them directly: updates keep coming, at one poll per replica.
      let shared = true;
      let lead = true;
      try {
        const watched = await this.leases.watchedIn(loop.appId, loop.notificationId, leaseMs * 2);
        interval = this.pollMs * Math.max(1, watched);
        lead = await this.leases.acquire(key, this.holder, Math.max(leaseMs, interval * 2));
      } catch (error) {
        this.onError(error);
        shared = false;
        interval = this.pollMs * this.localCount(loop.appId);
      }
      if (lead) {
        loop.polledAt = Date.now();
        const n = await loop.client.notifications.get(loop.appId, loop.notificationId);
        const snapshot = snapshotOf(loop.appId, n);
        if (!loop.last || !sameProgress(loop.last, snapshot)) {
          loop.last = snapshot;
          const event = new CustomEvent(topicOf(key), { detail: snapshot });
          if (shared) this.target.dispatchEvent(event);
          else loop.onEvent(event);
        }
        if (isFinal(snapshot)) return;
      }
    } catch (error) {
      this.onError(error);
    } finally {
      loop.ticking = false;
    }
    if (this.loops.get(key) === loop) this.schedule(key, loop, interval);
  }

  private localCount(appId: string): number {
    let n = 0;
    for (const loop of this.loops.values()) if (loop.appId === appId) n++;
    return Math.max(1, n);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [key, loop] of this.loops) this.stop(key, loop);
    await this.leases.close();
    await this.onClose?.();
  }
}

/**
 * The watch for this process: in memory, or with `redisUrl` shared by every replica through three
 * connections of its own (publish, subscribe, leases), so pub/sub never blocks the cache's commands.
 */
export function createDeliveryWatch(
  options: { redisUrl?: string | undefined; pollMs?: number; onError?: (error: unknown) => void } = {},
): DeliveryWatch {
  const { redisUrl, ...rest } = options;
  if (!redisUrl) return new DeliveryWatch(rest);
  // Lease commands fail fast (the poll then goes local); publish and subscribe, which the event target
  // never awaits, wait in the offline queue instead of rejecting, so an outage never becomes an
  // unhandled rejection.
  const connect = (maxRetriesPerRequest: number | null) =>
    redisClient(redisUrl, { maxRetriesPerRequest, connectTimeout: 1_000 });
  const publishClient = settledByUs(connect(null), ['publish']);
  const subscribeClient = settledByUs(connect(null), ['subscribe', 'unsubscribe']);
  const leaseClient = connect(1);
  const clients = [publishClient, subscribeClient, leaseClient];
  // Reported by the shared stores' own connection; these retry quietly.
  for (const c of clients) c.on('error', () => {});
  return new DeliveryWatch({
    ...rest,
    leases: new RedisLeaseStore(leaseClient),
    eventTarget: createRedisEventTarget({ publishClient, subscribeClient }),
    // Not QUIT, which waits for Redis: nothing queued here is worth a shutdown that hangs on an outage.
    onClose: async () => {
      for (const c of clients) c.disconnect();
    },
  });
}

/**
 * The event target fires `methods` and forgets them. While Redis is away they wait in the offline
 * queue, and a shutdown's disconnect rejects whatever is still queued ("Connection is closed"):
 * nothing awaits those rejections, so they are handled here, where the commands' outcome is of no
 * use (a later poll or a reconnect's resubscribe delivers the updates; the connection's own errors
 * are reported by the shared stores).
 */
function settledByUs<M extends 'publish' | 'subscribe' | 'unsubscribe'>(
  client: RedisConnection,
  methods: M[],
): RedisConnection {
  for (const method of methods) {
    const send = client[method].bind(client) as (...args: unknown[]) => Promise<unknown>;
    Object.assign(client, {
      [method]: (...args: unknown[]) => {
        const sent = send(...args);
        sent.catch(() => {});
        return sent;
      },
    });
  }
  return client;
}
