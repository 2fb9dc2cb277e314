/**
 * Write-only push credentials on appCreate/appUpdate: validated before any call (Base64, file kind,
 * sizes), sent to OneSignal, and never readable back: no output field, no response, no log line.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NEWS, SHOP } from '../helpers/emulator.js';
import { KEY_CONFIGURATIONS } from '../helpers/key-configurations.js';
import { startStack, useStack } from '../helpers/stack.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are loosely typed JSON, narrowed by each assertion
type Loose = Record<string, any>;

/** A fake .p12: a DER SEQUENCE header, then a canary that must never come back. */
const canary = (label: string) => `canary-${label}-${randomBytes(8).toString('hex')}`;
const p12Of = (secret: string) =>
  Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00]), Buffer.from(secret)]).toString('base64');
const p8Of = (secret: string) =>
  Buffer.from(`-----BEGIN PRIVATE KEY-----\n${secret}\n-----END PRIVATE KEY-----\n`).toString('base64');

const UPDATE = /* GraphQL */ `
  mutation ($input: AppUpdateInput!) {
    appUpdate(input: $input) {
      __typename
      ... on AppUpdatePayload { app { oneSignalId apnsConfigured safariConfigured apnsKeyId apnsTeamId } }
      ... on ValidationError { message fields { path message } }
      ... on Error { code message }
    }
  }
`;

const stack = useStack();

/** Everything the process logs while a test runs, to prove no credential reaches a log line. */
let logged = '';
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
const originals = methods.map((m) => console[m]);
beforeEach(() => {
  logged = '';
  methods.forEach((m, i) => {
    console[m] = (...args: unknown[]) => {
      logged += `${args.map((a) => (a instanceof Error ? `${a.stack} ${JSON.stringify(a)}` : String(a))).join(' ')}\n`;
      (originals[i] as (...a: unknown[]) => void)(...args);
    };
  });
});
afterEach(() => {
  methods.forEach((m, i) => {
    console[m] = originals[i] as (typeof console)[typeof m];
  });
});

async function update(input: Loose) {
  const res = await stack.gqlRaw<{ appUpdate: Loose }>(UPDATE, { input });
  return { res, text: JSON.stringify(res) };
}

