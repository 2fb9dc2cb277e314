/**
 * The same guards on every transport: authentication (headers, or a WebSocket's `connectionParams`),
 * scopes and app allow-lists, all before any upstream call; the caps on open subscriptions; and a
 * WebSocket from a foreign `Origin` refused.
 */
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadAuthConfig } from '../../src/auth/index.js';
import { DEMO } from '../../src/emulator/index.js';
import { DELIVERY_DOCUMENT, type LiveStack, SHOP, startLiveStack } from '../helpers/live-stack.js';

const SECRET = 'a-test-only-hs256-secret-of-at-least-32-bytes';
const auth = loadAuthConfig({
  AUTH_MODE: 'jwt',
  JWT_SECRET: SECRET,
  JWT_ISSUER: 'https://auth.example.test/',
  JWT_AUDIENCE: 'onesignal-graphql',
});
const tokenFor = (subject: string, scope: string, apps: string[] = [SHOP]) =>
  new SignJWT({ scope, apps })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer('https://auth.example.test/')
    .setAudience('onesignal-graphql')
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));

const request = (id: string) => ({ query: DELIVERY_DOCUMENT, variables: { id } });
const MULTIPART = 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json';

/** A POST subscription with `accept`; the status and the first JSON found in the body. */
async function post(url: string, accept: string, id: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, ...headers },
    body: JSON.stringify(request(id)),
    signal: controller.signal,
  });
  let text = '';
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      if (/"errors"|"payload"|"data"/.test(text)) break;
    }
  } finally {
    controller.abort();
  }
  const json = /\{"(?:errors|payload|data)".*\}/.exec(text)?.[0];
  return { status: res.status, body: json ? (JSON.parse(json) as Record<string, unknown>) : undefined };
}

