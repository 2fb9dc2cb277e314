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

interface SubscriptionData {
  id: string;
  oneSignalId: string;
  type: string;
  token: string | null;
  enabled: boolean;
  notificationTypes: number | null;
  sessionCount: number | null;
  deviceModel: string | null;
  appVersion: string | null;
  user: { oneSignalId: string; externalId: string | null };
}

const SUB_FIELDS = `id oneSignalId type token enabled notificationTypes sessionCount deviceModel appVersion user { oneSignalId externalId }`;
const RESULT = `__typename ... on SubscriptionPayload { subscription { ${SUB_FIELDS} } user { oneSignalId externalId subscriptions { oneSignalId } } } ... on Error { code message } ... on ValidationError { fields { path } }`;

let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

async function subscriptionsOf(onesignalId: string) {
  const data = await stack.gql<{ app: { user: { subscriptions: SubscriptionData[] } } }>(
    `query($app: UUID!, $id: UUID!) { app(id: $app) { user(alias: { byId: $id }) { subscriptions { ${SUB_FIELDS} } } } }`,
    { app: SHOP, id: onesignalId },
  );
  return data.app.user.subscriptions;
}

/** Setup for tests about what happens to a subscription after it exists. */
async function createSubscription(ownerId: string, fields: Record<string, unknown>) {
  const data = await stack.gql<{ subscriptionCreate: { subscription: SubscriptionData } }>(
    `mutation($input: SubscriptionCreateInput!) { subscriptionCreate(input: $input) { ${RESULT} } }`,
    { input: { appId: SHOP, user: { byId: ownerId }, ...fields } },
  );
  return data.subscriptionCreate.subscription;
}

async function createUser(externalId: string) {
  const data = await stack.gql<{ userCreate: { user: { oneSignalId: string } } }>(
    `mutation($input: UserCreateInput!) { userCreate(input: $input) { ... on UserPayload { user { oneSignalId } } } }`,
    { input: { appId: SHOP, aliases: [{ label: 'external_id', id: externalId }] } },
  );
  return data.userCreate.user;
}

