/**
 * liveActivityStart: push-to-start (start_live_activity) with a one-of target, end to end: the wire
 * body, the started activity reachable by liveActivityUpdate, idempotent repeats, refusals with 0
 * upstream calls, and the cost in every key configuration.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { SHOP } from '../helpers/emulator.js';
import { KEY_CONFIGURATIONS } from '../helpers/key-configurations.js';
import { startStack, useStack } from '../helpers/stack.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are loosely typed JSON, narrowed by each assertion
type Loose = Record<string, any>;

const START = /* GraphQL */ `
  mutation ($input: LiveActivityStartInput!) {
    liveActivityStart(input: $input) {
      __typename
      ... on LiveActivityStartPayload { activityId notificationId notification { name successfulCount } }
      ... on ValidationError { fields { path message } }
      ... on Error { code message }
    }
  }
`;

const UPDATE = /* GraphQL */ `
  mutation ($input: LiveActivityUpdateInput!) {
    liveActivityUpdate(input: $input) {
      __typename
      ... on LiveActivityUpdatePayload { notification { successfulCount } }
      ... on Error { code message }
    }
  }
`;

const input = (patch: Loose = {}) => ({
  appId: SHOP.id,
  activityType: 'OrderStatusAttributes',
  activityId: `order-${randomUUID()}`,
  name: 'Order 1234 started',
  attributes: { orderNumber: '1234' },
  contentState: { status: 'preparing', etaMinutes: 25 },
  contents: [
    { language: 'en', text: 'Your order is being prepared' },
    { language: 'de', text: 'Ihre Bestellung wird vorbereitet' },
  ],
  headings: [
    { language: 'en', text: 'Order 1234' },
    { language: 'de', text: 'Bestellung 1234' },
  ],
  target: { segments: { include: ['Subscribed Users'] } },
  ...patch,
});

const stack = useStack();

