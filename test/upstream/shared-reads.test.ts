import { afterEach, describe, expect, it } from 'vitest';
import { DEMO, demoAppKeys } from '../../src/emulator/index.js';
import { MemoryCacheStore, type OneSignalClientOptions, SharedReads } from '../../src/upstream/index.js';
import { KEY_CONFIGURATIONS } from '../helpers/key-configurations.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const UNKNOWN_APP = '99999999-9999-4999-8999-999999999999';

/** The key configurations a user can choose: what the server holds. */
const SEGMENTS = `{ app(id: "${SHOP}") { segments(first: 5) { totalCount nodes { name } } } }`;
const USER = `{ app(id: "${SHOP}") { user(alias: { byAlias: { label: "external_id", id: "demo-user-001" } }) { externalId } } }`;
const PLAYERS = `{ app(id: "${SHOP}") { players(first: 20) { totalCount nodes { id } } } }`;
const DASHBOARD = `{ app(id: "${SHOP}") { name messageablePlayerCount notifications(first: 50) { totalCount nodes { id status successfulCount } } } }`;

const NOTIFICATIONS_WITH_APP = `{ app(id: "${SHOP}") { notifications(first: 20) { nodes { id app { name } } } } }`;
const NOTIFICATIONS_WITH_APP_ID = `{ app(id: "${SHOP}") { notifications(first: 5) { nodes { id app { id oneSignalId } } } } }`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stacks: Stack[] = [];
afterEach(async () => {
  await Promise.all(stacks.map((s) => s.close()));
  stacks = [];
});

async function stack(options: OneSignalClientOptions, cache = false): Promise<Stack> {
  const s = await startStack({
    ...options,
    ...(cache && { sharedReads: new SharedReads({ store: new MemoryCacheStore() }) }),
  });
  stacks.push(s);
  s.emulator.resetStats();
  return s;
}

const calls = (s: Stack) => Object.values(s.upstreamCalls()).reduce((a, b) => a + b, 0);

describe.each(KEY_CONFIGURATIONS)('the request floor with %s', (name, options) => {
  // With only the organization key, the app's REST key is looked up once (a get_app), as a
  // hand-written client must; every later request pays the floor below alone.
  const lookup = name === 'org key only' ? 1 : 0;

  it.each([
    ['an app’s segments', SEGMENTS, { get_segments: 1 }],
    ['a user by alias', USER, { fetch_user: 1 }],
    ['a players page', PLAYERS, { get_players: 1 }],
    ['notifications with their app’s id', NOTIFICATIONS_WITH_APP_ID, { get_notifications: 1 }],
  ])('%s costs one request, and no read of the app nothing selected', async (_what, query, floor) => {
    const s = await stack(options);
    await s.gql(query);
    expect(s.upstreamCalls()).toEqual(lookup ? { ...floor, get_app: 1 } : floor);
    s.emulator.resetStats();
    await s.gql(query);
    expect(s.upstreamCalls()).toEqual(floor);
  });

  it('a first dashboard (the app and 50 notifications) costs 2: the key look-up and the app share one get_app', async () => {
    const s = await stack(options);
    const res = await s.gqlRaw(DASHBOARD);
    if (name === 'app keys only') {
      // App settings need the organization key, here as in REST: said once, nothing read for it.
      expect(res.errors?.map((e) => e.extensions?.code)).toContain('KEY_MISSING');
      expect(s.upstreamCalls().get_app).toBeUndefined();
    } else {
      expect(res.errors).toBeUndefined();
      expect(s.upstreamCalls()).toEqual({ get_app: 1, get_notifications: 1 });
    }
  });

  // App settings need the organization key (see above), so not with app keys only.
  it.skipIf(name === 'app keys only')(
    'notifications with their app’s name cost 2, the app read beside the list rather than after it',
    async () => {
      const s = await stack(options);
      // The list is held at the emulator for a while: the app's read must already be there by then.
      s.emulator.setFaults({ latencyMs: 1_000, operations: ['get_notifications'] });
      const answer = s.gqlRaw(NOTIFICATIONS_WITH_APP);
      for (let i = 0; i < 400 && !s.upstreamCalls().get_notifications; i++) await sleep(5);
      // Sent together, either may arrive first; after the list's answer would be a second away.
      for (let i = 0; i < 100 && !s.upstreamCalls().get_app; i++) await sleep(5);
      expect(s.upstreamCalls()).toEqual({ get_app: 1, get_notifications: 1 });
      const res = await answer;
      expect(res.errors).toBeUndefined();
      expect(s.upstreamCalls()).toEqual({ get_app: 1, get_notifications: 1 });
    },
  );

  it('an unknown app costs at most one request, and a repeat none while it is remembered', async () => {
    const s = await stack(options, true);
    const first = await s.gqlRaw(`{ app(id: "${UNKNOWN_APP}") { name } }`);
    expect(calls(s)).toBeLessThanOrEqual(1);
    expect(first.data).toEqual({ app: null });
    s.emulator.resetStats();
    await s.gqlRaw(`{ app(id: "${UNKNOWN_APP}") { name } }`);
    await s.gqlRaw(`{ app(id: "${UNKNOWN_APP}") { segments(first: 1) { totalCount } } }`);
    expect(calls(s)).toBe(0);
  });
});

