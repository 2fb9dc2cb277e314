import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OneSignalError } from '../../src/onesignal/index.js';
import type { AttemptEvent } from '../../src/upstream/index.js';
import {
  ALL_KEYS,
  DEMO,
  demoAppKeys,
  type EmulatorHarness,
  NEWS,
  SHOP,
  startOneSignalEmulator,
} from '../helpers/onesignal-emulator.js';

let h: EmulatorHarness;

beforeAll(async () => {
  h = await startOneSignalEmulator();
});
afterAll(() => h.close());
beforeEach(() => {
  h.emulator.setFaults(null);
  h.emulator.resetStats();
});
afterEach(() => h.emulator.setFaults(null));

const NOTIFICATION = DEMO.notifications.latestDelivered;
const SHOP_KEY = demoAppKeys()[SHOP] as string;
const NEWS_KEY = demoAppKeys()[NEWS] as string;

async function failure(promise: Promise<unknown>): Promise<OneSignalError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof OneSignalError)) throw new Error(`expected a OneSignalError, got ${inspect(error)}`);
  return error;
}

/** Every way an error can be shown or logged. */
const renderings = (error: OneSignalError) => [
  error.message,
  String(error),
  error.stack ?? '',
  JSON.stringify(error),
  inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
];

function expectNoKeys(error: OneSignalError) {
  for (const text of renderings(error)) for (const key of ALL_KEYS) expect(text).not.toContain(key);
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * `n` distinct notification ids of `app`, read with a client of their own (counters reset after):
 * identical reads in flight at once are shared, so tests about concurrency read different ones.
 */
async function distinctNotifications(app: string, n: number): Promise<string[]> {
  const page = await h.client({ appKeys: demoAppKeys() }).notifications.list(app, { limit: n });
  h.emulator.resetStats();
  return (page.notifications ?? []).map((x) => x.id as string);
}

describe('keys', () => {
  it('signs /apps calls with the user auth key and looks an app key up once, then caches it', async () => {
    const os = h.client({ userAuthKey: DEMO.userAuthKey });
    expect((await os.apps.list()).length).toBeGreaterThanOrEqual(2);
    await Promise.all([
      os.notifications.list(SHOP, { limit: 1 }),
      os.notifications.get(SHOP, NOTIFICATION),
      os.players.list(SHOP, { limit: 1 }),
    ]);
    await os.segments.list(SHOP);
    expect(h.calls()).toEqual({
      get_apps: 1,
      get_app: 1,
      get_notifications: 1,
      get_notification: 1,
      get_players: 1,
      get_segments: 1,
    });

    await os.players.list(NEWS, { limit: 1 });
    expect(h.calls().get_app).toBe(2);
  });

  it('signs app calls with the configured REST API key, never asking for it', async () => {
    const os = h.client({ userAuthKey: DEMO.userAuthKey, appKeys: demoAppKeys() });
    await os.notifications.list(SHOP, { limit: 1 });
    await os.notifications.list(NEWS, { limit: 1 });
    expect(h.calls()).toEqual({ get_notifications: 2 });
  });

  it('refuses /apps calls without a user auth key (MISSING_KEY), before any request', async () => {
    const error = await failure(h.client({ appKeys: demoAppKeys() }).apps.list());
    expect(error).toMatchObject({ code: 'MISSING_KEY', keyKind: 'user', operation: 'get_apps' });
    expect(error.message).toContain('ONESIGNAL_USER_AUTH_KEY');
    expect(h.emulator.stats().total).toBe(0);
  });

  it('refuses app calls when the app has no key and none can be looked up (MISSING_KEY)', async () => {
    const error = await failure(
      h.client({ appKeys: { [NEWS]: NEWS_KEY } }).notifications.get(SHOP, NOTIFICATION),
    );
    expect(error).toMatchObject({ code: 'MISSING_KEY', keyKind: 'app', appId: SHOP });
    expect(error.message).toContain(SHOP);
    expect(error.message).toContain('ONESIGNAL_APP_KEYS');
    expect(h.emulator.stats().total).toBe(0);
  });

  it('reports a wrong app key as KEY_REJECTED naming the app and ONESIGNAL_APP_KEYS, without the key', async () => {
    const os = h.client({ appKeys: { [SHOP]: NEWS_KEY } });
    const error = await failure(os.notifications.get(SHOP, NOTIFICATION));
    expect(error).toMatchObject({
      code: 'KEY_REJECTED',
      keyKind: 'app',
      appId: SHOP,
      status: 403,
      retryable: false,
    });
    expect(error.message).toContain(SHOP);
    expect(error.message).toContain('ONESIGNAL_APP_KEYS');
    expectNoKeys(error);
    expect(h.calls()).toEqual({ get_notification: 1 });
  });

  it('reports a wrong user auth key as KEY_REJECTED naming ONESIGNAL_USER_AUTH_KEY, without the key', async () => {
    const error = await failure(h.client({ userAuthKey: SHOP_KEY }).apps.get(SHOP));
    expect(error).toMatchObject({ code: 'KEY_REJECTED', keyKind: 'user', status: 403 });
    expect(error.message).toContain('ONESIGNAL_USER_AUTH_KEY');
    expectNoKeys(error);
  });
});

describe('retries', () => {
  it('waits out a 429 Retry-After of 1 s, then succeeds', async () => {
    const events: AttemptEvent[] = [];
    const os = h.client({ appKeys: demoAppKeys(), onAttempt: (e) => events.push(e) });
    h.emulator.setFaults({
      rateLimitRate: 1,
      retryAfterSeconds: 1,
      operations: ['get_notification'],
      times: 1,
    });
    const started = performance.now();
    const n = await os.notifications.get(SHOP, NOTIFICATION);
    const elapsed = performance.now() - started;
    expect(n.id).toBe(NOTIFICATION);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(h.calls()).toEqual({ get_notification: 2 });
    expect(events.map((e) => [e.status, e.outcome])).toEqual([
      [429, 'retry'],
      [200, 'ok'],
    ]);
  });

  it('retries a 429 even on a POST that creates things, since OneSignal did not act on it', async () => {
    const os = h.client({ appKeys: demoAppKeys() });
    h.emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 0, operations: ['create_player'], times: 1 });
    const created = await os.players.create(NEWS, { device_type: 1, identifier: `t-${crypto.randomUUID()}` });
    expect(created.success).toBe(true);
    expect(h.calls()).toEqual({ create_player: 2 });
  });

  it('retries a 503 on a GET', async () => {
    const os = h.client({ appKeys: demoAppKeys() });
    h.emulator.setFaults({
      serverErrorRate: 1,
      serverErrorStatus: 503,
      operations: ['get_players'],
      times: 2,
    });
    const page = await os.players.list(SHOP, { limit: 2 });
    expect(page.players).toHaveLength(2);
    expect(h.calls()).toEqual({ get_players: 3 });
  });

  it('does not retry a plain 500, which is not one of the transient statuses (429, 502, 503, 504)', async () => {
    const os = h.client({ appKeys: demoAppKeys() });
    h.emulator.setFaults({
      serverErrorRate: 1,
      serverErrorStatus: 500,
      operations: ['get_players'],
      times: 1,
    });
    const error = await failure(os.players.list(SHOP, { limit: 1 }));
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 500, retryable: false, attempts: 1 });
    expect(error.errors).toEqual(['Internal server error (injected by the emulator)']);
    expect(h.calls()).toEqual({ get_players: 1 });
  });

  it('does not retry create_player after a 5xx: exactly one call, UPSTREAM_ERROR', async () => {
    const os = h.client({ appKeys: demoAppKeys() });
    h.emulator.setFaults({ serverErrorRate: 1, serverErrorStatus: 503, operations: ['create_player'] });
    const error = await failure(
      os.players.create(SHOP, { device_type: 1, identifier: `t-${crypto.randomUUID()}` }),
    );
    expect(error).toMatchObject({
      code: 'UPSTREAM_ERROR',
      status: 503,
      attempts: 1,
      operation: 'create_player',
    });
    expect(h.calls()).toEqual({ create_player: 1 });
  });

  it('does not retry create_segments after a 5xx: exactly one call, UPSTREAM_ERROR', async () => {
    const os = h.client({ appKeys: demoAppKeys() });
    h.emulator.setFaults({ serverErrorRate: 1, serverErrorStatus: 500, operations: ['create_segments'] });
    const error = await failure(
      os.segments.create(SHOP, {
        name: 'Never twice',
        filters: [{ field: 'language', relation: '=', value: 'en' }],
      }),
    );
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 500, attempts: 1 });
    expect(h.calls()).toEqual({ create_segments: 1 });
  });

  it('does not retry update_user (its deltas add up) after its answer was lost', async () => {
    const os = h.client({ appKeys: demoAppKeys() });
    const alias = { label: 'external_id', id: DEMO.users[0]?.externalId as string };
    const before = (await os.users.get(SHOP, alias)).properties?.amount_spent ?? 0;
    h.emulator.setFaults({ dropRate: 1, when: 'after', operations: ['update_user'], times: 1 });
    const error = await failure(
      os.users.update(SHOP, alias, { deltas: { purchases: [{ sku: 's', amount: '1.00', iso: 'USD' }] } }),
    );
    expect(error.code).toBe('NETWORK_ERROR');
    expect(h.calls().update_user).toBe(1);
    expect((await os.users.get(SHOP, alias)).properties?.amount_spent).toBeCloseTo(before + 1);
  });

  it.each([
    // 502/503/504 are the retryable statuses (a plain 500 is not retried, by the rules).
    ['a 503 answer', { serverErrorRate: 1, serverErrorStatus: 503 }],
    ['a dropped connection', { dropRate: 1 }],
  ])(
    'retries create_notification after %s that followed sending, and exactly one notification exists',
    async (_, fault) => {
      const os = h.client({ appKeys: demoAppKeys() });
      const before = (await os.notifications.list(SHOP, { limit: 1 })).total_count ?? 0;
      h.emulator.setFaults({ ...fault, when: 'after', operations: ['create_notification'], times: 1 });
      const result = await os.notifications.create(SHOP, {
        included_segments: ['Subscribed Users'],
        contents: { en: 'once only' },
      });
      expect(h.calls().create_notification).toBe(2);
      const after = await os.notifications.list(SHOP, { limit: 1 });
      expect(after.total_count).toBe(before + 1);
      expect(after.notifications?.[0]?.id).toBe(result.id);
    },
  );

  it('keeps a caller-chosen idempotency key across calls', async () => {
    const os = h.client({ appKeys: demoAppKeys() });
    const body = {
      included_segments: ['Subscribed Users'],
      contents: { en: 'keyed' },
      idempotency_key: crypto.randomUUID(),
    };
    const first = await os.notifications.create(SHOP, body);
    const second = await os.notifications.create(SHOP, body);
    expect(second.id).toBe(first.id);
  });

  it('retries connection failures (nothing was sent) and then reports NETWORK_ERROR', async () => {
    const os = h.client({
      apiUrl: `http://127.0.0.1:${await closedPort()}`,
      appKeys: demoAppKeys(),
      maxAttempts: 3,
    });
    const error = await failure(os.players.create(SHOP, { device_type: 1 }));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', attempts: 3, status: undefined });
    expect(error.message).toContain('could not reach OneSignal');
    expectNoKeys(error);
  });
});

