/** customEventCreate: events of known users recorded in one request, the others reported as typed failures. */
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { ESTIMATE } from '../helpers/documents.js';
import { SHOP } from '../helpers/emulator.js';
import { startStack, useStack } from '../helpers/stack.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are loosely typed JSON, narrowed by each assertion
type Loose = Record<string, any>;

const stack = useStack();

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

describe('custom events and recipient estimates with the organization key only', () => {
  it('look up the app key once, then cost their own request alone', async () => {
    const orgKeyOnly = await startStack({ appKeys: {} });
    try {
      const input = { appId: SHOP.id, events: [{ name: 'login', user: { byId: alice.onesignalId } }] };
      await orgKeyOnly.gql(CUSTOM_EVENTS, { input });
      expect(orgKeyOnly.upstreamCalls()).toEqual({ get_app: 1, create_custom_events: 1 });
      orgKeyOnly.emulator.resetStats();
      await orgKeyOnly.gql(CUSTOM_EVENTS, { input });
      await orgKeyOnly.gql(ESTIMATE, {
        app: SHOP.id,
        targeting: { segments: { include: ['VIP Customers'] } },
      });
      expect(orgKeyOnly.upstreamCalls()).toEqual({
        create_custom_events: 1,
        estimate_notification_recipients: 1,
      });
    } finally {
      await orgKeyOnly.close();
    }
  });
});
