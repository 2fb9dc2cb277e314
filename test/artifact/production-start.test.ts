/**
 * End to end against what ships: the server started as the README starts it in production
 * (`NODE_ENV=production npm start`: install, bundle, serve), with OneSignal keys and token auth, over
 * a real port. Sources and bundle must agree: the same hostile battery runs against both.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/core/ids.js';
import { DEMO, demoAppKeys, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { cleanEnv, failedStart, ROOT, type RunningArtifact, startArtifact } from '../helpers/artifact.js';
import { HOSTILE_CASES, type HostileCase, sendHostile } from '../helpers/hostile.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const NEWS = DEMO.apps[1]!.id;
const KEYS = [DEMO.userAuthKey, ...Object.values(demoAppKeys())];

/** Bearer tokens of the production server's AUTH_TOKENS_FILE. */
const TOKENS = {
  admin: 'e2e-admin-token-0123456789abcdef',
  shopReader: 'e2e-shop-reader-token-0123456789',
  shopSender: 'e2e-shop-sender-token-0123456789',
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let emulator: RunningEmulator;
let production: RunningArtifact;
let development: RunningArtifact;
let sources: Stack;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'onesignal-graphql-e2e-'));
  const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
  const tokensFile = join(dir, 'tokens.json');
  writeFileSync(
    tokensFile,
    JSON.stringify({
      tokens: [
        {
          name: 'admin',
          sha256: sha256(TOKENS.admin),
          scopes: ['apps:read', 'notifications:read', 'notifications:send', 'users:read'],
          apps: ['*'],
        },
        {
          name: 'shop-reader',
          sha256: sha256(TOKENS.shopReader),
          scopes: ['apps:read', 'notifications:read', 'users:read'],
          apps: [SHOP],
        },
        {
          name: 'shop-sender',
          sha256: sha256(TOKENS.shopSender),
          scopes: ['notifications:send'],
          apps: [SHOP],
        },
      ],
    }),
  );
  // Exactly the README's production start, keys and caller auth on.
  production = await startArtifact(
    cleanEnv({
      NODE_ENV: 'production',
      ONESIGNAL_API_URL: emulator.url,
      ONESIGNAL_USER_AUTH_KEY: DEMO.userAuthKey,
      ONESIGNAL_APP_KEYS: JSON.stringify(demoAppKeys()),
      AUTH_MODE: 'tokens',
      AUTH_TOKENS_FILE: tokensFile,
    }),
    { command: 'npm start', timeoutMs: 180_000 },
  );
  // The README's first command as a new user runs it: no keys, embedded emulator, development.
  development = await startArtifact(cleanEnv());
  sources = await startStack();
}, 200_000);

afterAll(async () => {
  await production?.stop();
  await development?.stop();
  await sources?.close();
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  // SIGTERM to `npm start` (what a terminal's Ctrl-C or a container's stop sends) ends the server
  // itself, not only npm: the script execs node, so no server is left running without its parent.
  if (production) await expect(fetch(production.graphqlUrl)).rejects.toThrow();
});

const upstreamTotal = async (statsUrl: string) =>
  ((await (await fetch(statsUrl)).json()) as { total: number }).total;