describe('timeouts and budgets', () => {
  it('reports a slow answer as TIMEOUT with a clear message', async () => {
    const os = h.client({ appKeys: demoAppKeys(), timeoutMs: 100, maxAttempts: 1 });
    h.emulator.setFaults({ latencyMs: 1_500, operations: ['get_notification'] });
    const started = performance.now();
    const error = await failure(os.notifications.get(SHOP, NOTIFICATION));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error).toMatchObject({
      code: 'TIMEOUT',
      operation: 'get_notification',
      appId: SHOP,
      retryable: true,
    });
    expect(error.message).toBe(
      `get_notification: OneSignal did not answer within 100 ms for app ${SHOP}. Try again; if it persists, check OneSignal's status.`,
    );
    expectNoKeys(error);
  });

  it('retries a timed-out read but not a timed-out create_player', async () => {
    const os = h.client({ appKeys: demoAppKeys(), timeoutMs: 80, maxAttempts: 2 });
    h.emulator.setFaults({ latencyMs: 300, operations: ['get_player', 'create_player'] });
    expect(await failure(os.players.get(SHOP, DEMO.subscriptionIds[0] as string))).toMatchObject({
      code: 'TIMEOUT',
      attempts: 2,
    });
    expect(await failure(os.players.create(SHOP, { device_type: 1 }))).toMatchObject({
      code: 'TIMEOUT',
      attempts: 1,
    });
    expect(h.calls()).toEqual({ get_player: 2, create_player: 1 });
  });

  it('gives up with RATE_LIMITED and retryAfter when the wait would exceed the retry budget', async () => {
    const os = h.client({ appKeys: demoAppKeys(), retryBudgetMs: 2_000 });
    h.emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 30, operations: ['get_notifications'] });
    const started = performance.now();
    const error = await failure(os.notifications.list(SHOP));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      retryAfter: 30,
      retryable: true,
      attempts: 1,
    });
    expect(error.message).toContain('Retry after 30 s');
  });

  it('stops retrying 5xx answers once the retry budget is spent', async () => {
    const os = h.client({
      appKeys: demoAppKeys(),
      retryBudgetMs: 300,
      retryBaseDelayMs: 40,
      maxAttempts: 50,
    });
    h.emulator.setFaults({ serverErrorRate: 1, serverErrorStatus: 502, operations: ['get_players'] });
    const started = performance.now();
    const error = await failure(os.players.list(SHOP));
    expect(performance.now() - started).toBeLessThan(600);
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 502 });
    expect(error.attempts).toBeGreaterThan(1);
    expect(error.attempts).toBeLessThan(50);
    expect(h.calls().get_players).toBe(error.attempts);
  });
});

