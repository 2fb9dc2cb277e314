import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { DEFAULT_LIMITS, loadSecurityConfig } from '../../src/security/index.js';
import { type GraphQLResponse, type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.emulator.resetStats());

function expectRefused(res: GraphQLResponse, code: string) {
  expect(res.status).toBe(400);
  expect(res.data).toBeUndefined();
  expect(res.errors?.map((e) => e.extensions?.code)).toContain(code);
  expect(stack.emulator.stats().total).toBe(0);
}

/** `app { notifications(first: 1) { nodes { app { … } } } }`, `levels` times over. */
function nested(levels: number) {
  let inner = 'name';
  for (let i = 0; i < levels; i++) inner = `notifications(first: 1) { nodes { app { ${inner} } } }`;
  return `{ app(id: "${SHOP}") { ${inner} } }`;
}

describe('query limits', () => {
  it('refuses a depth bomb with QUERY_TOO_DEEP and HTTP 400, before any upstream request', async () => {
    const res = await stack.gqlRaw(nested(8));
    expectRefused(res, 'QUERY_TOO_DEEP');
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.message).toBe(`Query depth 26 exceeds the limit of ${DEFAULT_LIMITS.maxDepth}.`);
  });

  it('refuses 100 aliases with TOO_MANY_ALIASES', async () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: name`).join(' ');
    const res = await stack.gqlRaw(`{ app(id: "${SHOP}") { ${aliases} } }`);
    expectRefused(res, 'TOO_MANY_ALIASES');
    expect(res.errors?.[0]?.message).toBe('Alias count 100 exceeds the limit of 20.');
    expect(res.errors?.[0]?.extensions?.limit).toBe(20);
  });

  it('refuses a document of more than 1,000 tokens with QUERY_TOO_LARGE, while parsing', async () => {
    const res = await stack.gqlRaw(`{ ${'__typename '.repeat(1_200)}}`);
    expectRefused(res, 'QUERY_TOO_LARGE');
    expect(res.errors?.[0]?.message).toBe('Document exceeds the limit of 1000 tokens.');
  });

  it('refuses directive spam with TOO_MANY_DIRECTIVES', async () => {
    const spam = Array.from({ length: 40 }, (_, i) => `t${i}: __typename @include(if: true)`).join(' ');
    const res = await stack.gqlRaw(`{ ${spam} }`);
    expectRefused(res, 'TOO_MANY_DIRECTIVES');
    expect(res.errors?.[0]?.message).toBe('Directive count 40 exceeds the limit of 20.');
  });

  it("refuses a page of 300 players inside each of 50 notifications' apps with QUERY_TOO_COMPLEX", async () => {
    const res = await stack.gqlRaw(
      `{ app(id: "${SHOP}") { notifications(first: 50) { nodes { app { players(first: 300) { nodes { id } } } } } } }`,
    );
    expectRefused(res, 'QUERY_TOO_COMPLEX');
    // 1 (app) + 1 (notifications) + 50 × (nodes 1 + app 1 + players 1 + 300 × (nodes 1 + id 1))
    expect(res.errors?.[0]?.message).toMatch(/^Query cost 30152 exceeds the limit of 20000\./);
  });

  it('costs an omitted first, and a variable first without a default, as a full page', async () => {
    const query = (first: string) =>
      `query($n: Int) { app(id: "${SHOP}") { notifications${first} { nodes { app { players(first: 300) { nodes { id } } } } } } }`;
    for (const first of ['', '(first: $n)']) {
      expectRefused(await stack.gqlRaw(query(first)), 'QUERY_TOO_COMPLEX');
    }
    // The same nesting with small pages is cheap: 2 notifications × 5 players.
    const data = await stack.gql<{
      app: { notifications: { nodes: { app: { players: { nodes: { id: string }[] } } }[] } };
    }>(
      `query($n: Int = 2) { app(id: "${SHOP}") { notifications(first: $n) { nodes { app { players(first: 5) { nodes { id } } } } } } }`,
    );
    expect(data.app.notifications.nodes).toHaveLength(2);
    expect(data.app.notifications.nodes[0]?.app.players.nodes).toHaveLength(5);
  });

  it('counts limits in fragments too: aliases and cost hidden in a named fragment are refused', async () => {
    const res = await stack.gqlRaw(
      `query { app(id: "${SHOP}") { ...Heavy } }
       fragment Heavy on App { notifications { nodes { app { ...Players } } } }
       fragment Players on App { players { nodes { id } } }`,
    );
    expectRefused(res, 'QUERY_TOO_COMPLEX');
  });

  it('answers 400 with the code also to clients that accept only application/json', async () => {
    const res = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: nested(8) }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as GraphQLResponse;
    expect(body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(stack.emulator.stats().total).toBe(0);
  });

  it('admits a full page of 300 players with six fields, and the README overview of 50 notifications', async () => {
    const players = await stack.gql<{ app: { players: { nodes: { id: string }[] } } }>(
      `{ app(id: "${SHOP}") { players(first: 300) { totalCount pageInfo { hasNextPage endCursor } nodes { id deviceType subscribed lastActive tags { key value } } } } }`,
    );
    expect(players.app.players.nodes).toHaveLength(300);
    const overview = await stack.gql<{ app: { notifications: { nodes: unknown[] } } }>(
      `query AppOverview {
        app(id: "${SHOP}") {
          name
          messageablePlayerCount
          notifications(first: 50) {
            totalCount
            pageInfo { hasNextPage endCursor }
            nodes {
              id status queuedAt content(language: "en") successfulCount convertedCount
              platformDeliveryStats { platform successfulCount failedCount }
              outcomes { name aggregation value }
            }
          }
        }
      }`,
    );
    expect(overview.app.notifications.nodes).toHaveLength(50);
  });

  it('admits a page of 300 players selecting every field with nested objects', async () => {
    const data = await stack.gql<{ app: { players: { nodes: unknown[] } } }>(
      `{ app(id: "${SHOP}") { players(first: 300) { nodes { id oneSignalId deviceType identifier externalUserId tags { key value } language timezoneOffset sessionCount amountSpent createdAt subscribed testType location { latitude longitude } country app { id name } } } } }`,
    );
    expect(data.app.players.nodes).toHaveLength(300);
  });
});

describe('configured limits', () => {
  let strict: Stack;
  beforeAll(async () => {
    strict = await startStack({}, { security: { limits: { maxAliases: 2, maxDepth: 3 } } });
  });
  afterAll(() => strict?.close());

  it('apply instead of the defaults', async () => {
    const aliases = await strict.gqlRaw(`{ app(id: "${SHOP}") { a: name b: name c: name } }`);
    expect(aliases.status).toBe(400);
    expect(aliases.errors?.[0]?.extensions?.code).toBe('TOO_MANY_ALIASES');
    const deep = await strict.gqlRaw(`{ app(id: "${SHOP}") { players(first: 1) { nodes { id } } } }`);
    expect(deep.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(await strict.gql(`{ app(id: "${SHOP}") { a: name b: name } }`)).toEqual({
      app: { a: 'Demo Shop', b: 'Demo Shop' },
    });
    expect(strict.emulator.stats().byOperation).toEqual({ get_app: 1 });
  });

  it('are read from LIMIT_* variables, and a bad value is reported by variable name without echoing it', () => {
    expect(loadSecurityConfig({ LIMIT_MAX_DEPTH: '12', LIMIT_MAX_COST: '5000' }).limits).toEqual({
      ...DEFAULT_LIMITS,
      maxDepth: 12,
      maxCost: 5000,
    });
    for (const [name, value] of [
      ['LIMIT_MAX_ALIASES', '-3'],
      ['LIMIT_MAX_TOKENS', 'lots-of-tokens'],
      ['LIMIT_MAX_DIRECTIVES', '0.0'],
      ['LIMIT_MAX_COST', '1.5'],
    ] as const) {
      expect(() => loadSecurityConfig({ [name]: value })).toThrow(name);
      expect(() => loadSecurityConfig({ [name]: value })).not.toThrow(value);
    }
  });
});
