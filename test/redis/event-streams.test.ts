import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEventStreamsConfig } from '../../src/config.js';
import type { EventStreamsConfig } from '../../src/http/event-streams.js';
import {
  createEventStreams,
  type EventStreams,
  RedisSeenEvents,
} from '../../src/live/event-streams/index.js';
import type { StreamEvent } from '../../src/onesignal/event-streams.js';
import { SHOP } from '../helpers/emulator.js';
import { eventBody, postEvent } from '../helpers/event-streams.js';
import { redisBackends } from '../helpers/redis-cluster.js';
import { freePort, startRedis, stopRedis } from '../helpers/redis-server.js';
import { openSse } from '../helpers/sse-stream.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SECRET = `replicated-stream-${randomUUID()}`;
const config = loadEventStreamsConfig({ EVENT_STREAMS_SECRET: SECRET }) as EventStreamsConfig;

interface Replica {
  stack: Stack;
  streams: EventStreams;
  published: StreamEvent[];
  eventsUrl: string;
}

async function replica(redisUrl: string): Promise<Replica> {
  const streams = createEventStreams({ redisUrl });
  const published: StreamEvent[] = [];
  streams.hub.follow((e) => published.push(e));
  await streams.hub.ready();
  const stack = await startStack({}, { eventStreams: { config, streams } });
  return { stack, streams, published, eventsUrl: stack.graphqlUrl.replace(/\/graphql$/, config.path) };
}

const BACKENDS = redisBackends('event-streams');

describe.each(BACKENDS)('two replicas on %s', (_name, start) => {
  let stopRedisBackend: () => Promise<void>;
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    const { url, stop } = await start();
    stopRedisBackend = stop;
    [a, b] = await Promise.all([replica(url), replica(url)]);
  }, 30_000);
  afterAll(async () => {
    for (const r of [a, b]) {
      await r?.stack.close();
      await r?.streams.close();
    }
    await stopRedisBackend?.();
  });

  it('an event posted to replica B reaches a subscription on replica A within 1 s', async () => {
    const subscriber = await openSse(
      a.stack.graphqlUrl,
      'subscription OnA($appId: UUID!) { messageEvents(appId: $appId) { eventId kind } }',
      { appId: SHOP.id },
    );
    try {
      const body = eventBody({ kind: 'message.email.opened' });
      const sent = Date.now();
      expect((await postEvent(b.eventsUrl, SECRET, body)).status).toBe(200);
      const [first] = await subscriber.waitFor(1, 1_000);
      const took = Date.now() - sent;
      console.log(`Event Streams: posted to B, seen on A's subscription after ${took} ms`);
      expect(took).toBeLessThan(1_000);
      expect(first?.data).toEqual({ messageEvents: { eventId: body.event.id, kind: 'EMAIL_OPENED' } });
    } finally {
      subscriber.close();
    }
  });

  it('a duplicate posted to A and B at once is published once, to both replicas', async () => {
    a.published.length = 0;
    b.published.length = 0;
    const body = eventBody();
    const answers = await Promise.all([
      postEvent(a.eventsUrl, SECRET, body),
      postEvent(b.eventsUrl, SECRET, body),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const outcomes = (await Promise.all(answers.map((r) => r.json()))).map((j) => j.status).sort();
    expect(outcomes).toEqual(['duplicate', 'published']);
    // And once more to each, later: still nothing new.
    for (const r of [a, b])
      expect((await (await postEvent(r.eventsUrl, SECRET, body)).json()).status).toBe('duplicate');
    await new Promise((r) => setTimeout(r, 200));
    expect(a.published.map((e) => e.id)).toEqual([body.event.id]);
    expect(b.published.map((e) => e.id)).toEqual([body.event.id]);
  });
});

describe('RedisSeenEvents', () => {
  it('claims an id once across connections until its TTL has passed', async () => {
    const port = await freePort();
    const redis = await startRedis(port);
    const [one, two] = [new Redis(`redis://127.0.0.1:${port}`), new Redis(`redis://127.0.0.1:${port}`)];
    try {
      const [a, b] = [new RedisSeenEvents(one, 150), new RedisSeenEvents(two, 150)];
      const id = randomUUID();
      expect(await Promise.all([a.claim(id), b.claim(id)])).toEqual(expect.arrayContaining([true, false]));
      expect(await a.claim(id)).toBe(false);
      await new Promise((r) => setTimeout(r, 250));
      expect(await b.claim(id)).toBe(true);
      await b.release(id);
      expect(await a.claim(id)).toBe(true);
    } finally {
      one.disconnect();
      two.disconnect();
      await stopRedis(redis);
    }
  });
});

describe('with Redis unreachable', () => {
  it('answers 503 with Retry-After, so OneSignal retries, and publishes nothing', async () => {
    // Not `replica()`: its `ready()` waits for a Redis that never answers.
    const streams = createEventStreams({ redisUrl: `redis://127.0.0.1:${await freePort()}` });
    const published: StreamEvent[] = [];
    streams.hub.follow((e) => published.push(e));
    const stack = await startStack({}, { eventStreams: { config, streams } });
    try {
      const res = await postEvent(stack.graphqlUrl.replace(/\/graphql$/, config.path), SECRET, eventBody());
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(published).toHaveLength(0);
    } finally {
      await stack.close();
      await streams.close();
    }
  }, 15_000);
});
