/**
 * One upstream read per resource across replicas: built servers (`node dist/main.mjs`) against one
 * real redis-server and one emulator, counted with the emulator's stats. Identical cold reads spread
 * over 2 and 4 replicas cost what one process pays; a holder killed mid-read hands over once its
 * lease expires; without Redis each replica reads by itself, as before.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { ARTIFACT, ROOT } from '../helpers/artifact.js';
import { freePort, replicaEnv, startRedis, stopRedis } from '../helpers/redis-server.js';

const SHOP = DEMO.apps[0]!.id;
const NEWS = DEMO.apps[1]!.id;
const dashboard = (app: string) =>
  `{ app(id: "${app}") { name messageablePlayerCount notifications(first: 50) { totalCount nodes { oneSignalId } } } }`;

let redisServer: ChildProcess | undefined;
let redisUrl: string;
let flusher: Redis;
let emulator: RunningEmulator;

beforeAll(async () => {
  const port = await freePort();
  redisServer = await startRedis(port);
  redisUrl = `redis://127.0.0.1:${port}`;
  flusher = new Redis(redisUrl);
  // Slow enough that identical reads sent together are all in flight at once.
  emulator = await startEmulator({ port: 0, faults: { latencyMs: 150 } });
});
afterAll(async () => {
  flusher?.disconnect();
  await emulator?.close();
  await stopRedis(redisServer);
});

interface Replica {
  graphqlUrl: string;
  output(): string;
  /** SIGKILL: dies mid-read, releasing nothing. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** A built server as a replica: like test/helpers/artifact.ts `startArtifact`, but killable. */
