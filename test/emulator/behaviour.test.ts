import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { caller, NEWS, type Reply, SHOP } from '../helpers/emulator.js';

let emulator: RunningEmulator;
let call: ReturnType<typeof caller>;
const ACCESS_DENIED =
  "Access denied.  Please include an 'Authorization: ...' header with a valid API key (https://documentation.onesignal.com/docs/accounts-and-keys#app-keys).";

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  call = caller(emulator);
});

afterAll(async () => {
  await emulator.close();
});

describe('auth', () => {
  it('lets only the user auth key manage /apps, with any of the Key, Basic and Bearer schemes', async () => {
    for (const scheme of ['Key', 'Basic', 'Bearer']) {
      const res = await call('GET', '/apps', {
        auth: null,
        headers: { authorization: `${scheme} ${DEMO.userAuthKey}` },
      });
      expect(res.status).toBe(200);
    }
    expect((await call('GET', '/apps', { auth: null })).status).toBe(403);
    expect((await call('GET', '/apps', { auth: SHOP.restApiKey })).status).toBe(403);
    expect((await call('GET', `/apps/${SHOP.id}`, { auth: 'nope' })).status).toBe(403);
  });

  it('returns each app key as basic_auth_key so a user-key client can find it', async () => {
    const res = await call('GET', `/apps/${NEWS.id}`, { auth: DEMO.userAuthKey });
    expect(res.body).toMatchObject({ id: NEWS.id, name: 'Demo News', basic_auth_key: NEWS.restApiKey });
  });

  it("refuses app-scoped calls without a key, with a wrong key, with the user key or with another app's key", async () => {
    const path = `/players?app_id=${SHOP.id}&limit=1`;
    for (const auth of [null, 'wrong-key', DEMO.userAuthKey, NEWS.restApiKey]) {
      const res = await call('GET', path, { auth });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ errors: [ACCESS_DENIED] });
    }
    expect((await call('GET', path)).status).toBe(200);
    expect((await call('GET', `/players?app_id=${NEWS.id}&limit=1`, { auth: NEWS.restApiKey })).status).toBe(
      200,
    );
  });

  it('checks the key against the app named in the body of create_notification', async () => {
    const res = await call('POST', '/notifications', {
      auth: NEWS.restApiKey,
      body: { app_id: SHOP.id, contents: { en: 'x' }, included_segments: ['Subscribed Users'] },
    });
    expect(res.status).toBe(403);
  });
});