describe('liveActivityStart', () => {
  it('starts the activity on the iOS subscribers the target reaches, with the documented body', async () => {
    const staleAt = new Date(Date.now() + 3_600_000);
    const given = input({ priority: 'HIGH', relevanceScore: 0.75, staleAt: staleAt.toISOString() });
    const { liveActivityStart: started } = await stack.gql<{ liveActivityStart: Loose }>(START, {
      input: given,
    });
    expect(started).toMatchObject({
      __typename: 'LiveActivityStartPayload',
      activityId: given.activityId,
      notification: { name: 'Order 1234 started' },
    });
    expect(started.notification.successfulCount).toBeGreaterThan(0);
    expect(stack.upstreamCalls()).toEqual({ start_live_activity: 1, get_notification: 1 });
    expect(stack.emulator.received('start_live_activity').at(-1)).toEqual({
      event: 'start',
      activity_id: given.activityId,
      name: 'Order 1234 started',
      event_attributes: { orderNumber: '1234' },
      event_updates: { status: 'preparing', etaMinutes: 25 },
      contents: { en: 'Your order is being prepared', de: 'Ihre Bestellung wird vorbereitet' },
      headings: { en: 'Order 1234', de: 'Bestellung 1234' },
      included_segments: ['Subscribed Users'],
      stale_date: Math.floor(staleAt.getTime() / 1000),
      priority: 10,
      ios_relevance_score: 0.75,
    });

    // The started activity runs on those devices: an update reaches every one of them.
    const { liveActivityUpdate } = await stack.gql<{ liveActivityUpdate: Loose }>(UPDATE, {
      input: {
        appId: SHOP.id,
        activityId: given.activityId,
        event: 'UPDATE',
        name: 'CONTENTS',
        eventUpdates: { status: 'on the way', etaMinutes: 10 },
      },
    });
    expect(liveActivityUpdate.notification.successfulCount).toBe(started.notification.successfulCount);
  });

  it('sends each targeting mode as its own wire field', async () => {
    const [alice] = DEMO.users;
    const modes: [Loose, Loose][] = [
      [
        { aliases: { label: 'external_id', ids: [alice!.externalId] } },
        { include_aliases: { external_id: [alice!.externalId] } },
      ],
      [
        { subscriptionIds: [alice!.subscriptionIds[0]] },
        { include_subscription_ids: [alice!.subscriptionIds[0]] },
      ],
      [
        { filters: [{ condition: { field: 'LANGUAGE', relation: 'EQUALS', value: 'en' } }] },
        { filters: [{ field: 'language', relation: '=', value: 'en' }] },
      ],
      [
        { segments: { include: ['Subscribed Users'], exclude: ['VIP Customers'] } },
        { included_segments: ['Subscribed Users'], excluded_segments: ['VIP Customers'] },
      ],
    ];
    for (const [target, wire] of modes) {
      const res = await stack.gql<{ liveActivityStart: Loose }>(START, { input: input({ target }) });
      expect(res.liveActivityStart.__typename, JSON.stringify(target)).toBe('LiveActivityStartPayload');
      const body = stack.emulator.received('start_live_activity').at(-1) as Loose;
      expect(body).toMatchObject(wire);
      expect(body.target_channel).toBeUndefined();
    }
  });

  it('answers a repeat with the same idempotency key with the first start, starting nothing again', async () => {
    const key = randomUUID();
    const first = await stack.gql<{ liveActivityStart: Loose }>(START, {
      input: input({ idempotencyKey: key }),
    });
    const again = await stack.gql<{ liveActivityStart: Loose }>(START, {
      input: input({ idempotencyKey: key }),
    });
    expect(again.liveActivityStart.notificationId).toBe(first.liveActivityStart.notificationId);
  });

  it('is not repeated after a lost answer unless it carries an idempotency key', async () => {
    // The emulator starts the activity, then fails the answer: OneSignal may have acted.
    const lostAnswer = {
      serverErrorRate: 1,
      serverErrorStatus: 503,
      when: 'after' as const,
      operations: ['start_live_activity'],
      times: 1,
    };
    stack.emulator.setFaults(lostAnswer);
    const bare = await stack.gql<{ liveActivityStart: Loose }>(START, { input: input() });
    expect(bare.liveActivityStart.__typename).toBe('UpstreamError');
    expect(stack.upstreamCalls()).toEqual({ start_live_activity: 1 });

    stack.emulator.resetStats();
    stack.emulator.setFaults(lostAnswer);
    const keyed = await stack.gql<{ liveActivityStart: Loose }>(START, {
      input: input({ idempotencyKey: randomUUID() }),
    });
    stack.emulator.setFaults(null);
    // The retry carries the same key: OneSignal answers with the start it already made.
    expect(keyed.liveActivityStart.__typename).toBe('LiveActivityStartPayload');
    expect(stack.upstreamCalls()).toMatchObject({ start_live_activity: 2 });
  });

  it.each([
    [
      'an activity type that is no Swift type name',
      { activityType: 'order status' },
      ['input', 'activityType'],
    ],
    ['an empty activity id', { activityId: ' ' }, ['input', 'activityId']],
    ['a name over 128 characters', { name: 'x'.repeat(129) }, ['input', 'name']],
    ['an empty content state', { contentState: {} }, ['input', 'contentState']],
    ['contents without English', { contents: [{ language: 'de', text: 'Hallo' }] }, ['input', 'contents']],
    [
      'headings missing a language of the contents',
      { headings: [{ language: 'en', text: 'Order' }] },
      ['input', 'headings'],
    ],
    ['a relevance score above 1', { relevanceScore: 1.5 }, ['input', 'relevanceScore']],
    ['a stale time in the past', { staleAt: '2020-01-01T00:00:00Z' }, ['input', 'staleAt']],
    [
      'an empty segment list',
      { target: { segments: { include: [] } } },
      ['input', 'target', 'segments', 'include'],
    ],
    ['no subscription ids', { target: { subscriptionIds: [] } }, ['input', 'target', 'subscriptionIds']],
  ])('refuses %s with a typed error at its path and no upstream call', async (_name, patch, path) => {
    const { liveActivityStart } = await stack.gql<{ liveActivityStart: Loose }>(START, {
      input: input(patch),
    });
    expect(liveActivityStart.__typename).toBe('ValidationError');
    expect(liveActivityStart.fields.map((f: Loose) => f.path)).toContainEqual(path);
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('refuses two targeting modes at once before executing (@oneOf)', async () => {
    const res = await stack.gqlRaw(START, {
      input: input({
        target: { segments: { include: ['Subscribed Users'] }, subscriptionIds: [DEMO.subscriptionIds[0]] },
      }),
    });
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(stack.upstreamCalls()).toEqual({});
  });
});

describe.each(KEY_CONFIGURATIONS)('liveActivityStart with %s', (name, options) => {
  it('costs the start alone (plus the key look-up with the org key only)', async () => {
    const s = await startStack(options);
    try {
      const res = await s.gql<{ liveActivityStart: Loose }>(
        `mutation ($input: LiveActivityStartInput!) { liveActivityStart(input: $input) { __typename ... on LiveActivityStartPayload { notificationId } } }`,
        { input: input() },
      );
      expect(res.liveActivityStart.__typename).toBe('LiveActivityStartPayload');
      expect(s.upstreamCalls()).toEqual({
        start_live_activity: 1,
        ...(name === 'org key only' ? { get_app: 1 } : {}),
      });
    } finally {
      await s.close();
    }
  });
});
