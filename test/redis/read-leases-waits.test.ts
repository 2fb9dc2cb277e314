/**
 * How long a replica waits on another's lease: two in-process servers (each its own SharedReads,
 * Redis connections and leases, as two replicas have) on one real redis-server and one emulator
 * whose answers are slowed down, counted with that emulator's stats.
 */
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { RedisReadLeases, type RedisReadLeasesOptions } from '../../src/upstream/read-leases.js';
import { connectRedis, RedisCacheStore, RedisHealth } from '../../src/upstream/redis.js';
import { SharedReads } from '../../src/upstream/shared-reads.js';
import { freePort, startRedis, stopRedis } from '../helpers/redis-server.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const LIST = `{ app(id: "${SHOP}") { notifications(first: 5) { nodes { id app { id oneSignalId } } } } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let redisServer: ChildProcess | undefined;
let redisUrl: string;
let flusher: Redis;
const closers: (() => Promise<unknown> | unknown)[] = [];

beforeAll(async () => {
  const port = await freePort();
  redisServer = await startRedis(port);
  redisUrl = `redis://127.0.0.1:${port}`;
  flusher = new Redis(redisUrl);
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
afterAll(async () => {
  flusher?.disconnect();
  await stopRedis(redisServer);
});

/** A replica: its own Redis connection, cache store and leases, reading from `apiUrl`'s emulator. */
async function replica(
  leaseOptions: RedisReadLeasesOptions,
  leaseWaitMs: number,
  apiUrl?: string,
): Promise<Stack> {
  const redis = connectRedis(redisUrl);
  const health = new RedisHealth(redisUrl, undefined, () => {});
  await redis.connect();
  const leases = new RedisReadLeases(redis, health, leaseOptions);
  const sharedReads = new SharedReads({
    store: new RedisCacheStore(redis, { health }),
    leases,
    leaseWaitMs,
  });
  const stack = await startStack({ sharedReads, ...(apiUrl && { apiUrl }) });
  closers.push(
    () => redis.disconnect(),
    () => leases.close(),
    () => stack.close(),
  );
  return stack;
}

const leaseCount = async () => (await flusher.keys('onesignal-graphql:lease:*')).length;

describe('a replica waiting on another replica’s lease', () => {
  it('is woken by the holder’s message, not its poll, and takes the answer from the cache', async () => {
    const a = await replica({}, 20_000);
    // Polls every 10 s: an answer well before that came through pub/sub.
    const b = await replica({ pollMs: 10_000 }, 20_000, a.emulator.url);
    await flusher.flushdb();
    a.emulator.setFaults({ latencyMs: 1_000 });
    a.emulator.resetStats();
    const first = a.gql(LIST);
    await sleep(200);
    const started = Date.now();
    const [fromA, fromB] = await Promise.all([first, b.gql(LIST)]);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(fromB).toEqual(fromA);
    expect(a.upstreamCalls()).toEqual({ get_notifications: 1 });
    expect(await leaseCount()).toBe(0);
  });

  it('keeps a lease its holder still renews past its ttl, and stops waiting after leaseWaitMs', async () => {
    const a = await replica({ ttlMs: 300 }, 20_000);
    const b = await replica({ pollMs: 50 }, 800, a.emulator.url);
    await flusher.flushdb();
    a.emulator.setFaults({ latencyMs: 2_500 });
    a.emulator.resetStats();
    const first = a.gql(LIST);
    await sleep(1_000);
    // Three ttls after it was taken, the slow holder still holds its lease.
    expect(await leaseCount()).toBe(1);
    const started = Date.now();
    await b.gql(LIST);
    // 800 ms of waiting, then its own read (2.5 s) rather than a wait for A's.
    expect(Date.now() - started).toBeGreaterThan(2_500 + 700);
    await first;
    expect(a.upstreamCalls()).toEqual({ get_notifications: 2 });
  });

  it('does not wait at all for a read asked with Cache-Control: no-cache', async () => {
    const a = await replica({}, 20_000);
    const b = await replica({}, 20_000, a.emulator.url);
    await flusher.flushdb();
    a.emulator.setFaults({ latencyMs: 1_500 });
    a.emulator.resetStats();
    const first = a.gql(LIST);
    await sleep(500);
    expect(await leaseCount()).toBe(1);
    const started = Date.now();
    await b.gql(LIST, undefined, { 'cache-control': 'no-cache' });
    // Its own read (1.5 s) started at once: done before A's, which had a 500 ms head start, plus B's.
    expect(Date.now() - started).toBeLessThan(1_500 + 900);
    await first;
    expect(a.upstreamCalls()).toEqual({ get_notifications: 2 });
  });
});
