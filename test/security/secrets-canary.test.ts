import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type FaultConfig, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

/**
 * The canary: the server runs as its own process with known fake keys; a battery of bad and normal
 * requests goes through it, and no key may show up in any response (body or headers) or log line.
 */

const SHOP = DEMO.apps[0]!;
const NEWS = DEMO.apps[1]!;
const USER_KEY = `canary-user-key-${randomBytes(8).toString('hex')}`;
// Configured for NEWS instead of its real key, so its calls come back 403 from upstream.
const WRONG_KEY = `canary-wrong-key-${randomBytes(8).toString('hex')}`;
// The Event Streams secrets: the current one and the one being rotated out.
const STREAM_SECRET = `canary-stream-secret-${randomBytes(8).toString('hex')}`;
const STREAM_PREVIOUS = `canary-stream-previous-${randomBytes(8).toString('hex')}`;

let emulator: RunningEmulator;
let server: ChildProcess;
let graphqlUrl = '';
let freshApp = { id: '', key: '' };
let logs = '';
const responses: { name: string; status: number; text: string }[] = [];

// Push credentials a caller sends (appUpdate): write-only, so they may show up nowhere either.
const APNS_P12 = Buffer.concat([Buffer.from([0x30, 0x82]), randomBytes(24)]).toString('base64');
const APNS_P12_PASSWORD = `canary-p12-password-${randomBytes(8).toString('hex')}`;
const SAFARI_P12_PASSWORD = `canary-safari-password-${randomBytes(8).toString('hex')}`;

