/**
 * A real Redis Cluster (Debian's redis-server and redis-cli): three primaries, each with a replica,
 * on loopback ports, so suites can run replicas against it and fail a primary over.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startRedis, stopRedis } from './redis-server.js';

const run = promisify(execFile);

export interface RunningCluster {
  /** `redis+cluster://:password@127.0.0.1:P1,…` (the primaries): what REDIS_URL takes. */
  url: string;
  ports: number[];
  /** Runs redis-cli against one node, with the password. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** The ports of the primaries, and of each primary's replica. */
  roles(): Promise<{ primaries: number[]; replicaOf: Map<number, number> }>;
  /** The port of the primary serving `key`'s slot. */
  primaryOf(key: string): Promise<number>;
  /** Kills one node (SIGKILL, a crash): its replica takes over after the node timeout. */
  kill(port: number): Promise<void>;
  stop(): Promise<void>;
}

async function startNode(port: number, dir: string, password: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, `nodes-${port}.conf`),
      // A primary is declared failed after 1 s: failovers in tests take seconds, not the default 15.
      '--cluster-node-timeout',
      '1000',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--requirepass',
      password,
      '--masterauth',
      password,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  const deadline = Date.now() + 10_000;
  while (!/Ready to accept connections/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`redis-server (cluster node) did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return child;
}

/** Three primaries and `replicas` (0 or 1) replicas each, slots assigned, the cluster state ok. */
export async function startRedisCluster(password: string, replicas: 0 | 1 = 1): Promise<RunningCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-cluster-'));
  const ports: number[] = [];
  for (let i = 0; i < 3 * (1 + replicas); i++) ports.push(await freePort());
  const nodes = await Promise.all(ports.map((port) => startNode(port, dir, password)));
  const cli = async (port: number, ...args: string[]) =>
    (await run('redis-cli', ['-p', String(port), '-a', password, '--no-auth-warning', ...args])).stdout;
  await run('redis-cli', [
    '-a',
    password,
    '--no-auth-warning',
    '--cluster',
    'create',
    ...ports.map((p) => `127.0.0.1:${p}`),
    '--cluster-replicas',
    String(replicas),
    '--cluster-yes',
  ]);
  const cluster: RunningCluster = {
    url: `redis+cluster://:${password}@${ports
      .slice(0, 3)
      .map((p) => `127.0.0.1:${p}`)
      .join(',')}`,
    ports,
    cli,
    async roles() {
      const lines = (await cli(ports[0] ?? 0, 'cluster', 'nodes')).trim().split('\n');
      const byId = new Map<string, number>();
      for (const line of lines) {
        const [id, address] = line.split(' ');
        byId.set(id ?? '', Number(/:(\d+)@/.exec(address ?? '')?.[1]));
      }
      const primaries: number[] = [];
      const replicaOf = new Map<number, number>();
      for (const line of lines) {
        const [id, , flags, primaryId] = line.split(' ');
        if (flags?.includes('fail')) continue;
        const port = byId.get(id ?? '') ?? 0;
        if (flags?.includes('master')) primaries.push(port);
        else replicaOf.set(byId.get(primaryId ?? '') ?? 0, port);
      }
      return { primaries, replicaOf };
    },
    async primaryOf(key) {
      const slot = Number((await cli(ports[0] ?? 0, 'cluster', 'keyslot', key)).trim());
      for (const line of (await cli(ports[0] ?? 0, 'cluster', 'nodes')).trim().split('\n')) {
        const fields = line.split(' ');
        if (!fields[2]?.includes('master') || fields[2].includes('fail')) continue;
        for (const range of fields.slice(8)) {
          const [from, to = from] = range.split('-').map(Number);
          if (from !== undefined && to !== undefined && slot >= from && slot <= to)
            return Number(/:(\d+)@/.exec(fields[1] ?? '')?.[1]);
        }
      }
      throw new Error(`no primary serves slot ${slot}`);
    },
    async kill(port) {
      const child = nodes[ports.indexOf(port)];
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
    async stop() {
      await Promise.all(
        nodes.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGKILL');
          await once(child, 'exit');
        }),
      );
      await rm(dir, { recursive: true, force: true });
    },
  };
  await waitForClusterOk(cluster);
  return cluster;
}

/**
 * Until every node that answers says `cluster_state:ok` with every slot served (after create or a
 * failover; a node killed on purpose does not answer and is left out).
 */
export async function waitForClusterOk(cluster: RunningCluster, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answers = await Promise.all(
      cluster.ports.map((p) => cluster.cli(p, 'cluster', 'info').catch(() => undefined)),
    );
    const states = answers.filter((s): s is string => s !== undefined);
    if (states.length && states.every((s) => /cluster_state:ok/.test(s) && /cluster_slots_ok:16384/.test(s)))
      return;
    if (Date.now() > deadline) throw new Error(`the Redis Cluster did not settle:\n${states.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a Redis and answers its REDIS_URL and how to stop it. */
export type StartRedisBackend = () => Promise<{ url: string; stop(): Promise<void> }>;

/**
 * The Redis back-ends replica suites run on: one redis-server, then a three-primary cluster (named
 * `<name>-cluster` for its node directories).
 */
export function redisBackends(name: string): [string, StartRedisBackend][] {
  return [
    [
      'one Redis',
      async () => {
        const port = await freePort();
        const redis = await startRedis(port);
        return { url: `redis://127.0.0.1:${port}`, stop: () => stopRedis(redis) };
      },
    ],
    [
      'a Redis Cluster',
      async () => {
        const cluster = await startRedisCluster(`${name}-cluster`, 0);
        return { url: cluster.url, stop: () => cluster.stop() };
      },
    ],
  ];
}
