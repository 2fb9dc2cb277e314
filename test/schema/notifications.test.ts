import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const [USER] = DEMO.users;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.emulator.resetStats());

const NOTIFICATION_FIELDS = `id oneSignalId status name heading content contents { language text } headings { language text }
  url data includedSegments queuedAt sendAfter completedAt successfulCount failedCount erroredCount convertedCount receivedCount remainingCount
  platformDeliveryStats { platform successfulCount failedCount } app { oneSignalId }`;

interface N {
  id: string;
  oneSignalId: string;
  status: string;
  heading: string | null;
  content: string | null;
  contents: { language: string; text: string }[];
  url: string | null;
  data: Record<string, unknown> | null;
  includedSegments: string[];
  queuedAt: string | null;
  sendAfter: string | null;
  completedAt: string | null;
  successfulCount: number;
  remainingCount: number;
  platformDeliveryStats: { platform: string; successfulCount: number | null }[];
  app: { oneSignalId: string };
}

const create = (
  input: Record<string, unknown>,
  select = '... on NotificationCreatePayload { oneSignalId recipientCount invalidIds notification { oneSignalId status content heading url data includedSegments sendAfter channel target { segments { include exclude } filters { __typename } aliases { label ids } subscriptionIds emails phoneNumbers } } }',
) =>
  stack.gql<{ notificationCreate: Record<string, unknown> & { __typename: string } }>(
    `mutation($input: NotificationCreateInput!) { notificationCreate(input: $input) { __typename ${select} ... on NotificationNotSent { message reasons invalidIds } ... on Error { code message } ... on ValidationError { fields { path message } } } }`,
    { input },
  );

