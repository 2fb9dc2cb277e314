import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/core/ids.js';
import { DEMO, demoAppKeys } from '../../src/emulator/index.js';
import { ENV_KEY_SOURCE } from '../../src/onesignal/index.js';
import { ClientPool, fingerprint } from '../../src/upstream/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]?.id as string;
const SHOP_KEY = demoAppKeys()[SHOP] as string;
const NOTIFICATION = DEMO.notifications.latestDelivered;

describe('client pool', () => {
  it('keeps one client per key set, whatever the order of the app keys', () => {
    const pool = new ClientPool({ apiUrl: 'http://127.0.0.1:1' }, ENV_KEY_SOURCE);
    const a = pool.get({ appKeys: { [SHOP]: 'k1', other: 'k2' } });
    expect(pool.get({ appKeys: { other: 'k2', [SHOP.toUpperCase()]: 'k1' } })).toBe(a);
    expect(pool.get({ appKeys: { [SHOP]: 'k1', other: 'k3' } })).not.toBe(a);
    expect(pool.get({ userAuthKey: 'u', appKeys: { [SHOP]: 'k1', other: 'k2' } })).not.toBe(a);
    expect(pool.size).toBe(3);
  });

  it('is bounded, dropping the least recently used key set first', () => {
    const pool = new ClientPool({}, ENV_KEY_SOURCE, 2);
    const first = pool.get({ userAuthKey: 'first-key' });
    const second = pool.get({ userAuthKey: 'second-key' });
    expect(pool.get({ userAuthKey: 'first-key' })).toBe(first);
    pool.get({ userAuthKey: 'third-key' });
    expect(pool.size).toBe(2);
    expect(pool.get({ userAuthKey: 'first-key' })).toBe(first);
    expect(pool.get({ userAuthKey: 'second-key' })).not.toBe(second);
  });

  it('indexes clients by a SHA-256 of the keys, which never contains a key', () => {
    const id = fingerprint({ userAuthKey: 'secret-user-key', appKeys: { [SHOP]: SHOP_KEY } });
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(id).not.toContain('secret-user-key');
    expect(id).not.toContain(SHOP_KEY);
  });
});

describe('passthrough callers keep their client across requests', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(
      { userAuthKey: undefined, appKeys: {}, retryBudgetMs: 1_000 },
      { auth: { mode: 'passthrough' } },
    );
  });
  afterAll(() => stack.close());

  const id = encodeNodeId('Notification', { appId: SHOP, id: NOTIFICATION });
  const query = `{ node(id: "${id}") { ... on Notification { oneSignalId } } }`;
  const headers = { 'X-OneSignal-App-Key': `${SHOP}=${SHOP_KEY}` };

  it("so a Retry-After one request was told holds for the caller's next request too", async () => {
    stack.emulator.setFaults({
      rateLimitRate: 1,
      retryAfterSeconds: 5,
      operations: ['get_notification'],
      times: 1,
    });
    const first = await stack.gqlRaw(query, {}, headers);
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 5 });
    stack.emulator.resetStats();
    // The next request is refused at once by the remembered pause: OneSignal sees nothing.
    const started = performance.now();
    const second = await stack.gqlRaw(query, {}, headers);
    expect(performance.now() - started).toBeLessThan(500);
    expect(second.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(stack.upstreamCalls()).toEqual({});
  });
});
