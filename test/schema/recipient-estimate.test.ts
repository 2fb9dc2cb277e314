/** App.recipientEstimate: what a send with a targeting would reach, counted without sending. */
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { ESTIMATE } from '../helpers/documents.js';
import { SHOP } from '../helpers/emulator.js';
import { useStack } from '../helpers/stack.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are loosely typed JSON, narrowed by each assertion
type Loose = Record<string, any>;

const stack = useStack();

const [alice] = DEMO.users as [(typeof DEMO.users)[number]];

describe('App.recipientEstimate', () => {
  it('counts what a send with the same targeting reaches, in one upstream request and without sending', async () => {
    const targeting = { segments: { include: ['VIP Customers'], exclude: ['German Speakers'] } };
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
      { input: { appId: SHOP.id, contents: [{ language: 'en', text: 'Hi' }], target: targeting } },
    );
    expect(sent.notificationCreate.recipientCount).toBe(estimate.count);

    // By alias, on the email channel: one of the demo users has an email subscription.
    stack.emulator.resetStats();
    const byAlias = await stack.gql<{ app: Loose }>(ESTIMATE, {
      app: SHOP.id,
      targeting: { aliases: { label: 'external_id', ids: [alice.externalId] } },
      channel: 'EMAIL',
    });
    expect(byAlias.app.recipientEstimate.count).toBe(1);
    expect(stack.upstreamCalls()).toEqual({ estimate_notification_recipients: 1 });
  });

  it('refuses a targeting a send would refuse, before any upstream request', async () => {
    const res = await stack.gqlRaw(ESTIMATE, { app: SHOP.id, targeting: { segments: { include: [''] } } });
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [{ path: ['targeting', 'segments', 'include', '0'] }],
    });
    // Two modes at once: the @oneOf input refuses it before our code runs.
    const mixed = await stack.gqlRaw(ESTIMATE, {
      app: SHOP.id,
      targeting: {
        segments: { include: ['VIP Customers'] },
        aliases: { label: 'external_id', ids: ['x'] },
      },
    });
    expect(mixed.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    const none = await stack.gqlRaw(ESTIMATE, { app: SHOP.id, targeting: {} });
    expect(none.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('refuses the targets OneSignal cannot estimate, and a channel the target contradicts, with their paths', async () => {
    for (const [targeting, path] of [
      [{ subscriptionIds: [DEMO.subscriptionIds[0]] }, ['targeting', 'subscriptionIds']],
      [{ emails: ['alice@example.com'] }, ['targeting', 'emails']],
      [{ phoneNumbers: ['+15551234567'] }, ['targeting', 'phoneNumbers']],
    ] as const) {
      const res = await stack.gqlRaw(ESTIMATE, { app: SHOP.id, targeting });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path }] });
    }
    const filters = await stack.gqlRaw(ESTIMATE, {
      app: SHOP.id,
      targeting: { filters: [{ condition: { field: 'LAST_SESSION', relation: 'EQUALS', value: '3' } }] },
    });
    expect(filters.errors?.[0]?.extensions?.fields).toEqual([
      { path: ['targeting', 'filters', '0', 'condition', 'relation'], message: expect.any(String) },
      { path: ['targeting', 'filters', '0', 'condition', 'value'], message: expect.any(String) },
      { path: ['targeting', 'filters', '0', 'condition', 'hoursAgo'], message: expect.any(String) },
    ]);
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('counts a filter target with hours_ago and a location, sent as the reference writes them', async () => {
    const { app } = await stack.gql<{ app: Loose }>(ESTIMATE, {
      app: SHOP.id,
      targeting: {
        filters: [
          { condition: { field: 'LAST_SESSION', relation: 'LESS_THAN', hoursAgo: 48 } },
          { operator: 'OR' },
          { location: { radiusMeters: 1000, latitude: 37.77, longitude: -122.43 } },
        ],
      },
    });
    expect(typeof app.recipientEstimate.count).toBe('number');
    expect(stack.emulator.received('estimate_notification_recipients').at(-1)).toMatchObject({
      filters: [
        { field: 'last_session', relation: '<', hours_ago: '48' },
        { operator: 'OR' },
        { field: 'location', radius: '1000', lat: '37.77', long: '-122.43' },
      ],
      target_channel: 'push',
    });
    expect(stack.upstreamCalls()).toEqual({ estimate_notification_recipients: 1 });
  });
});
