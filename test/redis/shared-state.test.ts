/**
 * Replicas share through Redis (`REDIS_URL`): a real redis-server on a loopback port and a real
 * three-primary Redis Cluster (`redis+cluster://`), the shared stores against each (the same
 * behaviour tests as the memory store), then two built servers (`node dist/main.mjs`) against one
 * Redis, then one cluster, and one emulator, counted with the emulator's stats.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { type CachedRead, type CacheStore, MemoryCacheStore } from '../../src/upstream/index.js';
import {
  connectRedis,
  RedisBucketStore,
  RedisCacheStore,
  RedisHealth,
  redisUrlShown,
  slotOfTag,
} from '../../src/upstream/redis.js';
import { hashTagged, type RedisConnection } from '../../src/upstream/redis-connection.js';
import { type RunningArtifact, startArtifact } from '../helpers/artifact.js';
import { type RunningCluster, startRedisCluster } from '../helpers/redis-cluster.js';
import { freePort, replicaEnv, startRedis, stopRedis } from '../helpers/redis-server.js';

const PASSWORD = 'redis-pass-never-shown-9f3';
const SHOP = DEMO.apps[0]!.id;

let redisPort: number;
let redisServer: ChildProcess | undefined;
let cluster: RunningCluster | undefined;
const connections: RedisConnection[] = [];

/** Where the shared state lives: the same cases run on each. */
interface Backend {
  url: string;
  /** How the start-up banner shows it (no password). */
  shown: RegExp;
  /** A REDIS_URL of this form that nothing answers. */
  deadUrl(): Promise<string>;
}
const oneRedis: Backend = {
  url: '',
  shown: /redis:\/\/127\.0\.0\.1:\d+/,
  deadUrl: async () => `redis://:${PASSWORD}@127.0.0.1:${await freePort()}`,
};
const redisCluster: Backend = {
  url: '',
  shown: /redis\+cluster:\/\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+/,
  deadUrl: async () => `redis+cluster://:${PASSWORD}@127.0.0.1:${await freePort()}`,
};
const BACKENDS = [
  ['one Redis', oneRedis],
  ['a Redis Cluster', redisCluster],
] as const;

beforeAll(async () => {
  redisPort = await freePort();
  [redisServer, cluster] = await Promise.all([
    startRedis(redisPort, PASSWORD),
    startRedisCluster(PASSWORD, 0),
  ]);
  oneRedis.url = `redis://:${PASSWORD}@127.0.0.1:${redisPort}`;
  redisCluster.url = cluster.url;
}, 60_000);
afterAll(async () => {
  for (const c of connections) c.disconnect();
  await stopRedis(redisServer);
  await cluster?.stop();
});

/** A connection as a replica makes one, with its warnings collected. */
async function connectAs(url: string) {
  const warnings: string[] = [];
  const redis = connectRedis(url);
  connections.push(redis);
  const health = new RedisHealth(redisUrlShown(url), PASSWORD, (m) => warnings.push(m));
  redis.on('error', (e: unknown) => health.failed(e));
  redis.on('ready', () => health.ok());
  await redis.connect().catch((e: unknown) => health.failed(e));
  return { redis, health, warnings };
}

