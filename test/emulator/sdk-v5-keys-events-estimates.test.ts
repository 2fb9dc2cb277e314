import type * as sdk from 'onesignal-node-v5';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { NEWS, SHOP } from '../helpers/emulator.js';
import { SUITE_OPERATIONS } from '../helpers/onesignal-emulator.js';
import { expectSdkModel, sdkV5Api } from '../helpers/sdk-v5.js';

/**
 * The current official SDK (@onesignal/node-onesignal 5.x, installed as onesignal-node-v5) against the
 * emulator, for the operations the current API added. Every answer is checked, as raw JSON, against
 * the SDK's own model of it: no field the model lacks, every field of the model's type.
 */

let emulator: RunningEmulator;
/** Raw JSON bodies of the answers, newest last. */
const answers: unknown[] = [];

const api = (keys: { organizationApiKey?: string; restApiKey?: string }) =>
  sdkV5Api(emulator.url, keys, answers);
const expectModel = expectSdkModel;

const lastAnswer = () => answers.at(-1);

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator?.close());
beforeEach(() => {
  answers.length = 0;
});

describe('API keys through the 5.x SDK', () => {
  it('views, creates, updates, rotates and deletes keys with the organization key; created keys sign app calls', async () => {
    emulator.resetStats();
    const org = api({ organizationApiKey: DEMO.userAuthKey });

    const empty = await org.viewApiKeys(SHOP.id);
    expectModel(lastAnswer(), 'ApiKeyTokensListResponse');
    expect(empty.tokens).toEqual([]);

    const created = await org.createApiKey(SHOP.id, {
      name: 'Server',
      ip_allowlist_mode: 'explicit',
      ip_allowlist: ['192.0.2.0/24'],
    });
    expectModel(lastAnswer(), 'CreateApiKeyResponse');
    expect(created.token_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.formatted_token).toMatch(/^os_v2_app_/);

    // The new key is Shop's REST key for the SDK's app-scoped calls, and no other app's.
    const asShop = api({ restApiKey: created.formatted_token });
    const page = await asShop.getNotifications(SHOP.id, 1);
    expect(page.notifications?.length).toBe(1);
    await expect(asShop.getNotifications(NEWS.id, 1)).rejects.toMatchObject({ code: 403 });

    await org.updateApiKey(SHOP.id, created.token_id as string, { name: 'Server (renamed)' });
    const listed = await org.viewApiKeys(SHOP.id);
    expectModel(lastAnswer(), 'ApiKeyTokensListResponse');
    expect(listed.tokens).toHaveLength(1);
    expect(listed.tokens?.[0]).toMatchObject({
      token_id: created.token_id,
      name: 'Server (renamed)',
      ip_allowlist_mode: 'explicit',
      ip_allowlist: ['192.0.2.0/24'],
    });
    expect(JSON.stringify(lastAnswer())).not.toContain(created.formatted_token);

    const rotated = await org.rotateApiKey(SHOP.id, created.token_id as string);
    expectModel(lastAnswer(), 'CreateApiKeyResponse');
    expect(rotated.token_id).toBe(created.token_id);
    expect(rotated.formatted_token).not.toBe(created.formatted_token);
    await expect(asShop.getNotifications(SHOP.id, 1)).rejects.toMatchObject({ code: 403 });
    const asRotated = api({ restApiKey: rotated.formatted_token });
    expect((await asRotated.getNotifications(SHOP.id, 1)).notifications?.length).toBe(1);

    await org.deleteApiKey(SHOP.id, created.token_id as string);
    await expect(asRotated.getNotifications(SHOP.id, 1)).rejects.toMatchObject({ code: 403 });
    expect((await org.viewApiKeys(SHOP.id)).tokens).toEqual([]);

    const calls = emulator.stats().byOperation;
    for (const op of SUITE_OPERATIONS.apiKeys) expect(calls[op], op).toBeGreaterThan(0);
  });

  it('refuses app REST keys for key management, and reports unknown keys and bad input', async () => {
    const app = api({ organizationApiKey: SHOP.restApiKey });
    await expect(app.viewApiKeys(SHOP.id)).rejects.toMatchObject({ code: 403 });
    const org = api({ organizationApiKey: DEMO.userAuthKey });
    await expect(org.deleteApiKey(SHOP.id, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 404,
    });
    await expect(
      org.createApiKey(SHOP.id, { name: 'x', ip_allowlist_mode: 'explicit', ip_allowlist: [] }),
    ).rejects.toMatchObject({ code: 400 });
    expectModel(lastAnswer(), 'GenericError');
  });
});

