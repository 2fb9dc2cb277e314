/**
 * Read your own writes: `notificationCreate { notification { … } }` is answered from the send itself
 * (what was sent, OneSignal's id and recipients), with no view of the notification, in every key
 * configuration, cache on or off; with the cache on, the snapshot answers the next reads of it for
 * the "sending" TTL, then OneSignal's view does. Real HTTP to the emulator, counted by its stats.
 */
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { KEY_CONFIGURATIONS } from '../helpers/key-configurations.js';
import { ownWritesStacks, SEED_TTL_MS } from '../helpers/own-writes.js';
import type { Stack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const WELCOME = DEMO.templates[SHOP]!.Welcome!;
const UNKNOWN_SUBSCRIPTION = '99999999-9999-4999-8999-999999999999';
/** Short, so "after the seed" is a wait of a few hundred ms. */

const FIELDS = `id oneSignalId status name contents { language text } headings { language text } url data
  idempotencyKey includedSegments queuedAt sendAfter completedAt successfulCount failedCount remainingCount
  platformDeliveryStats { platform }`;

const SEND = `mutation($input: NotificationCreateInput!) { notificationCreate(input: $input) {
  __typename
  ... on NotificationCreatePayload { notificationId oneSignalId idempotencyKey recipientCount notification { ${FIELDS} } }
  ... on NotificationNotSent { reasons invalidIds }
  ... on Error { code message }
} }`;

const NODE = `query($id: ID!) { node(id: $id) { ... on Notification { ${FIELDS} } } }`;

interface Sent {
  id: string;
  oneSignalId: string;
  status: string;
  name: string | null;
  contents: { language: string; text: string }[];
  headings: { language: string; text: string }[];
  url: string | null;
  data: Record<string, unknown> | null;
  idempotencyKey: string | null;
  includedSegments: string[];
  queuedAt: string | null;
  sendAfter: string | null;
  completedAt: string | null;
  successfulCount: number;
  failedCount: number;
  remainingCount: number;
  platformDeliveryStats: unknown[];
}

interface Payload {
  __typename: string;
  notificationId?: string;
  idempotencyKey?: string;
  oneSignalId?: string;
  recipientCount?: number | null;
  notification?: Sent | null;
  code?: string;
  message?: string;
}

/** A send's input; where every test here says what it sends. */
const input = (extra: Record<string, unknown> = {}) => ({
  appId: SHOP,
  name: 'Own writes',
  contents: [
    { language: 'en', text: 'Fresh from the send' },
    { language: 'de', text: 'Frisch vom Versand' },
  ],
  headings: [{ language: 'en', text: 'Hello' }],
  url: 'https://example.com/own-writes',
  data: { order: 7 },
  target: { segments: { include: ['VIP Customers'] } },
  ...extra,
});

const stackWith = ownWritesStacks();

async function send(s: Stack, extra?: Record<string, unknown>): Promise<Payload> {
  return (await s.gql<{ notificationCreate: Payload }>(SEND, { input: input(extra) })).notificationCreate;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(KEY_CONFIGURATIONS)('a send selecting its notification, with %s', (name, options) => {
  // With only the organization key, the app's REST key is looked up once (get_app), then known.
  const lookup = name === 'org key only' ? { get_app: 1 } : {};

  it.each([
    ['off', false],
    ['on', true],
  ])('costs one create_notification and no view, cache %s', async (_label, cache) => {
    const { s } = await stackWith(options, cache);
    const before = Date.now();
    const payload = await send(s);
    expect(s.upstreamCalls()).toEqual({ create_notification: 1, ...lookup });
    expect(payload.__typename).toBe('NotificationCreatePayload');
    const n = payload.notification as Sent;
    expect(n).toMatchObject({
      id: payload.notificationId,
      oneSignalId: payload.oneSignalId,
      status: 'SENDING',
      name: 'Own writes',
      contents: [
        { language: 'en', text: 'Fresh from the send' },
        { language: 'de', text: 'Frisch vom Versand' },
      ],
      headings: [{ language: 'en', text: 'Hello' }],
      url: 'https://example.com/own-writes',
      data: { order: 7 },
      idempotencyKey: payload.idempotencyKey,
      includedSegments: ['VIP Customers'],
      completedAt: null,
      successfulCount: 0,
      failedCount: 0,
      remainingCount: payload.recipientCount,
      platformDeliveryStats: [],
    });
    expect(payload.recipientCount).toBeGreaterThan(0);
    // Queued now (OneSignal's times are whole seconds), delivery starting now.
    const queuedAt = Date.parse(n.queuedAt as string);
    expect(queuedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(queuedAt).toBeLessThanOrEqual(Date.now());
    expect(n.sendAfter).toBe(n.queuedAt);
  });

  it('answers a node read right after from the snapshot while it is fresh, then from OneSignal (cache on)', async () => {
    const { s } = await stackWith(options, true);
    const payload = await send(s);
    s.emulator.resetStats();

    const right = await s.gql<{ node: Sent }>(NODE, { id: payload.notificationId });
    expect(s.upstreamCalls()).toEqual({});
    expect(right.node).toEqual(payload.notification);

    await sleep(SEED_TTL_MS + 100);
    const later = await s.gql<{ node: Sent }>(NODE, { id: payload.notificationId });
    expect(s.upstreamCalls()).toEqual({ get_notification: 1 });
    // OneSignal's own view: the emulator delivers at once, so it is delivered by now.
    expect(later.node).toMatchObject({
      oneSignalId: payload.oneSignalId,
      status: 'DELIVERED',
      contents: payload.notification?.contents,
    });
    expect(later.node.successfulCount).toBeGreaterThan(0);
  });

  it('reads it from OneSignal in the next request when the cache is off', async () => {
    const { s } = await stackWith(options, false);
    const payload = await send(s);
    s.emulator.resetStats();
    const next = await s.gql<{ node: Sent }>(NODE, { id: payload.notificationId });
    expect(s.upstreamCalls()).toEqual({ get_notification: 1 });
    expect(next.node.oneSignalId).toBe(payload.oneSignalId);
  });
});

describe('what a snapshot says', () => {
  it('holds for a retry of the same send with its key, and gives way to OneSignal for a key reused with other content', async () => {
    // Cache off: with it on, the first send's snapshot (the same notification) would answer the last read.
    const { s } = await stackWith({}, false);
    const idempotencyKey = '4c1b2a3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
    const first = await send(s, { idempotencyKey });
    expect(s.upstreamCalls()).toEqual({ create_notification: 1 });
    s.emulator.resetStats();
    const retry = await send(s, { idempotencyKey });
    expect(retry.oneSignalId).toBe(first.oneSignalId);
    expect(s.upstreamCalls()).toEqual({ create_notification: 1 });
    s.emulator.resetStats();
    // The same key with other content: OneSignal sends nothing and answers the first notification,
    // which only its own view can show.
    const again = await send(s, { idempotencyKey, contents: [{ language: 'en', text: 'Something else' }] });
    expect(again.oneSignalId).toBe(first.oneSignalId);
    expect(again.notification?.contents).toEqual(first.notification?.contents);
    expect(s.upstreamCalls()).toEqual({ create_notification: 1, get_notification: 1 });
  });

  it('is SCHEDULED at the given time for a future sendAfter, in the payload and in the next read', async () => {
    const { s } = await stackWith({}, true);
    const sendAfter = new Date(Math.floor(Date.now() / 1000 + 7200) * 1000).toISOString();
    const payload = await send(s, { delivery: { sendAfter } });
    expect(payload.notification).toMatchObject({ status: 'SCHEDULED', sendAfter, completedAt: null });
    expect(s.upstreamCalls()).toEqual({ create_notification: 1 });
    const next = await s.gql<{ node: Sent }>(NODE, { id: payload.notificationId });
    expect(next.node).toMatchObject({ status: 'SCHEDULED', sendAfter });
    expect(s.upstreamCalls()).toEqual({ create_notification: 1 });
  });

  it('takes a named template’s content where the send sets none, reading the template, not the notification', async () => {
    const { s } = await stackWith({}, false);
    const payload = await send(s, { contents: undefined, headings: undefined, templateId: WELCOME });
    expect(payload.notification?.contents).toEqual([
      { language: 'en', text: 'Welcome to Demo Shop!' },
      { language: 'de', text: 'Willkommen bei Demo Shop!' },
    ]);
    expect(s.upstreamCalls()).toEqual({ create_notification: 1, view_template: 1 });
  });

  it('is seeded for the sends that created something only: nothing for id "" or a failed send', async () => {
    const { s, store } = await stackWith({}, true);
    const notSent = await send(s, { target: { subscriptionIds: [UNKNOWN_SUBSCRIPTION] } });
    expect(notSent.__typename).toBe('NotificationNotSent');
    expect(store.size).toBe(0);

    // OneSignal refuses it (400: no such template in the app).
    const failed = await send(s, { templateId: UNKNOWN_SUBSCRIPTION });
    expect(failed.__typename).not.toBe('NotificationCreatePayload');
    expect(failed.message).toContain('not found');
    expect(s.upstreamCalls().create_notification).toBe(2);
    expect(store.size).toBe(0);
    expect(s.upstreamCalls().get_notification).toBeUndefined();

    const sent = await send(s);
    expect(sent.__typename).toBe('NotificationCreatePayload');
    expect(store.size).toBeGreaterThan(0);
  });
});
