import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../src/auth/config.js';
import type { Scope } from '../../src/auth/scopes.js';
import { encodeNodeId } from '../../src/core/ids.js';
import { DEMO } from '../../src/emulator/index.js';
import { type CachedRead, MemoryCacheStore, SharedReads } from '../../src/upstream/index.js';
import { NEWS, SHOP } from '../helpers/emulator.js';
import { SUITE_OPERATIONS } from '../helpers/onesignal-emulator.js';
import { type Stack, startStack } from '../helpers/stack.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are loosely typed JSON, narrowed by each assertion
type Loose = Record<string, any>;

const SECRET = 'a-test-only-hs256-secret-of-at-least-32-bytes';
const ISSUER = 'https://auth.example.test/';
const AUDIENCE = 'onesignal-graphql';

/** The shared cache, recording everything stored in it, to prove no key is ever kept. */
class RecordingStore extends MemoryCacheStore {
  readonly stored: string[] = [];
  override async set(key: string, tags: readonly string[], entry: CachedRead, ttlMs: number) {
    this.stored.push(JSON.stringify(entry));
    return super.set(key, tags, entry, ttlMs);
  }
}
const cache = new RecordingStore();

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(
    { sharedReads: new SharedReads({ store: cache }) },
    {
      auth: loadAuthConfig({
        AUTH_MODE: 'jwt',
        JWT_SECRET: SECRET,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
      }),
    },
  );
});
afterAll(() => stack?.close());
beforeEach(() => stack.emulator.resetStats());

async function bearer(scopes: Scope[], apps: string[] = ['*']) {
  const token = await new SignJWT({ scope: scopes.join(' '), apps })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('key-admin')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));
  return { authorization: `Bearer ${token}` };
}

const ADMIN: Scope[] = ['apikeys:write', 'apps:read', 'notifications:read'];

/** The emulator's answer to an app-scoped read signed with `key`. */
async function notificationsWith(appId: string, key: string) {
  const res = await fetch(`${stack.emulator.url}/notifications?app_id=${appId}&limit=1`, {
    headers: { authorization: `Key ${key}` },
  });
  return res.status;
}

const CREATE = /* GraphQL */ `
  mutation ($input: ApiKeyCreateInput!) {
    apiKeyCreate(input: $input) {
      __typename
      ... on ApiKeyCreatePayload { token apiKeyId apiKey { id oneSignalId name ipAllowlistMode ipAllowlist createdAt } }
      ... on Error { code message }
    }
  }
`;
const LIST = /* GraphQL */ `
  query ($id: UUID!) { app(id: $id) { apiKeys { id oneSignalId name ipAllowlistMode ipAllowlist updatedAt } } }
`;

