/**
 * Replicas on a Redis Cluster through a failover: three primaries with a replica each, two built
 * servers (`node dist/main.mjs`) with `REDIS_URL=redis+cluster://…` under steady load (reads and
 * sends), and the primary that holds the demo Shop app's keys failed over mid-load: once planned
 * (CLUSTER FAILOVER on its replica), once crashed (killed; its replica takes over after the 1 s node
 * timeout). Counted: requests that failed (none may), and how soon the cache is shared again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { type RunningArtifact, startArtifact } from '../helpers/artifact.js';
import { type RunningCluster, startRedisCluster, waitForClusterOk } from '../helpers/redis-cluster.js';
import { replicaEnv } from '../helpers/redis-server.js';

const PASSWORD = 'cluster-pass-never-shown-4c1';
const SHOP = DEMO.apps[0]?.id ?? '';
const LIST = `{ app(id: "${SHOP}") { name notifications(first: 5) { totalCount nodes { oneSignalId } } } }`;
const SEND = `mutation($input: NotificationCreateInput!) { notificationCreate(input: $input) { __typename ... on NotificationCreatePayload { oneSignalId } } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Body = {
  data?: Record<string, unknown> & { notificationCreate?: { __typename: string; oneSignalId?: string } };
  errors?: { message: string }[];
  extensions?: { upstream?: { calls: number; cacheHits: number } };
};

let cluster: RunningCluster;
let emulator: RunningEmulator;
let replicas: RunningArtifact[];

beforeAll(async () => {
  [cluster, emulator] = await Promise.all([startRedisCluster(PASSWORD, 1), startEmulator({ port: 0 })]);
  replicas = await Promise.all([0, 1].map(() => startArtifact(replicaEnv(cluster.url, emulator.url))));
}, 60_000);
afterAll(async () => {
  await Promise.all((replicas ?? []).map((r) => r.stop()));
  await emulator?.close();
  await cluster?.stop();
});

async function post(replica: RunningArtifact, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(replica.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

const send = (replica: RunningArtifact, text: string) =>
  post(replica, SEND, {
    input: {
      appId: SHOP,
      contents: [{ language: 'en', text }],
      target: { segments: { include: ['Subscribed Users'] } },
    },
  });

/** Each replica reads the Shop's list, and sends every tenth request, until `stop()`. */
function steadyLoad() {
  let running = true;
  const failures: string[] = [];
  let requests = 0;
  const loops = replicas.map(async (replica, r) => {
    for (let i = 0; running; i++) {
      const { status, body } =
        i % 10 === 9 ? await send(replica, `load ${r}/${i}`) : await post(replica, LIST);
      requests++;
      const sent = body.data?.notificationCreate;
      if (status !== 200 || body.errors || (sent && sent.__typename !== 'NotificationCreatePayload'))
        failures.push(`${status} ${JSON.stringify(body.errors ?? sent)}`);
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { requests, failures };
    },
  };
}

/** Milliseconds until a read through B is answered from the cache A filled (0 upstream calls). */
async function untilSharedAgain(since: number): Promise<number> {
  const [a, b] = replicas as [RunningArtifact, RunningArtifact];
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    await post(a, LIST);
    emulator.resetStats();
    const { body } = await post(b, LIST);
    const calls = Object.values(emulator.stats().byOperation).reduce((x, y) => x + y, 0);
    if (calls === 0 && (body.extensions?.upstream?.cacheHits ?? 0) > 0) return Date.now() - since;
    await sleep(100);
  }
  throw new Error('the cache was not shared again within 20 s of the failover');
}

describe('two server replicas on a Redis Cluster whose primary fails over', () => {
  it('share the cache before any failover: B answers from what A read, 0 upstream calls', async () => {
    for (const replica of replicas) {
      // The banner's lines may arrive in more than one chunk after the "Auth:" one startArtifact waits for.
      for (let i = 0; i < 100 && !/Shared:/.test(replica.output()); i++) await sleep(20);
      expect(replica.output()).toMatch(
        /Shared:\s+redis \(redis\+cluster:\/\/127\.0\.0\.1:\d+,.*password hidden\)/,
      );
      expect(replica.output()).not.toContain(PASSWORD);
    }
    expect(await untilSharedAgain(Date.now())).toBeLessThan(5_000);
  });

  it.each([
    ['a planned failover (CLUSTER FAILOVER on its replica)', 'planned'],
    ['a crash (the primary killed, its replica promoted after the node timeout)', 'crash'],
  ] as const)(
    'answer every request without an error through %s, and share the cache again after it',
    async (_how, how) => {
      const primary = await cluster.primaryOf(`{${SHOP}}`);
      const { replicaOf } = await cluster.roles();
      const replica = replicaOf.get(primary);
      expect(replica).toBeDefined();
      emulator.resetStats();
      const load = steadyLoad();
      await sleep(1_000);
      const failedAt = Date.now();
      if (how === 'planned') await cluster.cli(replica ?? 0, 'cluster', 'failover');
      else await cluster.kill(primary);
      // The replica is the Shop's primary now.
      const promoted = Date.now() + 15_000;
      while ((await cluster.primaryOf(`{${SHOP}}`).catch(() => primary)) !== replica && Date.now() < promoted)
        await sleep(100);
      await waitForClusterOk(cluster);
      const settled = Date.now() - failedAt;
      await sleep(2_000);
      const { requests, failures } = await load.stop();
      // Reads the cache could not answer while the slot had no primary went upstream.
      const upstreamLists = emulator.stats().byOperation.get_notifications ?? 0;
      const shared = await untilSharedAgain(failedAt);
      console.log(
        `${how} failover: cluster settled after ${settled} ms; ${requests} requests during load, ${failures.length} failed, ${upstreamLists} list reads upstream; cache shared again ${shared} ms after the failover`,
      );
      expect(await cluster.primaryOf(`{${SHOP}}`)).toBe(replica);
      expect(failures).toEqual([]);
      expect(requests).toBeGreaterThan(20);
      expect(shared).toBeLessThan(15_000);
      // Writes reach every replica again: a send through A is in B's list at once.
      const [a, b] = replicas as [RunningArtifact, RunningArtifact];
      await post(b, LIST);
      const sent = await send(a, `after the ${how} failover`);
      const after = await post(b, LIST);
      const list = after.body.data?.app as { notifications: { nodes: { oneSignalId: string }[] } };
      expect(list.notifications.nodes[0]?.oneSignalId).toBe(sent.body.data?.notificationCreate?.oneSignalId);
      for (const r of replicas) {
        expect(r.alive()).toBe(true);
        expect(r.output()).not.toContain(PASSWORD);
      }
    },
    60_000,
  );
});
