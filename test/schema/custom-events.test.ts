import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { SHOP } from '../helpers/emulator.js';
import { type Stack, startStack } from '../helpers/stack.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are loosely typed JSON, narrowed by each assertion
type Loose = Record<string, any>;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.emulator.resetStats());

const [alice, bob] = DEMO.users as [(typeof DEMO.users)[number], (typeof DEMO.users)[number]];

const CUSTOM_EVENTS = /* GraphQL */ `
  mutation ($input: CustomEventCreateInput!) {
    customEventCreate(input: $input) {
      __typename
      ... on CustomEventCreatePayload {
        recordedCount
        failures { code message eventIndexes userId oneSignalCode }
      }
      ... on ValidationError { fields { path message } }
      ... on Error { code message }
    }
  }
`;

describe('customEventCreate', () => {
  it('records every event of known users in one upstream request', async () => {
    const { customEventCreate } = await stack.gql<{ customEventCreate: Loose }>(CUSTOM_EVENTS, {
      input: {
        appId: SHOP.id,
        events: [
          {
            name: 'purchase',
            user: { byAlias: { label: 'external_id', id: alice.externalId } },
            properties: { sku: 'A-1', price: 12.5 },
            occurredAt: '2026-01-02T03:04:05Z',
          },
          { name: 'cart_abandoned', user: { byId: bob.onesignalId } },
        ],
      },
    });
    expect(customEventCreate).toEqual({
      __typename: 'CustomEventCreatePayload',
      recordedCount: 2,
      failures: [],
    });
    expect(stack.upstreamCalls()).toEqual({ create_custom_events: 1 });
  });

  it('reports the events OneSignal did not record (its 202 answer) as typed failures, and counts the rest', async () => {
    const { customEventCreate } = await stack.gql<{ customEventCreate: Loose }>(CUSTOM_EVENTS, {
      input: {
        appId: SHOP.id,
        events: [
          { name: 'purchase', user: { byAlias: { label: 'external_id', id: 'nobody-here' } } },
          { name: 'purchase', user: { byAlias: { label: 'external_id', id: alice.externalId } } },
          { name: 'refund', user: { byAlias: { label: 'external_id', id: 'nobody-here' } } },
        ],
      },
    });
    expect(customEventCreate.__typename).toBe('CustomEventCreatePayload');
    expect(customEventCreate.recordedCount).toBe(1);
    // OneSignal reports one error per failed event; each names the user, so each points at both events.
    expect(customEventCreate.failures).toHaveLength(2);
    expect(customEventCreate.failures[0]).toEqual({
      code: 'NOT_FOUND',
      message: 'failed to find a onesignal_id for user_id nobody-here',
      eventIndexes: [0, 2],
      userId: 'nobody-here',
      oneSignalCode: 'not found',
    });
    expect(stack.upstreamCalls()).toEqual({ create_custom_events: 1 });
  });

  it('refuses invalid events before any upstream request', async () => {
    const { customEventCreate } = await stack.gql<{ customEventCreate: Loose }>(CUSTOM_EVENTS, {
      input: {
        appId: SHOP.id,
        events: [
          { name: 'ok', user: { byId: alice.onesignalId } },
          { name: 'bad', user: { byAlias: { label: 'email', id: 'a@example.com' } } },
        ],
      },
    });
    expect(customEventCreate).toMatchObject({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      fields: [{ path: ['input', 'events', '1', 'user', 'byAlias', 'label'] }],
    });
    const empty = await stack.gql<{ customEventCreate: Loose }>(CUSTOM_EVENTS, {
      input: { appId: SHOP.id, events: [] },
    });
    expect(empty.customEventCreate.__typename).toBe('ValidationError');
    const long = await stack.gql<{ customEventCreate: Loose }>(CUSTOM_EVENTS, {
      input: { appId: SHOP.id, events: [{ name: 'x'.repeat(129), user: { byId: alice.onesignalId } }] },
    });
    expect(long.customEventCreate.__typename).toBe('ValidationError');
    expect(stack.upstreamCalls()).toEqual({});
  });
});

const BY_TOKEN = /* GraphQL */ `
  mutation ($input: SubscriptionUpdateByTokenInput!) {
    subscriptionUpdateByToken(input: $input) {
      __typename
      ... on SubscriptionUpdateByTokenPayload { app { id } type token }
      ... on ValidationError { fields { path message } }
      ... on Error { code message }
    }
  }
`;

const SUBSCRIPTIONS = /* GraphQL */ `
  query ($app: UUID!, $externalId: String!) {
    app(id: $app) {
      user(alias: { byAlias: { label: "external_id", id: $externalId } }) {
        subscriptions { type token enabled notificationTypes }
      }
    }
  }
`;

