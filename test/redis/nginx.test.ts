/**
 * deploy/nginx.conf in front of two built replicas on one Redis, with Debian's nginx: WebSocket
 * upgrades pass, multipart and SSE stream unbuffered, and a page on the proxy's own origin may open a
 * WebSocket (the proxy forwards the browser's Host) while a foreign one may not.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { ROOT, type RunningArtifact, startArtifact } from '../helpers/artifact.js';
import { collect, DELIVERY_DOCUMENT, deliveryUpdates, expectLiveProgress } from '../helpers/live-stack.js';
import { freePort, replicaEnv, startRedis, stopRedis } from '../helpers/redis-server.js';
import { DELIVERY, sendThrough, subscribeSse, updatesOf } from '../helpers/sse.js';

const NGINX = '/usr/sbin/nginx';

describe('nginx (deploy/nginx.conf) in front of two built replicas on one Redis', () => {
  let redis: ChildProcess;
  let emulator: RunningEmulator;
  let a: RunningArtifact;
  let b: RunningArtifact;
  let nginx: ChildProcess;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: apt-get install -y nginx-light.`);
    const port = await freePort();
    redis = await startRedis(port);
    emulator = await startEmulator({ port: 0, pacing: { deliveryMs: 3_000 } });
    const env = replicaEnv(`redis://127.0.0.1:${port}`, emulator.url, { DELIVERY_POLL_MS: '500' });
    [a, b] = await Promise.all([startArtifact(env), startArtifact(env)]);
    // The shipped conf, with the compose service's name and port replaced by the two replicas here.
    const listen = await freePort();
    const hostOf = (url: string) => new URL(url).host;
    const conf = readFileSync(join(ROOT, 'deploy/nginx.conf'), 'utf8')
      .replace(
        /server graphql:4000([^;]*);/,
        (_line, params: string) =>
          `server ${hostOf(a.graphqlUrl)}${params};\n    server ${hostOf(b.graphqlUrl)}${params};`,
      )
      .replace('listen 4000;', `listen 127.0.0.1:${listen};`);
    expect(conf).toContain(hostOf(b.graphqlUrl));
    dir = mkdtempSync(join(tmpdir(), 'onesignal-graphql-nginx-'));
    writeFileSync(join(dir, 'nginx.conf'), conf);
    nginx = spawn(
      NGINX,
      [
        '-p',
        dir,
        '-c',
        join(dir, 'nginx.conf'),
        '-g',
        `daemon off; pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'error.log')};`,
      ],
      { stdio: 'ignore' },
    );
    base = `http://127.0.0.1:${listen}`;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const status = await fetch(`${base}/health`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await Promise.all([a?.stop(), b?.stop()]);
    await emulator?.close();
    await stopRedis(redis);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes WebSocket upgrades: graphql-ws through the proxy gets a fresh send’s updates', async () => {
    const id = await sendThrough(`${base}/graphql`);
    const ws = createClient({
      url: `${base.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      const results = await collect({
        subscribe: (sink) => ws.subscribe({ query: DELIVERY_DOCUMENT, variables: { id } }, sink),
      });
      expectLiveProgress(deliveryUpdates(results));
    } finally {
      await ws.dispose();
    }
  });

  it('streams SSE and Apollo multipart through the proxy, unbuffered', async () => {
    const id = await sendThrough(`${base}/graphql`);
    const [sse, multipart] = await Promise.all([
      subscribeSse(`${base}/graphql`, DELIVERY, { id }),
      fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'multipart/mixed;subscriptionSpec=1.0' },
        body: JSON.stringify({ query: DELIVERY_DOCUMENT, variables: { id } }),
      }).then((res) => res.text()),
    ]);
    expectLiveProgress(updatesOf(sse.events));
    const payloads = multipart
      .split('\r\n--graphql')
      .map((p) => p.slice(p.indexOf('\r\n\r\n') + 4))
      .filter((p) => p.startsWith('{"payload"'))
      .map((p) => (JSON.parse(p) as { payload: unknown }).payload);
    expectLiveProgress(deliveryUpdates(payloads));
  });

  it('admits a WebSocket from the proxy’s own origin and refuses a foreign one', async () => {
    const upgrade = (origin: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', {
          headers: { origin },
        });
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('error', () => undefined);
      });
    expect(await upgrade(base)).toBe(101);
    expect(await upgrade('https://evil.example')).toBe(403);
  });
});