const entry = (data: unknown): CachedRead => ({ found: true, data, fetchedAt: Date.now() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let unique = 0;
const k = (name: string) => `${name}-${process.pid}-${++unique}`;

const CAP = 10_000;
describe.each([
  ['memory', async (): Promise<CacheStore> => new MemoryCacheStore(CAP)],
  ...BACKENDS.map(
    ([name, backend]) =>
      [
        name,
        async (): Promise<CacheStore> => {
          const { redis, health } = await connectAs(backend.url);
          return new RedisCacheStore(redis, { health, maxEntryBytes: CAP });
        },
      ] as const,
  ),
] as const)('the %s cache store', (_name, makeStore) => {
  let store: CacheStore;
  beforeAll(async () => {
    store = await makeStore();
  });

  it('answers what was stored, and nothing for a key never stored', async () => {
    const key = k('hit');
    await store.set(key, ['notifications:a'], entry({ n: 1 }), 10_000);
    expect(await store.get(key, ['notifications:a'])).toMatchObject({ found: true, data: { n: 1 } });
    expect(await store.get(k('other'), ['notifications:a'])).toBeUndefined();
  });

  it('keeps "not found" answers too', async () => {
    const key = k('missing');
    await store.set(key, [], { found: false, fetchedAt: 1 }, 10_000);
    expect(await store.get(key, [])).toEqual({ found: false, fetchedAt: 1 });
  });

  it('forgets an entry once its ttl has passed', async () => {
    const key = k('expiry');
    await store.set(key, [], entry('short'), 60);
    expect(await store.get(key, [])).toBeDefined();
    await sleep(120);
    expect(await store.get(key, [])).toBeUndefined();
  });

  it('makes stale every entry under an invalidated tag, and only those', async () => {
    // Tags as reads have them: one notification, and its app's notification lists.
    const [a, b, app] = [k('a'), k('b'), k('app')];
    const [tag, lists] = [`notification:${app}/1`, `notifications:${app}`];
    await store.set(a, [lists, tag], entry('a'), 10_000);
    await store.set(b, [lists], entry('b'), 10_000);
    await store.invalidate([tag]);
    expect(await store.get(a, [lists, tag])).toBeUndefined();
    expect(await store.get(b, [lists])).toMatchObject({ data: 'b' });
    // Stored again after the write: fresh again.
    await store.set(a, [lists, tag], entry('a2'), 10_000);
    expect(await store.get(a, [lists, tag])).toMatchObject({ data: 'a2' });
  });

  it('does not keep an answer fetched before a write made meanwhile', async () => {
    const [key, tag] = [k('race'), k('notifications')];
    expect(await store.get(key, [tag])).toBeUndefined(); // a miss, then the fetch…
    await store.invalidate([tag]); // …a send meanwhile…
    await store.set(key, [tag], entry('before the send'), 10_000); // …the answer predates it.
    expect(await store.get(key, [tag])).toBeUndefined();
    await store.set(key, [tag], entry('after the send'), 10_000); // the next miss's answer is kept
    expect((await store.get(key, [tag]))?.data).toBe('after the send');
  });

  it('does not keep an entry larger than its byte cap, and keeps those under it', async () => {
    const [big, small] = [k('big'), k('small')];
    await store.set(big, [], entry('x'.repeat(CAP * 2)), 10_000);
    await store.set(small, [], entry('y'.repeat(CAP / 10)), 10_000);
    expect(await store.get(big, [])).toBeUndefined();
    expect(await store.get(small, [])).toMatchObject({ data: 'y'.repeat(CAP / 10) });
  });
});

describe('the Redis cache store on a cluster', () => {
  it('keeps each app’s entries and versions in one slot, and spreads apps over every primary', async () => {
    const { redis, health } = await connectAs(redisCluster.url);
    const store = new RedisCacheStore(redis, { health });
    const apps = Array.from({ length: 30 }, () => k('spread'));
    for (const app of apps) {
      const tags = [`notifications:${app}`, `notification:${app}/1`];
      await store.set(k('read'), tags, entry(app), 10_000);
      await store.invalidate([`notification:${app}/1`]); // one pipeline per slot
    }
    const perPrimary = await Promise.all(
      (cluster?.ports ?? []).map(async (port) => {
        const keys = (await cluster?.cli(port, 'keys', `onesignal-graphql:{spread-${process.pid}-*`)) ?? '';
        return keys.split('\n').filter(Boolean).length;
      }),
    );
    // 30 entries and 60 version keys, every primary holding some.
    expect(perPrimary.reduce((x, y) => x + y, 0)).toBe(90);
    for (const count of perPrimary) expect(count).toBeGreaterThan(0);
  });

  it('does not cache a read whose tags name two apps (two slots) rather than fail with CROSSSLOT', async () => {
    const { redis, health, warnings } = await connectAs(redisCluster.url);
    const store = new RedisCacheStore(redis, { health });
    const key = k('two-apps');
    const tags = [`notifications:${k('one')}`, `notifications:${k('other')}`];
    await store.set(key, tags, entry('x'), 10_000);
    expect(await store.get(key, tags)).toBeUndefined();
    expect(warnings).toEqual([]);
  });
});

describe.each(BACKENDS)('the Redis stores between two replicas on %s', (_name, backend) => {
  const replicaConnection = (url = backend.url) => connectAs(url);
  it('share entries and invalidations', async () => {
    const [one, two] = [await replicaConnection(), await replicaConnection()];
    const a = new RedisCacheStore(one.redis, { health: one.health });
    const b = new RedisCacheStore(two.redis, { health: two.health });
    const [key, tag] = [k('shared'), k('notifications')];
    await a.set(key, [tag], entry('from a'), 10_000);
    expect(await b.get(key, [tag])).toMatchObject({ data: 'from a' });
    await b.invalidate([tag]);
    expect(await a.get(key, [tag])).toBeUndefined();
  });

  it('do not cache an answer fetched before a write another replica made meanwhile', async () => {
    const [one, two] = [await replicaConnection(), await replicaConnection()];
    const a = new RedisCacheStore(one.redis, { health: one.health });
    const b = new RedisCacheStore(two.redis, { health: two.health });
    const [key, tag] = [k('race'), k('notifications')];
    expect(await a.get(key, [tag])).toBeUndefined(); // A misses and fetches…
    await b.invalidate([tag]); // …B sends meanwhile…
    await a.set(key, [tag], entry('before the send'), 10_000); // …A's answer predates it.
    expect(await a.get(key, [tag])).toBeUndefined();
    expect(await b.get(key, [tag])).toBeUndefined();
  });

  it('treat a version key that expired or was evicted as a change', async () => {
    const { redis, health } = await replicaConnection();
    const store = new RedisCacheStore(redis, { health });
    const [key, tag] = [k('evicted'), k('notifications')];
    await store.set(key, [tag], entry('old'), 10_000);
    await redis.del(hashTagged(redis, slotOfTag(tag), `tag:${tag}`));
    expect(await store.get(key, [tag])).toBeUndefined();
  });

  it('send a write made while Redis was unreachable once it is back', async () => {
    const [one, two] = [await replicaConnection(), await replicaConnection()];
    const a = new RedisCacheStore(one.redis, { health: one.health });
    const b = new RedisCacheStore(two.redis, { health: two.health });
    const [key, tag] = [k('outage'), k('notifications')];
    await b.set(key, [tag], entry('before'), 10_000);
    one.redis.disconnect(true); // A loses its connection (and reconnects by itself)…
    await a.invalidate([tag]); // …while it writes.
    expect(await b.get(key, [tag])).toMatchObject({ data: 'before' });
    const deadline = Date.now() + 5_000;
    while ((await b.get(key, [tag])) !== undefined && Date.now() < deadline) await sleep(50);
    expect(await b.get(key, [tag])).toBeUndefined();
    expect(one.warnings).toHaveLength(2); // unreachable, then back
  });

  it('share one budget per app and class, and each other’s pauses', async () => {
    const [one, two] = [await replicaConnection(), await replicaConnection()];
    const a = new RedisBucketStore(one.redis, one.health);
    const b = new RedisBucketStore(two.redis, two.health);
    const rate = { perSecond: 1, burst: 3 }; // one per second
    const bucket = k('app|view_notification|');
    expect(await a.take(bucket, rate)).toBe(0);
    const wait = await b.take(bucket, rate);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1000);
    // A window under a second still expires (rate-limiter-flexible's own script would never expire it).
    const fast = { perSecond: 150, burst: 150 }; // 75 per 500 ms
    const messages = k('app|create_message|');
    for (let i = 0; i < 75; i++) expect(await (i % 2 ? a : b).take(messages, fast)).toBe(0);
    const full = await a.take(messages, fast);
    expect(full).toBeGreaterThan(0);
    expect(full).toBeLessThanOrEqual(500);
    await sleep(full + 20);
    expect(await b.take(messages, fast)).toBe(0);
    const paused = k('app|view_user|');
    await a.pause(paused, 5_000);
    expect(await b.take(paused, rate)).toBeGreaterThan(4_000);
  });

  it('answer without Redis: misses, no-ops and per-process budgets, with one warning and no password', async () => {
    const deadUrl = await backend.deadUrl();
    const { redis, health, warnings } = await replicaConnection(deadUrl);
    const store = new RedisCacheStore(redis, { health });
    const buckets = new RedisBucketStore(redis, health);
    const started = Date.now();
    await store.set('k', ['t'], entry('x'), 10_000);
    expect(await store.get('k', ['t'])).toBeUndefined();
    await store.invalidate(['t']);
    expect(await buckets.take('app|view_user|', { perSecond: 1, burst: 3 })).toBe(0);
    expect(await buckets.take('app|view_user|', { perSecond: 1, burst: 3 })).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`127.0.0.1:`);
    expect(warnings.join('\n')).not.toContain(PASSWORD);
  });
});

