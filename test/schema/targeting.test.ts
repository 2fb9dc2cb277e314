/**
 * Who a message reaches (src/schema/targeting.ts): each member of `NotificationCreateInput.target`
 * reaches OneSignal under its exact wire fields (what the emulator received, as sent) and reads back
 * on `Notification.target`; the @oneOf input refuses two members; and every targeting and filter
 * rule answers with its path and no upstream call.
 */
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { SHOP } from '../helpers/emulator.js';
import { useStack } from '../helpers/stack.js';

const stack = useStack();

// biome-ignore lint/suspicious/noExplicitAny: answers are loosely typed JSON, narrowed by each assertion
type Loose = Record<string, any>;

const [alice] = DEMO.users as [(typeof DEMO.users)[number]];
/** The demo shop's second user has an SMS subscription (`+1555` and the user's number). */
const SMS_NUMBER = '+15550000002';

const SEND = `mutation Send($input: NotificationCreateInput!) {
  notificationCreate(input: $input) {
    __typename
    ... on NotificationCreatePayload { notificationId recipientCount }
    ... on Error { code message }
    ... on ValidationError { fields { path message } }
  }
}`;

const TARGET_SELECTION = `channel target {
  segments { include exclude }
  filters {
    __typename
    ... on FilterCondition { fieldName field key relation value hoursAgo }
    ... on FilterLocation { radiusMeters latitude longitude }
    ... on FilterJoin { operator }
  }
  aliases { label ids }
  subscriptionIds emails phoneNumbers
}`;

async function send(input: Record<string, unknown>): Promise<Loose> {
  const { notificationCreate } = await stack.gql<{ notificationCreate: Loose }>(SEND, {
    input: { appId: SHOP.id, ...input },
  });
  return notificationCreate;
}

const received = () => stack.emulator.received('create_notification').at(-1) as Loose;

/** The paths a send's ValidationError names, joined with dots. */
const paths = (result: Loose): string[] =>
  (result.fields as { path: string[] }[]).map((f) => f.path.join('.'));

const PUSH_CONTENT = { contents: [{ language: 'en', text: 'Hello' }] };
/** A NotificationTarget with every member null, to spread the one that is set over. */
const NO_TARGET = {
  segments: null,
  filters: null,
  aliases: null,
  subscriptionIds: null,
  emails: null,
  phoneNumbers: null,
};

interface MemberCase {
  /** The other fields the send needs on its channel. */
  input: Record<string, unknown>;
  target: Record<string, unknown>;
  /** The wire fields OneSignal must receive (every targeting field, target_channel included). */
  wire: Record<string, unknown>;
  /** `Notification.target` as it reads back. */
  readBack: Record<string, unknown>;
}

