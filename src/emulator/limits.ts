import {
  appLimitOf,
  LIMIT_CLASSES,
  type LimitClass,
  limitsOf,
  type Plan,
  type Rate,
  ratesFor,
} from '../onesignal/limits.js';
import type { OpContext } from './operation.js';
import { fail, isObject } from './util.js';

/**
 * OneSignal's rate limits, per app and per endpoint class, as documented (the table and its source
 * are in src/onesignal/limits.ts, which the client paces by too). Off by default; `--rate-limits`,
 * `EMULATOR_RATE_LIMITS` or `POST /__emulator/limits` turn them on.
 */
export type LimitName = LimitClass;

export const LIMIT_NAMES: readonly LimitName[] = LIMIT_CLASSES;

export type { Plan, Rate };

export interface LimitsConfig {
  enabled?: boolean;
  /** `free` (default): 150 messages/s; `paid`: 6,000/s. */
  plan?: Plan;
  /** Per-limit overrides, e.g. `{ create_message: { perSecond: 20, burst: 20 } }`. */
  rates?: Partial<Record<LimitName, Rate>>;
}

export const defaultRates = (plan: Plan = 'free'): Record<LimitName, Rate> => ratesFor(plan);

/** The per-app limit an operation counts against, if any. */
export const limitNameOf = (operationId: string): LimitName | undefined => appLimitOf(operationId);

export interface LimitHit {
  name: LimitName;
  appId: string;
  subject: string | null;
  rate: Rate;
  retryAfterSeconds: number;
}

const ARRIVAL_TOLERANCE = 0.01;

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets per app × limit (× user or subscription), refilled continuously. */
export class RateLimits {
  private config: Required<Omit<LimitsConfig, 'rates'>> & { rates: Record<LimitName, Rate> } = {
    enabled: false,
    plan: 'free',
    rates: defaultRates('free'),
  };
  private buckets = new Map<string, Bucket>();
  private hits = new Map<string, number>();

  constructor(
    initial?: LimitsConfig | null,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.set(initial ?? null);
  }

  set(config: LimitsConfig | null): void {
    const parsed = parseLimitsConfig(config ?? {});
    const plan = parsed.plan ?? 'free';
    this.config = {
      enabled: parsed.enabled ?? false,
      plan,
      rates: { ...defaultRates(plan), ...parsed.rates },
    };
    this.buckets.clear();
    this.hits.clear();
  }

  get(): LimitsConfig {
    return { ...this.config, rates: { ...this.config.rates } };
  }

  /** 429s answered per limit name since the last reset. */
  stats(): Record<string, number> {
    return Object.fromEntries(this.hits);
  }

  resetStats(): void {
    this.hits.clear();
  }

  /** Takes a token from every bucket the request falls in, or names the limit it exceeds. */
  check(operationId: string, appId: string | undefined, ctx: Pick<OpContext, 'params'>): LimitHit | null {
    if (!this.config.enabled || !appId) return null;
    const wanted = limitsOf(operationId, ctx.params);
    if (wanted.length === 0) return null;
    const app = appId.toLowerCase();
    const now = this.now();
    const buckets = wanted.map(({ name: limit, subject }) => {
      const subj = subject ?? null;
      const rate = this.config.rates[limit];
      const key = `${app}|${limit}|${subj ?? ''}`;
      let b = this.buckets.get(key);
      if (!b) {
        b = { tokens: rate.burst, at: now };
        this.buckets.set(key, b);
      }
      b.tokens = Math.min(rate.burst, b.tokens + ((now - b.at) / 1000) * rate.perSecond);
      b.at = now;
      return { limit, subj, rate, b };
    });
    // All or nothing: a refused request takes no token from any bucket.
    for (const { limit, subj, rate, b } of buckets) {
      // A hair of tolerance, so a client that waited exactly as told is not refused by clock skew.
      if (b.tokens < 1 - ARRIVAL_TOLERANCE) {
        this.hits.set(limit, (this.hits.get(limit) ?? 0) + 1);
        const seconds = (1 - b.tokens) / rate.perSecond;
        return {
          name: limit,
          appId: app,
          subject: subj,
          rate,
          retryAfterSeconds: Math.max(1, Math.ceil(seconds)),
        };
      }
    }
    for (const { b } of buckets) b.tokens = Math.max(0, b.tokens - 1);
    return null;
  }
}

/** The 429 body: OneSignal's error plus which limit was hit, so a client can pause just that one. */
export function limitBody(hit: LimitHit) {
  return {
    errors: [{ code: 'rate-limit-exceeded', title: 'API rate limit exceeded' }],
    limit: {
      name: hit.name,
      app_id: hit.appId,
      subject: hit.subject,
      per_second: hit.rate.perSecond,
      burst: hit.rate.burst,
    },
  };
}

/** Validates a LimitsConfig from JSON / CLI; throws a 400 ApiError on bad input. */
export function parseLimitsConfig(raw: unknown): LimitsConfig {
  if (raw === null || raw === undefined) return {};
  if (!isObject(raw)) throw fail(400, 'Limits config must be a JSON object');
  const out: LimitsConfig = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    if (key === 'enabled') {
      if (typeof value !== 'boolean') throw fail(400, 'enabled must be a boolean');
      out.enabled = value;
    } else if (key === 'plan') {
      if (value !== 'free' && value !== 'paid') throw fail(400, "plan must be 'free' or 'paid'");
      out.plan = value;
    } else if (key === 'rates') {
      if (!isObject(value)) throw fail(400, 'rates must be an object of limit name to { perSecond, burst }');
      const rates: Partial<Record<LimitName, Rate>> = {};
      for (const [name, rate] of Object.entries(value)) {
        if (!(LIMIT_NAMES as readonly string[]).includes(name))
          throw fail(400, `Unknown limit '${name}'; known: ${LIMIT_NAMES.join(', ')}`);
        if (!isObject(rate)) throw fail(400, `rates.${name} must be { perSecond, burst }`);
        const perSecond = rate.perSecond;
        const burst = rate.burst ?? perSecond;
        if (typeof perSecond !== 'number' || !(perSecond > 0) || typeof burst !== 'number' || !(burst >= 1))
          throw fail(400, `rates.${name} needs perSecond > 0 and burst >= 1`);
        rates[name as LimitName] = { perSecond, burst };
      }
      out.rates = rates;
    } else throw fail(400, `Unknown limits setting '${key}'`);
  }
  return out;
}