describe('NODE_ENV=production npm start', () => {
  it('installs, bundles and serves in production with token auth, keeping the dev tools the build needs', async () => {
    expect(production.output()).toMatch(/ready in \d+ ms/);
    expect(production.output()).toMatch(/Security:\s+production/);
    expect(production.output()).toMatch(/AUTH_MODE=tokens/);
    // V8's old generation bounded by default (src/heap.ts): what keeps peak RSS down under load.
    expect(production.output()).toMatch(
      /Heap:\s+old generation grows by at most 50 % between full GCs \(default\)/,
    );
    // npm under NODE_ENV=production omits and prunes devDependencies unless told otherwise.
    for (const tool of ['esbuild', 'vitest', 'typescript'])
      expect(existsSync(join(ROOT, 'node_modules', tool))).toBe(true);
    const res = await fetch(production.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(TOKENS.shopReader) },
      body: JSON.stringify({ query: `{ app(id: "${SHOP}") { name } }` }),
    });
    expect(await res.json()).toEqual({
      data: { app: { name: 'Demo Shop' } },
      // What the answer cost upstream and how fresh it is (see docs/onesignal.md, Shared reads and the cache).
      extensions: { upstream: { calls: 1, cacheHits: 0, sharedReads: 0, oldestDataAgeSeconds: 0 } },
    });
  });

  it('builds an executable bin for npx onesignal-graphql', () => {
    const bin = join(ROOT, 'dist', 'main.mjs');
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });

  const distFiles = () => [
    ...readdirSync(join(ROOT, 'dist'))
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => join(ROOT, 'dist', f)),
    ...readdirSync(join(ROOT, 'dist', 'chunks')).map((f) => join(ROOT, 'dist', 'chunks', f)),
  ];

  it('ships exactly one copy of graphql', () => {
    // esbuild marks each bundled module with a `// node_modules/…` line; GraphiQL's browser code,
    // which carries its own graphql, is a string and never starts a line.
    const copies = distFiles().flatMap(
      (file) =>
        readFileSync(file, 'utf8').match(/^\/\/ node_modules\/graphql\/error\/GraphQLError\.m?js$/gm) ?? [],
    );
    expect(copies).toEqual(['// node_modules/graphql/error/GraphQLError.mjs']);
  });

  it("ships ASCII only, so V8 holds each file's source at a byte a character (scripts/build.mjs)", () => {
    for (const file of distFiles()) {
      const text = readFileSync(file, 'utf8');
      expect({ file, nonAscii: /[\u0080-\uffff]/.exec(text)?.[0] }).toEqual({ file, nonAscii: undefined });
    }
  });
});

describe('hostile requests with a valid credential', () => {
  const answers = new Map<string, string>();
  const cases = HOSTILE_CASES.filter((c) => c.only !== 'development');

  it.each(cases.map((c) => [c.name, c] as const))(
    'production refuses %s with 4xx and a code, upstream untouched',
    async (_name, c: HostileCase) => {
      const before = await upstreamTotal(`${emulator.url}/__emulator/stats`);
      const answer = await sendHostile(production.graphqlUrl, c, bearer(TOKENS.admin));
      answers.set(c.name, answer.text);
      expect({ status: answer.status, code: answer.code }).toEqual({ status: c.status, code: c.code });
      expect(await upstreamTotal(`${emulator.url}/__emulator/stats`)).toBe(before);
      expect(production.alive()).toBe(true);
    },
  );

  it('is the battery the docs count', () => {
    const securityDoc = readFileSync(join(ROOT, 'docs/security.md'), 'utf8');
    expect(Number(/a battery of (\d+) hostile requests/.exec(securityDoc)?.[1])).toBe(cases.length);
  });

  it('never answers with a key', () => {
    expect(answers.size).toBe(cases.length);
    for (const text of answers.values()) for (const key of KEYS) expect(text).not.toContain(key);
  });
});

describe('the same requests without a credential', () => {
  it('are all refused (401, or 413 for bodies too big to read) with no upstream request', async () => {
    const before = await upstreamTotal(`${emulator.url}/__emulator/stats`);
    for (const c of HOSTILE_CASES) {
      const answer = await sendHostile(production.graphqlUrl, c);
      expect([401, 403, 413], c.name).toContain(answer.status);
      for (const key of KEYS) expect(answer.text).not.toContain(key);
    }
    expect(await upstreamTotal(`${emulator.url}/__emulator/stats`)).toBe(before);
  });
});

describe('sources and bundle agree on error handling', () => {
  const cases = HOSTILE_CASES.filter((c) => c.only !== 'production');
  it.each(cases.map((c) => [c.name, c] as const))(
    '%s: same status and code from the sources and the built server',
    async (_name, c: HostileCase) => {
      const [fromSources, fromBundle] = await Promise.all([
        sendHostile(sources.graphqlUrl, c),
        sendHostile(development.graphqlUrl, c),
      ]);
      expect({ status: fromBundle.status, code: fromBundle.code }).toEqual({
        status: c.status,
        code: c.code,
      });
      expect({ status: fromSources.status, code: fromSources.code }).toEqual({
        status: c.status,
        code: c.code,
      });
    },
  );
});