describe('Subscription reads', () => {
  it('lists a user’s subscriptions with their owner, the owner costing no extra request', async () => {
    const subs = await subscriptionsOf(DEMO_USER.onesignalId);
    expect(subs.map((s) => s.oneSignalId).sort()).toEqual([...DEMO_USER.subscriptionIds].sort());
    for (const s of subs)
      expect(s.user).toEqual({ oneSignalId: DEMO_USER.onesignalId, externalId: DEMO_USER.externalId });
    const email = subs.find((s) => s.type === 'EMAIL');
    expect(email?.token).toBe(DEMO_USER.emails[0]);
    expect(stack.upstreamCalls()).toEqual({ fetch_user: 1 });
  });

  it('loads a subscription by global id with one fetch_aliases and one fetch_user, its owner included', async () => {
    const [known] = await subscriptionsOf(DEMO_USER.onesignalId);
    stack.emulator.resetStats();
    const data = await stack.gql<{ node: SubscriptionData }>(
      `query($id: ID!) { node(id: $id) { ... on Subscription { ${SUB_FIELDS} } } }`,
      { id: known!.id },
    );
    expect(data.node).toEqual(known);
    expect(stack.upstreamCalls()).toEqual({ fetch_aliases: 1, fetch_user: 1 });
  });

  it('resolves the owner of a subscription through fetch_aliases when only the subscription is known', async () => {
    const [known] = await subscriptionsOf(DEMO_USER.onesignalId);
    const data = await stack.gql<{ nodes: ({ user: { externalId: string } } | null)[] }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Subscription { user { externalId } } } }`,
      {
        ids: [
          known!.id,
          Buffer.from(`Subscription:${SHOP}/00000000-0000-4000-8000-000000000000`).toString('base64url'),
        ],
      },
    );
    expect(data.nodes).toEqual([{ user: { externalId: DEMO_USER.externalId } }, null]);
  });

  it('lists the in-app messages a push subscription is eligible for, and none for email', async () => {
    const subs = await subscriptionsOf(DEMO_USER.onesignalId);
    const push = subs.find((s) => s.type.endsWith('_PUSH') && s.enabled)!;
    const email = subs.find((s) => s.type === 'EMAIL')!;
    stack.emulator.resetStats();
    const data = await stack.gql<{
      push: {
        eligibleInAppMessages: { oneSignalId: string; name: string; manifest: Record<string, unknown> }[];
      };
      email: { eligibleInAppMessages: unknown[] };
    }>(
      `query($push: ID!, $email: ID!) {
        push: node(id: $push) { ... on Subscription { eligibleInAppMessages { oneSignalId name manifest } } }
        email: node(id: $email) { ... on Subscription { eligibleInAppMessages { oneSignalId } } }
      }`,
      { push: push.id, email: email.id },
    );
    expect(data.push.eligibleInAppMessages.length).toBeGreaterThan(0);
    for (const m of data.push.eligibleInAppMessages) expect(m.manifest.id).toBe(m.oneSignalId);
    expect(data.email.eligibleInAppMessages).toEqual([]);
    // Both subscriptions belong to one user: one fetch_aliases each, but fetch_user only once.
    expect(stack.upstreamCalls()).toEqual({ fetch_aliases: 2, fetch_user: 1, get_eligible_iams: 2 });
  });

  it('rejects a malformed subscription id before any upstream call', async () => {
    const res = await stack.gqlRaw(`query { node(id: "%%%") { id } }`);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(stack.emulator.stats().total).toBe(0);
  });
});

describe('Subscription mutations', () => {
  it('creates a subscription on a user referenced by alias and reads it back through node(id:)', async () => {
    const ext = unique('sub-create');
    const owner = await createUser(ext);
    const token = `${ext}@example.com`;
    const data = await stack.gql<{
      subscriptionCreate: {
        __typename: string;
        subscription: SubscriptionData;
        user: { oneSignalId: string; subscriptions: { oneSignalId: string }[] };
      };
    }>(`mutation($input: SubscriptionCreateInput!) { subscriptionCreate(input: $input) { ${RESULT} } }`, {
      input: {
        appId: SHOP,
        user: { byAlias: { label: 'external_id', id: ext } },
        type: 'EMAIL',
        token,
        enabled: true,
      },
    });
    expect(data.subscriptionCreate.__typename).toBe('SubscriptionPayload');
    const { subscription, user } = data.subscriptionCreate;
    expect(subscription).toMatchObject({
      type: 'EMAIL',
      token,
      enabled: true,
      user: { oneSignalId: owner.oneSignalId, externalId: ext },
    });
    expect(user.subscriptions.map((s) => s.oneSignalId)).toContain(subscription.oneSignalId);
    const again = await stack.gql<{ node: { token: string } }>(
      `query($id: ID!) { node(id: $id) { ... on Subscription { token } } }`,
      { id: subscription.id },
    );
    expect(again.node.token).toBe(token);
  });

  it('updates a subscription and returns the new values', async () => {
    const ext = unique('sub-update');
    const owner = await createUser(ext);
    const created = await createSubscription(owner.oneSignalId, {
      type: 'ANDROID_PUSH',
      token: 'f'.repeat(64),
      appVersion: '1.0',
    });
    const data = await stack.gql<{ subscriptionUpdate: { subscription: SubscriptionData } }>(
      `mutation($input: SubscriptionUpdateInput!) { subscriptionUpdate(input: $input) { ${RESULT} } }`,
      { input: { id: created.id, appVersion: '2.0', enabled: false } },
    );
    expect(data.subscriptionUpdate.subscription).toMatchObject({
      appVersion: '2.0',
      enabled: false,
      user: { oneSignalId: owner.oneSignalId },
    });
  });

  it('transfers a subscription to another user and reports the new owner, who then lists it', async () => {
    const fromExt = unique('from');
    const toExt = unique('to');
    const from = await createUser(fromExt);
    const to = await createUser(toExt);
    const subscription = await createSubscription(from.oneSignalId, {
      type: 'SMS',
      token: `+4915${String(Date.now()).slice(-8)}`,
    });
    const data = await stack.gql<{
      subscriptionTransfer: {
        __typename: string;
        subscription: SubscriptionData;
        user: { oneSignalId: string; externalId: string };
      };
    }>(`mutation($input: SubscriptionTransferInput!) { subscriptionTransfer(input: $input) { ${RESULT} } }`, {
      input: { id: subscription.id, to: { byAlias: { label: 'external_id', id: toExt } } },
    });
    expect(data.subscriptionTransfer.__typename).toBe('SubscriptionPayload');
    expect(data.subscriptionTransfer.user).toMatchObject({ oneSignalId: to.oneSignalId, externalId: toExt });
    expect(data.subscriptionTransfer.subscription.user.oneSignalId).toBe(to.oneSignalId);
    expect((await subscriptionsOf(to.oneSignalId)).map((s) => s.oneSignalId)).toContain(
      subscription.oneSignalId,
    );
    expect((await subscriptionsOf(from.oneSignalId)).map((s) => s.oneSignalId)).not.toContain(
      subscription.oneSignalId,
    );
  });

  it('deletes a subscription, after which it reads as null', async () => {
    const owner = await createUser(unique('sub-delete'));
    const created = await createSubscription(owner.oneSignalId, {
      type: 'EMAIL',
      token: `${unique('gone')}@example.com`,
    });
    const id = created.id;
    const data = await stack.gql<{ subscriptionDelete: { deletedSubscriptionId: string } }>(
      `mutation($id: ID!) { subscriptionDelete(input: { id: $id }) { ... on SubscriptionDeletePayload { deletedSubscriptionId } } }`,
      { id },
    );
    expect(data.subscriptionDelete.deletedSubscriptionId).toBe(id);
    const after = await stack.gql<{ node: null }>(`query($id: ID!) { node(id: $id) { id } }`, { id });
    expect(after.node).toBeNull();
  });

  it('returns ValidationError naming the field for invalid input, without calling OneSignal', async () => {
    const subId = Buffer.from(`Subscription:${SHOP}/${DEMO_USER.subscriptionIds[0]}`).toString('base64url');
    const cases: [string, string, Record<string, unknown>, string[]][] = [
      // A user reference with both or neither member is a @oneOf violation: test/http/one-of-errors.test.ts.
      [
        'subscriptionCreate',
        'SubscriptionCreateInput',
        { appId: SHOP, user: { byId: DEMO_USER.onesignalId }, type: 'SMS', token: '12345' },
        ['input', 'token'],
      ],
      [
        'subscriptionCreate',
        'SubscriptionCreateInput',
        { appId: SHOP, user: { byId: DEMO_USER.onesignalId }, type: 'UNKNOWN' },
        ['input', 'type'],
      ],
      ['subscriptionUpdate', 'SubscriptionUpdateInput', { id: subId }, ['input']],
      ['subscriptionUpdate', 'SubscriptionUpdateInput', { id: 'bogus', enabled: true }, ['input', 'id']],
      [
        'subscriptionDelete',
        'SubscriptionDeleteInput',
        { id: Buffer.from(`Player:${SHOP}/${DEMO_USER.subscriptionIds[0]}`).toString('base64url') },
        ['input', 'id'],
      ],
      [
        'subscriptionAliasesAdd',
        'SubscriptionAliasesAddInput',
        {
          id: subId,
          aliases: [
            { label: 'a', id: '1' },
            { label: 'a', id: '2' },
          ],
        },
        ['input', 'aliases', '1', 'label'],
      ],
    ];
    for (const [name, type, input, path] of cases) {
      const data = await stack.gql<Record<string, unknown>>(
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

  it('reports an unknown target user of a transfer as NotFoundError', async () => {
    const owner = await createUser(unique('lonely'));
    const created = await createSubscription(owner.oneSignalId, {
      type: 'EMAIL',
      token: `${unique('t')}@example.com`,
    });
    const data = await stack.gql<{ subscriptionTransfer: { __typename: string; code: string } }>(
      `mutation($input: SubscriptionTransferInput!) { subscriptionTransfer(input: $input) { __typename ... on Error { code } } }`,
      {
        input: {
          id: created.id,
          to: { byAlias: { label: 'external_id', id: 'no-such-user' } },
        },
      },
    );
    expect(data.subscriptionTransfer).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });
});

// biome-ignore lint/suspicious/noExplicitAny: answers are loosely typed JSON, narrowed by each assertion
type Loose = Record<string, any>;

const BY_TOKEN = /* GraphQL */ `
  mutation ($input: SubscriptionUpdateByTokenInput!) {
    subscriptionUpdateByToken(input: $input) {
      __typename
      ... on SubscriptionUpdateByTokenPayload { app { id } type token }
      ... on ValidationError { fields { path message } }
      ... on Error { code message }
    }
  }
`;

const SUBSCRIPTIONS = /* GraphQL */ `
  query ($app: UUID!, $externalId: String!) {
    app(id: $app) {
      user(alias: { byAlias: { label: "external_id", id: $externalId } }) {
        subscriptions { type token enabled notificationTypes }
      }
    }
  }
`;

describe('subscriptionUpdateByToken', () => {
  it('changes the subscription with that email address: one upstream write', async () => {
    const email = DEMO_USER.emails[0] as string;
    const { subscriptionUpdateByToken } = await stack.gql<{ subscriptionUpdateByToken: Loose }>(BY_TOKEN, {
      input: { appId: SHOP, type: 'EMAIL', token: email, enabled: false },
    });
    expect(subscriptionUpdateByToken).toEqual({
      __typename: 'SubscriptionUpdateByTokenPayload',
      app: { id: expect.any(String) },
      type: 'EMAIL',
      token: email,
    });
    // The write only: the payload's `app { id }` needs no read of the app.
    expect(stack.upstreamCalls()).toEqual({ update_subscription_by_token: 1 });

    const read = await stack.gql<{ app: Loose }>(SUBSCRIPTIONS, {
      app: SHOP,
      externalId: DEMO_USER.externalId,
    });
    const emailSub = read.app.user.subscriptions.find((s: Loose) => s.token === email);
    expect(emailSub).toEqual({ type: 'EMAIL', token: email, enabled: false, notificationTypes: -2 });

    stack.emulator.resetStats();
    await stack.gql(
      `mutation ($input: SubscriptionUpdateByTokenInput!) {
        subscriptionUpdateByToken(input: $input) { ... on SubscriptionUpdateByTokenPayload { token } } }`,
      { input: { appId: SHOP, type: 'EMAIL', token: email, enabled: true } },
    );
    // Without `app` selected, the write alone.
    expect(stack.upstreamCalls()).toEqual({ update_subscription_by_token: 1 });
    const back = await stack.gql<{ app: Loose }>(SUBSCRIPTIONS, {
      app: SHOP,
      externalId: DEMO_USER.externalId,
    });
    expect(back.app.user.subscriptions.find((s: Loose) => s.token === email)).toMatchObject({
      enabled: true,
      notificationTypes: 1,
    });
  });

  it('answers NotFoundError for a token of another type or none, and ValidationError before any request', async () => {
    const email = DEMO_USER.emails[0] as string;
    const wrongType = await stack.gql<{ subscriptionUpdateByToken: Loose }>(BY_TOKEN, {
      input: { appId: SHOP, type: 'SMS', token: '+15550000000', enabled: false },
    });
    expect(wrongType.subscriptionUpdateByToken).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
    });
    expect(stack.upstreamCalls()).toEqual({ update_subscription_by_token: 1 });

    stack.emulator.resetStats();
    const badEmail = await stack.gql<{ subscriptionUpdateByToken: Loose }>(BY_TOKEN, {
      input: { appId: SHOP, type: 'EMAIL', token: 'not-an-email', enabled: false },
    });
    expect(badEmail.subscriptionUpdateByToken).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: ['input', 'token'] }],
    });
    const nothing = await stack.gql<{ subscriptionUpdateByToken: Loose }>(BY_TOKEN, {
      input: { appId: SHOP, type: 'EMAIL', token: email },
    });
    expect(nothing.subscriptionUpdateByToken.__typename).toBe('ValidationError');
    expect(stack.upstreamCalls()).toEqual({});
  });
});
