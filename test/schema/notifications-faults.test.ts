import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../src/auth/index.js';
import { DEMO, demoAppKeys } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const SHOP_KEY = demoAppKeys()[SHOP]!;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ retryBudgetMs: 3_000 });
});
afterAll(() => stack?.close());
beforeEach(() => {
  stack.emulator.setFaults(null);
  stack.emulator.resetStats();
});

const SEND = `mutation($input: NotificationCreateInput!) {
  notificationCreate(input: $input) {
    __typename
    ... on NotificationCreatePayload { notificationId oneSignalId idempotencyKey notification { oneSignalId status } }
    ... on SendOutcomeUnknown { idempotencyKey operation }
    ... on RateLimitedError { retryAfterSeconds }
    ... on Error { code message }
  }
}`;

type Result = {
  __typename: string;
  notificationId?: string;
  oneSignalId?: string;
  idempotencyKey?: string;
  notification?: { oneSignalId: string; status: string } | null;
  code?: string;
  message?: string;
  retryAfterSeconds?: number | null;
  operation?: string;
};

const input = (extra: Record<string, unknown> = {}) => ({
  appId: SHOP,
  contents: [{ language: 'en', text: 'Fault test' }],
  target: { segments: { include: ['VIP Customers'] } },
  ...extra,
});

const send = (extra?: Record<string, unknown>) =>
  stack.gqlRaw<{ notificationCreate: Result }>(SEND, { input: input(extra) });

/** How many notifications the emulator holds for the shop, asked over its REST API. */
async function notificationCount(): Promise<number> {
  const res = await fetch(`${stack.emulator.url}/notifications?app_id=${SHOP}&limit=1`, {
    headers: { authorization: `Key ${SHOP_KEY}` },
  });
  return ((await res.json()) as { total_count: number }).total_count;
}

describe('a send resent by a balancer (the same X-Request-Id, e.g. nginx proxy_next_upstream)', () => {
  const sendWith = (requestId: string, text: string) =>
    stack.gqlRaw<{ notificationCreate: Result }>(
      SEND,
      { input: input({ contents: [{ language: 'en', text }] }) },
      { 'x-request-id': requestId },
    );

  it("is OneSignal's repeat of the first: one notification, the same id and idempotency key", async () => {
    const before = await notificationCount();
    const first = (await sendWith('req-resend-1', 'Resent once')).data?.notificationCreate as Result;
    const again = (await sendWith('req-resend-1', 'Resent once')).data?.notificationCreate as Result;
    expect(first.__typename).toBe('NotificationCreatePayload');
    expect(again).toMatchObject({
      notificationId: first.notificationId,
      idempotencyKey: first.idempotencyKey,
    });
    expect(first.idempotencyKey).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(await notificationCount()).toBe(before + 1);
  });

  it('is a new send when the request id or the input differs, and without a request id', async () => {
    const before = await notificationCount();
    const a = (await sendWith('req-resend-2', 'One')).data?.notificationCreate as Result;
    const b = (await sendWith('req-resend-3', 'One')).data?.notificationCreate as Result;
    const c = (await sendWith('req-resend-2', 'Another')).data?.notificationCreate as Result;
    const d = (await send()).data?.notificationCreate as Result;
    const e = (await send()).data?.notificationCreate as Result;
    const ids = [a, b, c, d, e].map((r) => r.notificationId);
    expect(new Set(ids).size).toBe(5);
    expect(await notificationCount()).toBe(before + 5);
  });
});