describe('subscriptionUpdateByToken', () => {
  it('changes the subscription with that email address: one upstream write', async () => {
    const email = alice.emails[0] as string;
    const { subscriptionUpdateByToken } = await stack.gql<{ subscriptionUpdateByToken: Loose }>(BY_TOKEN, {
      input: { appId: SHOP.id, type: 'EMAIL', token: email, enabled: false },
    });
    expect(subscriptionUpdateByToken).toEqual({
      __typename: 'SubscriptionUpdateByTokenPayload',
      app: { id: expect.any(String) },
      type: 'EMAIL',
      token: email,
    });
    // The write only: the payload's `app { id }` needs no read of the app.
    expect(stack.upstreamCalls()).toEqual({ update_subscription_by_token: 1 });

    const read = await stack.gql<{ app: Loose }>(SUBSCRIPTIONS, {
      app: SHOP.id,
      externalId: alice.externalId,
    });
    const emailSub = read.app.user.subscriptions.find((s: Loose) => s.token === email);
    expect(emailSub).toEqual({ type: 'EMAIL', token: email, enabled: false, notificationTypes: -2 });

    stack.emulator.resetStats();
    await stack.gql(
      `mutation ($input: SubscriptionUpdateByTokenInput!) {
        subscriptionUpdateByToken(input: $input) { ... on SubscriptionUpdateByTokenPayload { token } } }`,
      { input: { appId: SHOP.id, type: 'EMAIL', token: email, enabled: true } },
    );
    // Without `app` selected, the write alone.
    expect(stack.upstreamCalls()).toEqual({ update_subscription_by_token: 1 });
    const back = await stack.gql<{ app: Loose }>(SUBSCRIPTIONS, {
      app: SHOP.id,
      externalId: alice.externalId,
    });
    expect(back.app.user.subscriptions.find((s: Loose) => s.token === email)).toMatchObject({
      enabled: true,
      notificationTypes: 1,
    });
  });

  it('answers NotFoundError for a token of another type or none, and ValidationError before any request', async () => {
    const email = alice.emails[0] as string;
    const wrongType = await stack.gql<{ subscriptionUpdateByToken: Loose }>(BY_TOKEN, {
      input: { appId: SHOP.id, type: 'SMS', token: '+15550000000', enabled: false },
    });
    expect(wrongType.subscriptionUpdateByToken).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
    });
    expect(stack.upstreamCalls()).toEqual({ update_subscription_by_token: 1 });

    stack.emulator.resetStats();
    const badEmail = await stack.gql<{ subscriptionUpdateByToken: Loose }>(BY_TOKEN, {
      input: { appId: SHOP.id, type: 'EMAIL', token: 'not-an-email', enabled: false },
    });
    expect(badEmail.subscriptionUpdateByToken).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: ['input', 'token'] }],
    });
    const nothing = await stack.gql<{ subscriptionUpdateByToken: Loose }>(BY_TOKEN, {
      input: { appId: SHOP.id, type: 'EMAIL', token: email },
    });
    expect(nothing.subscriptionUpdateByToken.__typename).toBe('ValidationError');
    expect(stack.upstreamCalls()).toEqual({});
  });
});

const ESTIMATE = /* GraphQL */ `
  query ($app: UUID!, $targeting: NotificationTargetingInput!) {
    app(id: $app) {
      recipientEstimate(targeting: $targeting) { count uncappedCount capApplied mobileSuppressed mobileExcludedCount }
    }
  }
`;

describe('App.recipientEstimate', () => {
  it('counts what a send with the same targeting reaches, in one upstream request and without sending', async () => {
    const targeting = { includedSegments: ['VIP Customers'], excludedSegments: ['German Speakers'] };
    const { app } = await stack.gql<{ app: Loose }>(ESTIMATE, { app: SHOP.id, targeting });
    expect(stack.upstreamCalls()).toEqual({ estimate_notification_recipients: 1 });
    const estimate = app.recipientEstimate;
    expect(estimate.count).toBeGreaterThan(0);
    expect(estimate).toEqual({
      count: estimate.count,
      uncappedCount: estimate.count,
      capApplied: false,
      mobileSuppressed: false,
      mobileExcludedCount: 0,
    });

    // The same targeting, sent: OneSignal's recipient count is the estimate.
    const sent = await stack.gql<{ notificationCreate: Loose }>(
      `mutation ($input: NotificationCreateInput!) {
        notificationCreate(input: $input) { ... on NotificationCreatePayload { recipientCount } ... on Error { code message } } }`,
      { input: { appId: SHOP.id, contents: [{ language: 'en', text: 'Hi' }], ...targeting } },
    );
    expect(sent.notificationCreate.recipientCount).toBe(estimate.count);

    // By alias, on the email channel: one of the demo users has an email subscription.
    stack.emulator.resetStats();
    const byAlias = await stack.gql<{ app: Loose }>(ESTIMATE, {
      app: SHOP.id,
      targeting: {
        includeAliases: { label: 'external_id', ids: [alice.externalId] },
        targetChannel: 'EMAIL',
      },
    });
    expect(byAlias.app.recipientEstimate.count).toBe(1);
    expect(stack.upstreamCalls()).toEqual({ estimate_notification_recipients: 1 });
  });

  it('refuses a targeting a send would refuse, before any upstream request', async () => {
    const res = await stack.gqlRaw(ESTIMATE, { app: SHOP.id, targeting: {} });
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [{ path: ['targeting', 'includedSegments'] }],
    });
    const mixed = await stack.gqlRaw(ESTIMATE, {
      app: SHOP.id,
      targeting: {
        includedSegments: ['VIP Customers'],
        includeAliases: { label: 'external_id', ids: ['x'] },
      },
    });
    expect(mixed.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(stack.upstreamCalls()).toEqual({});
  });
});

