import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const DEMO_USER = DEMO.users[0]!;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.emulator.resetStats());

interface UserData {
  id: string;
  oneSignalId: string;
  externalId: string | null;
  aliases: { label: string; id: string }[];
  properties: {
    tags: { key: string; value: string }[];
    language: string | null;
    country: string | null;
    amountSpent: number | null;
    purchases: { sku: string; amount: string; currency: string }[];
    lastActive: string | null;
  };
  subscriptions: { oneSignalId: string; type: string; token: string | null }[];
}

const USER_FIELDS = `id oneSignalId externalId aliases { label id } properties { tags { key value } language country amountSpent purchases { sku amount currency } lastActive } subscriptions { oneSignalId type token }`;
const BY_ALIAS = `query($app: UUID!, $alias: UserRefInput!) { app(id: $app) { user(alias: $alias) { ${USER_FIELDS} } } }`;
const MUTATION_RESULT = `__typename ... on UserPayload { user { ${USER_FIELDS} } } ... on Error { code message } ... on ValidationError { fields { path } }`;

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

async function createUser(externalId: string, extra: Record<string, unknown> = {}) {
  const data = await stack.gql<{ userCreate: { __typename: string; user: UserData } }>(
    `mutation($input: UserCreateInput!) { userCreate(input: $input) { ${MUTATION_RESULT} } }`,
    { input: { appId: SHOP, aliases: [{ label: 'external_id', id: externalId }], ...extra } },
  );
  expect(data.userCreate.__typename).toBe('UserPayload');
  return data.userCreate.user;
}

describe('App.user', () => {
  it('fetches a user by external_id alias with aliases, properties and subscriptions from one fetch_user', async () => {
    const data = await stack.gql<{ app: { user: UserData } }>(BY_ALIAS, {
      app: SHOP,
      alias: { byAlias: { label: 'external_id', id: DEMO_USER.externalId } },
    });
    const user = data.app.user;
    expect(user.oneSignalId).toBe(DEMO_USER.onesignalId);
    expect(user.externalId).toBe(DEMO_USER.externalId);
    expect(user.aliases).toEqual([
      { label: 'external_id', id: DEMO_USER.externalId },
      { label: 'onesignal_id', id: DEMO_USER.onesignalId },
    ]);
    expect(user.subscriptions.map((s) => s.oneSignalId).sort()).toEqual(
      [...DEMO_USER.subscriptionIds].sort(),
    );
    expect(user.properties.tags.length).toBeGreaterThan(0);
    expect(stack.upstreamCalls()).toEqual({ fetch_user: 1 });
  });

  it('refetches a user by global id through node(id:)', async () => {
    const first = await stack.gql<{ app: { user: UserData } }>(BY_ALIAS, {
      app: SHOP,
      alias: { byId: DEMO_USER.onesignalId },
    });
    const again = await stack.gql<{ node: { externalId: string } }>(
      `query($id: ID!) { node(id: $id) { ... on User { externalId } } }`,
      { id: first.app.user.id },
    );
    expect(again.node.externalId).toBe(DEMO_USER.externalId);
  });

  it('resolves an unknown alias to null', async () => {
    const data = await stack.gql<{ app: { user: null } }>(BY_ALIAS, {
      app: SHOP,
      alias: { byAlias: { label: 'external_id', id: 'nobody-here' } },
    });
    expect(data.app.user).toBeNull();
  });

  // Both or neither member: a @oneOf violation, tested in test/http/one-of-errors.test.ts.
  it('rejects a reference with a bad alias or UUID before fetching the user', async () => {
    const badLabel = await stack.gqlRaw(BY_ALIAS, {
      app: SHOP,
      alias: { byAlias: { label: 'onesignal_id', id: 'nope' } },
    });
    expect(badLabel.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [{ path: ['alias', 'byAlias', 'id'] }],
    });
    const badUuid = await stack.gqlRaw(BY_ALIAS, { app: SHOP, alias: { byId: 'nope' } });
    expect(badUuid.errors?.length).toBeGreaterThan(0);
    expect(stack.upstreamCalls().fetch_user).toBeUndefined();
  });
});