describe('secrets', () => {
  it('never shows a key, even when OneSignal echoes one back', async () => {
    const errors: OneSignalError[] = [];
    const os = h.client({ userAuthKey: DEMO.userAuthKey, appKeys: demoAppKeys() });
    // The emulator quotes invalid ids and template ids in its 400 messages.
    errors.push(await failure(os.apps.get(DEMO.userAuthKey)));
    errors.push(
      await failure(os.notifications.create(SHOP, { included_segments: ['x'], template_id: SHOP_KEY })),
    );
    // A key learned through get_app is redacted as well.
    const lookedUp = h.client({ userAuthKey: DEMO.userAuthKey });
    errors.push(
      await failure(lookedUp.notifications.create(NEWS, { included_segments: ['x'], template_id: NEWS_KEY })),
    );
    expect(errors.map((e) => e.code)).toEqual(['BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST']);
    expect(errors[1]?.message).toContain('[redacted]');
    for (const error of errors) expectNoKeys(error);
  });

  it('serialises errors as their public fields only', async () => {
    const error = await failure(
      h.client({ appKeys: { [SHOP]: NEWS_KEY } }).players.get(SHOP, DEMO.subscriptionIds[0] as string),
    );
    expect(Object.keys(JSON.parse(JSON.stringify(error))).sort()).toEqual(
      [
        'appId',
        'attempts',
        'code',
        'errors',
        'keyKind',
        'mayHaveActed',
        'message',
        'name',
        'operation',
        'retryable',
        'status',
      ].sort(),
    );
  });
});