describe('reading notifications', () => {
  it('pages through an app’s notifications newest first with opaque cursors, one get_notifications per page', async () => {
    const q = `query($after: String) { app(id: "${SHOP}") { notifications(first: 20, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { oneSignalId queuedAt } } } } }`;
    type Page = {
      app: {
        notifications: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string };
          edges: { node: { oneSignalId: string; queuedAt: string } }[];
        };
      };
    };
    const first = await stack.gql<Page>(q);
    const second = await stack.gql<Page>(q, { after: first.app.notifications.pageInfo.endCursor });
    const a = first.app.notifications;
    const b = second.app.notifications;
    expect(a.edges).toHaveLength(20);
    expect(a.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(b.pageInfo.hasPreviousPage).toBe(true);
    expect(a.totalCount).toBe(DEMO.counts[SHOP]!.notifications);
    const ids = [...a.edges, ...b.edges].map((e) => e.node.oneSignalId);
    expect(new Set(ids).size).toBe(40);
    const times = [...a.edges, ...b.edges].map((e) => Date.parse(e.node.queuedAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect(stack.upstreamCalls()).toEqual({ get_notifications: 2 });
  });

  it('fetches an app and its notification page in parallel, not one after the other', async () => {
    stack.emulator.setFaults({ latencyMs: 150 });
    try {
      const started = performance.now();
      await stack.gql(`{ app(id: "${SHOP}") { name notifications(first: 5) { totalCount } } }`);
      // Two round trips in a row would take at least 300 ms.
      expect(performance.now() - started).toBeLessThan(290);
      expect(stack.upstreamCalls()).toEqual({ get_app: 1, get_notifications: 1 });
    } finally {
      stack.emulator.setFaults(null);
    }
  });

  it('reads one notification with content, delivery statistics per platform, outcomes and its app', async () => {
    const id = DEMO.notifications.latestDelivered;
    const { app } = await stack.gql<{
      app: { notification: N & { outcomes: { name: string; aggregation: string; value: number }[] } };
    }>(
      `{ app(id: "${SHOP}") { notification(id: "${id}") { ${NOTIFICATION_FIELDS} outcomes { name aggregation value } } } }`,
    );
    const n = app.notification;
    expect(n.oneSignalId).toBe(id);
    expect(n.status).toBe('DELIVERED');
    expect(n.app.oneSignalId).toBe(SHOP);
    expect(n.content).toBe(n.contents.find((c) => c.language === 'en')?.text);
    expect(n.successfulCount).toBeGreaterThan(0);
    expect(n.completedAt).not.toBeNull();
    expect(n.platformDeliveryStats.length).toBeGreaterThan(0);
    const total = n.platformDeliveryStats.reduce((sum, p) => sum + (p.successfulCount ?? 0), 0);
    expect(total).toBe(n.successfulCount);
    expect(Array.isArray(n.outcomes)).toBe(true);
  });

  it('filters notification outcomes by name without another request', async () => {
    const id = DEMO.notifications.latestDelivered;
    const all = await stack.gql<{
      app: { notification: { outcomes: { name: string }[]; clicks: { name: string }[] } };
    }>(
      `{ app(id: "${SHOP}") { notification(id: "${id}") { outcomes { name } clicks: outcomes(names: ["os__click"]) { name } } } }`,
    );
    expect(all.app.notification.clicks.every((o) => o.name === 'os__click')).toBe(true);
    expect(all.app.notification.clicks.length).toBe(
      all.app.notification.outcomes.filter((o) => o.name === 'os__click').length,
    );
    expect(stack.upstreamCalls()).toEqual({ get_notification: 1 });
  });

  it('refetches a notification by its global id through node(id:)', async () => {
    const { app } = await stack.gql<{ app: { notification: { id: string } } }>(
      `{ app(id: "${SHOP}") { notification(id: "${DEMO.notifications.oldestDelivered}") { id } } }`,
    );
    const { node } = await stack.gql<{ node: { __typename: string; oneSignalId: string } }>(
      `{ node(id: "${app.notification.id}") { __typename ... on Notification { oneSignalId } } }`,
    );
    expect(node).toEqual({ __typename: 'Notification', oneSignalId: DEMO.notifications.oldestDelivered });
  });

  it('shows scheduled notifications as SCHEDULED with a future sendAfter', async () => {
    const { app } = await stack.gql<{ app: { notification: N } }>(
      `{ app(id: "${SHOP}") { notification(id: "${DEMO.notifications.scheduled[0]}") { status sendAfter completedAt } } }`,
    );
    expect(app.notification.status).toBe('SCHEDULED');
    expect(Date.parse(app.notification.sendAfter!)).toBeGreaterThan(Date.now());
    expect(app.notification.completedAt).toBeNull();
  });

  it('filters the list by kind', async () => {
    const { app } = await stack.gql<{ app: { all: { totalCount: number }; api: { totalCount: number } } }>(
      `{ app(id: "${SHOP}") { all: notifications(first: 1) { totalCount } api: notifications(first: 1, kind: API) { totalCount } } }`,
    );
    expect(app.api.totalCount).toBeLessThanOrEqual(app.all.totalCount);
    expect(stack.upstreamCalls().get_notifications).toBe(2);
  });
});

describe('notificationCreate', () => {
  it('sends to a segment and returns the new notification with its content', async () => {
    const { notificationCreate: r } = await create({
      appId: SHOP,
      contents: [
        { language: 'en', text: 'Hello there' },
        { language: 'de', text: 'Hallo' },
      ],
      headings: [{ language: 'en', text: 'Greetings' }],
      target: { segments: { include: ['Subscribed Users'] } },
      url: 'https://example.com/sale',
      data: { sale: 42 },
    });
    expect(r.__typename).toBe('NotificationCreatePayload');
    expect(r.recipientCount).toBeGreaterThan(0);
    expect(r.notification).toMatchObject({
      oneSignalId: r.oneSignalId,
      content: 'Hello there',
      heading: 'Greetings',
      url: 'https://example.com/sale',
      data: { sale: 42 },
      includedSegments: ['Subscribed Users'],
      channel: 'PUSH',
      target: {
        segments: { include: ['Subscribed Users'], exclude: null },
        filters: null,
        aliases: null,
        subscriptionIds: null,
        emails: null,
        phoneNumbers: null,
      },
    });
    // Answered from the send itself: no view of the new notification.
    expect(stack.upstreamCalls()).toEqual({ create_notification: 1 });
  });

  it('keeps the idempotency key it was given, readable on the notification', async () => {
    const idempotencyKey = '0f6b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
    const input = {
      appId: SHOP,
      contents: [{ language: 'en', text: 'Once only' }],
      target: { segments: { include: ['Subscribed Users'] } },
      idempotencyKey,
    };
    const first = await create(
      input,
      '... on NotificationCreatePayload { oneSignalId notification { idempotencyKey } }',
    );
    expect(first.notificationCreate.notification).toEqual({ idempotencyKey });
    const again = await create(input, '... on NotificationCreatePayload { oneSignalId }');
    expect(again.notificationCreate.oneSignalId).toBe(first.notificationCreate.oneSignalId);
  });

  it('takes the app as its App global id as well as its OneSignal app id', async () => {
    const appGlobalId = Buffer.from(`App:${SHOP}`).toString('base64url');
    const { notificationCreate: r } = await create(
      {
        appId: appGlobalId,
        contents: [{ language: 'en', text: 'Hi' }],
        target: { segments: { include: ['Subscribed Users'] } },
      },
      '... on NotificationCreatePayload { notification { app { oneSignalId } } }',
    );
    expect(r).toMatchObject({
      __typename: 'NotificationCreatePayload',
      notification: { app: { oneSignalId: SHOP } },
    });
  });

  it('sends to users by alias with typed filters and scheduling', async () => {
    const sendAfter = new Date(Math.floor(Date.now() / 1000 + 3600) * 1000).toISOString();
    const { notificationCreate: r } = await create({
      appId: SHOP,
      contents: [{ language: 'en', text: 'Just for you' }],
      target: { aliases: { label: 'external_id', ids: [USER!.externalId, 'nobody-at-all'] } },
      channel: 'PUSH',
      delivery: { sendAfter },
    });
    expect(r.__typename).toBe('NotificationCreatePayload');
    expect((r.notification as N).status).toBe('SCHEDULED');
    expect(Date.parse((r.notification as N).sendAfter!)).toBe(Date.parse(sendAfter));
  });

  it('sends to the valid subscription ids and lists the ones that matched nobody', async () => {
    const unknown = '99999999-9999-4999-8999-999999999999';
    const { notificationCreate: r } = await create({
      appId: SHOP,
      contents: [{ language: 'en', text: 'Some of you' }],
      target: { subscriptionIds: [DEMO.subscriptionIds[0], unknown] },
    });
    expect(r.__typename).toBe('NotificationCreatePayload');
    expect(r.invalidIds).toEqual([unknown]);
  });

  it('targets by filters combined with OR', async () => {
    const { notificationCreate: r } = await create({
      appId: SHOP,
      contents: [{ language: 'en', text: 'Filtered' }],
      target: {
        filters: [
          { condition: { field: 'LANGUAGE', relation: 'EQUALS', value: 'de' } },
          { operator: 'OR' },
          { condition: { field: 'COUNTRY', relation: 'EQUALS', value: 'FR' } },
        ],
      },
    });
    expect(r.__typename).toBe('NotificationCreatePayload');
    expect(r.recipientCount).toBeGreaterThan(0);
  });

  it('returns NotificationNotSent, not a payload, when nobody matches', async () => {
    const { notificationCreate: r } = await create({
      appId: SHOP,
      contents: [{ language: 'en', text: 'Into the void' }],
      target: { subscriptionIds: ['99999999-9999-4999-8999-999999999999'] },
    });
    expect(r.__typename).toBe('NotificationNotSent');
    expect(r.notification).toBeUndefined();
    expect(String(r.message)).toMatch(/Nothing was sent/);
    expect((r.reasons as string[]).length + (r.invalidIds as string[]).length).toBeGreaterThan(0);
  });

  it('rejects a notification without content or targeting, naming each field, before calling OneSignal', async () => {
    const { notificationCreate: r } = await create({ appId: SHOP, target: { segments: { include: [] } } });
    expect(r.__typename).toBe('ValidationError');
    expect(r.code).toBe('VALIDATION_FAILED');
    const paths = (r.fields as { path: string[] }[]).map((f) => f.path.join('.'));
    expect(paths).toContain('input.contents');
    expect(paths).toContain('input.target.segments.include');
    // Without a target at all, GraphQL itself refuses the variables (`target` is required).
    const untargeted = await stack.gqlRaw(
      'mutation($input: NotificationCreateInput!) { notificationCreate(input: $input) { __typename } }',
      { input: { appId: SHOP, contents: [{ language: 'en', text: 'Hi' }] } },
    );
    expect(untargeted.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(untargeted.errors?.[0]?.message).toMatch(/target/);
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('rejects empty texts, bad languages, missing English and malformed filters with their paths', async () => {
    const { notificationCreate: r } = await create({
      appId: SHOP,
      contents: [
        { language: 'de', text: '' },
        { language: 'not a language', text: 'x' },
      ],
      target: { filters: [{ operator: 'OR' }, { condition: { field: 'TAG', relation: 'EQUALS' } }] },
    });
    const paths = (r.fields as { path: string[] }[]).map((f) => f.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'input.contents.0.text',
        'input.contents.1.language',
        'input.contents',
        'input.target.filters.0.operator',
        'input.target.filters.1.condition.key',
        'input.target.filters.1.condition.value',
      ]),
    );
    expect(stack.upstreamCalls()).toEqual({});
  });
});

describe('notification actions', () => {
  it('cancels a scheduled notification', async () => {
    const { notificationCreate: created } = await create(
      {
        appId: SHOP,
        contents: [{ language: 'en', text: 'Later' }],
        target: { segments: { include: ['Subscribed Users'] } },
        delivery: { sendAfter: new Date(Date.now() + 86_400_000).toISOString() },
      },
      '... on NotificationCreatePayload { notification { id status } }',
    );
    const id = (created.notification as { id: string }).id;
    const { notificationCancel } = await stack.gql<{
      notificationCancel: { __typename: string; notification: { status: string; oneSignalId: string } };
    }>(
      'mutation($id: ID!) { notificationCancel(input: { id: $id }) { __typename ... on NotificationCancelPayload { notification { oneSignalId status } } } }',
      { id },
    );
    expect(notificationCancel.__typename).toBe('NotificationCancelPayload');
    expect(notificationCancel.notification.status).toBe('CANCELED');
  });

  it('exports the history of a notification and its events as CSV links', async () => {
    const { app } = await stack.gql<{ app: { notification: { id: string } } }>(
      `{ app(id: "${SHOP}") { notification(id: "${DEMO.notifications.latestDelivered}") { id } } }`,
    );
    const { notificationExportHistory: h } = await stack.gql<{
      notificationExportHistory: { destinationUrl: string; event: string };
    }>(
      'mutation($id: ID!) { notificationExportHistory(input: { id: $id, event: CLICKED, email: "ops@example.com" }) { ... on NotificationExportHistoryPayload { destinationUrl event } } }',
      { id: app.notification.id },
    );
    expect(h.event).toBe('CLICKED');
    expect(new URL(h.destinationUrl).protocol).toMatch(/^https?:$/);
    const { notificationExportEvents: e } = await stack.gql<{
      notificationExportEvents: { csvFileUrl: string };
    }>(
      'mutation($id: ID!) { notificationExportEvents(input: { id: $id }) { ... on NotificationExportEventsPayload { csvFileUrl } } }',
      { id: app.notification.id },
    );
    expect(new URL(e.csvFileUrl).protocol).toMatch(/^https?:$/);
  });

  it('rejects an id that is not a notification id, naming input.id', async () => {
    const { notificationCancel } = await stack.gql<{
      notificationCancel: { __typename: string; fields: { path: string[] }[] };
    }>(
      'mutation { notificationCancel(input: { id: "bm9wZQ" }) { __typename ... on ValidationError { fields { path } } } }',
    );
    expect(notificationCancel).toEqual({
      __typename: 'ValidationError',
      fields: [{ path: ['input', 'id'] }],
    });
    expect(stack.upstreamCalls()).toEqual({});
  });
});
