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
