import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadAuthConfig, type Scope } from '../../src/auth/index.js';
import { encodeGlobalId, encodeNodeId } from '../../src/core/ids.js';
import { DEMO } from '../../src/emulator/index.js';
import { type GraphQLResponse, type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const NEWS = DEMO.apps[1]!.id;
const SECRET = 'a-test-only-hs256-secret-of-at-least-32-bytes';
const ISSUER = 'https://auth.example.test/';
const AUDIENCE = 'onesignal-graphql';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(
    {},
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

/** Runs `query` as a caller holding exactly `scopes` on `apps`. */
async function as<T = Record<string, unknown>>(
  scopes: Scope[],
  apps: string[],
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<T>> {
  const token = await new SignJWT({ scope: scopes.join(' '), apps })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('ci-bot')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));
  return stack.gqlRaw<T>(query, variables, { authorization: `Bearer ${token}` });
}

/** One FORBIDDEN error whose message contains `mention`, and not a single upstream request. */
function expectForbidden(res: GraphQLResponse, mention: string) {
  expect(res.status).toBe(200);
  expect(res.errors).toHaveLength(1);
  expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(res.errors?.[0]?.message).toContain(mention);
  expect(stack.emulator.stats().total).toBe(0);
}

const SEND = `mutation Send($appId: ID!) {
  notificationCreate(input: { appId: $appId, target: { segments: { include: ["VIP Customers"] } }, contents: [{ language: "en", text: "Hi" }] }) {
    __typename
    ... on NotificationCreatePayload { recipientCount }
  }
}`;

describe('scopes', () => {
  it('refuses a query field the caller has no scope for, naming the scope, before any upstream request', async () => {
    expectForbidden(await as(['users:read'], ['*'], '{ apps { name } }'), '"apps:read"');
  });

  it('refuses a node the caller may not read from its id alone, without loading it', async () => {
    const id = encodeNodeId('Notification', { appId: SHOP, id: DEMO.notifications.latestDelivered });
    const res = await as(['apps:read'], ['*'], `{ node(id: "${id}") { id } }`);
    expectForbidden(res, '"notifications:read"');
    expect(res.errors?.[0]?.path).toEqual(['node']);
  });

  it('refuses nodes(ids:) when any requested type needs a scope the caller lacks', async () => {
    const notification = encodeNodeId('Notification', {
      appId: SHOP,
      id: DEMO.notifications.latestDelivered,
    });
    const player = encodeNodeId('Player', { appId: SHOP, id: DEMO.subscriptionIds[0] ?? '' });
    const res = await as(
      ['notifications:read'],
      ['*'],
      `{ nodes(ids: ["${notification}", "${player}"]) { id } }`,
    );
    expectForbidden(res, '"users:read"');
  });

  it("refuses an app's notifications to a caller with apps:read only, and never fetches them", async () => {
    const res = await as<{ app: { name: string } | null }>(
      ['apps:read'],
      ['*'],
      `{ app(id: "${SHOP}") { name notifications(first: 5) { totalCount } } }`,
    );
    expect(res.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
      ['FORBIDDEN', ['app', 'notifications']],
    ]);
    expect(res.errors?.[0]?.message).toBe(
      'Caller "ci-bot" lacks the scope "notifications:read" for App.notifications.',
    );
    // The app itself was allowed; the notifications prefetch was skipped along with the field.
    expect(stack.upstreamCalls()).toEqual({ get_app: 1 });
  });

  it("lets notifications:read alone reach an app's notifications but not the app's settings", async () => {
    const res = await as<{ app: { id: string; notifications: { totalCount: number } } }>(
      ['notifications:read'],
      [SHOP],
      `{ app(id: "${SHOP}") { id notifications(first: 1) { totalCount } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.app.notifications.totalCount).toBe(DEMO.counts[SHOP]!.notifications);
    stack.emulator.resetStats();
    const settings = await as(['notifications:read'], [SHOP], `{ app(id: "${SHOP}") { siteName } }`);
    expect(settings.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(settings.errors?.[0]?.message).toContain('"apps:read"');
  });

  it('refuses a mutation without its scope, naming it, and sends nothing', async () => {
    expectForbidden(
      await as(['notifications:read', 'apps:read'], ['*'], SEND, { appId: SHOP }),
      '"notifications:send"',
    );
  });

  it('refuses exports to a caller with read scopes only', async () => {
    const res = await as(
      ['users:read', 'users:write'],
      ['*'],
      `mutation { playerExportCsv(input: { appId: "${SHOP}" }) { __typename } }`,
    );
    expectForbidden(res, '"exports"');
  });

  it('sends a notification for a caller holding notifications:send on that app', async () => {
    const res = await as<{ notificationCreate: { __typename: string; recipientCount: number } }>(
      ['notifications:send'],
      [SHOP],
      SEND,
      { appId: SHOP },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.notificationCreate.__typename).toBe('NotificationCreatePayload');
    expect(res.data?.notificationCreate.recipientCount).toBeGreaterThan(0);
    expect(stack.upstreamCalls()).toEqual({ create_notification: 1 });
  });
});

describe('per-app allow-lists', () => {
  const ALL: Scope[] = ['apps:read', 'apps:write', 'notifications:read', 'notifications:send', 'users:read'];

  it("refuses another app's id in app(id:) before any upstream request", async () => {
    expectForbidden(await as(ALL, [SHOP], `{ app(id: "${NEWS}") { name } }`), `may not access app ${NEWS}`);
  });

  it("refuses another app's objects through node(id:) without loading them", async () => {
    const id = encodeNodeId('Notification', { appId: NEWS, id: DEMO.notifications.latestDelivered });
    expectForbidden(
      await as(ALL, [SHOP], `{ node(id: "${id}") { ... on Notification { status } } }`),
      `may not access app ${NEWS}`,
    );
    expectForbidden(await as(ALL, [SHOP], `{ node(id: "${encodeGlobalId('App', NEWS)}") { id } }`), NEWS);
  });

  it("refuses another app's id in a mutation input and sends nothing", async () => {
    expectForbidden(await as(ALL, [SHOP], SEND, { appId: NEWS }), `may not access app ${NEWS}`);
  });

  it('refuses appCreate to a caller limited to some apps', async () => {
    expectForbidden(
      await as(ALL, [SHOP], 'mutation { appCreate(input: { name: "Sneaky" }) { __typename } }'),
      'may not create apps',
    );
  });

  it('lists only the apps the caller may access', async () => {
    const res = await as<{ apps: { oneSignalId: string }[] }>(
      ['apps:read'],
      [SHOP],
      '{ apps { oneSignalId } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.apps).toEqual([{ oneSignalId: SHOP }]);
    expect(stack.upstreamCalls()).toEqual({ get_apps: 1 });
  });

  it('grants no app at all to a token without an apps claim', async () => {
    const token = await new SignJWT({ scope: 'apps:read' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
    const res = await stack.gqlRaw(`{ app(id: "${SHOP}") { name } }`, undefined, {
      authorization: `Bearer ${token}`,
    });
    expectForbidden(res, `may not access app ${SHOP}`);
  });
});