describe('authorization keeps its word on every path', () => {
  const gql = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const before = await upstreamTotal(`${emulator.url}/__emulator/stats`);
    const res = await fetch(production.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
    };
    return { body, upstream: (await upstreamTotal(`${emulator.url}/__emulator/stats`)) - before };
  };
  const notification = (appId: string, id: string) => encodeGlobalId('Notification', `${appId}/${id}`);

  it.each([
    ['two aliased apps', `{ a: app(id: "${SHOP}") { name } b: app(id: "${NEWS}") { name } }`],
    [
      'two apps through a fragment',
      `{ a: app(id: "${SHOP}") { ...N } b: app(id: "${NEWS}") { ...N } } fragment N on App { name }`,
    ],
    [
      'nodes of two apps',
      `{ nodes(ids: ["${encodeGlobalId('App', SHOP)}", "${encodeGlobalId('App', NEWS)}"]) { id } }`,
    ],
    [
      "nodes of two apps' notifications",
      `{ nodes(ids: ["${notification(SHOP, DEMO.notifications.latestDelivered)}", "${notification(NEWS, DEMO.notifications.latestDelivered)}"]) { id } }`,
    ],
  ])('refuses %s with FORBIDDEN for the other app, before any upstream request', async (_name, query) => {
    const { body, upstream } = await gql(TOKENS.shopReader, query);
    expect(body.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    expect(body.errors?.find((e) => e.extensions?.code === 'FORBIDDEN')?.message).toContain(NEWS);
    expect(upstream).toBe(0);
  });
});

describe('a write is never reported as refused after it happened', () => {
  const byOperation = async () =>
    (
      (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as {
        byOperation: Record<string, number>;
      }
    ).byOperation;
  const run = async (query: string) => {
    await fetch(`${emulator.url}/__emulator/stats`, { method: 'DELETE' });
    const res = await fetch(production.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(TOKENS.shopSender) },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as {
      data: Record<string, Record<string, unknown>>;
      errors?: { path?: (string | number)[]; extensions?: { code?: string } }[];
    };
  };

  it('a send by a caller without notifications:read that selects the notification: payload reported, only that field refused, no read made', async () => {
    const body = await run(`mutation {
      notificationCreate(input: { appId: "${SHOP}", target: { segments: { include: ["VIP Customers"] } }, contents: [{ language: "en", text: "Hi" }] }) {
        __typename
        ... on NotificationCreatePayload { oneSignalId notification { status } }
      }
    }`);
    expect(body.data.notificationCreate).toMatchObject({
      __typename: 'NotificationCreatePayload',
      notification: null,
    });
    expect(body.data.notificationCreate!.oneSignalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
      ['notificationCreate.notification', 'FORBIDDEN'],
    ]);
    expect(await byOperation()).toEqual({ create_notification: 1 });
  });

  it('the same for a cancel', async () => {
    const id = encodeGlobalId('Notification', `${SHOP}/${DEMO.notifications.scheduled[0]}`);
    const body = await run(`mutation {
      notificationCancel(input: { id: "${id}" }) { __typename ... on NotificationCancelPayload { notification { status } } }
    }`);
    expect(body.data.notificationCancel).toEqual({
      __typename: 'NotificationCancelPayload',
      notification: null,
    });
    expect(body.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
      ['notificationCancel.notification', 'FORBIDDEN'],
    ]);
    expect(await byOperation()).toEqual({ cancel_notification: 1 });
  });
});

describe('start-up errors name the setting', () => {
  let occupied: Server;
  let port: number;
  beforeAll(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    port = (occupied.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => occupied.close(() => resolve())));

  it.each([
    ['PORT=abc', { PORT: 'abc' }, /PORT must be a port number/],
    ['PORT=70000', { PORT: '70000' }, /PORT must be a port number/],
    ['EMULATOR_PORT=-1', { EMULATOR_PORT: '-1' }, /EMULATOR_PORT must be a port number/],
    [
      'HEAP_GROWING_PERCENT=half',
      { HEAP_GROWING_PERCENT: 'half' },
      /HEAP_GROWING_PERCENT must be a whole number/,
    ],
    ['PORT in use', () => ({ PORT: String(port) }), /already in use \(PORT\).*set PORT to a free port/],
    [
      'EMULATOR_PORT in use',
      () => ({ EMULATOR_PORT: String(port) }),
      /already in use \(EMULATOR_PORT\).*set EMULATOR_PORT/,
    ],
  ] as const)(
    '%s stops start-up with exit code 1 and a message naming it',
    async (_name, settings, message) => {
      const { code, output } = await failedStart(
        cleanEnv(typeof settings === 'function' ? settings() : settings),
      );
      expect(code).toBe(1);
      expect(output).toMatch(message);
    },
  );
});