describe('app credentials', () => {
  it('sends an APNs certificate and its password to OneSignal, and never returns or logs either', async () => {
    const certificate = canary('p12');
    const password = canary('password');
    const { res, text } = await update({
      id: SHOP.id,
      credentials: { apns: { p12: { certificate: p12Of(certificate), password } } },
    });
    expect(res.data!.appUpdate).toMatchObject({
      __typename: 'AppUpdatePayload',
      app: { oneSignalId: SHOP.id, apnsConfigured: true },
    });
    expect(stack.upstreamCalls()).toEqual({ update_app: 1 });
    expect(stack.emulator.received('update_app').at(-1)).toEqual({
      apns_p12: p12Of(certificate),
      apns_p12_password: password,
    });
    for (const secret of [certificate, password, p12Of(certificate)]) {
      expect(text).not.toContain(secret);
      expect(logged).not.toContain(secret);
    }
    // Read back: still only whether one is set.
    const read = JSON.stringify(
      await stack.gqlRaw(`{ app(id: "${SHOP.id}") { apnsConfigured safariConfigured } }`),
    );
    expect(read).toContain('"apnsConfigured":true');
    expect(read).not.toContain(password);
  });

  it('sends an APNs .p8 key with its key and team ids', async () => {
    const key = canary('p8');
    const { res, text } = await update({
      id: NEWS.id,
      credentials: { apns: { p8: { key: p8Of(key), keyId: 'ABC123DEFG', teamId: 'TEAM123456' } } },
    });
    expect(res.data!.appUpdate.app).toMatchObject({
      apnsConfigured: true,
      apnsKeyId: 'ABC123DEFG',
      apnsTeamId: 'TEAM123456',
    });
    expect(stack.emulator.received('update_app').at(-1)).toEqual({
      apns_p8: p8Of(key),
      apns_key_id: 'ABC123DEFG',
      apns_team_id: 'TEAM123456',
    });
    expect(text).not.toContain(key);
    expect(logged).not.toContain(key);
  });

  it('creates an app with Safari credentials and its 256 px icon', async () => {
    const certificate = canary('safari');
    const password = canary('safari-password');
    const res = await stack.gqlRaw<{ appCreate: Loose }>(
      `mutation ($input: AppCreateInput!) { appCreate(input: $input) { __typename ... on AppCreatePayload { app { name safariConfigured apnsConfigured } } } }`,
      {
        input: {
          name: 'Credentialed',
          safariSiteOrigin: 'https://example.com',
          credentials: {
            safari: {
              p12: p12Of(certificate),
              p12Password: password,
              icon256Url: 'https://example.com/icon-256.png',
            },
          },
        },
      },
    );
    expect(res.data!.appCreate).toEqual({
      __typename: 'AppCreatePayload',
      app: { name: 'Credentialed', safariConfigured: true, apnsConfigured: false },
    });
    expect(stack.emulator.received('create_app').at(-1)).toMatchObject({
      safari_apns_p12: p12Of(certificate),
      safari_apns_p12_password: password,
      safari_icon_256_256: 'https://example.com/icon-256.png',
    });
    expect(JSON.stringify(res)).not.toContain(password);
    expect(logged).not.toContain(password);
  });

  it('has no output field that could carry a credential', async () => {
    const { __type } = await stack.gql<{ __type: { fields: { name: string }[] } }>(
      '{ __type(name: "App") { fields { name } } }',
    );
    const names = __type.fields.map((f) => f.name.toLowerCase());
    expect(names.filter((n) => /p12|p8|password|certificate|secret|gcmkey/.test(n))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['apnsconfigured', 'safariconfigured']));
  });

  const secret = canary('bad');
  it.each([
    [
      'a certificate that is not Base64',
      { apns: { p12: { certificate: `${secret}!`, password: 'x' } } },
      ['input', 'credentials', 'apns', 'p12', 'certificate'],
    ],
    [
      'a certificate that is no .p12',
      { apns: { p12: { certificate: Buffer.from(secret).toString('base64'), password: 'x' } } },
      ['input', 'credentials', 'apns', 'p12', 'certificate'],
    ],
    [
      'a certificate over 64 KiB',
      { apns: { p12: { certificate: p12Of('x'.repeat(70_000)), password: 'x' } } },
      ['input', 'credentials', 'apns', 'p12', 'certificate'],
    ],
    [
      'a password over 1024 characters',
      { apns: { p12: { certificate: p12Of(secret), password: 'p'.repeat(1025) } } },
      ['input', 'credentials', 'apns', 'p12', 'password'],
    ],
    [
      'a .p8 that is no key',
      {
        apns: {
          p8: { key: Buffer.from(secret).toString('base64'), keyId: 'ABC123DEFG', teamId: 'TEAM123456' },
        },
      },
      ['input', 'credentials', 'apns', 'p8', 'key'],
    ],
    [
      'a key id Apple would not issue',
      { apns: { p8: { key: p8Of(secret), keyId: 'abc', teamId: 'TEAM123456' } } },
      ['input', 'credentials', 'apns', 'p8', 'keyId'],
    ],
    [
      'a Safari icon over plain http',
      { safari: { p12: p12Of(secret), p12Password: '', icon256Url: 'http://example.com/i.png' } },
      ['input', 'credentials', 'safari', 'icon256Url'],
    ],
    ['no credential at all', {}, ['input', 'credentials']],
  ])(
    'refuses %s at its path, with no upstream call and without echoing the value',
    async (_name, credentials, path) => {
      const { res, text } = await update({ id: SHOP.id, credentials });
      expect(res.data!.appUpdate.__typename).toBe('ValidationError');
      expect(res.data!.appUpdate.fields.map((f: Loose) => f.path)).toContainEqual(path);
      expect(stack.upstreamCalls()).toEqual({});
      expect(text).not.toContain(secret);
      expect(logged).not.toContain(secret);
    },
  );

  it('refuses the .p8 key given twice, flat and in credentials', async () => {
    const { res } = await update({
      id: SHOP.id,
      apnsP8: p8Of('a'),
      credentials: { apns: { p8: { key: p8Of('b'), keyId: 'ABC123DEFG', teamId: 'TEAM123456' } } },
    });
    expect(res.data!.appUpdate.fields).toEqual([{ path: ['input', 'apnsP8'], message: expect.any(String) }]);
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('refuses both a certificate and a key for APNs before executing (@oneOf)', async () => {
    const { res } = await update({
      id: SHOP.id,
      credentials: {
        apns: {
          p12: { certificate: p12Of('a'), password: '' },
          p8: { key: p8Of('b'), keyId: 'ABC123DEFG', teamId: 'TEAM123456' },
        },
      },
    });
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(stack.upstreamCalls()).toEqual({});
  });
});

describe.each(KEY_CONFIGURATIONS)('credentials with %s', (name, options) => {
  it(
    name === 'app keys only' ? 'say the organization key is needed, with no call' : 'cost one update_app',
    async () => {
      const s = await startStack(options);
      try {
        const res = await s.gql<{ appUpdate: Loose }>(UPDATE, {
          input: {
            id: SHOP.id,
            credentials: { apns: { p12: { certificate: p12Of(canary('cfg')), password: 'pw' } } },
          },
        });
        if (name === 'app keys only') {
          expect(res.appUpdate).toMatchObject({ __typename: 'UpstreamError', code: 'KEY_MISSING' });
          expect(s.upstreamCalls()).toEqual({});
        } else {
          expect(res.appUpdate.__typename).toBe('AppUpdatePayload');
          expect(s.upstreamCalls()).toEqual({ update_app: 1 });
        }
      } finally {
        await s.close();
      }
    },
  );
});
