import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!;
const NEWS = DEMO.apps[1]!;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.emulator.resetStats());

type AppData = {
  id: string;
  oneSignalId: string;
  name: string;
  playerCount: number | null;
  messageablePlayerCount: number | null;
  createdAt: string | null;
  apnsEnvironment: string | null;
};

describe('apps', () => {
  it('lists every app of the organization with one get_apps', async () => {
    const { apps } = await stack.gql<{ apps: AppData[] }>(
      '{ apps { id oneSignalId name playerCount createdAt } }',
    );
    expect(apps.map((a) => a.oneSignalId).sort()).toEqual([SHOP.id, NEWS.id].sort());
    expect(apps.find((a) => a.oneSignalId === SHOP.id)?.name).toBe('Demo Shop');
    expect(apps.find((a) => a.oneSignalId === SHOP.id)?.playerCount).toBe(DEMO.counts[SHOP.id]!.players);
    expect(stack.upstreamCalls()).toEqual({ get_apps: 1 });
  });

  it('reads one app by id, with counts and dates, and refetches it by its global id', async () => {
    const { app } = await stack.gql<{ app: AppData }>(
      `{ app(id: "${SHOP.id}") { id oneSignalId name playerCount messageablePlayerCount createdAt } }`,
    );
    expect(app).toMatchObject({
      oneSignalId: SHOP.id,
      name: 'Demo Shop',
      playerCount: DEMO.counts[SHOP.id]!.players,
    });
    expect(app.messageablePlayerCount).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(app.createdAt ?? ''))).toBe(false);
    const { node } = await stack.gql<{ node: { name: string } }>(
      `{ node(id: "${app.id}") { ... on App { name } } }`,
    );
    expect(node.name).toBe('Demo Shop');
  });

  it('answers null for an app that does not exist', async () => {
    const { app } = await stack.gql<{ app: null }>(
      '{ app(id: "99999999-9999-4999-8999-999999999999") { name } }',
    );
    expect(app).toBeNull();
  });

  it('never exposes an app secret in the schema', async () => {
    const { __type } = await stack.gql<{ __type: { fields: { name: string }[] } }>(
      '{ __type(name: "App") { fields { name } } }',
    );
    const names = __type.fields.map((f) => f.name.toLowerCase());
    for (const secret of [
      'basicauthkey',
      'apnsp12',
      'apnsp12password',
      'apnsp8',
      'gcmkey',
      'chromekey',
      'safariapnsp12',
      'safariapnsp12password',
    ]) {
      expect(names).not.toContain(secret);
    }
    const res = await stack.gqlRaw(`{ app(id: "${SHOP.id}") { id } }`);
    expect(JSON.stringify(res)).not.toContain(SHOP.restApiKey);
  });

  it('creates an app and updates its settings', async () => {
    const created = await stack.gql<{ appCreate: { __typename: string; app: AppData } }>(
      `mutation { appCreate(input: { name: "Test App", apnsEnvironment: SANDBOX, siteName: "Test" }) { __typename ... on AppCreatePayload { app { oneSignalId name apnsEnvironment } } } }`,
    );
    expect(created.appCreate.__typename).toBe('AppCreatePayload');
    expect(created.appCreate.app).toMatchObject({ name: 'Test App', apnsEnvironment: 'SANDBOX' });
    const id = created.appCreate.app.oneSignalId;

    const updated = await stack.gql<{ appUpdate: { app: AppData & { siteName: string } } }>(
      `mutation($id: ID!) { appUpdate(input: { id: $id, name: "Renamed", apnsEnvironment: PRODUCTION }) { ... on AppUpdatePayload { app { oneSignalId name apnsEnvironment siteName } } } }`,
      { id },
    );
    expect(updated.appUpdate.app).toMatchObject({
      oneSignalId: id,
      name: 'Renamed',
      apnsEnvironment: 'PRODUCTION',
      siteName: 'Test',
    });
    const { app } = await stack.gql<{ app: AppData }>(`{ app(id: "${id}") { name } }`);
    expect(app.name).toBe('Renamed');
  });

  it('round-trips every platform setting through appUpdate, addressed by the App global id', async () => {
    const { appCreate } = await stack.gql<{ appCreate: { app: { id: string } } }>(
      'mutation { appCreate(input: { name: "Settings App" }) { ... on AppCreatePayload { app { id } } } }',
    );
    const settings = {
      additionalDataIsRootPayload: true,
      androidGcmSenderId: '123456789012',
      apnsBundleId: 'com.example.shop',
      apnsKeyId: 'ABC123DEFG',
      apnsTeamId: 'TEAM123456',
      chromeWebDefaultNotificationIcon: 'https://shop.example.com/icon.png',
      chromeWebOrigin: 'https://shop.example.com',
      chromeWebSubDomain: 'shop',
      organizationId: 'org-42',
      safariSiteOrigin: 'https://shop.example.com',
      siteName: 'Example Shop',
    };
    const fields = Object.keys(settings).join(' ');
    const { appUpdate } = await stack.gql<{ appUpdate: { app: Record<string, unknown> } }>(
      `mutation($input: AppUpdateInput!) { appUpdate(input: $input) { ... on AppUpdatePayload { app { ${fields} } } } }`,
      { input: { id: appCreate.app.id, ...settings } },
    );
    expect(appUpdate.app).toEqual(settings);
    // Read back through a fresh request, not the mutation's answer.
    const { node } = await stack.gql<{ node: Record<string, unknown> }>(
      `query($id: ID!) { node(id: $id) { ... on App { ${fields} apnsConfigured safariPushId } } }`,
      { id: appCreate.app.id },
    );
    expect(node).toMatchObject(settings);
    expect(node.apnsConfigured).toBe(false);
    // OneSignal derives the Safari web push id once a Safari origin is set.
    expect(node.safariPushId).toMatch(/^web\.onesignal\.auto\./);
  });

  it('rejects an empty app name without calling OneSignal', async () => {
    const { appCreate } = await stack.gql<{
      appCreate: { __typename: string; code: string; fields: { path: string[] }[] };
    }>(
      'mutation { appCreate(input: { name: "  " }) { __typename ... on ValidationError { code fields { path } } } }',
    );
    expect(appCreate).toMatchObject({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      fields: [{ path: ['input', 'name'] }],
    });
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('reports updating an unknown app as NotFoundError', async () => {
    const { appUpdate } = await stack.gql<{ appUpdate: { __typename: string; code: string } }>(
      'mutation { appUpdate(input: { id: "99999999-9999-4999-8999-999999999999", name: "x" }) { __typename ... on Error { code } } }',
    );
    expect(appUpdate).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });
});