const MEMBERS: Record<string, MemberCase> = {
  segments: {
    input: PUSH_CONTENT,
    target: { segments: { include: ['VIP Customers'], exclude: ['German Speakers'] } },
    wire: {
      included_segments: ['VIP Customers'],
      excluded_segments: ['German Speakers'],
      target_channel: 'push',
    },
    readBack: {
      segments: { include: ['VIP Customers'], exclude: ['German Speakers'] },
      channel: 'PUSH',
    },
  },
  filters: {
    input: PUSH_CONTENT,
    target: {
      filters: [
        { condition: { field: 'TAG', key: 'tier', relation: 'EQUALS', value: 'gold' } },
        { operator: 'OR' },
        { condition: { field: 'LAST_SESSION', relation: 'LESS_THAN', hoursAgo: 1.5 } },
        { operator: 'AND' },
        { location: { radiusMeters: 1000, latitude: 37.77, longitude: -122.43 } },
      ],
    },
    wire: {
      filters: [
        { field: 'tag', key: 'tier', relation: '=', value: 'gold' },
        { operator: 'OR' },
        { field: 'last_session', relation: '<', hours_ago: '1.5' },
        { operator: 'AND' },
        { field: 'location', radius: '1000', lat: '37.77', long: '-122.43' },
      ],
      target_channel: 'push',
    },
    readBack: {
      filters: [
        {
          __typename: 'FilterCondition',
          fieldName: 'tag',
          field: 'TAG',
          key: 'tier',
          relation: 'EQUALS',
          value: 'gold',
          hoursAgo: null,
        },
        { __typename: 'FilterJoin', operator: 'OR' },
        {
          __typename: 'FilterCondition',
          fieldName: 'last_session',
          field: 'LAST_SESSION',
          key: null,
          relation: 'LESS_THAN',
          value: null,
          hoursAgo: 1.5,
        },
        { __typename: 'FilterJoin', operator: 'AND' },
        { __typename: 'FilterLocation', radiusMeters: 1000, latitude: 37.77, longitude: -122.43 },
      ],
      channel: 'PUSH',
    },
  },
  aliases: {
    input: PUSH_CONTENT,
    target: { aliases: { label: 'external_id', ids: [alice.externalId] } },
    wire: { include_aliases: { external_id: [alice.externalId] }, target_channel: 'push' },
    readBack: { aliases: [{ label: 'external_id', ids: [alice.externalId] }], channel: 'PUSH' },
  },
  subscriptionIds: {
    input: PUSH_CONTENT,
    target: { subscriptionIds: [DEMO.subscriptionIds[0]] },
    wire: { include_subscription_ids: [DEMO.subscriptionIds[0]], target_channel: 'push' },
    readBack: { subscriptionIds: [DEMO.subscriptionIds[0]], channel: 'PUSH' },
  },
  emails: {
    // No channel given: `emails` implies EMAIL, so the email group's subject and body are what it needs.
    input: { email: { subject: 'Hello', body: '<p>Hello</p>' } },
    target: { emails: alice.emails },
    wire: { include_email_tokens: alice.emails, target_channel: 'email' },
    readBack: { emails: alice.emails, channel: 'EMAIL' },
  },
  phoneNumbers: {
    input: { ...PUSH_CONTENT, name: 'SMS to one number' },
    target: { phoneNumbers: [SMS_NUMBER] },
    wire: { include_phone_numbers: [SMS_NUMBER], target_channel: 'sms' },
    readBack: { phoneNumbers: [SMS_NUMBER], channel: 'SMS' },
  },
};

const TARGET_WIRE_FIELDS = [
  'included_segments',
  'excluded_segments',
  'filters',
  'include_aliases',
  'include_subscription_ids',
  'include_email_tokens',
  'include_phone_numbers',
  'target_channel',
];