async function startReplica(env: NodeJS.ProcessEnv): Promise<Replica> {
  const child = spawn(process.execPath, ARTIFACT, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  const deadline = Date.now() + 30_000;
  while (!/Auth:\s/.test(out) && child.exitCode === null && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  const graphqlUrl = /(?:GraphiQL|GraphQL):\s+(\S+)/.exec(out)?.[1];
  if (!graphqlUrl) {
    child.kill('SIGKILL');
    throw new Error(`The replica did not start:\n${out}`);
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await once(child, 'exit');
  };
  return { graphqlUrl, output: () => out, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

type Body = { data?: { app?: { name: string; notifications: { totalCount: number } } }; errors?: unknown[] };
async function post(replica: Replica, query: string): Promise<Body> {
  const res = await fetch(replica.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as Body;
}

/** 20 identical reads at once, spread round-robin over `replicas`, from an empty cache. */
async function twentyCold(replicas: Replica[], query: string) {
  await flusher.flushdb();
  emulator.resetStats();
  const bodies = await Promise.all(
    Array.from({ length: 20 }, (_, i) => post(replicas[i % replicas.length]!, query)),
  );
  for (const body of bodies) {
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual(bodies[0]!.data);
  }
  expect(bodies[0]!.data?.app?.notifications.totalCount).toBeGreaterThan(0);
  return emulator.stats().byOperation;
}

// The dashboard is two reads: the app (get_app, which needs the organization key) and its
// notifications (get_notifications); with app keys only, the notifications alone (the app's fields
// need the organization key). With the organization key only, a replica also looks up the app's REST
// key once in its life (get_app, never answered from the cache, which holds no key): the replicas
// learn both apps' keys first, as test/redis/shared-state.test.ts counts.
const NOTIFICATIONS = (app: string) =>
  `{ app(id: "${app}") { notifications(first: 50) { totalCount nodes { oneSignalId } } } }`;
describe.each([
  ['app keys only', { ONESIGNAL_USER_AUTH_KEY: '' }, NOTIFICATIONS, { get_notifications: 1 }],
  ['both keys', {}, dashboard, { get_app: 1, get_notifications: 1 }],
  ['the organization key only', { ONESIGNAL_APP_KEYS: '' }, dashboard, { get_app: 1, get_notifications: 1 }],
] as const)('replicas on one Redis with %s', (_keys, env, query, expected) => {
  let replicas: Replica[] = [];
  beforeAll(async () => {
    replicas = await Promise.all(
      Array.from({ length: 4 }, () => startReplica(replicaEnv(redisUrl, emulator.url, env))),
    );
    for (const replica of replicas) for (const app of [SHOP, NEWS]) await post(replica, query(app));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
  });

  it('one process pays one upstream read per resource for 20 identical cold reads', async () => {
    expect(await twentyCold(replicas.slice(0, 1), query(SHOP))).toEqual(expected);
  });

  it('shares OneSignal\'s "not found" across 4 replicas: one upstream read for 20', async () => {
    await flusher.flushdb();
    emulator.resetStats();
    const missing = `{ app(id: "${SHOP}") { notification(id: "0f0f0f0f-0000-4000-8000-000000000000") { oneSignalId } } }`;
    const bodies = await Promise.all(Array.from({ length: 20 }, (_, i) => post(replicas[i % 4]!, missing)));
    for (const body of bodies) expect(body.data).toEqual({ app: { notification: null } });
    expect(emulator.stats().byOperation).toEqual({ get_notification: 1 });
  });

  it.each([2, 4])('20 identical cold reads over %i replicas cost what one process pays', async (n) => {
    for (const app of [SHOP, NEWS])
      expect(await twentyCold(replicas.slice(0, n), query(app))).toEqual(expected);
  });
});

describe('a replica that dies holding a lease', () => {
  it('hands the read over to another replica once its lease expires, without a hang', async () => {
    const env = replicaEnv(redisUrl, emulator.url);
    const [holder, other] = await Promise.all([startReplica(env), startReplica(env)]);
    try {
      await flusher.flushdb();
      emulator.setFaults({ latencyMs: 2_000 });
      emulator.resetStats();
      const dying = post(holder, dashboard(SHOP)).catch(() => undefined);
      // The holder has taken the app's lease and is waiting on OneSignal: killed there.
      await new Promise((r) => setTimeout(r, 500));
      // The app's lease, and its notifications' if that read has started too.
      const leases = await flusher.keys('onesignal-graphql:lease:*');
      const held = leases.length;
      expect(held).toBeGreaterThanOrEqual(1);
      // Named by a SHA-256 of the cache key: no key, no credential hash, no path.
      for (const lease of leases) expect(lease).toMatch(/^onesignal-graphql:lease:[\w-]{43}$/);
      await holder.kill();
      await dying;
      const started = Date.now();
      const body = await post(other, dashboard(SHOP));
      const took = Date.now() - started;
      expect(body.errors).toBeUndefined();
      expect(body.data?.app?.name).toBe(DEMO.apps[0]!.name);
      // Waited for the lease (3 s after the holder's last renewal), then read itself: 2 s per read.
      expect(took).toBeGreaterThan(2_000);
      expect(took).toBeLessThan(12_000);
      // The dead holder's reads, then the other replica's app and notifications reads.
      expect(emulator.stats().byOperation).toEqual({ get_app: 2, get_notifications: held === 2 ? 2 : 1 });
    } finally {
      emulator.setFaults({ latencyMs: 150 });
      await Promise.all([holder.stop(), other.stop()]);
    }
  }, 30_000);
});

describe('replicas whose Redis is unreachable', () => {
  it('each read by themselves, as without Redis, and answer at once', async () => {
    const deadUrl = `redis://127.0.0.1:${await freePort()}`;
    const env = replicaEnv(deadUrl, emulator.url);
    const pair = await Promise.all([startReplica(env), startReplica(env)]);
    try {
      // Slow enough that each replica's 10 reads all join its first (nothing is cached without Redis).
      emulator.setFaults({ latencyMs: 1_000 });
      emulator.resetStats();
      const started = Date.now();
      const bodies = await Promise.all(
        Array.from({ length: 20 }, (_, i) => post(pair[i % 2]!, dashboard(SHOP))),
      );
      for (const body of bodies) expect(body.errors).toBeUndefined();
      // The app, then its notifications, 1 s each: no lease wait (up to 10 s), as Redis refuses at once.
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(emulator.stats().byOperation).toEqual({ get_app: 2, get_notifications: 2 });
      for (const replica of pair)
        expect(replica.output()).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable/);
    } finally {
      emulator.setFaults({ latencyMs: 150 });
      await Promise.all(pair.map((r) => r.stop()));
    }
  }, 30_000);
});
