/**
 * Fair queues: inside one app's budget, callers take turns. Real HTTP to the server and to the
 * emulator with its OneSignal limits on; four token callers, one of them sending ten times what the
 * others do.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../src/auth/index.js';
import { DEMO } from '../../src/emulator/index.js';
import { Observability } from '../../src/observability/index.js';
import { Metrics } from '../../src/observability/metrics.js';
import { parseCallerShares } from '../../src/upstream/callers.js';
import { Scheduler } from '../../src/upstream/scheduler.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]?.id as string;
const CALLERS = ['heavy', 'alpha', 'beta', 'gamma'] as const;
const tokenOf = (name: string) => `fair-token-${name}-5d1c7e0a9b3f4a2e8c6d`;
// 20 views/s with a burst of 4, on both sides: the client paces to it and the emulator enforces it.
const RATE = { perSecond: 20, burst: 4 };
const LIGHT_REQUESTS = 12;
const HEAVY_REQUESTS = 10 * LIGHT_REQUESTS;

const PAGE = `query Page($app: UUID!, $first: Int) { app(id: $app) { notifications(first: $first) { totalCount } } }`;

let dir: string;
let stack: Stack;
let observability: Observability;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'onesignal-graphql-fair-'));
  const file = join(dir, 'tokens.json');
  const tokens = CALLERS.map((name) => ({
    name,
    sha256: createHash('sha256').update(tokenOf(name)).digest('hex'),
    scopes: ['apps:read', 'notifications:read'],
    apps: [SHOP],
  }));
  writeFileSync(file, JSON.stringify({ tokens }));
  observability = new Observability({ logDestination: new PassThrough().resume() });
  stack = await startStack(
    { rateLimits: { view_notifications: RATE }, onAttempt: observability.attempt },
    { auth: loadAuthConfig({ AUTH_MODE: 'tokens', AUTH_TOKENS_FILE: file }), observability },
  );
  stack.emulator.setLimits({ enabled: true, rates: { view_notifications: RATE } });
});
afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One page read as `caller`; resolves its latency in ms. `first` keeps reads distinct (none shared). */
async function read(caller: string, first: number): Promise<number> {
  const started = performance.now();
  await stack.gql(PAGE, { app: SHOP, first }, { authorization: `Bearer ${tokenOf(caller)}` });
  return performance.now() - started;
}

/** A light caller: its reads one after another, as a dashboard polls. Distinct `first` per caller. */
async function light(index: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < LIGHT_REQUESTS; i++)
    latencies.push(await read(CALLERS[index + 1] as string, 1 + index));
  return latencies;
}

/** The heavy caller: HEAVY_REQUESTS reads, 30 in flight at a time, so its backlog fills the queue. */
async function heavy(): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 30 }, async () => {
      while (next < HEAVY_REQUESTS) await read('heavy', 10 + (next++ % 40));
    }),
  );
}

const p95 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.95) - 1] as number;
};

describe('fair queues per caller', () => {
  it("keeps three light callers' p95 within twice their p95 alone while a fourth sends ten times their requests", async () => {
    stack.emulator.resetStats();
    const alone = (await Promise.all([0, 1, 2].map(light))).flat();

    const flood = heavy();
    // Let the heavy caller's backlog build before the light callers start.
    await new Promise((r) => setTimeout(r, 300));
    const beside = (await Promise.all([0, 1, 2].map(light))).flat();
    await flood;

    const [aloneP95, besideP95] = [p95(alone), p95(beside)];
    console.info(
      `light callers' p95: alone ${Math.round(aloneP95)} ms, beside the heavy one ${Math.round(besideP95)} ms`,
    );
    expect(besideP95).toBeLessThanOrEqual(2 * aloneP95);
    // Every read was paced under the budget: OneSignal (the emulator) never had to refuse one.
    expect(stack.emulator.stats().rateLimited).toEqual({});
    expect(stack.upstreamCalls()).toEqual({ get_notifications: 2 * 3 * LIGHT_REQUESTS + HEAVY_REQUESTS });

    // Each caller's wait is a series of its own, labelled by name.
    const metrics = await observability.metrics.registry.getSingleMetricAsString(
      'onesignal_upstream_caller_queue_wait_seconds',
    );
    for (const caller of CALLERS)
      expect(metrics).toContain(`onesignal_upstream_caller_queue_wait_seconds_count{caller="${caller}"}`);
    expect(metrics).not.toContain(tokenOf('heavy'));
  }, 60_000);
});

describe('a full queue', () => {
  it("refuses the caller whose backlog fills it, and still queues another caller's call", async () => {
    const scheduler = new Scheduler({
      limits: { view_notifications: { perSecond: 100, burst: 2 } },
      maxQueuedPerBucket: 4,
    });
    const [bucket] = scheduler.bucketsFor('get_notifications', SHOP, `/notifications?app_id=${SHOP}`);
    const deadline = Date.now() + 5_000;
    const call = (caller: string) =>
      scheduler.acquire([bucket as never], deadline, caller).then(
        () => 'served',
        (error: Error) => error.message,
      );
    const heavy = [1, 2, 3, 4, 5].map(() => call('heavy'));
    const other = call('other');
    expect(await Promise.all([...heavy, other])).toEqual([
      'served',
      'served',
      'served',
      'served',
      'view_notifications budget refused (queue-full)',
      'served',
    ]);
  });
});

describe('ONESIGNAL_CALLER_SHARES', () => {
  it('serves a caller of share 3 three calls per turn, the others one, first come first served within each', async () => {
    // One call per 10 ms window, so the budget, not arrival, orders them.
    const scheduler = new Scheduler({
      limits: { view_notifications: { perSecond: 100, burst: 2 } },
      callerShares: parseCallerShares('dashboard:3'),
    });
    const [bucket] = scheduler.bucketsFor('get_notifications', SHOP, `/notifications?app_id=${SHOP}`);
    const served: string[] = [];
    const deadline = Date.now() + 5_000;
    const call = (caller: string, n: number) =>
      scheduler.acquire([bucket as never], deadline, caller).then(() => served.push(`${caller}${n}`));
    await Promise.all([
      ...[1, 2, 3, 4, 5].map((n) => call('dashboard', n)),
      ...[1, 2, 3].map((n) => call('reporting', n)),
      ...[1, 2].map((n) => call('billing', n)),
    ]);
    expect(served).toEqual([
      'dashboard1',
      'dashboard2',
      'dashboard3',
      'reporting1',
      'billing1',
      'dashboard4',
      'dashboard5',
      'reporting2',
      'billing2',
      'reporting3',
    ]);
  });

  it('reads name:weight pairs and refuses anything else, naming the variable', () => {
    expect([...parseCallerShares('dashboard:3, reporting:1')]).toEqual([
      ['dashboard', 3],
      ['reporting', 1],
    ]);
    expect(() => parseCallerShares('dashboard')).toThrow(/ONESIGNAL_CALLER_SHARES/);
    expect(() => parseCallerShares('dashboard:0')).toThrow(/whole number from 1 to 100/);
  });
});

describe('the caller label of queue-wait metrics', () => {
  it('names the first 50 callers seen and counts every later one as other', () => {
    const metrics = new Metrics();
    const labels = Array.from({ length: 52 }, (_, i) => metrics.callerLabel(`caller-${i}`));
    expect(labels.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => `caller-${i}`));
    expect(labels.slice(50)).toEqual(['other', 'other']);
    expect(metrics.callerLabel('caller-3')).toBe('caller-3');
    expect(metrics.callerLabel(undefined)).toBe('other');
  });
});