function secrets() {
  return {
    USER_KEY,
    WRONG_KEY,
    SHOP_KEY: SHOP.restApiKey,
    FRESH_APP_KEY: freshApp.key,
    APNS_P12,
    APNS_P12_PASSWORD,
    SAFARI_P12_PASSWORD,
    STREAM_SECRET,
    STREAM_PREVIOUS,
  };
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, userAuthKey: USER_KEY });
  const created = await fetch(`${emulator.url}/api/v1/apps`, {
    method: 'POST',
    headers: { authorization: `Key ${USER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Canary App' }),
  });
  expect(created.status).toBe(200);
  const app = (await created.json()) as { id: string; basic_auth_key: string };
  freshApp = { id: app.id, key: app.basic_auth_key };

  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  server = spawn(process.execPath, [tsx, 'src/main.ts'], {
    cwd: new URL('../..', import.meta.url).pathname,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      HOST: '127.0.0.1',
      ONESIGNAL_API_URL: emulator.url,
      ONESIGNAL_USER_AUTH_KEY: USER_KEY,
      ONESIGNAL_APP_KEYS: JSON.stringify({
        [SHOP.id]: SHOP.restApiKey,
        [NEWS.id]: WRONG_KEY,
        [freshApp.id]: freshApp.key,
      }),
      ONESIGNAL_TIMEOUT_MS: '300',
      ONESIGNAL_MAX_ATTEMPTS: '2',
      ONESIGNAL_RETRY_BUDGET_MS: '600',
      // Every step must reach the emulator and meet its fault, not a cached answer.
      CACHE: 'off',
      AUTH_MODE: 'none',
      AUTH_ALLOW_NONE: 'true',
      EVENT_STREAMS_SECRET: STREAM_SECRET,
      EVENT_STREAMS_SECRET_PREVIOUS: STREAM_PREVIOUS,
      EVENT_STREAMS_MAX_BODY_BYTES: '2048',
    },
  });
  server.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    logs += chunk;
  });
  server.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    logs += chunk;
  });
  graphqlUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs}`)), 30_000);
    const check = () => {
      const url = /Graph(?:iQL|QL):\s+(http\S+)/.exec(logs)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    server.stdout?.on('data', check);
    server.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${logs}`)));
  });
}, 40_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await emulator?.close();
});

async function record(name: string, url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  const headers = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
  responses.push({ name, status: res.status, text: `${headers}\n\n${text}` });
  return { status: res.status, text };
}

function gql(name: string, query: string, variables?: Record<string, unknown>) {
  return record(name, graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
}

async function withFaults(faults: FaultConfig, run: () => Promise<unknown>) {
  emulator.setFaults(faults);
  try {
    await run();
  } finally {
    emulator.setFaults(null);
  }
}

const send = (appId: string, text: string) =>
  `mutation { notificationCreate(input: { appId: "${appId}", target: { segments: { include: ["Subscribed Users"] } }, contents: [{ language: "en", text: "${text}" }] }) { __typename ... on Error { code message } ... on NotificationCreatePayload { notification { id status } } } }`;

describe('the secrets canary', () => {
  it('no configured key appears in any response or log line, across bad input, upstream failures and normal use', async () => {
    // Normal use: reads over every key, and mutations.
    await gql('apps', '{ apps { id name } }');
    await gql(
      'overview',
      `{ app(id: "${SHOP.id}") { name messageablePlayerCount notifications(first: 50) { totalCount nodes { id status content(language: "en") successfulCount platformDeliveryStats { platform successfulCount } outcomes { name value } } } } }`,
    );
    await gql(
      'players',
      `{ app(id: "${SHOP.id}") { players(first: 300) { totalCount nodes { id deviceType identifier subscribed tags { key value } } } } }`,
    );
    await gql(
      'user',
      `{ app(id: "${SHOP.id}") { user(alias: { byAlias: { label: "external_id", id: "${DEMO.users[0]!.externalId}" } }) { id externalId subscriptions { id type token enabled } } } }`,
    );
    await gql('segments', `{ app(id: "${SHOP.id}") { segments { totalCount nodes { id name } } } }`);
    await gql('fresh app', `{ app(id: "${freshApp.id}") { id name players { totalCount } } }`);
    await gql('send', send(SHOP.id, 'Canary hello'));
    await gql('send to fresh app', send(freshApp.id, 'Canary fresh'));
    await record('health', graphqlUrl.replace(/\/graphql$/, '/health'));
    await record('graphiql', graphqlUrl, { headers: { accept: 'text/html' } });

    // Credentials: accepted, refused by validation, refused by the app's key upstream.
    const credentials = {
      apns: { p12: { certificate: APNS_P12, password: APNS_P12_PASSWORD } },
      safari: { p12: APNS_P12, p12Password: SAFARI_P12_PASSWORD },
    };
    const updateApp = `mutation ($input: AppUpdateInput!) { appUpdate(input: $input) { __typename ... on AppUpdatePayload { app { apnsConfigured safariConfigured } } ... on Error { code message } } }`;
    expect((await gql('credentials', updateApp, { input: { id: SHOP.id, credentials } })).text).toContain(
      '"apnsConfigured":true',
    );
    expect(
      (
        await gql('bad credentials', updateApp, {
          input: {
            id: SHOP.id,
            credentials: {
              ...credentials,
              apns: { p12: { certificate: `${APNS_P12}$`, password: APNS_P12_PASSWORD } },
            },
          },
        })
      ).text,
    ).toContain('VALIDATION_FAILED');
    await withFaults({ serverErrorRate: 1, serverErrorStatus: 500 }, () =>
      gql('credentials 5xx', updateApp, { input: { id: SHOP.id, credentials } }),
    );

    // Bad input: malformed ids and arguments, validation failures.
    await gql('bad global id', '{ node(id: "not-an-id") { id } }');
    await gql('bad uuid', '{ app(id: "not-a-uuid") { name } }');
    await gql('bad uuid variable', 'query($id: UUID!) { app(id: $id) { name } }', { id: 'nope' });
    await gql('unknown field', `{ app(id: "${SHOP.id}") { nam } }`);
    await gql('bad cancel id', 'mutation { notificationCancel(input: { id: "garbage" }) { __typename } }');
    await gql(
      'empty contents',
      `mutation { notificationCreate(input: { appId: "${SHOP.id}", target: { segments: { include: ["x"] } }, contents: [] }) { __typename ... on Error { code message } } }`,
    );
    await gql('first too large', `{ app(id: "${SHOP.id}") { players(first: 5000) { totalCount } } }`);

    // Upstream refusals and failures: wrong key, 429, 5xx, dropped connections, timeouts.
    const wrongKey = await gql(
      'wrong key',
      `{ app(id: "${NEWS.id}") { notifications(first: 1) { totalCount } } }`,
    );
    expect(wrongKey.text).toContain('KEY_REJECTED');
    await gql('wrong key mutation', send(NEWS.id, 'Should be refused'));
    await withFaults({ rateLimitRate: 1, retryAfterSeconds: 1 }, async () => {
      expect(
        (await gql('429', `{ app(id: "${SHOP.id}") { players(first: 1) { totalCount } } }`)).text,
      ).toContain('RATE_LIMITED');
      await gql('429 mutation', send(SHOP.id, 'Rate limited'));
    });
    // The buckets those 429s named stay paused for their Retry-After (1 s), longer than this server's
    // retry budget: let the pause pass so the next steps meet the failure they are about.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await withFaults({ serverErrorRate: 1, serverErrorStatus: 503 }, async () => {
      expect(
        (await gql('5xx', `{ app(id: "${SHOP.id}") { segments(first: 1) { totalCount } } }`)).text,
      ).toContain('UPSTREAM_UNAVAILABLE');
    });
    await withFaults({ dropRate: 1 }, () => gql('dropped', `{ app(id: "${SHOP.id}") { name } }`));
    await withFaults({ latencyMs: 1_000 }, async () => {
      expect((await gql('timeout', `{ app(id: "${SHOP.id}") { name } }`)).text).toContain('UPSTREAM_TIMEOUT');
    });
    await withFaults({ serverErrorRate: 1, when: 'after' }, () =>
      gql('5xx after send', send(SHOP.id, 'Lost')),
    );

    // Abusive documents and HTTP misuse.
    let deep = 'name';
    for (let i = 0; i < 8; i++) deep = `notifications(first: 1) { nodes { app { ${deep} } } }`;
    await gql('depth bomb', `{ app(id: "${SHOP.id}") { ${deep} } }`);
    await gql(
      'alias bomb',
      `{ app(id: "${SHOP.id}") { ${Array.from({ length: 100 }, (_, i) => `a${i}: name`).join(' ')} } }`,
    );
    await gql('huge document', `{ ${'__typename '.repeat(1_200)}}`);
    await gql(
      'directive spam',
      `{ ${Array.from({ length: 40 }, (_, i) => `t${i}: __typename @include(if: true)`).join(' ')} }`,
    );
    await gql(
      'expensive',
      `{ app(id: "${SHOP.id}") { notifications(first: 50) { nodes { app { players(first: 300) { nodes { id } } } } } } }`,
    );
    await record('malformed json', graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "{ __typename }", ',
    });
    await record('GET mutation', `${graphqlUrl}?query=${encodeURIComponent(send(SHOP.id, 'via GET'))}`, {
      headers: { 'x-graphql-csrf': '1' },
    });
    await record('CSRF-less GET', `${graphqlUrl}?query=${encodeURIComponent('{ apps { id } }')}`);

    // Event Streams: wrong, truncated and rotated secrets, bad bodies, oversized bodies, and an event
    // whose body carries the secret itself (it must not be echoed).
    const events = graphqlUrl.replace(/\/graphql$/, '/onesignal/events');
    const event = (kind: string) =>
      JSON.stringify({ event: { id: crypto.randomUUID(), kind, app_id: SHOP.id }, message: { id: '' } });
    const stream = (name: string, authorization: string | undefined, body: string) =>
      record(name, events, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
        body,
      });
    await stream('event without secret', undefined, event('message.push.clicked'));
    await stream('event wrong secret', `Bearer ${STREAM_SECRET.slice(0, -2)}`, event('message.push.clicked'));
    await stream('event secret in body', `Bearer ${STREAM_SECRET}`, event(`message.push.${STREAM_SECRET}`));
    await stream('event malformed', `Bearer ${STREAM_SECRET}`, '{"event": ');
    await stream('event too large', `Bearer ${STREAM_SECRET}`, 'x'.repeat(4_000));
    await stream('event ok', `Bearer ${STREAM_SECRET}`, event('message.email.opened'));
    await stream('event previous secret', `Bearer ${STREAM_PREVIOUS}`, event('message.sms.delivered'));

    // The battery did reach the paths it means to test.
    const statuses = Object.fromEntries(responses.map((r) => [r.name, r.status]));
    expect(statuses).toMatchObject({
      apps: 200,
      'depth bomb': 400,
      'alias bomb': 400,
      'huge document': 400,
      'directive spam': 400,
      expensive: 400,
      'malformed json': 400,
      'GET mutation': 405,
      'CSRF-less GET': 403,
      'event without secret': 401,
      'event wrong secret': 401,
      'event secret in body': 400,
      'event malformed': 400,
      'event too large': 413,
      'event ok': 200,
      'event previous secret': 200,
    });
    expect(responses.find((r) => r.name === 'send')?.text).toContain('NotificationCreatePayload');
    // The fresh app has no subscribers: OneSignal accepted its key and sent to nobody.
    expect(responses.find((r) => r.name === 'send to fresh app')?.text).toContain('NotificationNotSent');
    expect(logs).toContain('onesignal-graphql ready');

    for (const [name, secret] of Object.entries(secrets())) {
      expect(secret.length, name).toBeGreaterThan(10);
      for (const response of responses) {
        expect(response.text.includes(secret), `${name} in the response to "${response.name}"`).toBe(false);
      }
      expect(logs.includes(secret), `${name} in the server's logs`).toBe(false);
    }
  }, 60_000);
});
