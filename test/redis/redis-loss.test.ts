/**
 * Redis going away mid-load: three replicas (each its own connection, heartbeat, budget store and
 * client, as three processes have) share one real redis-server and one emulator with its OneSignal
 * limits on. The server is killed while they read, and started again: together they must stay
 * within one app's budget throughout (0 upstream 429s), and share budgets in Redis again after.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, demoAppKeys, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { createOneSignalClient } from '../../src/upstream/index.js';
import { connectRedis, RedisBucketStore, RedisHealth } from '../../src/upstream/redis.js';
import { fallbackRate, ReplicaCount } from '../../src/upstream/replicas.js';
import { freePort, startRedis, stopRedis } from '../helpers/redis-server.js';

const SHOP = DEMO.apps[0]?.id as string;
// Both sides: the clients pace to it and the emulator refuses (429) whatever goes beyond it.
const RATE = { perSecond: 20, burst: 4 };
const READS_PER_REPLICA = 24;

let port: number;
let redisServer: ChildProcess | undefined;
let emulator: RunningEmulator;
const replicas: Awaited<ReturnType<typeof startReplica>>[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startReplica() {
  const warnings: string[] = [];
  const redis = connectRedis(`redis://127.0.0.1:${port}`);
  const health = new RedisHealth(`redis://127.0.0.1:${port}`, undefined, (m) => warnings.push(m));
  redis.on('error', (e: unknown) => health.failed(e));
  redis.on('ready', () => health.ok());
  await redis.connect();
  const count = new ReplicaCount(redis, health, { ttlMs: 1_500, intervalMs: 200 });
  count.start();
  const client = createOneSignalClient({
    apiUrl: emulator.url,
    appKeys: demoAppKeys(),
    retryBaseDelayMs: 5,
    rateLimits: { view_notifications: RATE },
    bucketStore: new RedisBucketStore(redis, health, count),
  });
  return { redis, count, client, warnings };
}

/** Every replica reads READS_PER_REPLICA distinct pages at once; resolves the wall time in ms. */
async function load(round: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    replicas.flatMap((replica, r) =>
      Array.from({ length: READS_PER_REPLICA }, (_, i) =>
        replica.client.notifications.list(SHOP, { limit: 1, offset: round * 1000 + r * 100 + i }),
      ),
    ),
  );
  return performance.now() - started;
}

async function until(check: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}

beforeAll(async () => {
  port = await freePort();
  redisServer = await startRedis(port);
  emulator = await startEmulator({ port: 0 });
  emulator.setLimits({ enabled: true, rates: { view_notifications: RATE } });
  for (let i = 0; i < 3; i++) replicas.push(await startReplica());
});
afterAll(async () => {
  for (const r of replicas) {
    await r.count.stop();
    r.redis.disconnect();
  }
  await emulator?.close();
  await stopRedis(redisServer);
});

describe('Redis going away mid-load', () => {
  it('keeps three replicas within one budget while Redis is down, and shares it in Redis again once back', async () => {
    await until(() => replicas.every((r) => r.count.count === 3));
    const total = 3 * READS_PER_REPLICA;
    // One budget at 20/s: 72 reads take about 3.6 s, whoever sends them.
    const shared = await load(0);
    expect(shared).toBeGreaterThan(2_500);

    const during = load(1);
    await sleep(300);
    await stopRedis(redisServer);
    const down = await during;
    // Each replica now spends a third of the budget from its own memory, the last count it saw.
    expect(replicas.map((r) => r.count.count)).toEqual([3, 3, 3]);
    expect(down).toBeGreaterThan(2_500);
    const whileDown = await load(2);
    expect(whileDown).toBeGreaterThan(2_500);
    for (const r of replicas) expect(r.warnings.join('\n')).toMatch(/unreachable/);

    redisServer = await startRedis(port);
    await until(() => replicas.every((r) => r.redis.status === 'ready'));
    await until(() => replicas.every((r) => r.warnings.some((w) => /reachable again/.test(w))));
    const back = await load(3);
    expect(back).toBeGreaterThan(2_500);
    // Budgets are in Redis again: its window keys are there, and every replica announced itself.
    const probe = replicas[0]?.redis;
    expect(await probe?.keys('onesignal-graphql:rl:*')).not.toHaveLength(0);
    await until(() => replicas.every((r) => r.count.count === 3));

    // Together within one budget all along: OneSignal (the emulator) never had to refuse a read.
    expect(emulator.stats().rateLimited).toEqual({});
    expect(emulator.stats().byOperation).toEqual({ get_notifications: 4 * total });
  }, 60_000);

  it("drops a replica that stops from the others' count at their next heartbeat", async () => {
    const extra = await startReplica();
    await until(() => [...replicas, extra].every((r) => r.count.count === 4));
    await extra.count.stop();
    extra.redis.disconnect();
    await Promise.all(replicas.map((r) => r.count.beat()));
    expect(replicas.map((r) => r.count.count)).toEqual([3, 3, 3]);
  });

  it('counts a replica that has never reached Redis as alone', async () => {
    const unreachable = connectRedis(`redis://127.0.0.1:${await freePort()}`);
    const health = new RedisHealth('redis://127.0.0.1', undefined, () => {});
    unreachable.on('error', () => {});
    const count = new ReplicaCount(unreachable, health);
    await count.beat();
    expect(count.count).toBe(1);
    unreachable.disconnect();
  });

  it("divides a budget's rate and burst by the replicas last seen", () => {
    expect(fallbackRate({ perSecond: 150, burst: 150 }, 3)).toEqual({ perSecond: 50, burst: 50 });
    expect(fallbackRate({ perSecond: 1, burst: 3 }, 4)).toEqual({ perSecond: 0.25, burst: 1 });
    expect(fallbackRate({ perSecond: 20, burst: 4 }, 0)).toEqual({ perSecond: 20, burst: 4 });
  });
});
