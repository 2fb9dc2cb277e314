import { describe, expect, it } from 'vitest';
import { OPERATIONS as EMULATED } from '../../src/emulator/index.js';
import { limitNameOf, RateLimits } from '../../src/emulator/limits.js';
import { OPERATIONS } from '../../src/onesignal/index.js';
import { LIMIT_CLASSES, LIMITS, RATE_LIMITS_URL, ratesFor } from '../../src/onesignal/limits.js';
import { ONESIGNAL_RATE_LIMITS, Scheduler } from '../../src/upstream/scheduler.js';

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
