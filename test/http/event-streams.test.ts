/**
 * The Event Streams route (src/http/event-streams.ts): each bad input answered as documented with nothing published, replays
 * published once, rotation, bounded floods; and the `messageEvents` subscription over SSE.
 */
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadEventStreamsConfig } from '../../src/config.js';
import type { EventStreamsConfig } from '../../src/http/event-streams.js';
import { createEventStreams, type EventStreams } from '../../src/live/event-streams/index.js';
import { Observability } from '../../src/observability/index.js';
import type { StreamEvent } from '../../src/onesignal/event-streams.js';
import { NEWS, SHOP } from '../helpers/emulator.js';
import { eventBody, postEvent } from '../helpers/event-streams.js';
import { openSse } from '../helpers/sse-stream.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SECRET = `current-secret-${randomUUID()}`;
const PREVIOUS = `previous-secret-${randomUUID()}`;

let stack: Stack;
let streams: EventStreams;
let config: EventStreamsConfig;
let eventsUrl: string;
const published: StreamEvent[] = [];

beforeAll(async () => {
  config = loadEventStreamsConfig({
    EVENT_STREAMS_SECRET: SECRET,
    EVENT_STREAMS_SECRET_PREVIOUS: PREVIOUS,
    EVENT_STREAMS_MAX_BODY_BYTES: '4096',
  }) as EventStreamsConfig;
  streams = createEventStreams();
  streams.hub.follow((e) => published.push(e));
  stack = await startStack({}, { eventStreams: { config, streams } });
  eventsUrl = stack.graphqlUrl.replace(/\/graphql$/, '/onesignal/events');
});
afterAll(async () => {
  await stack?.close();
  await streams?.close();
});
beforeEach(() => {
  published.length = 0;
});