describe('each target member', () => {
  it('covers every member of NotificationTargetInput', async () => {
    const { __type } = await stack.gql<{ __type: { inputFields: { name: string }[] } }>(
      '{ __type(name: "NotificationTargetInput") { inputFields { name } } }',
    );
    expect(__type.inputFields.map((f) => f.name).sort()).toEqual(Object.keys(MEMBERS).sort());
  });

  it.each(Object.entries(MEMBERS))(
    'target.%s reaches OneSignal under its wire fields and reads back on Notification.target',
    async (_member, { input, target, wire, readBack }) => {
      const result = await send({ ...input, target });
      expect(result, JSON.stringify(result)).toMatchObject({ __typename: 'NotificationCreatePayload' });
      expect(result.recipientCount).toBeGreaterThan(0);
      expect(stack.upstreamCalls()).toEqual({ create_notification: 1 });

      const body = received();
      expect(
        Object.fromEntries(TARGET_WIRE_FIELDS.filter((k) => k in body).map((k) => [k, body[k]])),
      ).toEqual(wire);

      // OneSignal's own view of it (no-cache: not the snapshot of our own send).
      const { node } = await stack.gql<{ node: Loose }>(
        `query($id: ID!) { node(id: $id) { ... on Notification { ${TARGET_SELECTION} } } }`,
        { id: result.notificationId },
        { 'cache-control': 'no-cache' },
      );
      const { channel, ...members } = readBack;
      expect(node.target).toEqual({ ...NO_TARGET, ...members });
      expect(node.channel).toBe(channel);
    },
  );

  it("sends a location filter exactly as OneSignal's reference shows it", async () => {
    await send({
      ...PUSH_CONTENT,
      target: { filters: [{ location: { radiusMeters: 1000, latitude: 37.77, longitude: -122.43 } }] },
    });
    // The reference: {"field": "location", "radius": "1000", "lat": "37.77", "long": "-122.43"}
    expect(received().filters).toEqual([
      { field: 'location', radius: '1000', lat: '37.77', long: '-122.43' },
    ]);
    expect(stack.upstreamCalls()).toEqual({ create_notification: 1 });
  });

  it("sends an hours_ago filter exactly as OneSignal's reference shows it, with no value", async () => {
    await send({
      ...PUSH_CONTENT,
      target: {
        filters: [
          { condition: { field: 'LAST_SESSION', relation: 'GREATER_THAN', hoursAgo: 10 } },
          { operator: 'OR' },
          { condition: { field: 'FIRST_SESSION', relation: 'LESS_THAN', hoursAgo: 24 } },
        ],
      },
    });
    // The reference: {"field": "last_session", "relation": ">", "hours_ago": "10"}
    expect(received().filters).toEqual([
      { field: 'last_session', relation: '>', hours_ago: '10' },
      { operator: 'OR' },
      { field: 'first_session', relation: '<', hours_ago: '24' },
    ]);
  });

  it('sends the channel given with aliases, and EMAIL given with emails', async () => {
    await send({
      email: { subject: 'Hi', body: '<p>Hi</p>' },
      channel: 'EMAIL',
      target: { aliases: { label: 'external_id', ids: [alice.externalId] } },
    });
    expect(received()).toMatchObject({
      include_aliases: { external_id: [alice.externalId] },
      target_channel: 'email',
    });
    await send({
      email: { subject: 'Hi', body: '<p>Hi</p>' },
      channel: 'EMAIL',
      target: { emails: alice.emails },
    });
    expect(received()).toMatchObject({ include_email_tokens: alice.emails, target_channel: 'email' });
  });
});