describe('validation', () => {
  const statuses: number[] = [];
  const expectError = async (
    res: Promise<Reply<{ errors?: unknown }>>,
    status: number,
    message: RegExp,
  ): Promise<void> => {
    const r = await res;
    statuses.push(r.status);
    expect(r.status).toBe(status);
    expect(JSON.stringify(r.body.errors)).toMatch(message);
  };

  it('answers a missing, malformed or unknown app_id with 400', async () => {
    await expectError(call('GET', '/players'), 400, /app_id not found/);
    await expectError(call('GET', '/notifications?app_id=not-a-uuid'), 400, /not a valid UUID/);
    await expectError(
      call('GET', '/notifications?app_id=33333333-3333-4333-8333-333333333333'),
      400,
      /app_id not found/,
    );
    await expectError(
      call('POST', '/notifications', { body: { contents: { en: 'x' } } }),
      400,
      /app_id not found/,
    );
  });

  it('rejects limits above the maxima and non-numeric paging', async () => {
    await expectError(
      call('GET', `/players?app_id=${SHOP.id}&limit=301`),
      400,
      /Limit must be between 1 and 300/,
    );
    await expectError(
      call('GET', `/notifications?app_id=${SHOP.id}&limit=51`),
      400,
      /Limit must be between 1 and 50/,
    );
    await expectError(
      call('GET', `/notifications?app_id=${SHOP.id}&limit=abc`),
      400,
      /limit must be an integer/,
    );
    await expectError(call('GET', `/notifications?app_id=${SHOP.id}&offset=-1`), 400, /Offset/);
    await expectError(call('GET', `/notifications?app_id=${SHOP.id}&kind=2`), 400, /kind must be/);
  });

  it('rejects a notification without contents or without targeting', async () => {
    await expectError(
      call('POST', '/notifications', { body: { app_id: SHOP.id, included_segments: ['Subscribed Users'] } }),
      400,
      /English language content/,
    );
    await expectError(
      call('POST', '/notifications', { body: { app_id: SHOP.id, contents: { en: 'hi' } } }),
      400,
      /which players, segments, or tags/,
    );
    await expectError(
      call('POST', '/notifications', {
        body: {
          app_id: SHOP.id,
          contents: { en: 'hi' },
          included_segments: ['Subscribed Users'],
          send_after: 'someday',
        },
      }),
      400,
      /send_after/,
    );
  });

  it('answers unknown ids with 404 and malformed ids with 400', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expectError(call('GET', `/notifications/${unknown}?app_id=${SHOP.id}`), 404, /not found/);
    await expectError(call('GET', `/notifications/xyz?app_id=${SHOP.id}`), 400, /not a valid UUID/);
    await expectError(call('GET', `/players/${unknown}?app_id=${SHOP.id}`), 404, /not found/);
    await expectError(call('GET', `/apps/${unknown}`, { auth: DEMO.userAuthKey }), 404, /not found/);
    await expectError(call('GET', `/apps/${SHOP.id}/users/by/external_id/nobody`), 404, /"code":"user-2"/);
    await expectError(
      call('GET', `/apps/${SHOP.id}/subscriptions/${unknown}/iams`),
      404,
      /Subscription not found/,
    );
    await expectError(
      call('PUT', `/apps/${SHOP.id}/users/nobody`, { body: { tags: { a: '1' } } }),
      400,
      /external_user_id/,
    );
  });

  it('answers bad JSON, wrong types and unknown routes without ever failing with a 5xx', async () => {
    await expectError(call('POST', '/notifications', { rawBody: '{"app_id":' }), 400, /Invalid JSON/);
    await expectError(call('POST', '/players', { rawBody: '[1,2]' }), 400, /JSON object/);
    await expectError(
      call('POST', '/players', { body: { app_id: SHOP.id, device_type: 99 } }),
      400,
      /device_type/,
    );
    await expectError(
      call('POST', '/players', { body: { app_id: SHOP.id, device_type: 11 } }),
      400,
      /identifier/,
    );
    await expectError(
      call('POST', `/apps/${SHOP.id}/segments`, { body: { name: 'x', filters: 'nope' } }),
      400,
      /filters/,
    );
    await expectError(call('POST', `/apps/${SHOP.id}/users`, { body: { identity: 'x' } }), 400, /identity/);
    await expectError(call('GET', `/apps/${SHOP.id}/outcomes`), 400, /outcome_names is required/);
    await expectError(
      call('GET', `/apps/${SHOP.id}/outcomes?outcome_names=os__click.count&outcome_time_range=1y`),
      400,
      /1h, 1d, 1mo/,
    );
    await expectError(call('GET', `/apps/${SHOP.id}/outcomes?outcome_names=os__click`), 400, /\.count or/);
    await expectError(call('POST', '/apps', { auth: DEMO.userAuthKey, body: {} }), 400, /name is required/);
    await expectError(call('GET', '/nope'), 404, /Not found/);
    const hostile = [
      call('POST', '/notifications', { body: { app_id: SHOP.id, contents: 'x', included_segments: 1 } }),
      call('POST', '/notifications', {
        body: { app_id: SHOP.id, contents: { en: 'x' }, include_player_ids: 'x' },
      }),
      call('POST', '/notifications', {
        body: { app_id: SHOP.id, contents: { en: 'x' }, filters: [{ relation: '=' }] },
      }),
      call('PATCH', `/apps/${SHOP.id}/users/by/external_id/demo-user-001`, {
        body: { properties: 5, deltas: 'x' },
      }),
      call('PUT', `/players/${DEMO.subscriptionIds[0]}`, {
        body: { app_id: SHOP.id, session_count: 'many' },
      }),
      call('POST', `/apps/${SHOP.id}/live_activities/a/token`, { body: {} }),
      call('POST', `/apps/${SHOP.id}/users/by/external_id/demo-user-001/subscriptions`, {
        body: { subscription: { type: 'Pigeon' } },
      }),
    ];
    for (const r of await Promise.all(hostile)) {
      statuses.push(r.status);
      expect(r.status).toBe(400);
      expect(r.body.errors).toBeDefined();
    }
    expect(statuses.every((s) => s < 500)).toBe(true);
  });
});

