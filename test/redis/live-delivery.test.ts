import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { type RunningArtifact, startArtifact } from '../helpers/artifact.js';
import { collect, DELIVERY_DOCUMENT, deliveryUpdates, expectLiveProgress } from '../helpers/live-stack.js';
import { redisBackends } from '../helpers/redis-cluster.js';
import { replicaEnv } from '../helpers/redis-server.js';
import { DELIVERY, expectProgress, sendThrough, subscribeSse, updatesOf } from '../helpers/sse.js';

const BACKENDS = redisBackends('live-delivery');

describe.each(BACKENDS)('two built servers (node dist/main.mjs) on %s', (_name, start) => {
  let stopRedisBackend: () => Promise<void>;
  let emulator: RunningEmulator;
  let a: RunningArtifact;
  let b: RunningArtifact;

  beforeAll(async () => {
    const redis = await start();
    stopRedisBackend = redis.stop;
    emulator = await startEmulator({ port: 0, pacing: { deliveryMs: 3_000 } });
    const env = replicaEnv(redis.url, emulator.url, { DELIVERY_POLL_MS: '500' });
    [a, b] = await Promise.all([startArtifact(env), startArtifact(env)]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await emulator?.close();
    await stopRedisBackend?.();
  });

  it('50 subscribers split across both replicas cost the upstream calls of one', async () => {
    const calls = async (onA: number, onB: number) => {
      const id = await sendThrough(a.graphqlUrl);
      emulator.resetStats();
      const first = Array.from({ length: onA }, () => subscribeSse(a.graphqlUrl, DELIVERY, { id }));
      // B's first reads come from the cache A's filled (one first read in all), then B relays A's poll.
      await new Promise((r) => setTimeout(r, 150));
      const second = Array.from({ length: onB }, () => subscribeSse(b.graphqlUrl, DELIVERY, { id }));
      for (const run of await Promise.all([...first, ...second])) expectProgress(updatesOf(run.events));
      return emulator.stats().byOperation;
    };
    const one = await calls(1, 0);
    const fifty = await calls(25, 25);
    console.log(
      `get_notification: 1 subscriber ${one.get_notification}, 50 on two replicas ${fifty.get_notification}`,
    );
    expect(one.get_notification).toBeLessThanOrEqual(2 + 3_000 / 500);
    // The same operations; polls on a 500 ms beat over a 3 s delivery land one either side by timing.
    expect(Object.keys(fifty)).toEqual(Object.keys(one));
    expect(fifty.get_notification).toBeLessThanOrEqual((one.get_notification ?? 0) + 1);
  });

  it('a WebSocket and a multipart subscription on replica A get the updates of the poll replica B runs', async () => {
    const id = await sendThrough(b.graphqlUrl);
    emulator.resetStats();
    // B watches first: its poll is the one; A's subscribers join it through Redis.
    const onB = subscribeSse(b.graphqlUrl, DELIVERY, { id });
    await new Promise((r) => setTimeout(r, 150));
    const ws = createClient({
      url: a.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      const onA = collect({
        subscribe: (sink) => ws.subscribe({ query: DELIVERY_DOCUMENT, variables: { id } }, sink),
      });
      const multipartOnA = fetch(a.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'multipart/mixed;subscriptionSpec=1.0' },
        body: JSON.stringify({ query: DELIVERY_DOCUMENT, variables: { id } }),
      }).then((res) => res.text());
      expectLiveProgress(deliveryUpdates(await onA));
      const parts = (await multipartOnA)
        .split('\r\n--graphql')
        .map((p) => p.slice(p.indexOf('\r\n\r\n') + 4))
        .filter((p) => p.startsWith('{"payload"'))
        .map((p) => (JSON.parse(p) as { payload: unknown }).payload);
      expectLiveProgress(deliveryUpdates(parts));
      expectLiveProgress(updatesOf((await onB).events));
    } finally {
      await ws.dispose();
    }
    // One poll for the notification across both replicas and all three subscribers.
    expect(emulator.stats().byOperation.get_notification).toBeLessThanOrEqual(3 + 3_000 / 500);
  });
});
