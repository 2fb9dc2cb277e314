import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OneSignalClient, OneSignalError } from '../../src/onesignal/index.js';
import {
  DEMO,
  demoAppKeys,
  download,
  type EmulatorHarness,
  SHOP,
  SUITE_OPERATIONS,
  startOneSignalEmulator,
} from '../helpers/onesignal-emulator.js';

let h: EmulatorHarness;
/** Signs app-scoped calls with the configured REST API keys only. */
let os: OneSignalClient;
/** Holds only the organization user auth key, as `/apps` management needs. */
let admin: OneSignalClient;

beforeAll(async () => {
  h = await startOneSignalEmulator();
  os = h.client({ appKeys: demoAppKeys() });
  admin = h.client({ userAuthKey: DEMO.userAuthKey });
});
afterAll(() => h.close());

describe('apps', () => {
  it('lists every app of the organization with the user auth key', async () => {
    const apps = await admin.apps.list();
    expect(apps.map((a) => a.name)).toEqual(expect.arrayContaining(['Demo Shop', 'Demo News']));
    const shop = apps.find((a) => a.id === SHOP);
    expect(shop?.players).toBe(DEMO.counts[SHOP]?.players);
  });

  it('reads one app, including its REST API key', async () => {
    const app = await admin.apps.get(SHOP);
    expect(app).toMatchObject({ id: SHOP, name: 'Demo Shop', basic_auth_key: 'emulator-rest-key-demo-shop' });
  });

  it('creates an app, updates it and reads the change back', async () => {
    const created = await admin.apps.create({ name: 'Client Test App', site_name: 'Before' });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.name).toBe('Client Test App');

    const updated = await admin.apps.update(created.id, {
      name: 'Client Test App (renamed)',
      apns_env: 'sandbox',
    });
    expect(updated).toMatchObject({ id: created.id, name: 'Client Test App (renamed)', apns_env: 'sandbox' });
    expect(await admin.apps.get(created.id)).toMatchObject({
      name: 'Client Test App (renamed)',
      site_name: 'Before',
    });
  });

  it('reports an unknown app as NOT_FOUND', async () => {
    const error = await admin.apps.get('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OneSignalError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, operation: 'get_app' });
  });
});

