import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AliasRef, OneSignalClient } from '../../src/onesignal/index.js';
import {
  DEMO,
  demoAppKeys,
  type EmulatorHarness,
  SHOP,
  SUITE_OPERATIONS,
  startOneSignalEmulator,
} from '../helpers/onesignal-emulator.js';

let h: EmulatorHarness;
let os: OneSignalClient;

beforeAll(async () => {
  h = await startOneSignalEmulator();
  os = h.client({ appKeys: demoAppKeys() });
});
afterAll(() => h.close());

/** Alias ids can hold characters that must be encoded in a path segment. */
const externalId = `client/${crypto.randomUUID()}@example.com`;
const alias: AliasRef = { label: 'external_id', id: externalId };
const email = `${crypto.randomUUID()}@example.com`;

describe('users', () => {
  it('creates a user with aliases, properties and a subscription (201)', async () => {
    const user = await os.users.create(SHOP, {
      identity: { external_id: externalId },
      properties: { language: 'de', tags: { plan: 'free' }, timezone_id: 'Europe/Berlin' },
      subscriptions: [{ type: 'Email', token: email }],
    });
    expect(user.identity).toMatchObject({ external_id: externalId, onesignal_id: expect.any(String) });
    expect(user.properties).toMatchObject({ language: 'de', tags: { plan: 'free' } });
    expect(user.subscriptions).toEqual([
      expect.objectContaining({ type: 'Email', token: email, id: expect.any(String) }),
    ]);
  });

  it('answers a create naming an existing alias with that user (200 is success too)', async () => {
    const first = await os.users.get(SHOP, alias);
    const again = await os.users.create(SHOP, {
      identity: { external_id: externalId },
      properties: { country: 'DE' },
    });
    expect(again.identity?.onesignal_id).toBe(first.identity?.onesignal_id);
    expect(again.properties?.country).toBe('DE');
  });

  it('fetches a user by any alias, onesignal_id included', async () => {
    const byExternal = await os.users.get(SHOP, alias);
    const onesignalId = byExternal.identity?.onesignal_id as string;
    const byOneSignalId = await os.users.get(SHOP, { label: 'onesignal_id', id: onesignalId });
    expect(byOneSignalId).toEqual(byExternal);
  });

  it('updates properties and applies deltas', async () => {
    const result = await os.users.update(SHOP, alias, {
      properties: { tags: { plan: 'pro', level: '2' }, language: 'en' },
      deltas: { session_count: 3, purchases: [{ sku: 'sku-1', amount: '9.99', iso: 'USD', count: 2 }] },
    });
    expect(result.properties).toMatchObject({ language: 'en', tags: { plan: 'pro', level: '2' } });
    const read = await os.users.get(SHOP, alias);
    expect(read.properties?.amount_spent).toBeCloseTo(19.98);
    expect(read.properties?.purchases).toEqual([{ sku: 'sku-1', amount: '9.99', iso: 'USD', count: 2 }]);
  });
});

