/**
 * A rolling restart behind deploy/nginx.conf: two built replicas (`node dist/main.mjs`) on one Redis,
 * under 50 connections of steady load through Debian's nginx; each replica gets SIGTERM and is
 * started again on its port in turn, and no request fails. Also what a draining replica shows a
 * balancer: `/ready` 503 with a reason while it still answers, each answer closing its connection.
 */
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { type RunningArtifact, startArtifact } from '../helpers/artifact.js';
import { SHOP } from '../helpers/live-stack.js';
import { type RunningNginx, startNginx } from '../helpers/nginx.js';
import { freePort, replicaEnv, startRedis, stopRedis } from '../helpers/redis-server.js';

/** What the suite sets: twice the 500 ms check interval of the balancer the figures were measured with. */
const DRAIN_MS = 1_000;
const CONNECTIONS = 50;
const QUERY = JSON.stringify({ query: `{ app(id: "${SHOP}") { id name } }` });

interface Tally {
  ok: number;
  failed: number;
  /** The first few failures, for the message when there are any. */
  failures: string[];
}

/** `CONNECTIONS` loops, each sending the next query as soon as its last one is answered, until stopped. */
function steadyLoad(url: string) {
  const tally: Tally = { ok: 0, failed: 0, failures: [] };
  let running = true;
  const fail = (why: string) => {
    tally.failed++;
    if (tally.failures.length < 5) tally.failures.push(why);
  };
  const loop = async () => {
    while (running) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: QUERY,
        });
        const text = await res.text();
        let body: { data?: { app?: { name?: string } }; errors?: unknown[] } | undefined;
        try {
          body = JSON.parse(text);
        } catch {}
        if (res.status === 200 && body?.data?.app?.name === 'Demo Shop' && !body.errors) tally.ok++;
        else fail(`HTTP ${res.status}: ${text.slice(0, 200)}`);
      } catch (error) {
        fail(error instanceof Error ? `${error.message} (${String(error.cause)})` : String(error));
      }
    }
  };
  const loops = Array.from({ length: CONNECTIONS }, loop);
  return {
    tally,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Whether a new TCP connection to the loopback `port` is accepted. */
const connects = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

describe('a rolling restart behind nginx (deploy/nginx.conf), two built replicas on one Redis', () => {
  let redis: ChildProcess;
  let emulator: RunningEmulator;
  let nginx: RunningNginx;
  const ports: number[] = [];
  const replicas: RunningArtifact[] = [];
  let env: (port: number) => NodeJS.ProcessEnv;

  beforeAll(async () => {
    const redisPort = await freePort();
    redis = await startRedis(redisPort);
    emulator = await startEmulator({ port: 0 });
    env = (port) =>
      replicaEnv(`redis://127.0.0.1:${redisPort}`, emulator.url, {
        PORT: String(port),
        SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
        LOG_LEVEL: 'warn',
      });
    ports.push(await freePort(), await freePort());
    replicas.push(...(await Promise.all(ports.map((port) => startArtifact(env(port))))));
    nginx = await startNginx(ports.map((port) => `127.0.0.1:${port}`));
  }, 60_000);
  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(replicas.map((r) => r.stop()));
    await emulator?.close();
    await stopRedis(redis);
  });

  it('loses no request under 50 connections of steady load while each replica is sent SIGTERM and restarted in turn', async () => {
    const load = steadyLoad(`${nginx.base}/graphql`);
    const steps: string[] = [];
    try {
      await new Promise((r) => setTimeout(r, 1_000));
      for (const i of [0, 1]) {
        const before = load.tally.ok;
        const started = performance.now();
        const old = replicas[i] as RunningArtifact;
        const code = await old.stop();
        const stoppedMs = Math.round(performance.now() - started);
        expect(code).toBe(0);
        // It served through the drain before its port closed.
        expect(stoppedMs).toBeGreaterThanOrEqual(DRAIN_MS);
        replicas[i] = await startArtifact(env(ports[i] as number));
        steps.push(
          `replica ${i + 1}: exited 0 after ${stoppedMs} ms, back after ${Math.round(performance.now() - started)} ms; ${load.tally.ok - before} answers meanwhile`,
        );
        // Back in nginx's rotation (its 2 s fail_timeout) and carrying load before the next one goes.
        await new Promise((r) => setTimeout(r, 2_500));
      }
    } finally {
      await load.stop();
    }
    const { ok, failed, failures } = load.tally;
    console.log(
      `rolling restart: ${ok + failed} requests, ${failed} failed (${CONNECTIONS} connections)\n  ${steps.join('\n  ')}`,
    );
    if (failed) console.log(nginx.errors().split('\n').slice(-30).join('\n'));
    expect(failures).toEqual([]);
    expect(failed).toBe(0);
    expect(ok).toBeGreaterThan(1_000);
    for (const replica of replicas) expect(replica.alive()).toBe(true);
  }, 60_000);

  it('while draining answers /ready with 503 and a reason and still serves GraphQL; once its port closes, a kept-alive connection gets its answer with Connection: close; then exits 0', async () => {
    const replica = replicas[0] as RunningArtifact;
    const port = ports[0] as number;
    const direct = `http://127.0.0.1:${port}`;
    // One kept-alive connection, opened before the signal, as a proxy's upstream pool holds them.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = () =>
      new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/graphql',
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            let body = '';
            res.on('data', (d) => {
              body += String(d);
            });
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
            );
          },
        );
        req.on('error', reject);
        req.end(QUERY);
      });
    try {
      expect((await post()).connection).toBe('keep-alive');
      expect((await fetch(`${direct}/ready`)).status).toBe(200);
      const stopped = replica.stop();
      await new Promise((r) => setTimeout(r, 200));
      const ready = await fetch(`${direct}/ready`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { status: string; reason: string };
      expect(body.status).toBe('not ready');
      expect(body.reason).toMatch(/^Shutting down/);
      // Draining: served as usual, the connection kept.
      const during = await post();
      expect(during.status).toBe(200);
      expect(during.connection).toBe('keep-alive');
      expect(JSON.parse(during.body).data.app.name).toBe('Demo Shop');
      // Past the drain the port is closed: a new connection is refused (a balancer retries it
      // elsewhere), the kept-alive one is still answered, and told to close.
      await new Promise((r) => setTimeout(r, DRAIN_MS));
      expect(await connects(port)).toBe(false);
      const after = await post();
      expect(after.status).toBe(200);
      expect(after.connection).toBe('close');
      expect(JSON.parse(after.body).data.app.name).toBe('Demo Shop');
      expect(await stopped).toBe(0);
    } finally {
      agent.destroy();
      replicas[0] = await startArtifact(env(port));
    }
  }, 30_000);
});