const PAGE = /* GraphQL */ `
  query ($app: UUID!, $first: Int, $after: String, $since: DateTime) {
    app(id: $app) {
      notifications(first: $first, after: $after, since: $since) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { oneSignalId queuedAt } }
      }
    }
  }
`;

type Page = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
  edges: { cursor: string; node: { oneSignalId: string; queuedAt: string } }[];
};

describe('App.notifications by time cursor', () => {
  const page = async (vars: Record<string, unknown>) =>
    (await stack.gql<{ app: { notifications: Page } }>(PAGE, { app: SHOP.id, ...vars })).app.notifications;

  it('pages oldest first from `since` through the same connection, one upstream request a page, to the newest', async () => {
    // Everything, newest first, by offset.
    const newestFirst: string[] = [];
    let total = 0;
    for (let after: string | undefined; ; ) {
      const p = await page({ first: 50, after });
      total = p.totalCount;
      newestFirst.push(...p.edges.map((e) => e.node.oneSignalId));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(newestFirst.length).toBe(total);

    stack.emulator.resetStats();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const p = await page(
        cursor ? { first: 50, after: cursor } : { first: 50, since: '2000-01-01T00:00:00Z' },
      );
      pages++;
      expect(p.totalCount).toBe(total);
      expect(p.pageInfo.hasPreviousPage).toBe(false);
      seen.push(...p.edges.map((e) => e.node.oneSignalId));
      if (!p.pageInfo.hasNextPage) break;
      cursor = p.pageInfo.endCursor;
    }
    expect(seen).toEqual([...newestFirst].reverse());
    expect(pages).toBe(Math.ceil(newestFirst.length / 50));
    expect(stack.upstreamCalls()).toEqual({ get_notifications: pages });
  });

  it('resumes after any edge of a time page, and starts at `since`', async () => {
    const first = await page({ first: 5, since: '2000-01-01T00:00:00Z' });
    const ids = first.edges.map((e) => e.node.oneSignalId);
    stack.emulator.resetStats();
    // After the second edge: the third, fourth, … of the same time page, in one request.
    const resumed = await page({ first: 2, after: first.edges[1]?.cursor });
    expect(resumed.edges.map((e) => e.node.oneSignalId)).toEqual(ids.slice(2, 4));
    expect(resumed.pageInfo.hasPreviousPage).toBe(true);
    expect(stack.upstreamCalls()).toEqual({ get_notifications: 1 });

    // A `since` after the third notification's time leaves the older ones out.
    const third = first.edges[2]?.node.queuedAt as string;
    const later = await page({ first: 50, since: third });
    expect((later.edges[0]?.node.queuedAt ?? '') >= third).toBe(true);
    expect(later.edges.map((e) => e.node.oneSignalId)).not.toContain(ids[0]);
  });

  it('refuses `since` with an offset cursor, and cursors it did not issue', async () => {
    const byOffset = await page({ first: 1 });
    const mixed = await stack.gqlRaw(PAGE, {
      app: SHOP.id,
      after: byOffset.pageInfo.endCursor,
      since: '2000-01-01T00:00:00Z',
    });
    expect(mixed.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
    const forged = await stack.gqlRaw(PAGE, {
      app: SHOP.id,
      after: Buffer.from('time:x:y').toString('base64url'),
    });
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('the current API additions with the organization key only', () => {
  it('look up the app key once, then cost their own request alone', async () => {
    const orgKeyOnly = await startStack({ appKeys: {} });
    try {
      const input = { appId: SHOP.id, events: [{ name: 'login', user: { byId: alice.onesignalId } }] };
      await orgKeyOnly.gql(CUSTOM_EVENTS, { input });
      expect(orgKeyOnly.upstreamCalls()).toEqual({ get_app: 1, create_custom_events: 1 });
      orgKeyOnly.emulator.resetStats();
      await orgKeyOnly.gql(CUSTOM_EVENTS, { input });
      await orgKeyOnly.gql(ESTIMATE, { app: SHOP.id, targeting: { includedSegments: ['VIP Customers'] } });
      expect(orgKeyOnly.upstreamCalls()).toEqual({
        create_custom_events: 1,
        estimate_notification_recipients: 1,
      });
    } finally {
      await orgKeyOnly.close();
    }
  });
});