describe('notifications', () => {
  it('lists notifications newest first, paged with limit and offset', async () => {
    const first = await os.notifications.list(SHOP, { limit: 5 });
    expect(first).toMatchObject({ total_count: DEMO.counts[SHOP]?.notifications, offset: 0, limit: 5 });
    expect(first.notifications).toHaveLength(5);
    const second = await os.notifications.list(SHOP, { limit: 5, offset: 5 });
    const firstIds = first.notifications?.map((n) => n.id) ?? [];
    expect(second.notifications?.some((n) => firstIds.includes(n.id))).toBe(false);
    const queued = [...(first.notifications ?? []), ...(second.notifications ?? [])].map(
      (n) => n.queued_at ?? 0,
    );
    expect(queued).toEqual([...queued].sort((a, b) => b - a));
  });

  it('filters the list by kind', async () => {
    const dashboard = await os.notifications.list(SHOP, { kind: 0, limit: 50 });
    const api = await os.notifications.list(SHOP, { kind: 1, limit: 50 });
    const all = await os.notifications.list(SHOP, { limit: 1 });
    expect((dashboard.total_count ?? 0) + (api.total_count ?? 0)).toBeLessThanOrEqual(all.total_count ?? 0);
  });

  it('reads one notification with its delivery stats', async () => {
    const n = await os.notifications.get(SHOP, DEMO.notifications.latestDelivered);
    expect(n.id).toBe(DEMO.notifications.latestDelivered);
    expect(typeof n.successful).toBe('number');
    expect(typeof n.queued_at).toBe('number');
    expect(n.completed_at).not.toBeNull();
    expect(n.platform_delivery_stats).toBeTypeOf('object');
  });

  it('creates a notification, sets app_id and an idempotency key, and reads it back', async () => {
    const before = (await os.notifications.list(SHOP, { limit: 1 })).total_count ?? 0;
    const result = await os.notifications.create(SHOP, {
      included_segments: ['Subscribed Users'],
      contents: { en: 'Hello from the client', fr: 'Bonjour' },
      headings: { en: 'Hi' },
    });
    expect(result.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.recipients).toBeGreaterThan(0);

    const read = await os.notifications.get(SHOP, result.id);
    expect(read).toMatchObject({
      id: result.id,
      app_id: SHOP,
      contents: { en: 'Hello from the client', fr: 'Bonjour' },
    });
    expect((await os.notifications.list(SHOP, { limit: 1 })).total_count).toBe(before + 1);
  });

  it('answers a repeated external_id with the first notification instead of sending again', async () => {
    const externalId = crypto.randomUUID();
    const body = {
      include_aliases: { external_id: [DEMO.users[0]?.externalId as string] },
      target_channel: 'push' as const,
    };
    const first = await os.notifications.create(SHOP, {
      ...body,
      external_id: externalId,
      contents: { en: 'once' },
    });
    const again = await os.notifications.create(SHOP, {
      ...body,
      external_id: externalId,
      contents: { en: 'twice' },
    });
    expect(again.id).toBe(first.id);
    expect(first.external_id).toBe(externalId);
  });

  it('reports an audience with no subscribers as id "" with errors', async () => {
    const result = await os.notifications.create(SHOP, {
      include_aliases: { external_id: ['nobody-has-this-id'] },
      target_channel: 'push',
      contents: { en: 'void' },
    });
    expect(result.id).toBe('');
    expect(result.errors).toBeDefined();
  });

  it('cancels a scheduled notification and reads back that it was cancelled', async () => {
    const id = DEMO.notifications.scheduled[0] as string;
    expect(await os.notifications.cancel(SHOP, id)).toEqual({ success: true });
    const read = await os.notifications.get(SHOP, id);
    expect(read.canceled).toBe(true);
    expect(read.remaining).toBe(0);
  });

  it('starts a history export whose CSV lists the recipients', async () => {
    const result = await os.notifications.history(SHOP, DEMO.notifications.latestDelivered, {
      events: 'sent',
      email: 'ops@example.com',
    });
    expect(result.success).toBe(true);
    const csv = await download(result.destination_url as string);
    expect(csv.status).toBe(200);
    expect(csv.text.split('\n')[0]).toContain('player_id');
  });

  it('starts an events export whose CSV belongs to the notification', async () => {
    const id = DEMO.notifications.latestDelivered;
    const result = await os.notifications.exportEvents(SHOP, id);
    const csv = await download(result.csv_file_url as string);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(id);
  });

  it('reports a bad request as BAD_REQUEST with OneSignal’s own message', async () => {
    const error = await os.notifications
      .create(SHOP, { contents: { en: 'no audience' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      status: 400,
      operation: 'create_notification',
      appId: SHOP,
    });
    expect((error as OneSignalError).errors.join(' ')).toMatch(/include which players, segments/);
  });
});

describe('outcomes', () => {
  it('reads outcomes with comma-joined names and platforms', async () => {
    const all = await os.outcomes.get(SHOP, {
      outcomeNames: ['os__click.count', 'Purchase.sum'],
      timeRange: '1mo',
      attribution: 'total',
    });
    expect(all.outcomes).toEqual([
      { id: 'os__click', value: expect.any(Number), aggregation: 'count' },
      { id: 'Purchase', value: expect.any(Number), aggregation: 'sum' },
    ]);

    const narrow = await os.outcomes.get(SHOP, {
      outcomeNames: ['os__click.count'],
      timeRange: '1h',
      platforms: [0],
      attribution: 'direct',
    });
    const wide = all.outcomes?.[0]?.value ?? 0;
    expect(narrow.outcomes?.[0]?.value).toBeLessThanOrEqual(wide);
  });
});

it('exercised every apps, notifications and outcomes operation against the emulator', () => {
  expect(Object.keys(h.calls())).toEqual(
    expect.arrayContaining([...SUITE_OPERATIONS.appsNotificationsOutcomes]),
  );
});