describe('per-app concurrency', () => {
  /** Largest number of attempts in flight at once, from each attempt's end time and duration. */
  function maxInFlight(spans: { start: number; end: number }[]): number {
    const edges = spans.flatMap((s) => [
      { t: s.start, d: 1 },
      { t: s.end, d: -1 },
    ]);
    edges.sort((a, b) => a.t - b.t || a.d - b.d);
    let now = 0;
    let max = 0;
    for (const e of edges) {
      now += e.d;
      max = Math.max(max, now);
    }
    return max;
  }

  it('keeps at most maxConcurrentPerApp calls in flight per app, while other apps proceed', async () => {
    const spans: Record<string, { start: number; end: number }[]> = { [SHOP]: [], [NEWS]: [] };
    const os = h.client({
      appKeys: demoAppKeys(),
      maxConcurrentPerApp: 2,
      onAttempt: (e) => {
        const end = performance.now();
        spans[e.appId as string]?.push({ start: end - e.durationMs, end });
      },
    });
    const shopIds = await distinctNotifications(SHOP, 6);
    h.emulator.setFaults({ latencyMs: 60 });

    const started = performance.now();
    const shop = Promise.all(shopIds.map((id) => os.notifications.get(SHOP, id)));
    const news = Promise.all([0, 1].map((offset) => os.notifications.list(NEWS, { limit: 1, offset })));
    const newsDone = await news.then(() => performance.now() - started);
    const shopDone = await shop.then(() => performance.now() - started);

    expect(maxInFlight(spans[SHOP] ?? [])).toBe(2);
    expect(maxInFlight(spans[NEWS] ?? [])).toBe(2);
    // 6 calls, 2 at a time: three rounds of ≥ 60 ms. News ran beside them in a single round.
    expect(shopDone).toBeGreaterThanOrEqual(170);
    expect(newsDone).toBeLessThan(shopDone);
  });
});

