import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPERATIONS as EMULATED } from '../../src/emulator/index.js';
import { limitNameOf, RateLimits } from '../../src/emulator/limits.js';
import { OPERATIONS } from '../../src/onesignal/index.js';
import { LIMIT_CLASSES, LIMITS, RATE_LIMITS_URL, ratesFor } from '../../src/onesignal/limits.js';
import { ONESIGNAL_RATE_LIMITS, Scheduler } from '../../src/upstream/scheduler.js';
import { caller } from '../helpers/emulator.js';
import {
  DEMO,
  demoAppKeys,
  type EmulatorHarness,
  SHOP,
  startOneSignalEmulator,
} from '../helpers/onesignal-emulator.js';

const APP = '0c7b2b52-6f4a-4c3e-9a57-0d3f8b7a9e10';

/** An emulated operation's path with every `:param` filled in, and the params its router would see. */
function request(path: string) {
  const params: Record<string, string> = {};
  const filled = path.replace(/:([a-z_]+)/g, (_, name: string) => {
    params[name] = name === 'app_id' ? APP : `${name}-1`;
    return params[name] as string;
  });
  return { path: filled, params };
}

describe("OneSignal's rate-limit table", () => {
  it('names only operations the client has, and says where OneSignal documents it', () => {
    for (const limit of LIMITS) for (const op of limit.operations) expect(OPERATIONS).toContain(op);
    expect(RATE_LIMITS_URL).toBe('https://documentation.onesignal.com/reference/rate-limits');
    expect(LIMIT_CLASSES).toEqual([
      'view_notifications',
      'view_notification',
      'view_user',
      'create_message',
      'user_write',
      'user_write_per_subject',
      'view_in_app_messages',
      // OneSignal lists no limit for these reads: paced as views until it does.
      'view_email_analytics',
      'view_audit_logs',
      'view_journeys',
    ]);
  });

  it('gives the client the free plan and the emulator either plan: only messages differ', () => {
    expect(ONESIGNAL_RATE_LIMITS).toEqual(ratesFor('free'));
    expect(ratesFor('free').create_message).toEqual({ perSecond: 150, burst: 150 });
    expect(ratesFor('paid')).toEqual({
      ...ratesFor('free'),
      create_message: { perSecond: 6000, burst: 6000 },
    });
  });

  it('classes every operation the same in the emulator and in the client scheduler', () => {
    const scheduler = new Scheduler();
    for (const op of OPERATIONS) {
      const refs = scheduler.bucketsFor(op, APP, `/apps/${APP}/x`);
      expect([op, refs[refs.length - 1]?.name]).toEqual([op, limitNameOf(op) ?? 'unlimited']);
    }
  });

  it('names the same user or subscription in the emulator 429 and in the client bucket, for every write', () => {
    const scheduler = new Scheduler();
    const perSubject = LIMITS.find((l) => l.per === 'subject')?.operations ?? [];
    expect(perSubject.length).toBeGreaterThan(0);
    for (const op of EMULATED.filter((o) => o.auth === 'app')) {
      const { path, params } = request(op.path);
      // A still clock: the third write within the subject's burst of 2 is refused and names its subject.
      const limits = new RateLimits({ enabled: true }, () => 0);
      const hits = [1, 2, 3].map(() => limits.check(op.id, APP, { params }));
      const refused = hits.find((hit) => hit?.name === 'user_write_per_subject');
      const subjectRef = scheduler
        .bucketsFor(op.id, APP, path)
        .find((r) => r.name === 'user_write_per_subject');
      expect([op.id, subjectRef?.key]).toEqual([
        op.id,
        refused ? `${APP}|user_write_per_subject|${refused.subject}` : undefined,
      ]);
      expect([op.id, refused !== undefined]).toEqual([
        op.id,
        (perSubject as readonly string[]).includes(op.id),
      ]);
    }
  });
});

/**
 * update_subscription_by_token changes a subscription, which OneSignal limits to 1/s (here with a
 * burst of 2) besides the app's 1,000/s of user and subscription writes: the emulator refuses the
 * third quick update of one subscription, and the client paces it so it never gets there.
 */
describe('updates of a subscription by its token', () => {
  let h: EmulatorHarness;
  const [alice, bob] = DEMO.users as [(typeof DEMO.users)[number], (typeof DEMO.users)[number]];
  const email = (user: typeof alice) => user.emails[0] as string;
  const byToken = (token: string) =>
    `/apps/${SHOP}/subscriptions_by_token/Email/${encodeURIComponent(token)}`;
  const update = { body: { subscription: { enabled: true } } };

  beforeAll(async () => {
    h = await startOneSignalEmulator();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.emulator.setLimits({ enabled: true });
    h.emulator.resetStats();
  });

  it("are refused by the emulator with 429 beyond one subscription's burst, naming it by token", async () => {
    const call = caller(h.emulator);
    const auth = demoAppKeys()[SHOP] as string;
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await call('PATCH', byToken(email(alice)), { ...update, auth }));
    expect(replies.map((r) => r.status)).toEqual([202, 202, 429]);
    expect(replies[2]?.headers.get('retry-after')).toBe('1');
    expect(replies[2]?.body).toMatchObject({
      limit: {
        name: 'user_write_per_subject',
        subject: `subscription_token/Email/${email(alice)}`,
        per_second: 1,
        burst: 2,
      },
    });
    // Another subscription of the same app has a budget of its own.
    expect((await call('PATCH', byToken(email(bob)), { ...update, auth })).status).toBe(202);
    expect(h.emulator.stats().rateLimited).toEqual({ user_write_per_subject: 1 });
  });

  it('are paced by the client to 1/s per subscription, without a single upstream 429', async () => {
    const os = h.client({ appKeys: demoAppKeys(), rateLimits: {} });
    const started = performance.now();
    const times = await Promise.all(
      [0, 1, 2].map(() =>
        os.subscriptions
          .updateByToken(SHOP, 'Email', email(alice), { subscription: { enabled: true } })
          .then(() => performance.now() - started),
      ),
    );
    expect(Math.max(...times)).toBeGreaterThanOrEqual(900);
    expect(h.emulator.stats().rateLimited).toEqual({});
    expect(h.calls()).toEqual({ update_subscription_by_token: 3 });
  });
});
