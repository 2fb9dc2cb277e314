/**
 * Reads never outlive a client's patience: a read ends by its deadline (`readDeadlineMs`, here 2.5 s
 * instead of the default 8 s, to keep the suite short) counted from its query's start, with a typed
 * error, however OneSignal (the emulator, with faults injected) answers. In every key configuration.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/core/ids.js';
import { DEMO, demoAppKeys } from '../../src/emulator/index.js';
import type { OneSignalClientOptions } from '../../src/upstream/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]?.id as string;
const NOTIFICATION = DEMO.notifications.latestDelivered;
const DEADLINE_MS = 2_500;
/** What the server may add around the deadline on a busy 2-core machine. */
const SLACK_MS = 700;

const CONFIGURATIONS: [string, OneSignalClientOptions][] = [
  ['org key only', { userAuthKey: DEMO.userAuthKey, appKeys: {} }],
  ['app keys only', { userAuthKey: undefined, appKeys: demoAppKeys() }],
  ['both keys', { userAuthKey: DEMO.userAuthKey, appKeys: demoAppKeys() }],
];

const READ = `query($id: ID!) { node(id: $id) { ... on Notification { oneSignalId } } }`;
const id = encodeNodeId('Notification', { appId: SHOP, id: NOTIFICATION });

describe.each(CONFIGURATIONS)('read deadlines (%s)', (name, keys) => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack({ ...keys, readDeadlineMs: DEADLINE_MS, timeoutMs: 10_000 });
  });
  afterEach(() => stack.close());

  async function timedRead() {
    const started = performance.now();
    const res = await stack.gqlRaw<{ node: { oneSignalId: string } | null }>(READ, { id });
    return { res, ms: performance.now() - started };
  }

  it('ends a read OneSignal keeps answering 429 before its deadline, with RATE_LIMITED and retryAfterSeconds', async () => {
    stack.emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 1, operations: ['get_notification'] });
    const { res, ms } = await timedRead();
    expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
    // Asked at 0 s and after each Retry-After while one more fitted: two or three times, never more.
    const calls = stack.upstreamCalls();
    expect(calls.get_notification).toBeGreaterThanOrEqual(2);
    expect(calls.get_notification).toBeLessThanOrEqual(3);
    expect(calls.get_app ?? 0).toBe(name === 'org key only' ? 1 : 0);
  });

  it('cuts an attempt OneSignal does not answer at the deadline, not at the 10 s attempt timeout', async () => {
    stack.emulator.setFaults({ latencyMs: 6_000, operations: ['get_notification'] });
    const { res, ms } = await timedRead();
    expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
    expect(stack.upstreamCalls().get_notification).toBe(1);
  });

  it("counts a query's reads one after another against one deadline: an app key's look-up, then the read", async () => {
    // 1.5 s each: one alone fits the deadline, the look-up and the read together do not.
    stack.emulator.setFaults({ latencyMs: 1_500, operations: ['get_app', 'get_notification'] });
    const { res, ms } = await timedRead();
    expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    if (name === 'org key only') {
      expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
      expect(stack.upstreamCalls()).toEqual({ get_app: 1, get_notification: 1 });
    } else {
      expect(res.errors).toBeUndefined();
      expect(res.data?.node?.oneSignalId).toBe(NOTIFICATION);
      expect(stack.upstreamCalls()).toEqual({ get_notification: 1 });
    }
  });
});
