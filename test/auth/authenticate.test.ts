import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AuthConfig, loadAuthConfig } from '../../src/auth/index.js';
import { encodeNodeId } from '../../src/core/ids.js';
import { DEMO } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!;
const NEWS = DEMO.apps[1]!;
const ISSUER = 'https://auth.example.test/';
const AUDIENCE = 'onesignal-graphql';
const SECRET = 'a-test-only-hs256-secret-of-at-least-32-bytes';
const APP_NAME = `{ app(id: "${SHOP.id}") { name } }`;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** An HS256 token; claims and registered fields default to a valid, unexpired token for every app. */
function hsToken(
  claims: JWTPayload = {},
  { secret = SECRET, issuer = ISSUER, audience = AUDIENCE, expiresAt = '5m' as string | number } = {},
) {
  return new SignJWT({ scope: 'apps:read notifications:read', apps: ['*'], ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('test-client')
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));
}

async function startWithAuth(auth: AuthConfig, clientOptions = {}) {
  const stack = await startStack(clientOptions, { auth });
  return stack;
}

/** Status, `WWW-Authenticate` and body of a raw POST, for the 401 answers `gqlRaw` would parse away. */
async function post(stack: Stack, query: string, headers: Record<string, string> = {}) {
  const res = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query }),
  });
  const text = await res.text();
  return {
    status: res.status,
    challenge: res.headers.get('www-authenticate'),
    text,
    body: JSON.parse(text) as {
      data?: unknown;
      errors?: { message: string; extensions?: { code?: string } }[];
    },
  };
}

function expectUnauthenticated(stack: Stack, res: Awaited<ReturnType<typeof post>>, message: RegExp) {
  expect(res.status).toBe(401);
  expect(res.challenge).toMatch(/^Bearer /);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(res.body.errors?.[0]?.message).toMatch(message);
  expect(stack.emulator.stats().total).toBe(0);
}

describe('jwt mode with an HS256 secret', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startWithAuth(
      loadAuthConfig({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE }),
    );
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.emulator.resetStats());

  it('answers 401 with a Bearer challenge when no token is sent, before any upstream request', async () => {
    expectUnauthenticated(stack, await post(stack, APP_NAME), /Authorization: Bearer/);
  });

  it('answers 401 to a token signed with another secret', async () => {
    const forged = await hsToken({}, { secret: 'another-secret-that-is-also-32-bytes-long!' });
    expectUnauthenticated(stack, await post(stack, APP_NAME, bearer(forged)), /signature/);
  });

  it('answers 401 to an expired token', async () => {
    const expired = await hsToken({}, { expiresAt: Math.floor(Date.now() / 1000) - 120 });
    expectUnauthenticated(stack, await post(stack, APP_NAME, bearer(expired)), /expired/);
  });

  it('answers 401 to a token meant for another audience', async () => {
    const other = await hsToken({}, { audience: 'some-other-api' });
    expectUnauthenticated(stack, await post(stack, APP_NAME, bearer(other)), /audience/);
  });

  it('answers 401 to a token from another issuer', async () => {
    const other = await hsToken({}, { issuer: 'https://evil.example.test/' });
    expectUnauthenticated(stack, await post(stack, APP_NAME, bearer(other)), /issuer/);
  });

  it('answers 401 to a token without an expiry and to a malformed one', async () => {
    const forever = await new SignJWT({ scope: 'apps:read', apps: ['*'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(new TextEncoder().encode(SECRET));
    expectUnauthenticated(stack, await post(stack, APP_NAME, bearer(forever)), /expiry/);
    expectUnauthenticated(stack, await post(stack, APP_NAME, bearer('not.a.jwt')), /not a valid JWT/);
  });

  it('serves a valid token: the app and its notifications, with the upstream requests they cost', async () => {
    const token = await hsToken({ scope: 'apps:read notifications:read' });
    const res = await stack.gqlRaw<{ app: { name: string; notifications: { totalCount: number } } }>(
      `{ app(id: "${SHOP.id}") { name notifications(first: 1) { totalCount } } }`,
      undefined,
      bearer(token),
    );
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data?.app).toEqual({
      name: 'Demo Shop',
      notifications: { totalCount: DEMO.counts[SHOP.id]!.notifications },
    });
    expect(stack.upstreamCalls()).toEqual({ get_app: 1, get_notifications: 1 });
  });

  it('reads scopes from a `scopes` array claim as well', async () => {
    const token = await hsToken({ scope: undefined, scopes: ['apps:read'] });
    const data = await stack.gql<{ app: { name: string } }>(APP_NAME, undefined, bearer(token));
    expect(data.app.name).toBe('Demo Shop');
  });

  it('still serves the GraphiQL page and /health without a token', async () => {
    const page = await fetch(stack.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const health = await fetch(stack.graphqlUrl.replace('/graphql', '/health'));
    expect(health.status).toBe(200);
    expect(stack.emulator.stats().total).toBe(0);
  });
});

describe('jwt mode with a JWKS URL', () => {
  let stack: Stack;
  let jwksServer: Server;
  let signingKey: CryptoKey;
  let strangerKey: CryptoKey;
  let jwksRequests = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair('ES256')).privateKey;
    const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
    jwksServer = createServer((_req, res) => {
      jwksRequests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
    stack = await startWithAuth(
      loadAuthConfig({ AUTH_MODE: 'jwt', JWT_JWKS_URL: url, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE }),
    );
  });
  afterAll(async () => {
    await stack?.close();
    await new Promise<void>((resolve) => jwksServer?.close(() => resolve()));
  });
  beforeEach(() => stack.emulator.resetStats());

  const esToken = (key: CryptoKey) =>
    new SignJWT({ scope: 'apps:read', apps: [SHOP.id] })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(key);

  it('verifies a token against the key set served at JWT_JWKS_URL', async () => {
    const data = await stack.gql<{ app: { name: string } }>(
      APP_NAME,
      undefined,
      bearer(await esToken(signingKey)),
    );
    expect(data.app.name).toBe('Demo Shop');
    expect(jwksRequests).toBeGreaterThanOrEqual(1);
    expect(stack.upstreamCalls()).toEqual({ get_app: 1 });
  });

  it('answers 401 to a token signed by a key the set does not hold', async () => {
    expectUnauthenticated(
      stack,
      await post(stack, APP_NAME, bearer(await esToken(strangerKey))),
      /signature/,
    );
  });
});

