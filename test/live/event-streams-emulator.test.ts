/**
 * The emulator's Event Streams into the server's route: a send's per-recipient events, 10 % of them
 * duplicated and 10 % reordered, each published exactly once; the recipient's subscription, user and
 * notification joined on demand; per-app authorization; and notificationDelivery's early refresh.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../src/auth/config.js';
import { loadEventStreamsConfig } from '../../src/config.js';
import { parseNodeId } from '../../src/core/ids.js';
import { DEMO, demoAppKeys, startEmulator } from '../../src/emulator/index.js';
import type { EventStreamsConfig } from '../../src/http/event-streams.js';
import { createGraphQLServer } from '../../src/http/server.js';
import { DeliveryWatch } from '../../src/live/delivery-watch.js';
import { createEventStreams, type EventStreams } from '../../src/live/event-streams/index.js';
import type { StreamEvent } from '../../src/onesignal/event-streams.js';
import { createOneSignalClient } from '../../src/upstream/index.js';
import { NEWS, SHOP } from '../helpers/emulator.js';
import { eventBody, postEvent } from '../helpers/event-streams.js';
import { DELIVERY, sendThrough } from '../helpers/sse.js';
import { openSse } from '../helpers/sse-stream.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SECRET = `emulated-stream-${randomUUID()}`;
const JWT_SECRET = `jwt-secret-${randomUUID()}`;
const config = loadEventStreamsConfig({ EVENT_STREAMS_SECRET: SECRET }) as EventStreamsConfig;

const EVENTS = `subscription Events($appId: UUID!, $notificationId: UUID, $kinds: [MessageEventKind!], $subscriptionId: UUID) {
  messageEvents(appId: $appId, notificationId: $notificationId, kinds: $kinds, subscriptionId: $subscriptionId) {
    __typename eventId kind messageId subscriptionId userId
  }
}`;
type Row = { __typename: string; eventId: string; kind: string; messageId: string; subscriptionId: string };
const rows = (events: Record<string, unknown>[]) =>
  events.map((e) => {
    if (e.errors) throw new Error(JSON.stringify(e.errors));
    return (e.data as { messageEvents: Row }).messageEvents;
  });

describe("the emulator's Event Stream, 10 % duplicated and 10 % reordered", () => {
  let stack: Stack;
  let streams: EventStreams;
  const published: StreamEvent[] = [];

  beforeAll(async () => {
    streams = createEventStreams();
    streams.hub.follow((e) => published.push(e));
    stack = await startStack({}, { eventStreams: { config, streams } });
    stack.emulator.setEventStream({
      url: stack.graphqlUrl.replace(/\/graphql$/, config.path),
      headers: { authorization: `Bearer ${SECRET}` },
      duplicates: 0.1,
      reorder: 0.1,
    });
  });
  afterAll(async () => {
    await stack?.close();
    await streams?.close();
  });

  it('publishes every event of a send exactly once, as a subscriber counts them', async () => {
    const subscriber = await openSse(stack.graphqlUrl, EVENTS, { appId: SHOP.id });
    try {
      await sendThrough(stack.graphqlUrl);
      await stack.emulator.eventStreamIdle();
      const stats = stack.emulator.eventStreamStats();
      if (!stats) throw new Error('no event stream');
      await subscriber.waitFor(stats.emitted);
      await new Promise((r) => setTimeout(r, 300));
      const seen = rows(subscriber.events);
      console.log(
        `Event Stream: ${stats.emitted} events, ${stats.posted} POSTs (${stats.duplicated} duplicated, ${stats.reordered} reordered), ${seen.length} at the subscriber`,
      );
      expect(stats.emitted).toBeGreaterThanOrEqual(20);
      expect(stats.duplicated).toBeGreaterThan(0);
      expect(stats).toMatchObject({ dropped: 0, pending: 0, accepted: stats.emitted + stats.duplicated });
      expect(seen).toHaveLength(stats.emitted);
      expect(new Set(seen.map((e) => e.eventId)).size).toBe(stats.emitted);
      expect(published).toHaveLength(stats.emitted);
      // Push recipients: sent and received each, a click every fourth; typed by channel.
      const kinds = new Set(seen.map((e) => `${e.__typename} ${e.kind}`));
      expect(kinds).toContain('PushMessageEvent PUSH_SENT');
      expect(kinds).toContain('PushMessageEvent PUSH_RECEIVED');
      expect(kinds).toContain('PushMessageEvent PUSH_CLICKED');
      expect(new Set(seen.map((e) => e.messageId)).size).toBe(1);
    } finally {
      subscriber.close();
    }
  });

  it("joins the recipient's subscription and user and the notification on demand, through the loaders", async () => {
    const subscriber = await openSse(
      stack.graphqlUrl,
      `subscription Joined($appId: UUID!, $kinds: [MessageEventKind!]) {
        messageEvents(appId: $appId, kinds: $kinds) {
          subscriptionId userId messageId
          subscription { oneSignalId }
          user { oneSignalId }
          notification { oneSignalId }
        }
      }`,
      { appId: SHOP.id, kinds: ['PUSH_CLICKED'] },
    );
    try {
      await sendThrough(stack.graphqlUrl);
      await stack.emulator.eventStreamIdle();
      const [first] = await subscriber.waitFor(1);
      const { messageEvents: e } = (
        first as { data: { messageEvents: Record<string, { oneSignalId: string } | string> } }
      ).data;
      expect(e.subscription).toEqual({ oneSignalId: e.subscriptionId });
      expect(e.user).toEqual({ oneSignalId: e.userId });
      expect(e.notification).toEqual({ oneSignalId: e.messageId });
    } finally {
      subscriber.close();
    }
  });
});

describe('messageEvents authorization', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(
      {},
      {
        auth: loadAuthConfig({
          AUTH_MODE: 'jwt',
          JWT_SECRET,
          JWT_ISSUER: 'events-test',
          JWT_AUDIENCE: 'graphql',
        }),
        eventStreams: { config, streams: createEventStreams() },
      },
    );
  });
  afterAll(() => stack?.close());

  const bearer = async (scope: string, apps: string[]) => ({
    authorization: `Bearer ${await new SignJWT({ scope, apps })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('watcher')
      .setIssuer('events-test')
      .setAudience('graphql')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(JWT_SECRET))}`,
  });

  it("is refused for an app outside the caller's allow-list, or without notifications:read, before anything is followed", async () => {
    const otherApp = await stack.gqlRaw(
      EVENTS,
      { appId: SHOP.id },
      await bearer('notifications:read', [NEWS.id]),
    );
    expect(otherApp.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const noScope = await stack.gqlRaw(EVENTS, { appId: SHOP.id }, await bearer('users:read', [SHOP.id]));
    expect(noScope.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(stack.upstreamCalls()).toEqual({});
    const allowed = await openSse(
      stack.graphqlUrl,
      EVENTS,
      { appId: SHOP.id },
      await bearer('notifications:read', [SHOP.id]),
    );
    allowed.close();
  });
});

describe('notificationDelivery with Event Streams', () => {
  it('refreshes a watched notification when one of its events arrives, long before its next poll, one poll for a burst', async () => {
    const emulator = await startEmulator({ port: 0, pacing: { deliveryMs: 20_000 } });
    const client = createOneSignalClient({
      apiUrl: emulator.url,
      userAuthKey: DEMO.userAuthKey,
      appKeys: demoAppKeys(),
      rateLimits: false,
    });
    const watch = new DeliveryWatch({ pollMs: 10_000 });
    const streams = createEventStreams({ deliveryWatch: watch });
    const { server } = createGraphQLServer({
      client,
      deliveryWatch: watch,
      eventStreams: { config, streams },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const id = await sendThrough(`${base}/graphql`);
      const notificationId = parseNodeId(id, 'Notification', ['id']).id;
      const watcher = await openSse(`${base}/graphql`, DELIVERY, { id });
      await watcher.waitFor(1);
      emulator.resetStats();
      const of = (kind: string) =>
        eventBody({ kind }, { message: { id: notificationId, name: '', template_id: '' } });
      expect((await postEvent(`${base}${config.path}`, SECRET, of('message.push.received'))).status).toBe(
        200,
      );
      const deadline = Date.now() + 2_000;
      while (!emulator.stats().byOperation.get_notification && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(emulator.stats().byOperation.get_notification).toBe(1);
      for (let i = 0; i < 5; i++)
        await postEvent(`${base}${config.path}`, SECRET, of('message.push.clicked'));
      await new Promise((r) => setTimeout(r, 1_000));
      expect(emulator.stats().byOperation.get_notification).toBe(1);
      watcher.close();
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await streams.close();
      await watch.close();
      await emulator.close();
    }
  });
});