describe('an upstream outage', () => {
  it('gives typed errors while it lasts, keeps the server up, and reads recover at once after', async () => {
    const read = `{ app(id: "${SHOP}") { notifications(first: 1) { totalCount } } }`;
    stack.emulator.setFaults({ serverErrorRate: 1, serverErrorStatus: 503 });
    const during = await Promise.all([stack.gqlRaw(read), stack.gqlRaw(read), send()]);
    for (const res of during.slice(0, 2))
      expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect((during[2]?.data?.notificationCreate as Result | undefined)?.__typename).toBe(
      'SendOutcomeUnknown',
    );
    expect((await fetch(stack.graphqlUrl.replace('/graphql', '/health'))).status).toBe(200);

    stack.emulator.setFaults(null);
    const started = performance.now();
    const after = await stack.gql<{ app: { notifications: { totalCount: number } } }>(read);
    expect(after.app.notifications.totalCount).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('a send is reported as what happened', () => {
  it('answers the new notification from the send itself, so a failing view of it changes nothing', async () => {
    stack.emulator.setFaults({
      serverErrorRate: 1,
      serverErrorStatus: 503,
      operations: ['get_notification'],
    });
    const res = await send();
    const payload = res.data?.notificationCreate as Result;
    expect(res.errors).toBeUndefined();
    expect(payload.notification).toEqual({ oneSignalId: payload.oneSignalId, status: 'SENDING' });
    expect(stack.upstreamCalls()).toEqual({ create_notification: 1 });
  });

  it('stays a success when a read the new notification needs fails: only that field is null', async () => {
    // A send naming a template takes its content from it: with the template and the notification
    // unreadable, the notification field has nothing to answer from.
    stack.emulator.setFaults({
      serverErrorRate: 1,
      serverErrorStatus: 503,
      operations: ['get_notification', 'view_template'],
    });
    const before = await notificationCount();
    const res = await send({ templateId: DEMO.templates[SHOP]!.Welcome! });
    const payload = res.data?.notificationCreate as Result;
    expect(payload.__typename).toBe('NotificationCreatePayload');
    expect(payload.oneSignalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.notification).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.path).toEqual(['notificationCreate', 'notification']);
    expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    stack.emulator.setFaults(null);
    expect(await notificationCount()).toBe(before + 1);
  });

  it('retries a lost answer with the same idempotency key, and OneSignal replays the one notification', async () => {
    stack.emulator.setFaults({ lostAnswerRate: 1, operations: ['create_notification'], times: 1 });
    const before = await notificationCount();
    const res = await send();
    expect(res.errors).toBeUndefined();
    expect(res.data?.notificationCreate.__typename).toBe('NotificationCreatePayload');
    expect(stack.upstreamCalls().create_notification).toBe(2);
    expect(await notificationCount()).toBe(before + 1);
  });

  it('returns SendOutcomeUnknown with the key when every answer was lost; resending with it never sends twice', async () => {
    stack.emulator.setFaults({ lostAnswerRate: 1, operations: ['create_notification'] });
    const before = await notificationCount();
    const lost = (await send()).data?.notificationCreate as Result;
    expect(lost).toMatchObject({
      __typename: 'SendOutcomeUnknown',
      code: 'SEND_OUTCOME_UNKNOWN',
      operation: 'create_notification',
    });
    expect(lost.message).toContain(lost.idempotencyKey);
    // The first attempt did send: OneSignal holds it, although no answer said so.
    stack.emulator.setFaults(null);
    expect(await notificationCount()).toBe(before + 1);

    const again = (await send({ idempotencyKey: lost.idempotencyKey })).data?.notificationCreate as Result;
    expect(again.__typename).toBe('NotificationCreatePayload');
    expect(again.idempotencyKey).toBe(lost.idempotencyKey);
    expect(again.notification?.oneSignalId).toBe(again.oneSignalId);
    expect(await notificationCount()).toBe(before + 1);
  });

  it('treats a cancel whose answer was lost, then found already canceled, as the success it was', async () => {
    const scheduled = (
      await send({ delivery: { sendAfter: new Date(Date.now() + 86_400_000).toISOString() } })
    ).data?.notificationCreate as Result;
    stack.emulator.setFaults({ lostAnswerRate: 1, operations: ['cancel_notification'], times: 1 });
    const res = await stack.gqlRaw<{ notificationCancel: Record<string, unknown> }>(
      'mutation($id: ID!) { notificationCancel(input: { id: $id }) { __typename ... on NotificationCancelPayload { notificationId notification { status } } ... on Error { code message } } }',
      { id: scheduled.notificationId },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.notificationCancel).toEqual({
      __typename: 'NotificationCancelPayload',
      notificationId: scheduled.notificationId,
      notification: { status: 'CANCELED' },
    });
    expect(stack.upstreamCalls().cancel_notification).toBe(2);
  });

  // Last: the 30 s pause it earns holds this stack's create_message budget.
  it('answers RateLimitedError, which promises nothing was sent, only when OneSignal refused every attempt', async () => {
    stack.emulator.setFaults({
      rateLimitRate: 1,
      retryAfterSeconds: 30,
      operations: ['create_notification'],
    });
    const before = await notificationCount();
    const started = performance.now();
    const refused = (await send()).data?.notificationCreate as Result;
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(refused).toMatchObject({
      __typename: 'RateLimitedError',
      code: 'RATE_LIMITED',
      retryAfterSeconds: 30,
    });
    // The sends just before succeeded, so a lone 429 held only its own call (src/upstream/
    // limit-evidence.ts). Once OneSignal's 429s outweigh those successes the budget counts as spent:
    // the next send is refused at once by the remembered pause, without asking OneSignal.
    const asked: number[] = [];
    for (let i = 0; i < 20; i++) {
      stack.emulator.resetStats();
      const next = (await send()).data?.notificationCreate as Result;
      expect(next.__typename).toBe('RateLimitedError');
      asked.push(stack.upstreamCalls().create_notification ?? 0);
      if (asked.at(-1) === 0) break;
    }
    expect(asked.at(-1)).toBe(0);
    expect(asked.slice(0, -1).every((n) => n === 1)).toBe(true);
    stack.emulator.setFaults(null);
    expect(await notificationCount()).toBe(before);
  });
});

describe('a caller who may send but not read notifications', () => {
  const SECRET = 'a-test-only-hs256-secret-of-at-least-32-bytes';
  let jwtStack: Stack;
  beforeAll(async () => {
    jwtStack = await startStack(
      {},
      {
        auth: loadAuthConfig({
          AUTH_MODE: 'jwt',
          JWT_SECRET: SECRET,
          JWT_ISSUER: 'https://auth.example.test/',
          JWT_AUDIENCE: 'onesignal-graphql',
        }),
      },
    );
  });
  afterAll(() => jwtStack?.close());

  it('gets the payload, with only its notification field refused', async () => {
    const token = await new SignJWT({ scope: 'notifications:send', apps: [SHOP] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('sender')
      .setIssuer('https://auth.example.test/')
      .setAudience('onesignal-graphql')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
    const res = await jwtStack.gqlRaw<{ notificationCreate: Result }>(
      SEND,
      { input: input() },
      { authorization: `Bearer ${token}` },
    );
    expect(res.data?.notificationCreate).toMatchObject({
      __typename: 'NotificationCreatePayload',
      notification: null,
    });
    expect(res.data?.notificationCreate.oneSignalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.path).toEqual(['notificationCreate', 'notification']);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(jwtStack.upstreamCalls()).toEqual({ create_notification: 1 });
  });
});

describe("with the emulator's OneSignal limits on", () => {
  const rate = { perSecond: 20, burst: 20 };
  let limited: Stack;
  beforeAll(async () => {
    limited = await startStack({ rateLimits: { create_message: rate } });
    limited.emulator.setLimits({ enabled: true, rates: { create_message: rate } });
  });
  afterAll(() => limited?.close());

  it('queues a burst of sends above the budget and serves every one, with no upstream 429', async () => {
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 45 }, (_, i) =>
        limited.gql<{ notificationCreate: Result }>(
          SEND.replace(' notification { oneSignalId status }', ''),
          {
            input: input({ contents: [{ language: 'en', text: `Burst ${i}` }] }),
          },
        ),
      ),
    );
    expect(results.map((r) => r.notificationCreate.__typename)).toEqual(
      Array(45).fill('NotificationCreatePayload'),
    );
    expect(limited.emulator.stats().rateLimited).toEqual({});
    expect(limited.upstreamCalls()).toEqual({ create_notification: 45 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });
});