describe('tokens mode', () => {
  const TOKEN = 'svc-token-7f3c9a1e5b2d4c6e8a0b1c2d3e4f5a6b';
  let dir: string;
  let stack: Stack;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onesignal-graphql-tokens-'));
    const file = join(dir, 'tokens.json');
    const sha256 = createHash('sha256').update(TOKEN).digest('hex');
    writeFileSync(
      file,
      JSON.stringify({ tokens: [{ name: 'reporting', sha256, scopes: ['apps:read'], apps: [SHOP.id] }] }),
    );
    stack = await startWithAuth(loadAuthConfig({ AUTH_MODE: 'tokens', AUTH_TOKENS_FILE: file }));
  });
  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => stack.emulator.resetStats());

  it('serves a caller whose token hashes to an entry of the file', async () => {
    const data = await stack.gql<{ app: { name: string } }>(APP_NAME, undefined, bearer(TOKEN));
    expect(data.app.name).toBe('Demo Shop');
    expect(stack.upstreamCalls()).toEqual({ get_app: 1 });
  });

  it('answers 401 to a token that is not in the file, and to the hash itself used as a token', async () => {
    expectUnauthenticated(stack, await post(stack, APP_NAME, bearer('svc-token-unknown')), /not valid/);
    const hash = createHash('sha256').update(TOKEN).digest('hex');
    expectUnauthenticated(stack, await post(stack, APP_NAME, bearer(hash)), /not valid/);
  });
});

describe('passthrough mode', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The server holds no OneSignal key at all: every request brings its own.
    stack = await startWithAuth({ mode: 'passthrough' }, { userAuthKey: undefined, appKeys: {} });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.emulator.resetStats());

  it("serves app management with the caller's user auth key", async () => {
    const data = await stack.gql<{ apps: { oneSignalId: string }[] }>('{ apps { oneSignalId } }', undefined, {
      'X-OneSignal-User-Auth-Key': DEMO.userAuthKey,
    });
    expect(data.apps.map((a) => a.oneSignalId).sort()).toEqual([SHOP.id, NEWS.id].sort());
    expect(stack.upstreamCalls()).toEqual({ get_apps: 1 });
  });

  it("serves an app's data with the caller's app key, and only that app", async () => {
    const headers = { 'X-OneSignal-App-Key': `${SHOP.id}=${SHOP.restApiKey}` };
    const notification = encodeNodeId('Notification', {
      appId: SHOP.id,
      id: DEMO.notifications.latestDelivered,
    });
    const data = await stack.gql<{ node: { oneSignalId: string } }>(
      `{ node(id: "${notification}") { ... on Notification { oneSignalId } } }`,
      undefined,
      headers,
    );
    expect(data.node.oneSignalId).toBe(DEMO.notifications.latestDelivered);
    expect(stack.upstreamCalls()).toEqual({ get_notification: 1 });

    stack.emulator.resetStats();
    const res = await stack.gqlRaw(`{ app(id: "${NEWS.id}") { name } }`, undefined, headers);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(stack.emulator.stats().total).toBe(0);
  });

  it('answers 401 when the caller sends no OneSignal key', async () => {
    const res = await post(stack, '{ apps { name } }');
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.errors?.[0]?.message).toContain('X-OneSignal-User-Auth-Key');
    expect(stack.emulator.stats().total).toBe(0);
  });

  it('answers 401 to a malformed app key header without echoing it', async () => {
    const res = await post(stack, '{ apps { name } }', {
      'X-OneSignal-App-Key': 'not-an-app=secret-ish-value',
    });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('secret-ish-value');
    expect(stack.emulator.stats().total).toBe(0);
  });

  it('reports a wrong key as KEY_REJECTED without ever repeating it', async () => {
    const wrongKey = 'wrong-user-auth-key-4b1d2c3e';
    const res = await post(stack, '{ apps { name } }', { 'X-OneSignal-User-Auth-Key': wrongKey });
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('KEY_REJECTED');
    expect(res.text).not.toContain(wrongKey);
    // The caller sent the key, so the message points at the header it sent, not at server config.
    expect(res.body.errors?.[0]?.message).toContain('X-OneSignal-User-Auth-Key header');
    expect(res.body.errors?.[0]?.message).not.toContain('ONESIGNAL_USER_AUTH_KEY');
    // OneSignal (here the emulator) is the one that rejects it: one request, refused.
    expect(stack.upstreamCalls()).toEqual({ get_apps: 1 });
  });
});