describe('custom events through the 5.x SDK', () => {
  const [alice] = DEMO.users as [(typeof DEMO.users)[number]];

  it('records events of known users (200, empty object) and lists the others (202, errors)', async () => {
    emulator.resetStats();
    const app = api({ restApiKey: SHOP.restApiKey });
    const event = (external_id: string): sdk.CustomEvent => ({
      name: 'purchase',
      external_id,
      payload: { sku: 'A-1' },
    });

    const all = await app.createCustomEvents(SHOP.id, { events: [event(alice.externalId)] });
    // The SDK types the answer as a bare object.
    expect(all).toEqual({});
    expect(lastAnswer()).toEqual({});

    const partial = (await app.createCustomEvents(SHOP.id, {
      events: [event(alice.externalId), event('nobody-here')],
    })) as { errors?: unknown[] };
    expect(partial.errors).toEqual([
      {
        event_user_id: 'nobody-here',
        event_id: expect.any(String),
        error: { code: 'not found', title: 'failed to find a onesignal_id for user_id nobody-here' },
      },
    ]);

    await expect(app.createCustomEvents(SHOP.id, { events: [] })).rejects.toMatchObject({ code: 400 });
    expectModel(lastAnswer(), 'GenericError');
    await expect(
      api({ restApiKey: 'wrong' }).createCustomEvents(SHOP.id, { events: [event(alice.externalId)] }),
    ).rejects.toMatchObject({ code: 403 });
    expect(emulator.stats().byOperation.create_custom_events).toBe(4);
  });
});

describe('subscriptions by token through the 5.x SDK', () => {
  const [alice] = DEMO.users as [(typeof DEMO.users)[number]];

  it('updates the subscription with an email address (202), seen afterwards through fetchUser', async () => {
    const app = api({ restApiKey: SHOP.restApiKey });
    const email = alice.emails[0] as string;
    const answer = await app.updateSubscriptionByToken(SHOP.id, 'Email', email, {
      subscription: { enabled: false, session_count: 7 },
    });
    expect(answer).toEqual({});

    const user = await app.getUser(SHOP.id, 'external_id', alice.externalId);
    const sub = user.subscriptions?.find((s) => s.token === email);
    expectModel(
      (lastAnswer() as { subscriptions: unknown[] }).subscriptions.find(
        (s) => (s as { token?: string }).token === email,
      ),
      'Subscription',
    );
    expect(sub).toMatchObject({ type: 'Email', enabled: false, notification_types: -2, session_count: 7 });

    await expect(
      app.updateSubscriptionByToken(SHOP.id, 'SMS', email, { subscription: { enabled: false } }),
    ).rejects.toMatchObject({ code: 404 });
    await expect(
      app.updateSubscriptionByToken(SHOP.id, 'Carrier pigeon', email, { subscription: { enabled: false } }),
    ).rejects.toMatchObject({ code: 400 });
    expectModel(lastAnswer(), 'GenericError');
  });
});

describe('recipient estimates through the 5.x SDK', () => {
  it('estimates a segment targeting (count-unsaved) without creating a notification', async () => {
    const app = api({ restApiKey: SHOP.restApiKey });
    const before = (await app.getNotifications(SHOP.id, 1)).total_count;
    const estimate = await app.estimateNotificationRecipients({
      app_id: SHOP.id,
      included_segments: ['Subscribed Users'],
      target_channel: 'push',
    });
    expectModel(lastAnswer(), 'EstimateNotificationRecipientsSuccessResponse');
    expect(estimate.count).toBeGreaterThan(0);
    expect(estimate.uncapped_count).toBe(estimate.count);
    expect(estimate.cap_applied).toBe(false);
    expect((await app.getNotifications(SHOP.id, 1)).total_count).toBe(before);

    await expect(app.estimateNotificationRecipients({ app_id: SHOP.id })).rejects.toMatchObject({
      code: 400,
    });
    expectModel(lastAnswer(), 'GenericError');
  });
});

describe('time-offset paging through the 5.x SDK', () => {
  it('pages oldest first from a time, following next_time_offset to the end', async () => {
    const app = api({ restApiKey: SHOP.restApiKey });
    const total = (await app.getNotifications(SHOP.id, 1)).total_count as number;
    const ids: string[] = [];
    let timeOffset = '2000-01-01T00:00:00Z';
    for (let pages = 0; pages < 10; pages++) {
      const slice = await app.getNotifications(SHOP.id, 50, undefined, undefined, timeOffset);
      expectModel(lastAnswer(), 'NotificationSlice');
      expect(slice.time_offset).toBe(timeOffset);
      ids.push(...(slice.notifications ?? []).map((n) => n.id as string));
      if (!slice.next_time_offset) break;
      timeOffset = slice.next_time_offset;
    }
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    await expect(app.getNotifications(SHOP.id, 50, undefined, undefined, 'not a time')).rejects.toMatchObject(
      {
        code: 400,
      },
    );
  });
});

describe('every current-API operation', () => {
  it('was driven through the 5.x SDK', () => {
    const used = emulator.stats().byOperation;
    for (const op of SUITE_OPERATIONS.eventsTokensEstimates) expect(used[op], op).toBeGreaterThan(0);
  });
});