describe.each(BACKENDS)('two server replicas on %s', (backendName, backend) => {
  let emulator: RunningEmulator;
  let a: RunningArtifact;
  let b: RunningArtifact;

  const serverEnv = (extra: NodeJS.ProcessEnv = {}) => replicaEnv(backend.url, emulator.url, extra);

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    [a, b] = await Promise.all([startArtifact(serverEnv()), startArtifact(serverEnv())]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await emulator?.close();
  });

  type Body<T> = {
    data?: T;
    errors?: { message: string }[];
    extensions?: { upstream?: { calls: number; cacheHits: number } };
  };
  async function post<T = Record<string, unknown>>(
    replica: RunningArtifact,
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<Body<T>> {
    const res = await fetch(replica.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Body<T>;
  }
  const upstream = () => Object.values(emulator.stats().byOperation).reduce((x, y) => x + y, 0);
  const LIST = `{ app(id: "${SHOP}") { name notifications(first: 5) { totalCount nodes { oneSignalId } } } }`;

  it('prints where the shared state lives, without the password', async () => {
    for (const replica of [a, b]) {
      // The banner's lines may arrive in more than one chunk after the "Auth:" one startArtifact waits for.
      for (let i = 0; i < 100 && !/Shared:/.test(replica.output()); i++) await sleep(20);
      expect(replica.output()).toMatch(
        new RegExp(`Shared:\\s+redis \\(${backend.shown.source}, password hidden\\)`),
      );
      expect(replica.output()).not.toContain(PASSWORD);
    }
  });

  it('serves a read through B from the cache A filled: 0 upstream calls', async () => {
    const throughA = await post(a, LIST);
    expect(throughA.errors).toBeUndefined();
    emulator.resetStats();
    const throughB = await post(b, LIST);
    expect(throughB.errors).toBeUndefined();
    expect(throughB.data).toEqual(throughA.data);
    expect(upstream()).toBe(0);
    expect(throughB.extensions?.upstream).toMatchObject({ calls: 0 });
    expect(throughB.extensions?.upstream?.cacheHits).toBeGreaterThan(0);
  });

  // With the organization key only, a replica learns an app's REST key from OneSignal once (keys are
  // never cached, in Redis least of all): B's first read of the app costs that look-up, no data read.
  it.each([
    ['app keys only', { ONESIGNAL_USER_AUTH_KEY: '' }, {}],
    ['the organization key only', { ONESIGNAL_APP_KEYS: '' }, { get_app: 1 }],
  ])('serves B from A’s cache with %s too', async (_keys, env, expected) => {
    const pair = await Promise.all([startArtifact(serverEnv(env)), startArtifact(serverEnv(env))]);
    try {
      const query = `{ app(id: "${SHOP}") { notifications(first: 4) { totalCount nodes { oneSignalId } } } }`;
      const throughA = await post(pair[0], query);
      expect(throughA.errors).toBeUndefined();
      emulator.resetStats();
      const throughB = await post(pair[1], query);
      expect(throughB.errors).toBeUndefined();
      expect(throughB.data).toEqual(throughA.data);
      expect(emulator.stats().byOperation).toEqual(expected);
      expect(throughB.extensions?.upstream?.cacheHits).toBeGreaterThan(0);
    } finally {
      await Promise.all(pair.map((r) => r.stop()));
    }
  });

  it('shows a notification sent through A in B’s list at once', async () => {
    type List = { app: { notifications: { totalCount: number; nodes: { oneSignalId: string }[] } } };
    const before = await post<List>(b, LIST);
    expect(await post<List>(b, LIST)).toMatchObject({ extensions: { upstream: { calls: 0 } } });
    const sent = await post<{ notificationCreate: { __typename: string; oneSignalId?: string } }>(
      a,
      `mutation($input: NotificationCreateInput!) { notificationCreate(input: $input) { __typename ... on NotificationCreatePayload { oneSignalId } } }`,
      {
        input: {
          appId: SHOP,
          contents: [{ language: 'en', text: 'via A' }],
          target: { segments: { include: ['Subscribed Users'] } },
        },
      },
    );
    expect(sent.data?.notificationCreate.__typename).toBe('NotificationCreatePayload');
    const after = await post<List>(b, LIST);
    expect(after.errors).toBeUndefined();
    expect(after.data?.app.notifications.totalCount).toBe(
      (before.data?.app.notifications.totalCount ?? 0) + 1,
    );
    expect(after.data?.app.notifications.nodes[0]?.oneSignalId).toBe(
      sent.data?.notificationCreate.oneSignalId,
    );
  });

  it('keeps both replicas together within one app’s view budget under load: no 429 from OneSignal', async () => {
    type Ids = { app: { notifications: { nodes: { oneSignalId: string }[] } } };
    const listed = await post<Ids>(
      a,
      `{ app(id: "${SHOP}") { notifications(first: 8) { nodes { oneSignalId } } } }`,
    );
    const ids = listed.data?.app.notifications.nodes.map((n) => n.oneSignalId) ?? [];
    expect(ids.length).toBe(8);
    emulator.setLimits({ enabled: true });
    // Both replicas with the server's default limits (views: 1/s per app, burst 3).
    const limited = await Promise.all([
      startArtifact(serverEnv({ ONESIGNAL_RATE_LIMITS: 'onesignal' })),
      startArtifact(serverEnv({ ONESIGNAL_RATE_LIMITS: 'onesignal' })),
    ]);
    try {
      await sleep(1_100);
      emulator.resetStats();
      const started = Date.now();
      const seconds = 5;
      let ok = 0;
      let errors = 0;
      // Each replica reads one id after another, answered afresh (no-cache), for `seconds`.
      await Promise.all(
        limited.map(async (replica, r) => {
          for (let i = 0; Date.now() - started < seconds * 1000; i++) {
            const id = ids[(i * 2 + r) % ids.length];
            const res = await post(
              replica,
              `{ app(id: "${SHOP}") { notification(id: "${id}") { oneSignalId } } }`,
              undefined,
              {
                'cache-control': 'no-cache',
              },
            );
            if (res.errors) errors++;
            else ok++;
          }
        }),
      );
      const elapsed = (Date.now() - started) / 1000;
      const calls = emulator.stats().byOperation.get_notification ?? 0;
      console.log(
        `two replicas, ${elapsed.toFixed(1)} s: ${calls} get_notification upstream (${(calls / elapsed).toFixed(2)}/s), ${JSON.stringify(emulator.stats().rateLimited)} 429s, ${ok} answered, ${errors} with errors`,
      );
      expect(emulator.stats().rateLimited).toEqual({});
      expect(errors).toBe(0);
      expect(calls).toBeGreaterThanOrEqual(seconds - 1);
      // One per second, plus the window the run started in and the one it ended in.
      expect(calls).toBeLessThanOrEqual(Math.ceil(elapsed) + 2);
    } finally {
      await Promise.all(limited.map((r) => r.stop()));
      emulator.setLimits({ enabled: false });
    }
  });

  // Losing the whole Redis is the same for a cluster client; stopping one Redis is the simpler case.
  it.runIf(backendName === 'one Redis')(
    'serves uncached reads without errors when Redis goes away, warning once without the password',
    async () => {
      await stopRedis(redisServer);
      redisServer = undefined;
      emulator.resetStats();
      for (let i = 0; i < 3; i++) {
        const res = await post(b, LIST);
        expect(res.errors).toBeUndefined();
        expect(res.data).toMatchObject({ app: { name: expect.any(String) } });
      }
      expect(emulator.stats().byOperation.get_notifications).toBe(3);
      const warnings = b.output().match(/Redis at \S+ is unreachable/g) ?? [];
      expect(warnings).toHaveLength(1);
      expect(b.output()).toContain(`Redis at redis://127.0.0.1:${redisPort} is unreachable`);
      expect(b.output()).not.toContain(PASSWORD);
      expect(b.alive()).toBe(true);
      // And back: shared again, said once.
      redisServer = await startRedis(redisPort, PASSWORD);
      const deadline = Date.now() + 5_000;
      while (!/reachable again/.test(b.output()) && Date.now() < deadline) {
        await post(b, LIST);
        await sleep(100);
      }
      expect(b.output().match(/is reachable again/g)).toHaveLength(1);
    },
  );
});