describe('notification targeting', () => {
  it('answers a send that reaches nobody like OneSignal: empty id, 0 recipients, not subscribed', async () => {
    const res = await call('POST', '/notifications', {
      body: {
        app_id: SHOP.id,
        contents: { en: 'x' },
        filters: [{ field: 'tag', key: 'tier', relation: '=', value: 'platinum' }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: '',
      recipients: 0,
      external_id: null,
      errors: ['All included players are not subscribed'],
    });
  });

  it('reports invalid player ids next to a normal send to the valid ones', async () => {
    const valid = DEMO.users[0]?.subscriptionIds[0] as string;
    const res = await call('POST', '/notifications', {
      body: {
        app_id: SHOP.id,
        contents: { en: 'x' },
        include_player_ids: [valid, 'not-an-id', '00000000-0000-4000-8000-000000000000'],
      },
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.recipients).toBe(1);
    expect(res.body.errors).toEqual({
      invalid_player_ids: ['not-an-id', '00000000-0000-4000-8000-000000000000'],
    });
  });

  it('targets aliases, emails and segments with filters from the store', async () => {
    const [user] = DEMO.users;
    const byAlias = await call('POST', '/notifications', {
      body: { app_id: SHOP.id, contents: { en: 'x' }, include_aliases: { external_id: [user?.externalId] } },
    });
    expect(byAlias.body.recipients).toBe(user?.subscriptionIds.length);
    const byEmail = await call('POST', '/notifications', {
      body: {
        app_id: SHOP.id,
        email_subject: 's',
        email_body: '<p>b</p>',
        include_email_tokens: user?.emails,
      },
    });
    expect(byEmail.body.recipients).toBe(1);
    const vip = await call('POST', '/notifications', {
      body: { app_id: SHOP.id, contents: { en: 'x' }, included_segments: ['VIP Customers'] },
    });
    const byTag = await call('POST', '/notifications', {
      body: {
        app_id: SHOP.id,
        contents: { en: 'x' },
        filters: [{ field: 'tag', key: 'vip', relation: '=', value: 'true' }],
      },
    });
    expect(vip.body.recipients).toBeGreaterThan(0);
    expect(byTag.body.recipients).toBe(vip.body.recipients);
    const pushOnly = await call('POST', '/notifications', {
      body: {
        app_id: SHOP.id,
        contents: { en: 'x' },
        included_segments: ['VIP Customers'],
        target_channel: 'push',
      },
    });
    expect(pushOnly.body.recipients).toBeLessThan(vip.body.recipients);
  });
});

describe('idempotency', () => {
  it('returns the first result for a repeated external_id or idempotency_key and sends nothing new', async () => {
    const before = await call('GET', `/notifications?app_id=${SHOP.id}&limit=1`);
    for (const key of ['external_id', 'idempotency_key']) {
      const body = {
        app_id: SHOP.id,
        contents: { en: 'once' },
        included_segments: ['Subscribed Users'],
        [key]: crypto.randomUUID(),
      };
      const first = await call('POST', '/notifications', { body });
      const second = await call('POST', '/notifications', { body: { ...body, contents: { en: 'twice' } } });
      expect(second.body).toEqual(first.body);
      expect(first.body.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const after = await call('GET', `/notifications?app_id=${SHOP.id}&limit=1`);
    expect(after.body.total_count).toBe(before.body.total_count + 2);
    expect(after.body.notifications[0].contents).toEqual({ en: 'once' });
  });
});

describe('users, subscriptions and players share one store', () => {
  it('answers alias conflicts on create_user with 409 in the CreateUserConflictResponse shape', async () => {
    const res = await call('POST', `/apps/${SHOP.id}/users`, {
      body: { identity: { external_id: 'demo-user-001', crm_id: 'c1' } },
    });
    expect(res.status).toBe(200);
    const conflict = await call('POST', `/apps/${SHOP.id}/users`, {
      body: { identity: { external_id: 'demo-user-002', crm_id: 'c1' } },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.errors[0]).toMatchObject({
      code: 'user-2',
      meta: { conflicting_aliases: { crm_id: 'c1' } },
    });
    const created = await call('POST', `/apps/${SHOP.id}/users`, {
      body: { identity: { external_id: 'brand-new' } },
    });
    expect(created.status).toBe(201);
  });

  it('makes a player created with external_user_id visible as a subscription of that user', async () => {
    const created = await call('POST', '/players', {
      body: {
        app_id: SHOP.id,
        device_type: 0,
        identifier: 'ios-token-xyz',
        external_user_id: 'demo-user-003',
      },
    });
    const user = await call('GET', `/apps/${SHOP.id}/users/by/external_id/demo-user-003`);
    expect(user.body.subscriptions.map((s: { id: string }) => s.id)).toContain(created.body.id);
    const sub = user.body.subscriptions.find((s: { id: string }) => s.id === created.body.id);
    expect(sub).toMatchObject({ type: 'iOSPush', token: 'ios-token-xyz', enabled: true });
  });
});
