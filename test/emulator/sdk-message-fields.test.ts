/**
 * The whole message through OneSignal's own SDKs: @onesignal/node-onesignal 2.0.1-beta2 (v1.2.2's
 * model) and 5.x (the current API's). Each sends the push, email and SMS of messages.ts cut down to
 * the fields its `Notification` model has, then reads each back with getNotification and finds every
 * field as sent. The SDKs name some fields differently from the wire (`is_ios` for `isIos`), so the
 * bodies go through each model's attribute map.
 */
import * as v2 from '@onesignal/node-onesignal';
import * as v5 from 'onesignal-node-v5';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { caller, SHOP } from '../helpers/emulator.js';
import { email, push, SMS_NUMBER, sms } from './messages.js';

interface Model {
  getAttributeTypeMap(): { name: string; baseName: string; type: string }[];
}
interface NotificationApi {
  createNotification(n: never): Promise<{ id?: string; recipients?: number }>;
  getNotification(appId: string, id: string): Promise<Record<string, unknown>>;
}

let emulator: RunningEmulator;
let call: ReturnType<typeof caller>;
let apis: { name: string; api: NotificationApi; model: Model }[];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  call = caller(emulator);
  const v2Server = new v2.ServerConfiguration<Record<string, string>>(`${emulator.url}/api/v1`, {});
  const v5Server = new v5.ServerConfiguration<Record<string, string>>(emulator.url, {});
  apis = [
    {
      name: '2.0.1-beta2',
      api: new v2.DefaultApi(
        v2.createConfiguration({ baseServer: v2Server, userKey: DEMO.userAuthKey, appKey: SHOP.restApiKey }),
      ) as unknown as NotificationApi,
      model: v2.Notification as unknown as Model,
    },
    {
      name: '5.x',
      api: new v5.DefaultApi(
        v5.createConfiguration({ baseServer: v5Server, restApiKey: SHOP.restApiKey }),
      ) as unknown as NotificationApi,
      model: v5.Notification as unknown as Model,
    },
  ];
});
beforeEach(() => emulator.reset());
afterAll(async () => {
  await emulator.close();
});

/**
 * The body as the SDK's model takes it: only the fields the model has, under its property names, and
 * the fields it lacks. send_after is sent but not compared (it reads back as unix seconds).
 */
function forModel(model: Model, wire: Record<string, unknown>) {
  const names = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.name]));
  const out: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(wire)) {
    const name = names.get(key);
    if (name === undefined) dropped.push(key);
    else out[name] = value;
  }
  return { body: out, dropped: dropped.sort() };
}

async function roundTrip(api: NotificationApi, body: Record<string, unknown>) {
  const created = await api.createNotification(body as never);
  // An id (not '') means it reached someone; 5.x's success model has no recipients count.
  expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
  const read = await api.getNotification(SHOP.id, created.id as string);
  for (const [name, value] of Object.entries(body)) {
    if (name === 'send_after') expect(read.send_after).toBe(Date.parse(value as string) / 1000);
    else expect(read[name], name).toEqual(value);
  }
  return read;
}

describe.each(['2.0.1-beta2', '5.x'])('through @onesignal/node-onesignal %s', (version) => {
  const sdk = () => apis.find((a) => a.name === version) as (typeof apis)[number];

  it('sends a push with every option its model has and reads each back as sent', async () => {
    const { body, dropped } = forModel(sdk().model, push(SHOP.id));
    // The fields each model lacks (the current API's additions, for 2.0.1-beta2).
    expect(dropped).toEqual(
      version === '5.x'
        ? []
        : [
            'global_image',
            'huawei_badge_add_num',
            'huawei_badge_class',
            'huawei_badge_set_num',
            'huawei_bi_tag',
            'huawei_category',
            'idempotency_key',
            'ios_interruption_level',
            'ios_relevance_score',
          ],
    );
    // 2.0.1-beta2 types web_buttons as its Button (id, text, icon): it drops each button's url.
    if (version !== '5.x')
      body.web_buttons = (body.web_buttons as Record<string, unknown>[]).map(({ url: _, ...b }) => b);
    const read = await roundTrip(sdk().api, body);
    expect(read.is_ios).toBe(true);
    expect(read.ios_badge_type).toBe('Increase');
  });

  it('sends an email with every option its model has and reads each back as sent', async () => {
    const { body, dropped } = forModel(sdk().model, email(SHOP.id));
    expect(dropped).toEqual(
      version === '5.x'
        ? []
        : [
            'disable_email_click_tracking',
            'email_bcc',
            'email_reply_to_address',
            'email_sender_domain',
            'idempotency_key',
          ],
    );
    await roundTrip(sdk().api, body);
  });

  it('sends an SMS with every option its model has and reads each back as sent', async () => {
    await call('POST', '/players', { body: { app_id: SHOP.id, device_type: 14, identifier: SMS_NUMBER } });
    const { body, dropped } = forModel(sdk().model, sms(SHOP.id));
    expect(dropped).toEqual([]);
    await roundTrip(sdk().api, body);
  });
});

describe('filters through the 5.x SDK', () => {
  it('sends hours_ago and location filters (numbers, as its FilterExpression types them) and reads them back', async () => {
    const api = apis.find((a) => a.name === '5.x')?.api as NotificationApi;
    const filters = [
      { field: 'last_session', relation: '<', hours_ago: '720' },
      { operator: 'OR' },
      { field: 'location', radius: 1000, lat: 37.77, long: -122.43 },
    ];
    const read = await roundTrip(api, { app_id: SHOP.id, contents: { en: 'Nearby or recent' }, filters });
    expect(read.filters).toEqual(filters);
  });

  it('turns a 400 from a broken rule into the SDK error, with OneSignal body naming the field', async () => {
    const api = apis.find((a) => a.name === '5.x')?.api as NotificationApi;
    await expect(
      api.createNotification({
        app_id: SHOP.id,
        contents: { en: 'x' },
        included_segments: ['VIP Customers'],
        ttl: 2_419_201,
      } as never),
    ).rejects.toMatchObject({ code: 400, body: { errors: [expect.stringMatching(/^ttl must be between/)] } });
  });
});