describe('routes', () => {
  const at = (artifact: RunningArtifact, path: string) =>
    fetch(new URL(path, artifact.graphqlUrl), { redirect: 'manual' });

  it('answers /health at /health only', async () => {
    expect((await at(production, '/health')).status).toBe(200);
    expect(await (await at(production, '/health')).json()).toEqual({ status: 'ok' });
    for (const path of ['/graphql/health', '/x/health', '/healthz'])
      expect((await at(production, path)).status).toBe(404);
  });

  it('leads a person at / to GraphiQL, or says where the endpoint is when GraphiQL is off', async () => {
    const dev = await at(development, '/');
    expect(dev.status).toBe(302);
    expect(dev.headers.get('location')).toBe('/graphql');
    const prod = await at(production, '/');
    expect(prod.status).toBe(404);
    expect(((await prod.json()) as { errors: { message: string }[] }).errors[0]!.message).toContain(
      '/graphql',
    );
  });
});

describe('the largest legitimate send', () => {
  it('fits the default body limit: 2,000 targets and a 400 KB email body in variables', async () => {
    const ids = Array.from(
      { length: 2_000 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const body = JSON.stringify({
      query: `mutation Send($input: NotificationCreateInput!) { notificationCreate(input: $input) { __typename } }`,
      variables: {
        input: {
          appId: SHOP,
          channel: 'EMAIL',
          target: { subscriptionIds: ids },
          email: {
            subject: 'Newsletter',
            body: `<html><body>${'<p>Lorem ipsum dolor sit amet.</p>'.repeat(12_000)}</body></html>`,
          },
        },
      },
    });
    expect(body.length).toBeGreaterThan(450_000);
    const res = await fetch(production.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(TOKENS.admin) },
      body,
    });
    expect(res.status).toBe(200);
    const result = (await res.json()) as { data: { notificationCreate: { __typename: string } } };
    expect(['NotificationCreatePayload', 'NotificationNotSent']).toContain(
      result.data.notificationCreate.__typename,
    );
  });
});

describe('logs', () => {
  it('never hold a key, in production or development', () => {
    for (const artifact of [production, development])
      for (const key of KEYS) expect(artifact.output()).not.toContain(key);
  });
});

describe('traces from the bundle', () => {
  it('exports request and upstream spans to an OTLP endpoint, without a key (the SDK is a chunk loaded only then)', async () => {
    // A stand-in OTLP/HTTP collector: it keeps what the exporter posts.
    const posts: { path: string; body: string }[] = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += String(chunk);
      });
      req.on('end', () => {
        posts.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    const traced = await startArtifact(
      cleanEnv({
        NODE_ENV: 'production',
        ONESIGNAL_API_URL: emulator.url,
        ONESIGNAL_USER_AUTH_KEY: DEMO.userAuthKey,
        ONESIGNAL_APP_KEYS: JSON.stringify(demoAppKeys()),
        AUTH_MODE: 'none',
        AUTH_ALLOW_NONE: 'true',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      }),
    );
    try {
      expect(traced.output()).toMatch(/traces to http:\/\/127\.0\.0\.1:\d+\/v1\/traces/);
      const res = await fetch(traced.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ app(id: "${SHOP}") { name } }` }),
      });
      expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
    } finally {
      // Stopping flushes the batch of spans.
      expect(await traced.stop()).toBe(0);
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
    const exported = posts.filter((p) => p.path === '/v1/traces').map((p) => p.body);
    expect(exported.join('')).toContain('graphql.request');
    expect(exported.join('')).toContain('onesignal get_app');
    for (const key of KEYS) expect(exported.join('')).not.toContain(key);
    // Without an endpoint (the production server above), nothing of the SDK is loaded or said.
    expect(production.output()).not.toMatch(/traces to/);
  });
});
