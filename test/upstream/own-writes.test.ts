import { randomUUID } from 'node:crypto';
/**
 * Seeds (Requester.seed, SharedReads.seed): a snapshot a write made known is held exactly where the
 * read's own answer would be (the resource and the hash of the key that would sign it, the read's
 * tags), for the "sending" TTL, secrets stripped, and never without a store. Real HTTP to the emulator.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, demoAppKeys, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { appAuth, type OperationRequest, userAuth } from '../../src/onesignal/index.js';
import {
  type CachedRead,
  type CacheStore,
  createOneSignalClient,
  MemoryCacheStore,
  type OneSignalClientOptions,
  SharedReads,
} from '../../src/upstream/index.js';
import { credentialId } from '../../src/upstream/shared-reads.js';

const SHOP = DEMO.apps[0]!.id;
const SHOP_KEY = demoAppKeys()[SHOP]!;
const SENDING_MS = 2_000;

/** The memory store, recording every entry stored. */
class RecordingStore implements CacheStore {
  readonly inner = new MemoryCacheStore();
  readonly sets: { key: string; tags: readonly string[]; entry: CachedRead; ttlMs: number }[] = [];
  get(key: string, tags: readonly string[]) {
    return this.inner.get(key, tags);
  }
  async set(key: string, tags: readonly string[], entry: CachedRead, ttlMs: number) {
    this.sets.push({ key, tags, entry, ttlMs });
    await this.inner.set(key, tags, entry, ttlMs);
  }
  invalidate(tags: readonly string[]) {
    return this.inner.invalidate(tags);
  }
}

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator?.close());
beforeEach(() => emulator.resetStats());

function client(keys: Pick<OneSignalClientOptions, 'userAuthKey' | 'appKeys'>, store?: RecordingStore) {
  return createOneSignalClient({
    apiUrl: emulator.url,
    retryBaseDelayMs: 5,
    rateLimits: false,
    ...keys,
    sharedReads: new SharedReads({ ...(store && { store }), ttls: { sending: SENDING_MS } }),
  });
}

const body = {
  contents: { en: 'Seeded' },
  included_segments: ['VIP Customers'],
};

describe.each([
  ['org key only', { userAuthKey: DEMO.userAuthKey, appKeys: {} }],
  ['app keys only', { userAuthKey: undefined, appKeys: demoAppKeys() }],
])('a send with %s', (_name, keys) => {
  it('seeds get_notification under the app key’s hash, tagged as the read, for the sending TTL; the read then costs nothing', async () => {
    const store = new RecordingStore();
    const os = client(keys, store);
    const answer = await os.notifications.create(SHOP, body);
    const seed = store.sets.at(-1)!;
    expect(seed.key).toBe(`${credentialId(SHOP_KEY)}|/notifications/${answer.id}?app_id=${SHOP}`);
    expect(seed.tags).toEqual([`notification:${SHOP}/${answer.id}`]);
    expect(seed.ttlMs).toBe(SENDING_MS);
    const stored = JSON.stringify(seed.entry);
    expect(stored).not.toContain(SHOP_KEY);
    expect(stored).not.toContain(DEMO.userAuthKey);

    emulator.resetStats();
    const read = await os.notifications.get(SHOP, answer.id);
    expect(emulator.stats().byOperation).toEqual({});
    expect(read).toMatchObject({
      id: answer.id,
      app_id: SHOP,
      contents: { en: 'Seeded' },
      included_segments: ['VIP Customers'],
      successful: 0,
      remaining: answer.recipients,
      completed_at: null,
      canceled: false,
    });
    // What OneSignal never returns on a notification: the idempotency key's own field.
    expect(read).not.toHaveProperty('idempotency_key');
  });
});

describe('seeds', () => {
  it('are not held without a store: the read after a send asks OneSignal', async () => {
    const os = client({ appKeys: demoAppKeys() });
    const answer = await os.notifications.create(SHOP, body);
    emulator.resetStats();
    await os.notifications.get(SHOP, answer.id);
    expect(emulator.stats().byOperation).toEqual({ get_notification: 1 });
  });

  it('are not made for a key sent before with another body: OneSignal answers with the earlier notification', async () => {
    const store = new RecordingStore();
    const os = client({ appKeys: demoAppKeys() }, store);
    const idempotency_key = randomUUID();
    const first = await os.notifications.create(SHOP, { ...body, idempotency_key });
    expect(store.sets).toHaveLength(1);
    const retry = await os.notifications.create(SHOP, { ...body, idempotency_key });
    expect(retry.id).toBe(first.id);
    expect(store.sets).toHaveLength(2);
    const other = await os.notifications.create(SHOP, {
      ...body,
      contents: { en: 'Other' },
      idempotency_key,
    });
    expect(other.id).toBe(first.id);
    expect(store.sets).toHaveLength(2);
  });

  it('are not made for a send that created nothing (id "")', async () => {
    const store = new RecordingStore();
    const os = client({ appKeys: demoAppKeys() }, store);
    const answer = await os.notifications.create(SHOP, {
      contents: { en: 'Nobody' },
      include_subscription_ids: ['99999999-9999-4999-8999-999999999999'],
    });
    expect(answer.id).toBe('');
    expect(store.sets).toEqual([]);
  });

  it('strip secrets as cached reads do, and are made stale by a write to their tags', async () => {
    const store = new MemoryCacheStore();
    const reads = new SharedReads({ store });
    const getApp: OperationRequest = {
      operation: 'get_app',
      method: 'GET',
      path: `/apps/${SHOP}`,
      auth: userAuth,
      retry: 'idempotent',
    };
    await reads.seed(getApp, 'credential', { id: SHOP, name: 'Shop', basic_auth_key: 'a-secret-key' });
    const fetchNever = () => Promise.reject(new Error('read upstream'));
    expect(await reads.read(getApp, 'credential', fetchNever)).toEqual({
      id: SHOP,
      name: 'Shop',
      basic_auth_key: '[redacted]',
    });

    const getTemplate: OperationRequest = {
      operation: 'view_template',
      method: 'GET',
      path: '/templates/t1',
      query: { app_id: SHOP },
      auth: appAuth(SHOP),
      retry: 'idempotent',
    };
    await reads.seed(getTemplate, 'credential', { id: 't1', name: 'Seeded' });
    expect(await reads.read(getTemplate, 'credential', fetchNever)).toEqual({ id: 't1', name: 'Seeded' });
    // Another key reads its own entry, never this one.
    expect(await reads.read(getTemplate, 'other', async () => ({ id: 't1', name: 'Fetched' }))).toEqual({
      id: 't1',
      name: 'Fetched',
    });
    await reads.wrote({ ...getTemplate, operation: 'delete_template', method: 'DELETE' });
    await expect(reads.read(getTemplate, 'credential', fetchNever)).rejects.toThrow('read upstream');
  });
});
