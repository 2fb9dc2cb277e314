/**
 * Tells an exhausted budget from a stray 429.
 *
 * OneSignal answers 429 when an app's class budget is spent, and then every call of that class
 * would earn one: the whole bucket should wait out Retry-After. But a 429 among answers that mostly
 * succeed says the budget is not spent (calls of the same class got through around it): a proxy, a
 * momentary spike at OneSignal, or injected chaos. Pausing every call of the app for it would make
 * one refusal everybody's wait. So a 429 pauses its bucket only while 429s are at least as frequent
 * as successes in the bucket's recent answers (counts decaying with a one-second half-life); the
 * first 429 in a quiet bucket, with no successes to weigh against it, pauses it as before. A call
 * whose 429 does not pause the bucket still waits its own Retry-After.
 */
const HALF_LIFE_MS = 1_000;
/** Buckets nobody answered for this long carry no evidence worth keeping. */
const FORGET_AFTER_MS = 10 * HALF_LIFE_MS;
const MAX_TRACKED = 10_000;

interface Counts {
  ok: number;
  limited: number;
  at: number;
}

export class LimitEvidence {
  private readonly counts = new Map<string, Counts>();

  /** A call of `key` was answered: `true` for a success, `false` for a 429. */
  record(key: string, ok: boolean, now = Date.now()): void {
    const c = this.decayed(key, now);
    if (ok) c.ok += 1;
    else c.limited += 1;
    this.counts.set(key, c);
    if (this.counts.size > MAX_TRACKED)
      for (const [k, v] of this.counts) if (now - v.at > FORGET_AFTER_MS) this.counts.delete(k);
  }

  /** Records a 429 for `key` and says whether the evidence points at a spent budget. */
  limited(key: string, now = Date.now()): boolean {
    this.record(key, false, now);
    const c = this.counts.get(key) as Counts;
    return c.limited >= c.ok;
  }

  private decayed(key: string, now: number): Counts {
    const c = this.counts.get(key);
    if (!c) return { ok: 0, limited: 0, at: now };
    const factor = 0.5 ** (Math.max(0, now - c.at) / HALF_LIFE_MS);
    return { ok: c.ok * factor, limited: c.limited * factor, at: now };
  }
}