describe('user mutations', () => {
  it('creates a user with properties and a subscription, then reads it back by its alias', async () => {
    const ext = unique('create');
    const created = await createUser(ext, {
      properties: { language: 'es', country: 'ES', tags: [{ key: 'plan', value: 'free' }], amountSpent: 3.5 },
      subscriptions: [{ type: 'EMAIL', token: `${ext}@example.com` }],
    });
    expect(created).toMatchObject({
      externalId: ext,
      properties: { language: 'es', country: 'ES', tags: [{ key: 'plan', value: 'free' }], amountSpent: 3.5 },
      subscriptions: [{ type: 'EMAIL', token: `${ext}@example.com` }],
    });
    const read = await stack.gql<{ app: { user: UserData } }>(BY_ALIAS, {
      app: SHOP,
      alias: { byAlias: { label: 'external_id', id: ext } },
    });
    expect(read.app.user).toEqual(created);
  });

  it('updates properties and applies deltas', async () => {
    const ext = unique('update');
    await createUser(ext);
    const data = await stack.gql<{ userUpdate: { __typename: string; user: UserData } }>(
      `mutation($input: UserUpdateInput!) { userUpdate(input: $input) { ${MUTATION_RESULT} } }`,
      {
        input: {
          appId: SHOP,
          user: { byAlias: { label: 'external_id', id: ext } },
          properties: { language: 'it', tags: [{ key: 'vip', value: 'yes' }] },
          deltas: { purchases: [{ sku: 'hat', amount: '9.99', currency: 'eur' }] },
        },
      },
    );
    expect(data.userUpdate.__typename).toBe('UserPayload');
    expect(data.userUpdate.user.properties).toMatchObject({
      language: 'it',
      tags: [{ key: 'vip', value: 'yes' }],
    });
    expect(data.userUpdate.user.properties.purchases).toContainEqual({
      sku: 'hat',
      amount: '9.99',
      currency: 'EUR',
    });
  });

  it('adds an alias, reads the user back by it, then deletes it again', async () => {
    const ext = unique('alias');
    const user = await createUser(ext);
    const crm = unique('crm');
    const added = await stack.gql<{ userAliasesAdd: { __typename: string; user: UserData } }>(
      `mutation($input: UserAliasesAddInput!) { userAliasesAdd(input: $input) { ${MUTATION_RESULT} } }`,
      { input: { appId: SHOP, user: { byId: user.oneSignalId }, aliases: [{ label: 'crm_id', id: crm }] } },
    );
    expect(added.userAliasesAdd.user.aliases).toContainEqual({ label: 'crm_id', id: crm });
    const byCrm = await stack.gql<{ app: { user: UserData } }>(BY_ALIAS, {
      app: SHOP,
      alias: { byAlias: { label: 'crm_id', id: crm } },
    });
    expect(byCrm.app.user.oneSignalId).toBe(user.oneSignalId);

    const removed = await stack.gql<{ userAliasDelete: { user: UserData } }>(
      `mutation($input: UserAliasDeleteInput!) { userAliasDelete(input: $input) { ${MUTATION_RESULT} } }`,
      { input: { appId: SHOP, user: { byId: user.oneSignalId }, label: 'crm_id' } },
    );
    expect(removed.userAliasDelete.user.aliases.map((a) => a.label)).toEqual(['external_id', 'onesignal_id']);
    const gone = await stack.gql<{ app: { user: null } }>(BY_ALIAS, {
      app: SHOP,
      alias: { byAlias: { label: 'crm_id', id: crm } },
    });
    expect(gone.app.user).toBeNull();
  });

  it('adds aliases through one of the user’s subscriptions', async () => {
    const ext = unique('subalias');
    const user = await createUser(ext, {
      subscriptions: [{ type: 'SMS', token: `+1555${String(Date.now()).slice(-7)}` }],
    });
    const subscriptionId = (
      await stack.gql<{ app: { user: { subscriptions: { id: string }[] } } }>(
        `query($app: UUID!, $id: UUID!) { app(id: $app) { user(alias: { byId: $id }) { subscriptions { id } } } }`,
        {
          app: SHOP,
          id: user.oneSignalId,
        },
      )
    ).app.user.subscriptions[0]!.id;
    const loyalty = unique('loyalty');
    const data = await stack.gql<{ subscriptionAliasesAdd: { __typename: string; user: UserData } }>(
      `mutation($input: SubscriptionAliasesAddInput!) { subscriptionAliasesAdd(input: $input) { ${MUTATION_RESULT} } }`,
      { input: { id: subscriptionId, aliases: [{ label: 'loyalty_id', id: loyalty }] } },
    );
    expect(data.subscriptionAliasesAdd.user.oneSignalId).toBe(user.oneSignalId);
    expect(data.subscriptionAliasesAdd.user.aliases).toContainEqual({ label: 'loyalty_id', id: loyalty });
  });

  it('deletes a user, after which every alias reads as null', async () => {
    const ext = unique('delete');
    const user = await createUser(ext);
    const data = await stack.gql<{ userDelete: { deletedUserId: string } }>(
      `mutation($input: UserDeleteInput!) { userDelete(input: $input) { ... on UserDeletePayload { deletedUserId } } }`,
      { input: { appId: SHOP, user: { byAlias: { label: 'external_id', id: ext } } } },
    );
    expect(data.userDelete.deletedUserId).toBe(user.id);
    const gone = await stack.gql<{ app: { a: null; b: null } }>(
      `query($app: UUID!, $id: UUID!, $ext: String!) { app(id: $app) { a: user(alias: { byId: $id }) { id } b: user(alias: { byAlias: { label: "external_id", id: $ext } }) { id } } }`,
      { app: SHOP, id: user.oneSignalId, ext },
    );
    expect(gone.app).toEqual({ a: null, b: null });
  });

  it('reports an alias owned by another user as ConflictError', async () => {
    const a = await createUser(unique('owner-a'));
    const bExt = unique('owner-b');
    await createUser(bExt);
    const data = await stack.gql<{ userAliasesAdd: { __typename: string; code: string } }>(
      `mutation($input: UserAliasesAddInput!) { userAliasesAdd(input: $input) { __typename ... on Error { code } } }`,
      {
        input: { appId: SHOP, user: { byId: a.oneSignalId }, aliases: [{ label: 'external_id', id: bExt }] },
      },
    );
    expect(data.userAliasesAdd).toEqual({ __typename: 'ConflictError', code: 'CONFLICT' });
  });

  it('returns ValidationError naming the field for invalid input, without calling OneSignal', async () => {
    const cases: [string, string, Record<string, unknown>, string[]][] = [
      // A user reference with both or neither member is a @oneOf violation: test/http/one-of-errors.test.ts.
      ['userUpdate', 'UserUpdateInput', { appId: SHOP, user: { byId: DEMO_USER.onesignalId } }, ['input']],
      [
        'userAliasesAdd',
        'UserAliasesAddInput',
        { appId: SHOP, user: { byId: DEMO_USER.onesignalId }, aliases: [{ label: 'onesignal_id', id: 'x' }] },
        ['input', 'aliases', '0', 'label'],
      ],
      [
        'userAliasesAdd',
        'UserAliasesAddInput',
        { appId: SHOP, user: { byId: DEMO_USER.onesignalId }, aliases: [] },
        ['input', 'aliases'],
      ],
      [
        'userAliasDelete',
        'UserAliasDeleteInput',
        { appId: SHOP, user: { byId: DEMO_USER.onesignalId }, label: 'onesignal_id' },
        ['input', 'label'],
      ],
      [
        'userCreate',
        'UserCreateInput',
        { appId: SHOP, subscriptions: [{ type: 'EMAIL', token: 'not-an-email' }] },
        ['input', 'subscriptions', '0', 'token'],
      ],
      [
        'userCreate',
        'UserCreateInput',
        { appId: SHOP, properties: { purchases: [{ sku: 'a', amount: 'lots', currency: 'USD' }] } },
        ['input', 'properties', 'purchases', '0', 'amount'],
      ],
      [
        'userDelete',
        'UserDeleteInput',
        { appId: 'Zm9v', user: { byId: DEMO_USER.onesignalId } },
        ['input', 'appId'],
      ],
    ];
    for (const [name, type, input, path] of cases) {
      const data = await stack.gql<
        Record<string, { __typename: string; code: string; fields: { path: string[] }[] }>
      >(
        `mutation($input: ${type}!) { ${name}(input: $input) { __typename ... on ValidationError { code fields { path } } } }`,
        { input },
      );
      expect(data[name], `${name} ${JSON.stringify(input)}`).toMatchObject({
        __typename: 'ValidationError',
        code: 'VALIDATION_FAILED',
        fields: [{ path }],
      });
    }
    expect(stack.emulator.stats().total).toBe(0);
  });
});