describe('start-up without authentication against real OneSignal', () => {
  /** Runs the entry script until it exits, or until it prints `stopAt` (then stops it with SIGTERM). */
  function runMain(env: Record<string, string>, stopAt?: string) {
    return new Promise<{ code: number | null; output: string }>((resolve) => {
      const { AUTH_MODE: _mode, AUTH_ALLOW_NONE: _allow, ...inherited } = process.env;
      // `node --import tsx` is what `npx tsx` runs, minus the npx wrapper that would swallow SIGTERM.
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: { ...inherited, PORT: '0', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
        if (stopAt && output.includes(stopAt)) child.kill('SIGTERM');
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      const timer = setTimeout(() => child.kill('SIGTERM'), 20_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });
  }

  it('starts with AUTH_MODE=none against real keys only when AUTH_ALLOW_NONE=true, with a loud warning', async () => {
    const key = 'real-looking-rest-api-key-1a2b3c4d';
    const { output } = await runMain(
      { ONESIGNAL_APP_KEYS: JSON.stringify({ [SHOP.id]: key }), AUTH_MODE: 'none', AUTH_ALLOW_NONE: 'true' },
      'ready in',
    );
    expect(output).toContain('WARNING: AUTH_MODE=none with real OneSignal keys');
    expect(output).toContain('AUTH_MODE=none');
    expect(output).not.toContain(key);
  }, 30_000);

  it('refuses to start with OneSignal keys configured and AUTH_MODE unset, naming AUTH_MODE and no key', async () => {
    const key = 'real-looking-rest-api-key-9c8b7a6d';
    const { code, output } = await runMain({ ONESIGNAL_APP_KEYS: JSON.stringify({ [SHOP.id]: key }) });
    expect(code).not.toBe(0);
    expect(output).toContain('AUTH_MODE');
    expect(output).toContain('AUTH_ALLOW_NONE');
    expect(output).not.toContain(key);
  }, 30_000);
});

describe('auth configuration', () => {
  it('names the variable at fault and never repeats its value', () => {
    const short = 'short-secret-value';
    const attempt = (env: Record<string, string>) => {
      try {
        loadAuthConfig(env);
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(attempt({ AUTH_MODE: 'kerberos' })).toBe(
      'AUTH_MODE must be one of jwt, tokens, passthrough, none.',
    );
    const tooShort = attempt({
      AUTH_MODE: 'jwt',
      JWT_SECRET: short,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    });
    expect(tooShort).toContain('JWT_SECRET');
    expect(tooShort).not.toContain(short);
    expect(attempt({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET, JWT_ISSUER: ISSUER })).toContain('JWT_AUDIENCE');
    expect(attempt({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET, JWT_AUDIENCE: AUDIENCE })).toContain('JWT_ISSUER');
    expect(attempt({ AUTH_MODE: 'tokens' })).toContain('AUTH_TOKENS_FILE');

    const dir = mkdtempSync(join(tmpdir(), 'onesignal-graphql-tokens-'));
    try {
      const file = join(dir, 'tokens.json');
      // A plaintext token where its hash belongs: refused, and not echoed.
      writeFileSync(
        file,
        JSON.stringify({ tokens: [{ name: 'oops', sha256: 'plaintext-token-value', scopes: [], apps: [] }] }),
      );
      const message = attempt({ AUTH_MODE: 'tokens', AUTH_TOKENS_FILE: file });
      expect(message).toContain('AUTH_TOKENS_FILE');
      expect(message).toContain('sha256');
      expect(message).not.toContain('plaintext-token-value');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