const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${SECRET}` }) =>
  fetch(eventsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('the Event Streams route', () => {
  it('publishes a valid event once and answers 200 with its id', async () => {
    const body = eventBody();
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'published', id: body.event.id });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      id: body.event.id,
      kind: 'message.push.clicked',
      channel: 'push',
      action: 'clicked',
      appId: SHOP.id,
      occurredAt: 1_765_000_000_000,
      deviceType: 'iOS',
      messageId: body.message.id,
      // Liquid renders missing values as empty strings: they read as absent.
      messageName: null,
      subscriptionId: null,
      userId: null,
    });
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('answers a replayed event 200 "duplicate" and publishes it once', async () => {
    const body = eventBody();
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await (await post(body)).json());
    expect(answers.map((a) => a.status)).toEqual(['published', 'duplicate', 'duplicate']);
    expect(published.map((e) => e.id)).toEqual([body.event.id]);
  });

  it('refuses a missing or wrong secret with 401 and publishes nothing, without repeating any secret', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer not-the-secret' },
      { authorization: SECRET.slice(0, -1) },
    ] as Record<string, string>[]) {
      const res = await post(eventBody(), headers);
      expect(res.status).toBe(401);
      const text = await res.text();
      expect(text).toContain('EVENT_STREAMS_SECRET');
      expect(text).not.toContain(SECRET);
    }
    expect(published).toHaveLength(0);
  });

  it('accepts the current and the previous secret while a rotation is under way, bare or as a Bearer token', async () => {
    for (const headers of [
      { authorization: `Bearer ${SECRET}` },
      { authorization: `Bearer ${PREVIOUS}` },
      { authorization: SECRET },
    ])
      expect((await post(eventBody(), headers)).status).toBe(200);
    expect(published).toHaveLength(3);
  });

  it('refuses malformed JSON and unknown event shapes with 400 and the reason, publishing nothing', async () => {
    const cases: [unknown, string][] = [
      ['{"event": {', 'not valid JSON'],
      [[eventBody()], 'JSON object'],
      [{ message: {} }, '"event" must be an object'],
      [eventBody({ id: 'not-a-uuid' }), '"event.id" must be a UUID'],
      [eventBody({ kind: 'message.push.teleported' }), '"event.kind" is not a known event kind'],
      [eventBody({ kind: 'notification.push.clicked' }), '"event.kind" is not a known event kind'],
      [eventBody({ app_id: '' }), '"event.app_id" must be a UUID'],
      [eventBody({ timestamp: 'yesterday' }), '"event.timestamp" must be Unix seconds'],
      [eventBody({ data: 'x' }), '"event.data" must be an object'],
      [eventBody({}, { message: { id: 'nope' } }), '"message.id" must be a UUID'],
      [eventBody({}, { user: 'someone' }), '"user" must be an object'],
    ];
    for (const [body, reason] of cases) {
      const res = await post(body);
      expect(res.status, reason).toBe(400);
      expect((await res.json()).reason).toContain(reason);
    }
    expect(published).toHaveLength(0);
  });

  it('refuses a body over EVENT_STREAMS_MAX_BODY_BYTES with 413, declared or streamed, publishing nothing', async () => {
    const big = eventBody({ data: { padding: 'x'.repeat(5_000) } });
    expect((await post(big)).status).toBe(413);
    const chunked = await fetch(eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(JSON.stringify(big)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(published).toHaveLength(0);
  });

  it('answers only POST (405 otherwise)', async () => {
    const res = await fetch(eventsUrl);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('a flood of events', () => {
  it('is bounded: past EVENT_STREAMS_MAX_IN_FLIGHT it is answered 429 with Retry-After, and only what was accepted is published', async () => {
    // A hub whose publishes wait until released, so events pile up in flight.
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inner = createEventStreams();
    const slow = { ...inner.hub, publish: async (e: StreamEvent) => gate.then(() => inner.hub.publish(e)) };
    const seen: StreamEvent[] = [];
    inner.hub.follow((e) => seen.push(e));
    const { EventStreamIngest, MemorySeenEvents } = await import('../../src/live/event-streams/index.js');
    const ingest = new EventStreamIngest({ hub: slow, seen: new MemorySeenEvents(60_000) });
    const flood = await startStack(
      {},
      { eventStreams: { config: { ...config, maxInFlight: 4 }, streams: { ...inner, ingest } } },
    );
    try {
      const url = flood.graphqlUrl.replace(/\/graphql$/, '/onesignal/events');
      const sends = Array.from({ length: 40 }, () =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
          body: JSON.stringify(eventBody()),
        }),
      );
      await new Promise((r) => setTimeout(r, 300));
      release();
      const answers = await Promise.all(sends);
      const statuses = answers.map((a) => a.status);
      const accepted = statuses.filter((s) => s === 200).length;
      expect(accepted).toBe(4);
      expect(statuses.filter((s) => s === 429)).toHaveLength(36);
      expect(answers.find((a) => a.status === 429)?.headers.get('retry-after')).toBe('1');
      expect(seen).toHaveLength(accepted);
    } finally {
      await flood.close();
      await inner.close();
    }
  });
});

describe('without EVENT_STREAMS_SECRET', () => {
  it('serves no route (404) and reads no other variable', async () => {
    expect(loadEventStreamsConfig({ EVENT_STREAMS_PATH: '/x' })).toBeUndefined();
    expect(() => loadEventStreamsConfig({ EVENT_STREAMS_SECRET_PREVIOUS: PREVIOUS })).toThrow(
      'EVENT_STREAMS_SECRET_PREVIOUS is set without EVENT_STREAMS_SECRET',
    );
    expect(() => loadEventStreamsConfig({ EVENT_STREAMS_SECRET: 'short' })).toThrow('at least 16');
    const plain = await startStack();
    try {
      const res = await fetch(plain.graphqlUrl.replace(/\/graphql$/, '/onesignal/events'), {
        method: 'POST',
      });
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

const EVENTS = `subscription Events($appId: UUID!, $notificationId: UUID, $kinds: [MessageEventKind!], $subscriptionId: UUID) {
  messageEvents(appId: $appId, notificationId: $notificationId, kinds: $kinds, subscriptionId: $subscriptionId) {
    __typename eventId kind appId occurredAt messageId subscriptionId
  }
}`;

describe('messageEvents over SSE', () => {
  it('delivers the events of its app, notification, kinds and subscription, each once, typed by channel', async () => {
    const messageId = randomUUID();
    const subscriptionId = randomUUID();
    const all = await openSse(stack.graphqlUrl, EVENTS, { appId: SHOP.id });
    const filtered = await openSse(stack.graphqlUrl, EVENTS, {
      appId: SHOP.id,
      notificationId: messageId,
      kinds: ['EMAIL_OPENED', 'EMAIL_HARD_BOUNCED'],
      subscriptionId,
    });
    try {
      const ofMessage = (kind: string, sub = subscriptionId) =>
        eventBody({ kind }, { message: { id: messageId }, subscription: { id: sub } });
      const bodies = [
        ofMessage('message.email.opened'),
        ofMessage('message.email.clicked'),
        ofMessage('message.email.hardbounced', randomUUID()),
        eventBody({ kind: 'message.sms.delivered' }),
        eventBody({ app_id: NEWS.id }),
        ofMessage('message.email.hardbounced'),
      ];
      for (const body of bodies) expect((await post(body)).status).toBe(200);
      // A replay of the first: published once, so seen once.
      expect((await (await post(bodies[0])).json()).status).toBe('duplicate');
      const got = (await all.waitFor(5)).map(
        (e) => (e.data as { messageEvents: Record<string, unknown> }).messageEvents,
      );
      const mine = (await filtered.waitFor(2)).map(
        (e) => (e.data as { messageEvents: Record<string, unknown> }).messageEvents,
      );
      await new Promise((r) => setTimeout(r, 200));
      expect(all.events).toHaveLength(5);
      expect(filtered.events).toHaveLength(2);
      expect(got.map((e) => [e.__typename, e.kind])).toEqual([
        ['EmailMessageEvent', 'EMAIL_OPENED'],
        ['EmailMessageEvent', 'EMAIL_CLICKED'],
        ['EmailMessageEvent', 'EMAIL_HARD_BOUNCED'],
        ['SmsMessageEvent', 'SMS_DELIVERED'],
        ['EmailMessageEvent', 'EMAIL_HARD_BOUNCED'],
      ]);
      expect(mine).toEqual([
        {
          __typename: 'EmailMessageEvent',
          eventId: bodies[0]?.event.id,
          kind: 'EMAIL_OPENED',
          appId: SHOP.id,
          occurredAt: '2025-12-06T05:46:40.000Z',
          messageId,
          subscriptionId,
        },
        expect.objectContaining({ eventId: bodies[5]?.event.id, kind: 'EMAIL_HARD_BOUNCED' }),
      ]);
      expect(stack.upstreamCalls()).toEqual({});
    } finally {
      all.close();
      filtered.close();
    }
  });

  it('refuses an empty kinds list before following anything', async () => {
    const res = await stack.gqlRaw(EVENTS, { appId: SHOP.id, kinds: [] });
    expect(JSON.stringify(res)).toContain('VALIDATION_FAILED');
  });
});

describe('onesignal_event_streams_total', () => {
  it('counts each answer by outcome, and accepted ones by kind', async () => {
    const observability = await Observability.create({
      logFormat: 'json',
      logDestination: new PassThrough(),
    });
    const counted = await startStack(
      {},
      { observability, eventStreams: { config, streams: createEventStreams() } },
    );
    try {
      const url = counted.graphqlUrl.replace(/\/graphql$/, config.path);
      const body = eventBody({ kind: 'message.email.opened' });
      await postEvent(url, SECRET, body);
      await postEvent(url, SECRET, body);
      await postEvent(url, 'wrong-secret-wrong-secret', body);
      await postEvent(url, SECRET, '{"event":');
      const text = await (await fetch(counted.graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
      const line = (labels: string) =>
        new RegExp(`^onesignal_event_streams_total\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1];
      expect(line('outcome="published",kind="message.email.opened"')).toBe('1');
      expect(line('outcome="duplicate",kind="message.email.opened"')).toBe('1');
      expect(line('outcome="unauthorized",kind=""')).toBe('1');
      expect(line('outcome="rejected",kind=""')).toBe('1');
      expect(text).not.toContain(SECRET);
    } finally {
      await counted.close();
      await observability.close();
    }
  });
});