describe('aliases', () => {
  it('adds aliases by alias and reads them back', async () => {
    const set = await os.aliases.setByUser(SHOP, alias, { crm_id: 'crm-1' });
    expect(set.identity).toMatchObject({ external_id: externalId, crm_id: 'crm-1' });
    expect((await os.aliases.getByUser(SHOP, { label: 'crm_id', id: 'crm-1' })).identity).toEqual(
      set.identity,
    );
  });

  it('reads and adds aliases through one of the user’s subscriptions', async () => {
    const subscriptionId = (await os.users.get(SHOP, alias)).subscriptions?.[0]?.id as string;
    const read = await os.aliases.getBySubscription(SHOP, subscriptionId);
    expect(read.identity).toMatchObject({ external_id: externalId, crm_id: 'crm-1' });
    const set = await os.aliases.setBySubscription(SHOP, subscriptionId, { loyalty_id: 'L-7' });
    expect(set.identity).toMatchObject({ external_id: externalId, loyalty_id: 'L-7' });
  });

  it('deletes an alias and answers the remaining ones', async () => {
    const result = await os.aliases.delete(SHOP, alias, 'crm_id');
    expect(result.identity).not.toHaveProperty('crm_id');
    expect(result.identity).toMatchObject({ external_id: externalId, loyalty_id: 'L-7' });
    await expect(os.users.get(SHOP, { label: 'crm_id', id: 'crm-1' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('reports an alias owned by another user as CONFLICT', async () => {
    const taken = DEMO.users[0]?.externalId as string;
    await expect(os.aliases.setByUser(SHOP, alias, { external_id: taken })).rejects.toMatchObject({
      code: 'CONFLICT',
      status: 409,
      operation: 'identify_user_by_alias',
    });
  });
});

describe('subscriptions', () => {
  let smsId: string;

  it('creates a subscription for a user', async () => {
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    const result = await os.subscriptions.create(SHOP, alias, {
      subscription: { type: 'SMS', token: phone },
    });
    expect(result.subscription).toMatchObject({ type: 'SMS', token: phone, enabled: true });
    smsId = result.subscription?.id as string;
    const user = await os.users.get(SHOP, alias);
    expect(user.subscriptions?.map((s) => s.id)).toContain(smsId);
  });

  it('updates a subscription (202, no body)', async () => {
    expect(await os.subscriptions.update(SHOP, smsId, { subscription: { enabled: false } })).toBeUndefined();
    const user = await os.users.get(SHOP, alias);
    expect(user.subscriptions?.find((s) => s.id === smsId)).toMatchObject({ enabled: false });
  });

  it('transfers a subscription to another user', async () => {
    const other = DEMO.users[1]?.externalId as string;
    const result = await os.subscriptions.transfer(SHOP, smsId, { external_id: other });
    expect(result.identity).toMatchObject({ external_id: other });
    expect((await os.aliases.getBySubscription(SHOP, smsId)).identity?.external_id).toBe(other);
  });

  it('lists the in-app messages a push subscription may show', async () => {
    const pushId = DEMO.users[0]?.subscriptionIds[0] as string;
    const result = await os.subscriptions.eligibleInAppMessages(SHOP, pushId);
    expect(Array.isArray(result.in_app_messages)).toBe(true);
    expect(result.in_app_messages?.length).toBeGreaterThan(0);
  });

  it('deletes a subscription', async () => {
    expect(await os.subscriptions.delete(SHOP, smsId)).toBeUndefined();
    await expect(os.aliases.getBySubscription(SHOP, smsId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('live activities', () => {
  const activityId = `order-${crypto.randomUUID()}`;
  const subscriptionId = DEMO.users[2]?.subscriptionIds[0] as string;

  it('begins an activity, pushes an update to it, and ends it', async () => {
    expect(
      await os.liveActivities.begin(SHOP, activityId, {
        push_token: 'apns-token-1',
        subscription_id: subscriptionId,
      }),
    ).toBeUndefined();

    const update = await os.liveActivities.update(SHOP, activityId, {
      name: 'contents',
      event: 'update',
      event_updates: { status: 'shipped' },
    });
    expect(update.notification_id).toMatch(/^[0-9a-f-]{36}$/);
    const sent = await os.notifications.get(SHOP, update.notification_id as string);
    expect(sent.id).toBe(update.notification_id);

    expect(await os.liveActivities.end(SHOP, activityId, subscriptionId)).toBeUndefined();
    await expect(os.liveActivities.end(SHOP, activityId, subscriptionId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      operation: 'end_live_activity',
    });
  });
});

describe('deleting users', () => {
  it('deletes a user, which then reads as NOT_FOUND', async () => {
    expect(await os.users.delete(SHOP, alias)).toBeUndefined();
    await expect(os.users.get(SHOP, alias)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      operation: 'fetch_user',
    });
  });
});

it('exercised every users, aliases, subscriptions and live activities operation against the emulator', () => {
  expect(Object.keys(h.calls())).toEqual(
    expect.arrayContaining([...SUITE_OPERATIONS.usersAliasesSubscriptionsLiveActivities]),
  );
});