describe('the @oneOf target', () => {
  it.each([
    ['two members', { segments: { include: ['VIP Customers'] }, subscriptionIds: [DEMO.subscriptionIds[0]] }],
    ['no member', {}],
    ['a member set to null', { segments: null }],
  ])('refuses %s before any upstream call, as a coded GraphQL error', async (_, target) => {
    const res = await stack.gqlRaw(SEND, { input: { appId: SHOP.id, ...PUSH_CONTENT, target } });
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/target/);
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('refuses a filter entry that is both a condition and a location', async () => {
    const res = await stack.gqlRaw(SEND, {
      input: {
        appId: SHOP.id,
        ...PUSH_CONTENT,
        target: {
          filters: [
            {
              condition: { field: 'TAG', key: 'tier', relation: 'EQUALS', value: 'gold' },
              location: { radiusMeters: 10, latitude: 1, longitude: 2 },
            },
          ],
        },
      },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/FilterInput/);
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('refuses a location without one of its three values', async () => {
    const res = await stack.gqlRaw(SEND, {
      input: {
        appId: SHOP.id,
        ...PUSH_CONTENT,
        target: { filters: [{ location: { radiusMeters: 10, latitude: 1 } }] },
      },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/longitude/);
    expect(stack.upstreamCalls()).toEqual({});
  });
});

const uuids = (n: number) =>
  Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const tag = { condition: { field: 'TAG', key: 'tier', relation: 'EQUALS', value: 'gold' } };
const condition = (c: Record<string, unknown>) => ({ filters: [{ condition: c }] });
const at = (...rest: string[]) => ['input.target', ...rest].join('.');
const cond = (field: string) => at('filters', '0', 'condition', field);

/** [what, extra input (target, channel, …), the paths of the problems, in order]. */
const RULES: [string, Record<string, unknown>, string[]][] = [
  ['no segment to include', { target: { segments: { include: [] } } }, [at('segments', 'include')]],
  [
    'empty segment names',
    { target: { segments: { include: [' '], exclude: ['Inactive', ''] } } },
    [at('segments', 'include', '0'), at('segments', 'exclude', '1')],
  ],
  ['an empty filter list', { target: { filters: [] } }, [at('filters')]],
  [
    '201 filter entries, operators counted',
    { target: { filters: [tag, ...Array.from({ length: 100 }, () => [{ operator: 'OR' }, tag]).flat()] } },
    [at('filters')],
  ],
  ['an empty alias label', { target: { aliases: { label: ' ', ids: ['a'] } } }, [at('aliases', 'label')]],
  ['no alias ids', { target: { aliases: { label: 'external_id', ids: [] } } }, [at('aliases', 'ids')]],
  [
    '2,001 alias ids',
    { target: { aliases: { label: 'external_id', ids: Array.from({ length: 2001 }, (_, i) => `u${i}`) } } },
    [at('aliases', 'ids')],
  ],
  [
    'an empty alias id',
    { target: { aliases: { label: 'external_id', ids: ['a', ''] } } },
    [at('aliases', 'ids')],
  ],
  ['no subscription ids', { target: { subscriptionIds: [] } }, [at('subscriptionIds')]],
  ['2,001 subscription ids', { target: { subscriptionIds: uuids(2001) } }, [at('subscriptionIds')]],
  [
    '2,001 email addresses',
    {
      target: { emails: Array.from({ length: 2001 }, (_, i) => `u${i}@example.com`) },
      email: { subject: 'Hi', body: '<p>Hi</p>' },
    },
    [at('emails')],
  ],
  ['no phone numbers', { target: { phoneNumbers: [] }, name: 'SMS' }, [at('phoneNumbers')]],
  ['emails with channel PUSH', { target: { emails: alice.emails }, channel: 'PUSH' }, ['input.channel']],
  [
    'phone numbers with channel EMAIL',
    {
      target: { phoneNumbers: [SMS_NUMBER] },
      channel: 'EMAIL',
      email: { subject: 'Hi', body: '<p>Hi</p>' },
    },
    ['input.channel'],
  ],
  [
    'LAST_SESSION without hoursAgo',
    { target: condition({ field: 'LAST_SESSION', relation: 'GREATER_THAN' }) },
    [cond('hoursAgo')],
  ],
  [
    'FIRST_SESSION with a value instead of hoursAgo',
    { target: condition({ field: 'FIRST_SESSION', relation: 'LESS_THAN', value: '24' }) },
    [cond('value'), cond('hoursAgo')],
  ],
  [
    'LAST_SESSION with EQUALS',
    { target: condition({ field: 'LAST_SESSION', relation: 'EQUALS', hoursAgo: 2 }) },
    [cond('relation')],
  ],
  [
    'a negative hoursAgo',
    { target: condition({ field: 'LAST_SESSION', relation: 'LESS_THAN', hoursAgo: -1 }) },
    [cond('hoursAgo')],
  ],
  [
    'hoursAgo on SESSION_COUNT',
    { target: condition({ field: 'SESSION_COUNT', relation: 'GREATER_THAN', value: '2', hoursAgo: 3 }) },
    [cond('hoursAgo')],
  ],
  [
    'LANGUAGE with GREATER_THAN',
    { target: condition({ field: 'LANGUAGE', relation: 'GREATER_THAN', value: 'en' }) },
    [cond('relation')],
  ],
  [
    'SESSION_TIME with EQUALS',
    { target: condition({ field: 'SESSION_TIME', relation: 'EQUALS', value: '60' }) },
    [cond('relation')],
  ],
  [
    'AMOUNT_SPENT with NOT_EQUALS',
    { target: condition({ field: 'AMOUNT_SPENT', relation: 'NOT_EQUALS', value: '1' }) },
    [cond('relation')],
  ],
  [
    'a time operator on APP_VERSION',
    { target: condition({ field: 'APP_VERSION', relation: 'TIME_ELAPSED_GREATER_THAN', value: '60' }) },
    [cond('relation')],
  ],
  [
    'a TAG without key',
    { target: condition({ field: 'TAG', relation: 'EQUALS', value: 'x' }) },
    [cond('key')],
  ],
  [
    'EXISTS with a value',
    { target: condition({ field: 'TAG', key: 'tier', relation: 'EXISTS', value: 'x' }) },
    [cond('value')],
  ],
  [
    'EQUALS without a value',
    { target: condition({ field: 'TAG', key: 'tier', relation: 'EQUALS' }) },
    [cond('value')],
  ],
  [
    'a BOUGHT_SKU amount that is not a number',
    {
      target: condition({
        field: 'BOUGHT_SKU',
        key: 'com.shop.coins',
        relation: 'GREATER_THAN',
        value: 'many',
      }),
    },
    [cond('value')],
  ],
  [
    'a location with a radius of 0, a latitude of 91 and a longitude of -181',
    { target: { filters: [{ location: { radiusMeters: 0, latitude: 91, longitude: -181 } }] } },
    [
      at('filters', '0', 'location', 'radiusMeters'),
      at('filters', '0', 'location', 'latitude'),
      at('filters', '0', 'location', 'longitude'),
    ],
  ],
];

describe('a target the rules refuse', () => {
  it.each(RULES)(
    '%s: a ValidationError naming its path, and no upstream call',
    async (_, extra, expected) => {
      const result = await send({
        ...PUSH_CONTENT,
        target: { segments: { include: ['VIP Customers'] } },
        ...extra,
      });
      expect(result.__typename, JSON.stringify(result)).toBe('ValidationError');
      expect(result.code).toBe('VALIDATION_FAILED');
      expect(paths(result)).toEqual(expected);
      expect(stack.upstreamCalls()).toEqual({});
    },
  );

  it('reports every problem of a send at once', async () => {
    const result = await send({
      channel: 'SMS',
      target: {
        filters: [
          { condition: { field: 'LAST_SESSION', relation: 'EQUALS' } },
          { operator: 'OR' },
          { location: { radiusMeters: -5, latitude: 0, longitude: 0 } },
        ],
      },
    });
    expect(paths(result)).toEqual([
      cond('relation'),
      cond('hoursAgo'),
      at('filters', '2', 'location', 'radiusMeters'),
      'input.contents',
      'input.name',
    ]);
    expect(stack.upstreamCalls()).toEqual({});
  });
});

describe('filters of a segment', () => {
  it('segmentCreate sends hours_ago and location as a send does', async () => {
    const { segmentCreate } = await stack.gql<{ segmentCreate: Loose }>(
      `mutation($appId: ID!) { segmentCreate(input: { appId: $appId, name: "Recently near", filters: [
        { condition: { field: LAST_SESSION, relation: LESS_THAN, hoursAgo: 72 } },
        { location: { radiusMeters: 500, latitude: 48.85, longitude: 2.35 } }
      ] }) { __typename ... on Error { code message } } }`,
      { appId: SHOP.id },
    );
    expect(segmentCreate.__typename).toBe('SegmentCreatePayload');
    expect((stack.emulator.received('create_segments').at(-1) as Loose).filters).toEqual([
      { field: 'last_session', relation: '<', hours_ago: '72' },
      { field: 'location', radius: '500', lat: '48.85', long: '2.35' },
    ]);
  });
});
