import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { loadSecurityConfig, resolveSecurity } from '../../src/security/index.js';
import { type GraphQLResponse, type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const INTROSPECTION = '{ __schema { queryType { name } } }';
const TYPO = `{ app(id: "${SHOP}") { nam } }`;

async function send(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as GraphQLResponse };
}

describe('GraphQL over HTTP', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.emulator.resetStats());

  it('refuses a mutation sent with GET with HTTP 405, even with the CSRF header, and sends nothing upstream', async () => {
    const scheduled = DEMO.notifications.scheduled[0]!;
    const mutation = `mutation { notificationCancel(input: { id: "${scheduled}" }) { __typename } }`;
    const res = await send(`${stack.graphqlUrl}?query=${encodeURIComponent(mutation)}`, {
      headers: { 'x-graphql-csrf': '1' },
    });
    expect(res.status).toBe(405);
    expect(res.body.errors?.[0]?.message).toBe('Can only perform a mutation operation from a POST request.');
    expect(stack.emulator.stats().total).toBe(0);
  });

  it('refuses form, text/plain and browser-style GET requests without the x-graphql-csrf header with 403 CSRF_HEADER_REQUIRED', async () => {
    const query = `{ app(id: "${SHOP}") { name } }`;
    const simple: RequestInit[] = [
      // What an <img> tag sends; `fetch` itself sends `Accept: */*`, as a <script> tag does.
      { headers: { accept: 'image/avif,image/webp,image/apng,image/*,*/*;q=0.8' } },
      {},
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query }).toString(),
      },
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query }) },
    ];
    for (const [i, init] of simple.entries()) {
      const url = i < 2 ? `${stack.graphqlUrl}?query=${encodeURIComponent(query)}` : stack.graphqlUrl;
      const res = await send(url, init);
      expect(res.status).toBe(403);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('CSRF_HEADER_REQUIRED');
    }
    expect(stack.emulator.stats().total).toBe(0);
  });

  it('runs a GET query that asks for JSON without the CSRF header, as GraphQL clients send it, and sends a mutation over GET nowhere', async () => {
    const query = `{ app(id: "${SHOP}") { name } }`;
    for (const accept of [
      'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed',
      'application/json',
    ]) {
      const get = await send(`${stack.graphqlUrl}?query=${encodeURIComponent(query)}`, {
        headers: { accept },
      });
      expect(get.status).toBe(200);
      expect(get.body.data).toEqual({ app: { name: 'Demo Shop' } });
    }
    const mutation = `mutation { notificationCancel(input: { id: "${DEMO.notifications.scheduled[0]}" }) { __typename } }`;
    const refused = await send(`${stack.graphqlUrl}?query=${encodeURIComponent(mutation)}`, {
      headers: { accept: 'application/json' },
    });
    expect(refused.status).toBe(405);
    expect(stack.upstreamCalls()).toEqual({ get_app: 2 });
  });

  it('runs a GET query that carries the x-graphql-csrf header, and a JSON POST without it', async () => {
    const query = `{ app(id: "${SHOP}") { name } }`;
    const get = await send(`${stack.graphqlUrl}?query=${encodeURIComponent(query)}`, {
      headers: { 'x-graphql-csrf': '1' },
    });
    expect(get.status).toBe(200);
    expect(get.body.data).toEqual({ app: { name: 'Demo Shop' } });
    expect(await stack.gql(query)).toEqual({ app: { name: 'Demo Shop' } });
  });

  it('answers a malformed JSON body with 400 BAD_REQUEST, without quoting the body back', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const res = await send(stack.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: '{"query": "{ __typename }", "variables": {"secret-looking-input": ',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      expect(res.text).not.toContain('secret-looking-input');
    }
    expect(stack.emulator.stats().total).toBe(0);
  });

  it('serves GraphiQL and introspection, and suggests field names, outside production', async () => {
    const page = await fetch(stack.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('onesignal-graphql');
    expect(await stack.gql(INTROSPECTION)).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const typo = await stack.gqlRaw(TYPO);
    expect(typo.errors?.[0]?.message).toBe('Cannot query field "nam" on type "App". Did you mean "name"?');
  });
});

