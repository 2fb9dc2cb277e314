import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { caller, SHOP } from '../helpers/emulator.js';

let emulator: RunningEmulator;
let call: ReturnType<typeof caller>;
const playersPath = `/players?app_id=${SHOP.id}&limit=1`;
const send = { app_id: SHOP.id, contents: { en: 'fault test' }, included_segments: ['VIP Customers'] };

const hook = (method: string, path: string, body?: unknown) =>
  fetch(`${emulator.url}/__emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  call = caller(emulator);
});

beforeEach(async () => {
  await hook('POST', 'reset');
});

afterAll(async () => {
  await emulator.close();
});

describe('fault injection', () => {
  it('adds latency to every matching response', async () => {
    await hook('POST', 'faults', { latencyMs: 120, jitterMs: 20 });
    const started = performance.now();
    expect((await call('GET', playersPath)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('answers 429 with Retry-After and a rate-limit body', async () => {
    await hook('POST', 'faults', { rateLimitRate: 1, retryAfterSeconds: 7 });
    const res = await call('GET', playersPath);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body).toEqual({ errors: [{ code: 'rate-limit-exceeded', title: 'API rate limit exceeded' }] });
  });

  it('injects the configured 5xx status', async () => {
    await hook('POST', 'faults', { serverErrorRate: 1, serverErrorStatus: 503 });
    expect((await call('GET', playersPath)).status).toBe(503);
  });

  it('drops the connection so the client sees a network error', async () => {
    await hook('POST', 'faults', { dropRate: 1 });
    await expect(call('GET', playersPath)).rejects.toThrow();
    await hook('DELETE', 'faults');
    expect((await call('GET', playersPath)).status).toBe(200);
  });

  it("with when:'after' executes the operation and then loses the response", async () => {
    await hook('POST', 'faults', {
      serverErrorRate: 1,
      when: 'after',
      operations: ['create_notification'],
      times: 1,
    });
    const before = (await call('GET', `/notifications?app_id=${SHOP.id}&limit=1`)).body.total_count;
    const lost = await call('POST', '/notifications', {
      body: { ...send, external_id: 'ad6f5a3e-53c4-4ac8-9a4e-8f0a2c1d7b11' },
    });
    expect(lost.status).toBe(500);
    // The retry with the same external_id finds the notification the lost call created.
    const retried = await call('POST', '/notifications', {
      body: { ...send, external_id: 'ad6f5a3e-53c4-4ac8-9a4e-8f0a2c1d7b11' },
    });
    expect(retried.status).toBe(200);
    const list = await call('GET', `/notifications?app_id=${SHOP.id}&limit=1`);
    expect(list.body.total_count).toBe(before + 1);
    expect(list.body.notifications[0].id).toBe(retried.body.id);
  });

  it('limits error faults to the next N requests and to the listed operations', async () => {
    await hook('POST', 'faults', { serverErrorRate: 1, times: 2, operations: ['get_players'] });
    expect((await call('GET', `/notifications?app_id=${SHOP.id}&limit=1`)).status).toBe(200);
    expect((await call('GET', playersPath)).status).toBe(500);
    expect((await hook('GET', 'faults').then((r) => r.json())).times).toBe(1);
    expect((await call('GET', playersPath)).status).toBe(500);
    expect((await call('GET', playersPath)).status).toBe(200);
  });

  it('takes the same settings through the RunningEmulator API and is repeatable for a given rate', async () => {
    const run = async () => {
      emulator.setFaults({ serverErrorRate: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await call('GET', playersPath)).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
    emulator.setFaults(null);
  });

  it('with lostAnswerRate executes the operation and then drops the connection', async () => {
    await hook('POST', 'faults', { lostAnswerRate: 1, operations: ['create_notification'], times: 1 });
    const key = '0b6f5a3e-53c4-4ac8-9a4e-8f0a2c1d7b12';
    await expect(
      call('POST', '/notifications', { body: { ...send, idempotency_key: key } }),
    ).rejects.toThrow();
    const replay = await call('POST', '/notifications', { body: { ...send, idempotency_key: key } });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects an invalid fault config', async () => {
    expect((await hook('POST', 'faults', { dropRate: 2 })).status).toBe(400);
    expect((await hook('POST', 'faults', { when: 'sometimes' })).status).toBe(400);
    expect(await (await hook('GET', 'faults')).json()).toEqual({});
  });
});

describe("OneSignal's rate limits", () => {
  const user = DEMO.users[0] as (typeof DEMO.users)[number];
  const userPath = `/apps/${SHOP.id}/users/by/external_id/${user.externalId}`;
  const notificationPath = `/notifications/${DEMO.notifications.latestDelivered}?app_id=${SHOP.id}`;

  it('are off by default', async () => {
    expect(await (await hook('GET', 'limits')).json()).toMatchObject({ enabled: false, plan: 'free' });
    for (let i = 0; i < 6; i++) expect((await call('GET', notificationPath)).status).toBe(200);
  });

  it('allow a burst of 3 views of a notification per app, then answer 429 naming the limit', async () => {
    await hook('POST', 'limits', { enabled: true });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await call('GET', notificationPath));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    const refused = statuses[3] as Awaited<ReturnType<typeof call>>;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toMatchObject({
      errors: [{ code: 'rate-limit-exceeded', title: 'API rate limit exceeded' }],
      limit: { name: 'view_notification', app_id: SHOP.id, subject: null, per_second: 1, burst: 3 },
    });
    // Another class of the same app, and the same class of another app, have their own budgets.
    expect((await call('GET', `/notifications?app_id=${SHOP.id}&limit=1`)).status).toBe(200);
    expect(emulator.stats().rateLimited).toEqual({ view_notification: 1 });
    // Refilled at 1 per second.
    await new Promise((r) => setTimeout(r, 1_050));
    expect((await call('GET', notificationPath)).status).toBe(200);
  });

  it('limit writes to one user to about 1/s while other users are unaffected', async () => {
    await hook('POST', 'limits', { enabled: true });
    const patch = { body: { properties: { tags: { limit: 'test' } } } };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('PATCH', userPath, patch)).status);
    expect(statuses).toEqual([202, 202, 429]);
    const other = DEMO.users[1] as (typeof DEMO.users)[number];
    const otherPath = `/apps/${SHOP.id}/users/by/external_id/${other.externalId}`;
    expect((await call('PATCH', otherPath, patch)).status).toBe(202);
    expect(emulator.stats().rateLimited).toEqual({ user_write_per_subject: 1 });
  });

  it('take per-plan and per-limit rates: 150 messages/s free, 6,000/s paid, or as configured', async () => {
    expect(
      (await (await hook('POST', 'limits', { enabled: true, plan: 'paid' })).json()).rates.create_message,
    ).toEqual({ perSecond: 6000, burst: 6000 });
    await hook('POST', 'limits', { enabled: true, rates: { create_message: { perSecond: 2, burst: 2 } } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('POST', '/notifications', { body: send })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await hook('POST', 'limits', { rates: { nope: { perSecond: 1 } } })).status).toBe(400);
    await hook('DELETE', 'limits');
    expect((await call('POST', '/notifications', { body: send })).status).toBe(200);
  });
});

describe('stats and reset', () => {
  it('counts every matched request by operation id, faulted and refused ones included, but not the hooks', async () => {
    await hook('DELETE', 'stats');
    await call('GET', playersPath);
    await call('GET', playersPath, { auth: 'wrong' });
    await hook('POST', 'faults', { rateLimitRate: 1 });
    await call('GET', `/apps/${SHOP.id}/segments`);
    await hook('DELETE', 'faults');
    await call('GET', '/apps', { auth: DEMO.userAuthKey });
    await call('GET', '/api/v1/apps', { auth: DEMO.userAuthKey });
    await call('GET', '/not-an-operation');
    await hook('GET', 'stats');
    const stats = await (await hook('GET', 'stats')).json();
    expect(stats).toEqual({
      total: 5,
      byOperation: { get_players: 2, get_segments: 1, get_apps: 2 },
      // The injected 429 was answered before get_segments ran; the app list names no app.
      byApp: { [SHOP.id]: { get_players: 2 } },
      rateLimited: {},
    });
    expect(emulator.stats()).toEqual(stats);
    expect(await (await hook('DELETE', 'stats')).json()).toEqual({
      total: 0,
      byOperation: {},
      byApp: {},
      rateLimited: {},
    });
  });

  it("counts requests per app, named by path, query or body, OneSignal's 429s included", async () => {
    const news = DEMO.apps[1]!;
    await hook('POST', 'limits', { enabled: true });
    for (let i = 0; i < 4; i++) await call('GET', `/notifications?app_id=${SHOP.id}&limit=1`);
    await call('GET', `/apps/${news.id}`, { auth: DEMO.userAuthKey });
    await call('POST', '/notifications', {
      auth: news.restApiKey,
      body: { app_id: news.id, contents: { en: 'counted' }, included_segments: ['Subscribed Users'] },
    });
    expect(emulator.stats().byApp).toEqual({
      [SHOP.id]: { get_notifications: 4 },
      [news.id]: { get_app: 1, create_notification: 1 },
    });
    expect(emulator.stats().rateLimited).toEqual({ view_notifications: 1 });
  });

  it('restores the initial data on reset', async () => {
    const id = DEMO.subscriptionIds[0] as string;
    expect((await call('DELETE', `/players/${id}?app_id=${SHOP.id}`)).status).toBe(200);
    const created = await call('POST', '/players', {
      body: { app_id: SHOP.id, device_type: 1, identifier: 'reset-me' },
    });
    expect((await call('GET', `/players/${id}?app_id=${SHOP.id}`)).status).toBe(404);
    await hook('POST', 'reset');
    expect((await call('GET', `/players/${id}?app_id=${SHOP.id}`)).status).toBe(200);
    expect((await call('GET', `/players/${created.body.id}?app_id=${SHOP.id}`)).status).toBe(404);
    expect(emulator.stats().total).toBe(2);
  });
});
