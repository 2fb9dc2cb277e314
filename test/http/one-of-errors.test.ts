/**
 * `@oneOf` inputs: which input types are one-of (introspection names the exact set, so a new
 * either-or input without `@oneOf` fails here), and how a violation answers: `VALIDATION_FAILED`
 * with the input's path in `fields`, whether the object is a literal or a variable, in a query or a
 * mutation, before any upstream call in every key configuration.
 */
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { KEY_CONFIGURATIONS } from '../helpers/key-configurations.js';
import { useStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const USER = DEMO.users[0]!;
const SUBSCRIPTION = Buffer.from(`Subscription:${SHOP}/${USER.subscriptionIds[0]}`).toString('base64url');

/** Every input that takes exactly one of its fields. Add a new one here only with `isOneOf: true`. */
const ONE_OF_INPUTS = [
  'ApnsCredentialInput',
  'FilterInput',
  'LiveActivityTargetInput',
  'NotificationTargetInput',
  'UserRefInput',
];

const USER_REF = 'give exactly one of byId, byAlias (UserRefInput is @oneOf)';
const TARGET =
  'give exactly one of segments, filters, aliases, subscriptionIds, emails, phoneNumbers (NotificationTargetInput is @oneOf)';

describe('the one-of inputs', () => {
  const stack = useStack();

  it('are exactly the inputs that take one of their fields, each marked isOneOf in introspection', async () => {
    const data = await stack.gql<{
      __schema: {
        types: { name: string; kind: string; description: string | null; isOneOf: boolean | null }[];
      };
    }>('{ __schema { types { name kind description isOneOf } } }');
    const inputs = data.__schema.types.filter((t) => t.kind === 'INPUT_OBJECT');
    expect(
      inputs
        .filter((t) => t.isOneOf)
        .map((t) => t.name)
        .sort(),
    ).toEqual(ONE_OF_INPUTS);
    // A description promising "exactly one" is a one-of input, so it must be in the list above.
    const promised = inputs.filter((t) => /exactly one/i.test(t.description ?? '')).map((t) => t.name);
    expect(promised.filter((name) => !ONE_OF_INPUTS.includes(name))).toEqual([]);
  });
});

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  status: number;
  path: string[];
  message: string;
}