describe('production mode', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({}, { security: { production: true } });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.emulator.resetStats());

  it('refuses introspection with 400 INTROSPECTION_DISABLED', async () => {
    const res = await stack.gqlRaw(INTROSPECTION);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('INTROSPECTION_DISABLED');
    expect(res.data).toBeUndefined();
    expect(stack.emulator.stats().total).toBe(0);
  });

  it('hides field suggestions, so typos do not reveal the schema', async () => {
    const res = await stack.gqlRaw(TYPO);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toBe('Cannot query field "nam" on type "App".');
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('serves no GraphiQL page', async () => {
    const page = await fetch(stack.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).not.toBe(200);
    expect(await page.text()).not.toContain('<html');
  });

  it('still runs ordinary queries', async () => {
    expect(await stack.gql(`{ app(id: "${SHOP}") { name } }`)).toEqual({ app: { name: 'Demo Shop' } });
  });
});

describe('security settings from the environment', () => {
  it('NODE_ENV=production turns introspection, GraphiQL and suggestions off unless re-enabled', () => {
    expect(resolveSecurity(loadSecurityConfig({ NODE_ENV: 'production' }))).toMatchObject({
      production: true,
      introspection: false,
      graphiql: false,
    });
    expect(
      resolveSecurity(
        loadSecurityConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: 'true' }),
      ),
    ).toMatchObject({ production: true, introspection: true, graphiql: true });
    expect(resolveSecurity(loadSecurityConfig({}))).toMatchObject({
      production: false,
      introspection: true,
      graphiql: true,
    });
  });

  it('rejects a flag that is neither true nor false, naming the variable', () => {
    expect(() => loadSecurityConfig({ GRAPHIQL: 'sometimes' })).toThrow('GRAPHIQL must be true or false.');
    expect(() => loadSecurityConfig({ GRAPHQL_INTROSPECTION: 'yes please' })).toThrow(
      'GRAPHQL_INTROSPECTION must be true or false.',
    );
  });
});

describe('CORS', () => {
  const preflight = (url: string, origin: string) =>
    fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
  const send = (url: string, origin: string) =>
    fetch(url, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });

  it('gives no other origin permission by default, so a page elsewhere cannot call a local server', async () => {
    const stack = await startStack();
    try {
      const res = await preflight(stack.graphqlUrl, 'https://evil.example');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(
        (await send(stack.graphqlUrl, 'https://evil.example')).headers.get('access-control-allow-origin'),
      ).toBeNull();
    } finally {
      await stack.close();
    }
  });

  it('lets the origins in CORS_ORIGINS call it, and no other', async () => {
    const { corsOrigins } = loadSecurityConfig({
      CORS_ORIGINS: 'https://app.example, http://localhost:5173',
    });
    expect(corsOrigins).toEqual(['https://app.example', 'http://localhost:5173']);
    const stack = await startStack({}, { security: { corsOrigins } });
    try {
      const allowed = await preflight(stack.graphqlUrl, 'https://app.example');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
      expect(
        (await send(stack.graphqlUrl, 'http://localhost:5173')).headers.get('access-control-allow-origin'),
      ).toBe('http://localhost:5173');
      expect(
        (await preflight(stack.graphqlUrl, 'https://evil.example')).headers.get(
          'access-control-allow-origin',
        ),
      ).not.toBe('https://evil.example');
    } finally {
      await stack.close();
    }
  });

  it('refuses a CORS_ORIGINS that is not a list of origins, naming it', () => {
    expect(() => loadSecurityConfig({ CORS_ORIGINS: 'https://app.example/path' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadSecurityConfig({ CORS_ORIGINS: 'not a url' })).toThrow(/CORS_ORIGINS/);
  });
});
