/**
 * Live delivery (src/live/delivery-watch.ts): the GraphQL root types are named apart from OneSignal's
 * `Subscription`, and `notificationDelivery` streams a send's progress over Server-Sent Events, from
 * the sources in this process. The same stream from the built server is in test/artifact/, across
 * two replicas on one Redis in test/redis/, and in GraphiQL in test/browser/.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../../scripts/print-schema.js';
import { loadAuthConfig } from '../../src/auth/index.js';
import { encodeGlobalId } from '../../src/core/ids.js';
import { DEMO, demoAppKeys, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { createGraphQLServer } from '../../src/http/server.js';
import { createDeliveryWatch, DeliveryWatch } from '../../src/live/delivery-watch.js';
import { createOneSignalClient, MemoryCacheStore, SharedReads } from '../../src/upstream/index.js';
import { freePort } from '../helpers/redis-server.js';
import { DELIVERY, expectProgress, sendThrough, subscribeSse, updatesOf } from '../helpers/sse.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;

describe('root operation types', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('schema.graphql declares the roots in an explicit schema block', () => {
    const printed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(printed).toMatch(/\nschema \{\n {2}query: Query\n {2}mutation: Mutation\n/);
    expect(printed).toMatch(/\ntype Subscription implements Node \{/);
  });

  it('refuses `subscription { token }` at validation, with HTTP 400', async () => {
    const res = await stack.gqlRaw('subscription { token }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toMatch(/subscription|token/i);
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('introspection names the subscription root apart from the domain type', async () => {
    const data = await stack.gql<{ __schema: { subscriptionType: { name: string } | null } }>(
      '{ __schema { subscriptionType { name } } }',
    );
    expect(data.__schema.subscriptionType?.name ?? null).not.toBe('Subscription');
  });
});

describe('notificationDelivery and the caller', () => {
  const SECRET = 'a-test-only-hs256-secret-of-at-least-32-bytes';
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(
      {},
      {
        auth: loadAuthConfig({
          AUTH_MODE: 'jwt',
          JWT_SECRET: SECRET,
          JWT_ISSUER: 'https://auth.example.test/',
          JWT_AUDIENCE: 'onesignal-graphql',
        }),
      },
    );
  });
  afterAll(() => stack.close());

  const tokenFor = (scope: string, apps: string[]) =>
    new SignJWT({ scope, apps })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('watcher')
      .setIssuer('https://auth.example.test/')
      .setAudience('onesignal-graphql')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));

  const id = encodeGlobalId('Notification', `${SHOP}/${DEMO.notifications.latestDelivered}`);

  it.each([
    ['without notifications:read', 'apps:read', [SHOP]],
    ['outside its apps', 'notifications:read', [DEMO.apps[1]!.id]],
  ])('refuses a caller %s with FORBIDDEN, before any upstream call', async (_name, scope, apps) => {
    stack.emulator.resetStats();
    const token = await tokenFor(scope as string, apps as string[]);
    const { events } = await subscribeSse(
      stack.graphqlUrl,
      DELIVERY,
      { id },
      { authorization: `Bearer ${token}` },
    );
    const errors = events[0]?.errors as { extensions: { code: string } }[] | undefined;
    expect(errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(stack.emulator.stats().total).toBe(0);
  });

  it('gives an allowed caller a delivered notification once, then completes', async () => {
    const token = await tokenFor('notifications:read', [SHOP]);
    const { events, completed } = await subscribeSse(
      stack.graphqlUrl,
      DELIVERY,
      { id },
      { authorization: `Bearer ${token}` },
    );
    expect(completed).toBe(true);
    expect(updatesOf(events).map((u) => u.status)).toEqual(['DELIVERED']);
  });
});

/** The emulator (sends deliver over `deliveryMs`) and a server polling through `watch`, in this process. */
async function liveStack(watch: DeliveryWatch, deliveryMs: number) {
  const emulator = await startEmulator({ port: 0, pacing: { deliveryMs } });
  const client = createOneSignalClient({
    apiUrl: emulator.url,
    userAuthKey: DEMO.userAuthKey,
    appKeys: demoAppKeys(),
    rateLimits: false,
    sharedReads: new SharedReads({ store: new MemoryCacheStore(16 * 1024 * 1024) }),
  });
  const { server } = createGraphQLServer({ client, deliveryWatch: watch });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    emulator,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await watch.close();
      await emulator.close();
    },
  };
}

describe('notificationDelivery over Server-Sent Events', () => {
  const POLL_MS = 400;
  const DELIVERY_MS = 2_000;
  let emulator: RunningEmulator;
  let url: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ emulator, url, close } = await liveStack(new DeliveryWatch({ pollMs: POLL_MS }), DELIVERY_MS));
  });
  afterAll(() => close());

  it('streams a fresh send from its first counts to DELIVERED, then completes', async () => {
    const id = await sendThrough(url);
    const { events, completed } = await subscribeSse(url, DELIVERY, { id });
    expect(completed).toBe(true);
    expectProgress(updatesOf(events));
  });

  it('50 subscribers to one notification cost the upstream calls of one', async () => {
    const calls = async (subscribers: number) => {
      const id = await sendThrough(url);
      emulator.resetStats();
      const runs = await Promise.all(
        Array.from({ length: subscribers }, () => subscribeSse(url, DELIVERY, { id })),
      );
      for (const run of runs) expectProgress(updatesOf(run.events));
      return emulator.stats().byOperation;
    };
    const one = await calls(1);
    const fifty = await calls(50);
    // One first read (the others join it or hit the cache), then one poll per interval until delivered.
    expect(one.get_notification).toBeLessThanOrEqual(2 + Math.ceil(DELIVERY_MS / POLL_MS));
    expect(fifty).toEqual(one);
  });

  it('refuses an id that is not a notification before any upstream call', async () => {
    emulator.resetStats();
    const { events } = await subscribeSse(url, DELIVERY, { id: 'nope' });
    const errors = events[0]?.errors as { extensions: { code: string } }[] | undefined;
    expect(errors?.[0]?.extensions.code).toBe('VALIDATION_FAILED');
    expect(emulator.stats().byOperation).toEqual({});
  });
});

describe('live delivery while Redis is unreachable', () => {
  it('keeps streaming from a poll of its own, and nothing crashes', async () => {
    const live = await liveStack(
      createDeliveryWatch({ redisUrl: `redis://127.0.0.1:${await freePort()}`, pollMs: 400 }),
      2_000,
    );
    try {
      const id = await sendThrough(live.url);
      const { events, completed } = await subscribeSse(live.url, DELIVERY, { id });
      expect(completed).toBe(true);
      expectProgress(updatesOf(events));
    } finally {
      await live.close();
    }
  });
});

describe('a delivery watch shutting down while Redis is unreachable', () => {
  it('leaves no unhandled rejection behind for the SUBSCRIBE and UNSUBSCRIBE still queued', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const watch = createDeliveryWatch({
        redisUrl: `redis://127.0.0.1:${await freePort()}`,
        pollMs: 60_000,
      });
      // Following queues a SUBSCRIBE (Redis is not there); closing queues an UNSUBSCRIBE, then
      // disconnects, which rejects every queued command with "Connection is closed".
      const client = createOneSignalClient({ apiUrl: 'http://127.0.0.1:9' });
      watch.follow(client, SHOP, '00000000-0000-4000-8000-000000000001', () => {});
      await watch.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unhandled.map(String)).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