describe('reads shared across requests', () => {
  it('answers the same dashboard again from the cache: 0 upstream calls, with its age in extensions', async () => {
    const s = await stack({}, true);
    await s.gql(DASHBOARD);
    s.emulator.resetStats();
    const again = await fetch(s.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: DASHBOARD }),
    });
    expect(((await again.json()) as { data: { app: { name: string } } }).data.app.name).toBe('Demo Shop');
    expect(calls(s)).toBe(0);
  });

  it('makes 20 identical dashboards at once cost 2 upstream calls, cache or not', async () => {
    for (const cache of [false, true]) {
      const s = await stack({}, cache);
      // An upstream as slow as OneSignal's, so the 20 are truly at once.
      s.emulator.setFaults({ latencyMs: 150 });
      const results = await Promise.all(
        Array.from({ length: 20 }, () => s.gql<{ app: { name: string } }>(DASHBOARD)),
      );
      expect(results.every((r) => r.app.name === 'Demo Shop')).toBe(true);
      expect(s.upstreamCalls()).toEqual({ get_app: 1, get_notifications: 1 });
    }
  });

  it('answers 10 listed notifications then the same 10 by id with one request, every time', async () => {
    const s = await stack({});
    const ids = (
      await s.gql<{ app: { notifications: { nodes: { oneSignalId: string }[] } } }>(
        `{ app(id: "${SHOP}") { notifications(first: 10) { nodes { oneSignalId } } } }`,
      )
    ).app.notifications.nodes.map((n) => n.oneSignalId);
    const byId = ids.map((id, i) => `n${i}: notification(id: "${id}") { status }`).join(' ');
    for (let run = 0; run < 20; run++) {
      s.emulator.resetStats();
      await s.gql(`{ app(id: "${SHOP}") { notifications(first: 10) { nodes { id } } ${byId} } }`);
      expect(s.upstreamCalls()).toEqual({ get_notifications: 1 });
    }
  });

  it('lets a send invalidate that app’s notification lists, so the next read shows it', async () => {
    const s = await stack({}, true);
    const total = async () =>
      (
        await s.gql<{ app: { notifications: { totalCount: number } } }>(
          `{ app(id: "${SHOP}") { notifications(first: 1) { totalCount } } }`,
        )
      ).app.notifications.totalCount;
    const before = await total();
    await s.gql(
      `mutation { notificationCreate(input: { appId: "${SHOP}", target: { segments: { include: ["VIP Customers"] } }, contents: [{ language: "en", text: "Hi" }] }) { __typename } }`,
    );
    expect(await total()).toBe(before + 1);
  });

  it('reads from OneSignal for a request with Cache-Control: no-cache, and refreshes the cache with it', async () => {
    const s = await stack({}, true);
    await s.gql(SEGMENTS);
    s.emulator.resetStats();
    await s.gql(SEGMENTS, undefined, { 'cache-control': 'no-cache' });
    expect(s.upstreamCalls()).toEqual({ get_segments: 1 });
    s.emulator.resetStats();
    await s.gql(SEGMENTS);
    expect(calls(s)).toBe(0);
  });

  it('never lets a caller see what another key read', async () => {
    const store = new MemoryCacheStore();
    const shared = new SharedReads({ store });
    const a = await startStack({ userAuthKey: undefined, appKeys: demoAppKeys(), sharedReads: shared });
    stacks.push(a);
    await a.gql(SEGMENTS);
    // Same cache, another (wrong) key for the app: its read goes to OneSignal, which refuses it.
    const b = await startStack({
      userAuthKey: undefined,
      appKeys: { [SHOP]: 'another-rest-api-key-0000' },
      sharedReads: shared,
    });
    stacks.push(b);
    const refused = await b.gqlRaw(SEGMENTS);
    expect(refused.errors?.[0]?.extensions?.code).toBe('KEY_REJECTED');
  });
});

describe('the memory cache store', () => {
  const page = { total_count: 2, notifications: [{ id: 'n1', headings: { en: 'Soldes d’été' } }] };

  it('gives every hit its own copy, so a request that changes what it read changes nothing for others', async () => {
    const store = new MemoryCacheStore();
    await store.set('k', ['app:a'], { found: true, data: page, fetchedAt: 1 }, 60_000);
    const first = (await store.get('k', ['app:a']))?.data as typeof page;
    first.notifications.pop();
    expect(await store.get('k', ['app:a'])).toEqual({ found: true, data: page, fetchedAt: 1 });
    expect(first).not.toBe((await store.get('k', ['app:a']))?.data);
  });

  it('counts the JSON bytes it holds against its cap, and drops the least recently used past it', async () => {
    const store = new MemoryCacheStore(4096);
    await store.set('a', [], { found: true, data: page, fetchedAt: 1 }, 60_000);
    const json = Buffer.byteLength(JSON.stringify(page));
    expect(store.size).toBe(json + 2 * 'a'.length + 128);
    const big = { blob: 'x'.repeat(3000) };
    await store.set('b', [], { found: true, data: big, fetchedAt: 2 }, 60_000);
    await store.set('c', [], { found: true, data: big, fetchedAt: 3 }, 60_000);
    expect(store.size).toBeLessThanOrEqual(4096);
    expect(await store.get('a', [])).toBeUndefined();
    expect((await store.get('c', []))?.data).toEqual(big);
  });

  it('keeps a "not found" answer, which has no body', async () => {
    const store = new MemoryCacheStore();
    await store.set('gone', [], { found: false, fetchedAt: 5 }, 60_000);
    expect(await store.get('gone', [])).toEqual({ found: false, fetchedAt: 5 });
  });
});