describe('rate budgets', () => {
  afterEach(() => h.emulator.setLimits(null));

  it('treats a 429 as a wait: retries past maxAttempts until the answer comes, as long as the budget lasts', async () => {
    const os = h.client({ appKeys: demoAppKeys(), maxAttempts: 2 });
    h.emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 0, operations: ['get_players'], times: 5 });
    const players = await os.players.list(SHOP, { limit: 1 });
    expect(players.players).toHaveLength(1);
    expect(h.calls()).toEqual({ get_players: 6 });
  });

  it('pauses only the bucket a 429 names: views of one notification wait, listing goes on', async () => {
    const os = h.client({ appKeys: demoAppKeys() });
    // News, not Shop: an earlier test's slow Shop read may still land in the emulator.
    const news = await distinctNotifications(NEWS, 4);
    h.emulator.setLimits({ enabled: true });
    const started = performance.now();
    const gets = news.map((id) => os.notifications.get(NEWS, id).then(() => performance.now() - started));
    await new Promise((r) => setTimeout(r, 100));
    const listed = await os.notifications.list(NEWS, { limit: 1 }).then(() => performance.now() - started);
    const done = await Promise.all(gets);
    expect(listed).toBeLessThan(400);
    // Three fit the burst; the fourth was told Retry-After: 1 and waited for it.
    expect(Math.max(...done)).toBeGreaterThanOrEqual(950);
    expect(h.emulator.stats().rateLimited).toEqual({ view_notification: 1 });
    expect(h.calls()).toEqual({ get_notification: 5, get_notifications: 1 });
  });

  it('queues a burst above the budget and serves it without a single upstream 429', async () => {
    const rate = { perSecond: 20, burst: 20 };
    h.emulator.setLimits({ enabled: true, rates: { create_message: rate } });
    const os = h.client({ appKeys: demoAppKeys(), rateLimits: { create_message: rate } });
    const started = performance.now();
    const sent = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        os.notifications.create(SHOP, {
          contents: { en: `burst ${i}` },
          included_segments: ['VIP Customers'],
        }),
      ),
    );
    const elapsed = performance.now() - started;
    expect(new Set(sent.map((r) => r.id)).size).toBe(50);
    expect(h.emulator.stats().rateLimited).toEqual({});
    expect(h.calls()).toEqual({ create_notification: 50 });
    // 20/s: the first window's worth at once, the rest spread over about two seconds.
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(elapsed).toBeLessThan(4_000);
  });

  it('keeps one user to its 1/s of writes without 429s while another user is not held up', async () => {
    h.emulator.setLimits({ enabled: true });
    const os = h.client({ appKeys: demoAppKeys(), rateLimits: {} });
    const [first, second] = DEMO.users as [(typeof DEMO.users)[number], (typeof DEMO.users)[number]];
    const started = performance.now();
    const tag = (externalId: string, i: number) =>
      os.users
        .update(SHOP, { label: 'external_id', id: externalId }, { properties: { tags: { n: String(i) } } })
        .then(() => performance.now() - started);
    const busy = Promise.all([0, 1, 2].map((i) => tag(first.externalId, i)));
    const other = await tag(second.externalId, 0);
    const times = await busy;
    expect(other).toBeLessThan(300);
    expect(Math.max(...times)).toBeGreaterThanOrEqual(900);
    expect(h.emulator.stats().rateLimited).toEqual({});
  });

  it('fails at once with RATE_LIMITED and retryAfter when the deadline cannot be met, sending nothing', async () => {
    const os = h.client({ appKeys: demoAppKeys(), rateLimits: {}, retryBudgetMs: 1_500 });
    const ids = await distinctNotifications(SHOP, 5);
    const started = performance.now();
    const results = await Promise.allSettled(ids.map((id) => os.notifications.get(SHOP, id)));
    const refused = results.filter((r) => r.status === 'rejected');
    // 1/s, in windows of one: the first now, the second after a second; the rest cannot make 1.5 s.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(refused).toHaveLength(3);
    for (const r of refused) {
      const error = (r as PromiseRejectedResult).reason as OneSignalError;
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, mayHaveActed: false });
      expect(error.retryAfter).toBeGreaterThanOrEqual(2);
      expect(error.message).toContain('view_notification');
    }
    expect(h.calls()).toEqual({ get_notification: 2 });
    expect(performance.now() - started).toBeLessThan(1_400);
  });

  it('bounds each queue: a call beyond ONESIGNAL_QUEUE_MAX waiters fails at once', async () => {
    const os = h.client({ appKeys: demoAppKeys(), rateLimits: {}, maxQueuedPerBucket: 2 });
    const ids = await distinctNotifications(SHOP, 3);
    const started = performance.now();
    const calls = ids.map((id) =>
      os.notifications.get(SHOP, id).then(
        () => ({ ok: true, ms: performance.now() - started }),
        (error: OneSignalError) => ({ ok: false, ms: performance.now() - started, error }),
      ),
    );
    const [first, second, third] = await Promise.all(calls);
    expect(first).toMatchObject({ ok: true });
    expect(second?.ok).toBe(true);
    expect(second?.ms).toBeGreaterThanOrEqual(900);
    expect(third).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryable: true } });
    expect((third as unknown as { error: OneSignalError }).error.retryAfter).toBeGreaterThanOrEqual(1);
    expect(third?.ms).toBeLessThan(100);
    expect((third as unknown as { error: OneSignalError }).error.message).toContain(
      'too many calls are already waiting',
    );
    expect(h.calls()).toEqual({ get_notification: 2 });
  });

  it('says whether OneSignal may have acted: a 429 proves it did not, a lost answer does not', async () => {
    const os = h.client({ appKeys: demoAppKeys(), retryBudgetMs: 500 });
    const send = { contents: { en: 'maybe' }, included_segments: ['VIP Customers'] };
    h.emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 5, operations: ['create_notification'] });
    expect(await failure(os.notifications.create(SHOP, send))).toMatchObject({
      code: 'RATE_LIMITED',
      mayHaveActed: false,
    });
    // A fresh client: the first now holds create_message for the 5 s that 429 asked for.
    const fresh = h.client({ appKeys: demoAppKeys(), retryBudgetMs: 500 });
    h.emulator.setFaults({ lostAnswerRate: 1, operations: ['create_notification'] });
    const lost = await failure(fresh.notifications.create(SHOP, send));
    expect(lost).toMatchObject({ code: 'NETWORK_ERROR', mayHaveActed: true });
    expect(lost.attempts).toBe(4);
  });
});
