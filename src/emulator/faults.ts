import type { FaultConfig } from './types.js';
import { fail, isObject, prng } from './util.js';

export type FaultKind = 'drop' | 'rate-limit' | 'server-error' | 'lost-answer';

export interface FaultDecision {
  delayMs: number;
  fault: FaultKind | null;
  when: 'before' | 'after';
}

const RATE_KEYS = ['rateLimitRate', 'serverErrorRate', 'dropRate', 'lostAnswerRate'] as const;
const NUMBER_KEYS = [
  'latencyMs',
  'jitterMs',
  'retryAfterSeconds',
  'serverErrorStatus',
  'times',
  ...RATE_KEYS,
] as const;

/** Validates a FaultConfig from JSON / CLI; throws a 400 ApiError on bad input. */
export function parseFaultConfig(raw: unknown): FaultConfig {
  if (raw === null || raw === undefined) return {};
  if (!isObject(raw)) throw fail(400, 'Fault config must be a JSON object');
  const out: FaultConfig = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    if ((NUMBER_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        throw fail(400, `${key} must be a non-negative number`);
      if ((RATE_KEYS as readonly string[]).includes(key) && value > 1)
        throw fail(400, `${key} must be between 0 and 1`);
      if (key === 'serverErrorStatus' && (value < 500 || value > 599))
        throw fail(400, 'serverErrorStatus must be 500..599');
      (out as Record<string, unknown>)[key] = value;
    } else if (key === 'when') {
      if (value !== 'before' && value !== 'after') throw fail(400, "when must be 'before' or 'after'");
      out.when = value;
    } else if (key === 'operations') {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
        throw fail(400, 'operations must be an array of operation ids');
      out.operations = value as string[];
    } else throw fail(400, `Unknown fault setting '${key}'`);
  }
  const total = RATE_KEYS.reduce((sum, k) => sum + (out[k] ?? 0), 0);
  if (total > 1 + 1e-9) throw fail(400, `${RATE_KEYS.join(' + ')} must not exceed 1`);
  return out;
}

/** Injected latency and failures, driven by a seeded PRNG so runs are repeatable. */
export class Faults {
  private config: FaultConfig = {};
  private remaining: number | undefined;
  private random = prng(42);

  constructor(initial?: FaultConfig | null) {
    this.set(initial ?? null);
  }

  set(config: FaultConfig | null): void {
    this.config = parseFaultConfig(config ?? {});
    this.remaining = this.config.times;
    this.random = prng(42);
  }

  get(): FaultConfig {
    return this.remaining === undefined ? { ...this.config } : { ...this.config, times: this.remaining };
  }

  get retryAfterSeconds(): number {
    return this.config.retryAfterSeconds ?? 1;
  }

  get serverErrorStatus(): number {
    return this.config.serverErrorStatus ?? 500;
  }

  decide(operationId: string): FaultDecision {
    const c = this.config;
    const when = c.when ?? 'before';
    if (c.operations && !c.operations.includes(operationId)) return { delayMs: 0, fault: null, when };
    const delayMs = (c.latencyMs ?? 0) + (c.jitterMs ? this.random() * c.jitterMs : 0);
    if (this.remaining !== undefined && this.remaining <= 0) return { delayMs, fault: null, when };
    const drop = c.dropRate ?? 0;
    const rate = c.rateLimitRate ?? 0;
    const server = c.serverErrorRate ?? 0;
    const lost = c.lostAnswerRate ?? 0;
    if (drop + rate + server + lost === 0) return { delayMs, fault: null, when };
    // `times` counts matching requests, faulted or not: "the next N requests" may fail.
    if (this.remaining !== undefined) this.remaining--;
    const r = this.random();
    const fault: FaultKind | null =
      r < drop
        ? 'drop'
        : r < drop + rate
          ? 'rate-limit'
          : r < drop + rate + server
            ? 'server-error'
            : r < drop + rate + server + lost
              ? 'lost-answer'
              : null;
    return { delayMs, fault, when };
  }
}