const CASES: Case[] = [
  {
    name: 'a query literal with both members',
    query: `{ app(id: "${SHOP}") { user(alias: { byId: "${USER.onesignalId}", byAlias: { label: "external_id", id: "x" } }) { id } } }`,
    status: 400,
    path: ['alias'],
    message: `${USER_REF}; got byId and byAlias.`,
  },
  {
    name: 'a query variable with no member',
    query: `query($u: UserRefInput!) { app(id: "${SHOP}") { user(alias: $u) { id } } }`,
    variables: { u: {} },
    status: 400,
    path: ['u'],
    message: `${USER_REF}; got none.`,
  },
  {
    name: 'a query literal with two targeting modes',
    query: `{ app(id: "${SHOP}") { recipientEstimate(targeting: { segments: { include: ["VIP Customers"] }, aliases: { label: "external_id", ids: ["x"] } }) { count } } }`,
    status: 400,
    path: ['targeting'],
    message: `${TARGET}; got segments and aliases.`,
  },
  {
    name: 'a mutation variable with no member',
    query: `mutation($input: UserUpdateInput!) { userUpdate(input: $input) { __typename } }`,
    variables: { input: { appId: SHOP, user: {}, properties: { language: 'en' } } },
    status: 400,
    path: ['input', 'user'],
    message: `${USER_REF}; got none.`,
  },
  {
    name: 'a mutation variable with both members',
    query: `mutation($input: SubscriptionTransferInput!) { subscriptionTransfer(input: $input) { __typename } }`,
    variables: {
      input: { id: SUBSCRIPTION, to: { byId: USER.onesignalId, byAlias: { label: 'external_id', id: 'x' } } },
    },
    status: 400,
    path: ['input', 'to'],
    message: `${USER_REF}; got byId and byAlias.`,
  },
  {
    name: 'a mutation literal whose one member is null',
    query: `mutation { userDelete(input: { appId: "${SHOP}", user: { byId: null } }) { __typename } }`,
    status: 400,
    path: ['input', 'user', 'byId'],
    message: 'must not be null: UserRefInput is @oneOf, so give its one member a value (byId, byAlias).',
  },
  {
    name: 'a mutation variable with an empty entry in a list of one-of inputs',
    query: `mutation($input: NotificationCreateInput!) { notificationCreate(input: $input) { __typename } }`,
    variables: {
      input: {
        appId: SHOP,
        contents: [{ language: 'en', text: 'Hi' }],
        target: { filters: [{ condition: { field: 'TAG', key: 'tier', relation: 'EXISTS' } }, {}] },
      },
    },
    status: 400,
    path: ['input', 'target', 'filters', '1'],
    message: 'give exactly one of condition, location, operator (FilterInput is @oneOf); got none.',
  },
  {
    name: 'a mutation literal with an entry of two members in a list',
    query: `mutation { customEventCreate(input: { appId: "${SHOP}", events: [{ name: "a", user: { byId: "${USER.onesignalId}" } }, { name: "b", user: { byId: "${USER.onesignalId}", byAlias: { label: "external_id", id: "x" } } }] }) { __typename } }`,
    status: 400,
    path: ['input', 'events', '1', 'user'],
    message: `${USER_REF}; got byId and byAlias.`,
  },
  {
    name: 'a mutation literal whose only member is a variable left out',
    query: `mutation($id: ID!, $user: UUID) { subscriptionTransfer(input: { id: $id, to: { byId: $user } }) { __typename } }`,
    variables: { id: SUBSCRIPTION },
    // Validation passes it; graphql-js alone would refuse it as a field error, after the parents ran.
    status: 400,
    path: ['input', 'to'],
    message: `${USER_REF}; got none.`,
  },
  {
    name: 'a query literal whose only member is a variable set to null',
    query: `query($s: SegmentTargetInput) { app(id: "${SHOP}") { recipientEstimate(targeting: { segments: $s }) { count } } }`,
    variables: { s: null },
    status: 400,
    path: ['targeting', 'segments'],
    message:
      'must not be null: NotificationTargetInput is @oneOf, so give its one member a value (segments, filters, aliases, subscriptionIds, emails, phoneNumbers).',
  },
];

describe.each(KEY_CONFIGURATIONS)('a @oneOf violation, with %s', (_, options) => {
  const stack = useStack(options);

  it.each(CASES)('in $name answers VALIDATION_FAILED with its input path and no upstream call', async (c) => {
    const res = await stack.gqlRaw(c.query, c.variables);
    expect(res.status).toBe(c.status);
    expect(res.errors).toHaveLength(1);
    const [error] = res.errors ?? [];
    expect(error?.message).toBe(`${c.path.join('.')}: ${c.message}`);
    expect(error?.extensions).toEqual({
      code: 'VALIDATION_FAILED',
      fields: [{ path: c.path, message: c.message }],
    });
    expect(res.data).toBeUndefined();
    // The same document again, now from Yoga's parse and validation caches: the same answer.
    expect(await stack.gqlRaw(c.query, c.variables)).toEqual(res);
    expect(stack.upstreamCalls()).toEqual({});
  });
});

describe('a one-of literal with a variable for its member', () => {
  const stack = useStack();

  it('runs as usual when the variable holds a value', async () => {
    const data = await stack.gql<{ app: { user: { oneSignalId: string } } }>(
      `query($id: UUID) { app(id: "${SHOP}") { user(alias: { byId: $id }) { oneSignalId } } }`,
      { id: USER.onesignalId },
    );
    expect(data.app.user.oneSignalId).toBe(USER.onesignalId);
    expect(stack.upstreamCalls()).toEqual({ fetch_user: 1 });
  });
});
