/**
 * How the built server (`node dist/main.mjs`) stops: at once on the embedded emulator, WebSockets
 * closed with 1012 (service restart); with keys, a drain first, cut short by a second signal; a
 * request still in flight when SHUTDOWN_GRACE_MS runs out is cut. The rolling restart itself, behind
 * nginx under load: test/redis/rolling-restart.test.ts.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO, demoAppKeys, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { loadShutdownConfig } from '../../src/http/shutdown.js';
import { cleanEnv, startArtifact } from '../helpers/artifact.js';

const SHOP = DEMO.apps[0]?.id as string;

describe('loadShutdownConfig', () => {
  it('drains 4 s by default, not at all with the embedded emulator, and names a bad variable', () => {
    expect(loadShutdownConfig({})).toEqual({ drainMs: 4_000, graceMs: 5_000 });
    expect(loadShutdownConfig({}, { embeddedEmulator: true })).toEqual({ drainMs: 0, graceMs: 5_000 });
    expect(loadShutdownConfig({ SHUTDOWN_DRAIN_MS: '250' }, { embeddedEmulator: true }).drainMs).toBe(250);
    expect(() => loadShutdownConfig({ SHUTDOWN_GRACE_MS: '5s' })).toThrow(/SHUTDOWN_GRACE_MS/);
  });
});

describe('the built server on the embedded emulator', () => {
  it('stops at once on SIGTERM (no drain) and closes an open WebSocket subscription with 1012', async () => {
    const server = await startArtifact(cleanEnv({ AUTH_MODE: 'none', AUTH_ALLOW_NONE: 'true' }));
    let closeCode: number | undefined;
    const ws = createClient({
      url: server.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      // Kept open by the client after its subscription completes, so the server's own close is seen.
      lazy: false,
      on: {
        closed: (event) => {
          closeCode = (event as { code: number }).code;
        },
      },
    });
    try {
      let completed = false;
      ws.subscribe(
        { query: `subscription { messageEvents(appId: "${SHOP}") { __typename } }` },
        {
          next: () => undefined,
          error: () => undefined,
          complete: () => {
            completed = true;
          },
        },
      );
      // The subscription is open once the server counts it; the stream itself stays silent.
      await new Promise((r) => setTimeout(r, 500));
      const started = performance.now();
      expect(await server.stop()).toBe(0);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(server.output()).not.toMatch(/draining for/);
      await expect.poll(() => closeCode).toBe(1012);
      expect(completed).toBe(true);
    } finally {
      await ws.dispose();
      await server.stop();
    }
  });
});

describe('the built server with keys (a replica behind a balancer)', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(() => emulator?.close());
  const env = (extra: NodeJS.ProcessEnv) =>
    cleanEnv({
      ONESIGNAL_API_URL: emulator.url,
      ONESIGNAL_APP_KEYS: JSON.stringify(demoAppKeys()),
      AUTH_MODE: 'none',
      AUTH_ALLOW_NONE: 'true',
      ...extra,
    });

  it('drains on SIGTERM, and a second SIGTERM exits at once with status 1', async () => {
    const server = await startArtifact(env({ SHUTDOWN_DRAIN_MS: '20000' }));
    server.signal('SIGTERM');
    await expect.poll(() => server.output(), { timeout: 10_000 }).toMatch(/draining for 20000 ms/);
    const ready = await fetch(server.graphqlUrl.replace(/\/graphql$/, '/ready'));
    expect(ready.status).toBe(503);
    const started = performance.now();
    server.signal('SIGTERM');
    expect(await server.exited()).toBe(1);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(server.output()).toMatch(/SIGTERM again: exiting now/);
  }, 30_000);

  it('cuts a request still in flight when SHUTDOWN_GRACE_MS runs out, then exits 0', async () => {
    const server = await startArtifact(env({ SHUTDOWN_DRAIN_MS: '0', SHUTDOWN_GRACE_MS: '500' }));
    const { port } = new URL(server.graphqlUrl);
    // A request whose body never finishes: in flight for as long as the server lets it be.
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"query":',
    );
    const cut = once(socket, 'close');
    socket.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const started = performance.now();
    expect(await server.stop()).toBe(0);
    const ms = performance.now() - started;
    expect(ms).toBeGreaterThan(450);
    expect(ms).toBeLessThan(3_000);
    await cut;
    expect(server.output()).toMatch(/requests still in flight after 500 ms \(SHUTDOWN_GRACE_MS\) were cut/);
  }, 30_000);
});