const codeOf = (result: unknown) =>
  ((result as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code ??
    (result as { payload?: unknown }).payload) as string | undefined;

/** The first result of a graphql-ws or graphql-sse subscription, or how it failed. */
function first(
  client: { subscribe: (r: ReturnType<typeof request>, sink: never) => () => void },
  id: string,
) {
  // A whole document (the trusted-documents tests) instead of a notification id.
  const payload = id.startsWith('query') ? { query: id, variables: {} } : request(id);
  return new Promise<unknown>((resolve) => {
    const stop = client.subscribe(
      payload as ReturnType<typeof request>,
      {
        next: (value: unknown) => {
          resolve(value);
          stop();
        },
        error: (error: unknown) => resolve({ failed: error }),
        complete: () => resolve({ completed: true }),
      } as never,
    );
  });
}

describe('guards on every transport', () => {
  let stack: LiveStack;
  let id: string;
  let url: string;
  beforeAll(async () => {
    // No polls during these tests (60 s): every upstream call counted is one a guard let through.
    stack = await startLiveStack(
      {
        auth,
        transports: { maxSubscriptionsPerCaller: 2, maxSubscriptions: 3 },
        security: { corsOrigins: ['https://app.example.com'] },
      },
      { pollMs: 60_000 },
    );
    id = await stack.send({ later: true });
    url = stack.url;
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.emulator.resetStats());

  it('refuses a caller without credentials on each transport, before any upstream call', async () => {
    expect((await post(url, 'text/event-stream', id)).status).toBe(401);
    expect((await post(url, MULTIPART, id)).status).toBe(401);
    expect((await fetch(url, { method: 'PUT' })).status).toBe(401);
    const ws = createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    const refused = (await first(ws, id)) as { failed: { code: number; reason: string } };
    expect(refused.failed.code).toBe(4401);
    expect(refused.failed.reason).toMatch(/Authorization: Bearer/);
    await ws.dispose();
    expect(stack.emulator.stats().total).toBe(0);
  });

  it.each([
    ['without notifications:read', 'apps:read', [SHOP]],
    ['outside its apps', 'notifications:read', [DEMO.apps[1]!.id]],
  ])(
    'refuses a caller %s with FORBIDDEN on each transport, before any upstream call',
    async (_name, scope, apps) => {
      const token = await tokenFor('refused', scope as string, apps as string[]);
      const headers = { authorization: `Bearer ${token}` };
      expect(codeOf((await post(url, 'text/event-stream', id, headers)).body)).toBe('FORBIDDEN');
      expect(codeOf((await post(url, MULTIPART, id, headers)).body)).toBe('FORBIDDEN');
      const sse = createSseClient({ url, headers, singleConnection: true, retryAttempts: 0 });
      const sseResult = await first(sse, id);
      expect(codeOf(sseResult)).toBe('FORBIDDEN');
      sse.dispose();
      const ws = createWsClient({
        url: stack.wsUrl,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${token}` },
      });
      expect(codeOf(await first(ws, id))).toBe('FORBIDDEN');
      await ws.dispose();
      expect(stack.emulator.stats().total).toBe(0);
    },
  );

  it('accepts a token in connectionParams (as browsers must send it) or the upgrade’s Authorization header', async () => {
    const token = await tokenFor('reader', 'notifications:read');
    for (const ws of [
      createWsClient({
        url: stack.wsUrl,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authToken: token },
      }),
      createWsClient({
        url: stack.wsUrl,
        retryAttempts: 0,
        webSocketImpl: class extends WebSocket {
          constructor(address: string, protocols: string) {
            super(address, protocols, { headers: { authorization: `Bearer ${token}` } });
          }
        },
      }),
    ]) {
      expect(await first(ws, id)).toMatchObject({ data: { notificationDelivery: { status: 'SCHEDULED' } } });
      await ws.dispose();
    }
  });

  it('caps open subscriptions per caller and per process with TOO_MANY_SUBSCRIPTIONS, before any upstream call', async () => {
    const [a, b] = await Promise.all([
      tokenFor('a', 'notifications:read'),
      tokenFor('b', 'notifications:read'),
    ]);
    const wsA = createWsClient({
      url: stack.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authToken: a },
    });
    const wsB = createWsClient({
      url: stack.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authToken: b },
    });
    const held: (() => void)[] = [];
    /** Opens a subscription and keeps it; resolves with its first result. */
    const hold = (client: typeof wsA) =>
      new Promise<unknown>((resolve) => {
        held.push(
          client.subscribe(request(id), {
            next: resolve,
            error: (e) => resolve({ failed: e }),
            complete: () => undefined,
          }),
        );
      });
    try {
      await hold(wsA);
      await hold(wsA);
      await hold(wsB);
      expect(stack.graphql.openSubscriptions.count()).toBe(3);
      stack.emulator.resetStats();
      const third = (await hold(wsA)) as { errors: { extensions: Record<string, unknown> }[] };
      expect(third.errors[0]?.extensions).toEqual({
        code: 'TOO_MANY_SUBSCRIPTIONS',
        scope: 'CALLER',
        limit: 2,
      });
      const overServer = await post(url, MULTIPART, id, { authorization: `Bearer ${b}` });
      expect(
        (overServer.body as { errors: { extensions: Record<string, unknown> }[] }).errors[0]?.extensions,
      ).toEqual({
        code: 'TOO_MANY_SUBSCRIPTIONS',
        scope: 'SERVER',
        limit: 3,
      });
      expect(stack.emulator.stats().total).toBe(0);
      // Closing one frees its place.
      held[0]?.();
      await expect.poll(() => stack.graphql.openSubscriptions.count()).toBe(2);
      expect(await hold(wsA)).toMatchObject({ data: { notificationDelivery: { status: 'SCHEDULED' } } });
    } finally {
      for (const stop of held) stop();
      await Promise.all([wsA.dispose(), wsB.dispose()]);
    }
  });

  it('refuses a WebSocket upgrade from a foreign Origin with 403, and allows its own and CORS_ORIGINS', async () => {
    const upgrade = (origin: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(stack.wsUrl, 'graphql-transport-ws', { headers: { origin } });
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('error', () => undefined);
      });
    expect(await upgrade('https://evil.example')).toBe(403);
    expect(await upgrade('https://app.example.com')).toBe(101);
    expect(await upgrade(new URL(stack.url).origin)).toBe(101);
  });
});

describe('trusted documents on the transports that carry document text', () => {
  const APP_NAME = 'query AppName { app(id: "11111111-1111-4111-8111-111111111111") { name } }';
  let stack: LiveStack;
  beforeAll(async () => {
    stack = await startLiveStack({ security: { trustedDocuments: new Map([['app-name', APP_NAME]]) } });
  });
  afterAll(() => stack.close());

  it('runs a registered document’s exact text over a WebSocket and refuses any other, before any upstream call', async () => {
    // Not lazy: one socket for both operations, so the second is not sent while the first's closes.
    const ws = createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
    try {
      const ok = await first(ws, APP_NAME as never);
      expect(ok).toMatchObject({ data: { app: { name: 'Demo Shop' } } });
      stack.emulator.resetStats();
      const refused = (await first(
        ws,
        'query { app(id: "11111111-1111-4111-8111-111111111111") { id } }' as never,
      )) as {
        failed: { extensions: { code: string } }[];
      };
      expect(refused.failed[0]?.extensions.code).toBe('PERSISTED_QUERY_ONLY');
      expect(stack.emulator.stats().total).toBe(0);
    } finally {
      await ws.dispose();
    }
  });

  it('refuses an unregistered document over graphql-sse’s single connection with 400, before any upstream call', async () => {
    const put = await fetch(stack.url, { method: 'PUT' });
    const token = await put.text();
    stack.emulator.resetStats();
    const res = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-graphql-event-stream-token': token },
      body: JSON.stringify({
        query: 'query { app(id: "11111111-1111-4111-8111-111111111111") { id } }',
        extensions: { operationId: '1' },
      }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('PERSISTED_QUERY_ONLY');
    expect(stack.emulator.stats().total).toBe(0);
  });
});