describe('API keys', () => {
  it('creates a key that is shown once, works as the app key, is listed without it, and is never cached', async () => {
    const admin = await bearer(ADMIN);
    const created = await stack.gql<{ apiKeyCreate: Loose }>(
      CREATE,
      {
        input: {
          appId: SHOP.id,
          name: 'CI deploys',
          ipAllowlistMode: 'EXPLICIT',
          ipAllowlist: ['10.0.0.0/8'],
        },
      },
      admin,
    );
    const payload = created.apiKeyCreate;
    expect(payload.__typename).toBe('ApiKeyCreatePayload');
    expect(payload.token).toMatch(/^os_v2_app_[a-z2-7]{20,}$/);
    expect(payload.apiKey).toMatchObject({
      id: payload.apiKeyId,
      name: 'CI deploys',
      ipAllowlistMode: 'EXPLICIT',
      ipAllowlist: ['10.0.0.0/8'],
    });
    expect(stack.upstreamCalls()).toEqual({ create_api_key: 1, view_api_keys: 1 });
    const token = payload.token as string;

    // From here on the key canary watches for this key in every response and log line: the header is
    // ignored by jwt auth, but the canary learns the secrets callers send.
    const watch = { ...admin, 'x-onesignal-app-key': `${SHOP.id}=${token}` };

    // The emulator accepts it as Shop's REST key, and only for Shop.
    expect(await notificationsWith(SHOP.id, token)).toBe(200);
    expect(await notificationsWith(NEWS.id, token)).toBe(403);

    stack.emulator.resetStats();
    const listed = await stack.gql<{ app: { apiKeys: Record<string, unknown>[] } }>(
      LIST,
      { id: SHOP.id },
      watch,
    );
    expect(listed.app.apiKeys).toEqual([
      expect.objectContaining({ id: payload.apiKeyId, name: 'CI deploys', ipAllowlistMode: 'EXPLICIT' }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(token);
    // The payload's read after the write filled the shared cache: listing again costs no view_api_keys.
    expect(stack.upstreamCalls().view_api_keys).toBeUndefined();
    expect(cache.stored.length).toBeGreaterThan(0);
    expect(cache.stored.some((entry) => entry.includes(token))).toBe(false);
  });

  it('updates, rotates and deletes: a rotated-away or deleted key stops working at once', async () => {
    const admin = await bearer(ADMIN);
    const created = await stack.gql<{ apiKeyCreate: Loose }>(
      CREATE,
      { input: { appId: NEWS.id, name: 'Old name' } },
      admin,
    );
    const { apiKeyId, token: first } = created.apiKeyCreate;
    const watch = { ...admin, 'x-onesignal-app-key': `${NEWS.id}=${first}` };
    expect(created.apiKeyCreate.apiKey.ipAllowlistMode).toBe('DISABLED');

    stack.emulator.resetStats();
    const updated = await stack.gql<{ apiKeyUpdate: Loose }>(
      `mutation ($id: ID!) { apiKeyUpdate(input: { id: $id, name: "Renamed" }) {
        ... on ApiKeyUpdatePayload { apiKey { id name } } ... on Error { code message } } }`,
      { id: apiKeyId },
      watch,
    );
    expect(updated.apiKeyUpdate.apiKey).toEqual({ id: apiKeyId, name: 'Renamed' });
    // The write invalidated the cached list: the payload's list is read afresh.
    expect(stack.upstreamCalls()).toEqual({ update_api_key: 1, view_api_keys: 1 });

    stack.emulator.resetStats();
    const rotated = await stack.gql<{ apiKeyRotate: Loose }>(
      `mutation ($id: ID!) { apiKeyRotate(input: { id: $id }) {
        ... on ApiKeyRotatePayload { token apiKeyId } ... on Error { code message } } }`,
      { id: apiKeyId },
      watch,
    );
    const second = rotated.apiKeyRotate.token as string;
    expect(rotated.apiKeyRotate.apiKeyId).toBe(apiKeyId);
    expect(second).not.toBe(first);
    expect(stack.upstreamCalls()).toEqual({ rotate_api_key: 1 });
    expect(await notificationsWith(NEWS.id, first)).toBe(403);
    expect(await notificationsWith(NEWS.id, second)).toBe(200);

    const watchBoth = { ...admin, 'x-onesignal-app-key': `${NEWS.id}=${first}, ${NEWS.id}=${second}` };
    stack.emulator.resetStats();
    const deleted = await stack.gql<{ apiKeyDelete: Loose }>(
      `mutation ($id: ID!) { apiKeyDelete(input: { id: $id }) {
        ... on ApiKeyDeletePayload { deletedApiKeyId } ... on Error { code message } } }`,
      { id: apiKeyId },
      watchBoth,
    );
    expect(deleted.apiKeyDelete).toEqual({ deletedApiKeyId: apiKeyId });
    expect(stack.upstreamCalls()).toEqual({ delete_api_key: 1 });
    expect(await notificationsWith(NEWS.id, second)).toBe(403);
    const listed = await stack.gql<{ app: { apiKeys: unknown[] } }>(LIST, { id: NEWS.id }, watchBoth);
    expect(listed.app.apiKeys).toEqual([]);

    // The node is gone too.
    const again = await stack.gql<{ node: unknown }>(
      `query ($id: ID!) { node(id: $id) { id } }`,
      { id: apiKeyId },
      watchBoth,
    );
    expect(again.node).toBeNull();
  });

  it('reports invalid input and unknown keys as typed errors', async () => {
    const admin = await bearer(ADMIN);
    const empty = await stack.gql<{ apiKeyCreate: Loose }>(
      CREATE,
      { input: { appId: SHOP.id, name: ' ' } },
      admin,
    );
    expect(empty.apiKeyCreate).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED' });
    expect(stack.upstreamCalls()).toEqual({});

    const missing = await stack.gql<{ apiKeyDelete: Loose }>(
      `mutation ($id: ID!) { apiKeyDelete(input: { id: $id }) { __typename ... on Error { code } } }`,
      { id: encodeNodeId('ApiKey', { appId: SHOP.id, id: 'no-such-key' }) },
      admin,
    );
    expect(missing.apiKeyDelete).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(stack.upstreamCalls()).toEqual({ delete_api_key: 1 });
  });

  it('needs apikeys:write to manage keys, apikeys:read (or write) to list them, and the app allow-list', async () => {
    const reader = await bearer(['apps:read']);
    const denied = await stack.gqlRaw(CREATE, { input: { appId: SHOP.id, name: 'x' } }, reader);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(denied.errors?.[0]?.message).toContain('apikeys:write');
    const list = await stack.gqlRaw(LIST, { id: SHOP.id }, reader);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(list.errors?.[0]?.message).toContain('apikeys:read');

    const newsOnly = await bearer(ADMIN, [NEWS.id]);
    const outside = await stack.gqlRaw<{ apiKeyCreate: Loose }>(
      CREATE,
      { input: { appId: SHOP.id, name: 'x' } },
      newsOnly,
    );
    const refused = outside.errors?.[0]?.extensions?.code ?? outside.data?.apiKeyCreate?.code;
    expect(refused).toBe('FORBIDDEN');
    expect(stack.upstreamCalls().create_api_key).toBeUndefined();

    const viewer = await bearer(['apikeys:read', 'apps:read']);
    const ok = await stack.gql<{ app: { apiKeys: unknown[] } }>(LIST, { id: SHOP.id }, viewer);
    expect(Array.isArray(ok.app.apiKeys)).toBe(true);
  });

  it('drives every API key operation of its suite', () => {
    expect(SUITE_OPERATIONS.apiKeys).toEqual([
      'view_api_keys',
      'create_api_key',
      'update_api_key',
      'delete_api_key',
      'rotate_api_key',
    ]);
    expect(DEMO.userAuthKey).toBeTruthy();
  });
});

describe('API keys in each key configuration', () => {
  const create = { input: { appId: SHOP.id, name: 'Config check' } };

  it('with app keys only: KEY_MISSING, naming the organization key, and nothing sent', async () => {
    const appKeysOnly = await startStack({ userAuthKey: undefined });
    try {
      const res = await appKeysOnly.gql<{ apiKeyCreate: Loose }>(CREATE, create);
      expect(res.apiKeyCreate).toMatchObject({ __typename: 'UpstreamError', code: 'KEY_MISSING' });
      expect(res.apiKeyCreate.message).toContain('ONESIGNAL_USER_AUTH_KEY');
      expect(appKeysOnly.upstreamCalls()).toEqual({});
    } finally {
      await appKeysOnly.close();
    }
  });

  it('with the organization key only: one request, no key look-up (key management is signed with it)', async () => {
    const orgKeyOnly = await startStack({ appKeys: {} });
    try {
      const res = await orgKeyOnly.gql<{ apiKeyCreate: Loose }>(
        `mutation ($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) { ... on ApiKeyCreatePayload { apiKeyId } } }`,
        create,
      );
      expect(res.apiKeyCreate.apiKeyId).toBeTruthy();
      expect(orgKeyOnly.upstreamCalls()).toEqual({ create_api_key: 1 });
    } finally {
      await orgKeyOnly.close();
    }
  });
});
