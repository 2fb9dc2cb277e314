import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeGlobalId, encodeNodeId } from '../../src/core/ids.js';
import { DEMO_JOURNEYS } from '../../src/emulator/index.js';
import { SHOP } from '../helpers/emulator.js';
import { bearer, jwtAuth } from '../helpers/jwt.js';
import { SUITE_OPERATIONS } from '../helpers/onesignal-emulator.js';
import { type Stack, startStack, useStack } from '../helpers/stack.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are loosely typed JSON, narrowed by each assertion
type Loose = Record<string, any>;

const stack = useStack();
beforeEach(() => stack.emulator.reset());
/** Operations the tests of this file sent upstream, for the last test. */
const used = new Set<string>();
const noteUsed = () => {
  for (const op of Object.keys(stack.upstreamCalls())) used.add(op);
};
afterEach(noteUsed);

const WELCOME = 'a1a1a1a1-0000-4000-8000-000000000001';
const DRAFT = 'a1a1a1a1-0000-4000-8000-000000000003';
const APP_GID = encodeGlobalId('App', SHOP.id);
const gid = (id: string) => encodeNodeId('InAppMessage', { appId: SHOP.id, id });
const HTML = '<!doctype html><html><body><h1>Hi</h1></body></html>';
const SESSION_30 = { conditions: [{ kind: 'SESSION_TIME', operator: 'GREATER', number: 30 }] };

const FIELDS = `id oneSignalId name status startTime endTime html displayDuration includedSegmentIds
  triggers { conditions { kind operator property value number } } redisplay extra app { id }`;
const LIST = `query($app: UUID!, $first: Int, $after: String) { app(id: $app) { inAppMessages(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id oneSignalId name status } } } }`;
const ONE = `query($app: UUID!, $id: UUID!) { app(id: $app) { inAppMessage(id: $id) { ${FIELDS}
  stats { impressions clicks } pages: stats(groupBy: [PAGE, ELEMENT], clickCounting: FIRST) { pageName elementName impressions clicks } } } }`;
const CREATE = `mutation($input: InAppMessageCreateInput!) { inAppMessageCreate(input: $input) { __typename
  ... on InAppMessageCreatePayload { inAppMessage { ${FIELDS} } }
  ... on ValidationError { code fields { path message } } ... on Error { code message } } }`;
const UPDATE = `mutation($input: InAppMessageUpdateInput!) { inAppMessageUpdate(input: $input) { __typename
  ... on InAppMessageUpdatePayload { inAppMessage { ${FIELDS} } }
  ... on ValidationError { code fields { path message } } ... on Error { code message } } }`;
const PAUSE = `mutation($id: ID!) { inAppMessagePause(input: { id: $id }) { __typename
  ... on InAppMessageEnabledPayload { enabled status inAppMessage { status } } ... on Error { code message } } }`;
const RESUME = PAUSE.replaceAll('inAppMessagePause', 'inAppMessageResume');
const DELETE = `mutation($id: ID!) { inAppMessageDelete(input: { id: $id }) { __typename
  ... on InAppMessageDeletePayload { deletedInAppMessageId app { id } }
  ... on InAppMessageInUseError { code message journeyIds } ... on Error { code message } } }`;

const createInput = (extra: Loose = {}) => ({ appId: SHOP.id, name: 'Welcome offer', html: HTML, ...extra });
const updateInput = (extra: Loose = {}) => ({
  id: gid(DRAFT),
  draft: true,
  html: HTML,
  startTime: '2099-11-01T00:00:00.000Z',
  endTime: null,
  triggers: [SESSION_30],
  ...extra,
});

const useJourney = (journeyId: string, ids: string[]) =>
  fetch(`${stack.emulator.url}/__emulator/in-app-usage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: SHOP.id, journey_id: journeyId, in_app_message_ids: ids }),
  });

describe('App.inAppMessages', () => {
  it('lists the seeded messages newest first with totalCount, in one upstream request', async () => {
    const data = await stack.gql<Loose>(LIST, { app: SHOP.id });
    expect(stack.upstreamCalls()).toEqual({ view_in_app_messages: 1 });
    const list = data.app.inAppMessages;
    expect(list.totalCount).toBe(3);
    expect(list.pageInfo.hasNextPage).toBe(false);
    expect(list.nodes.map((n: Loose) => [n.oneSignalId, n.status])).toEqual([
      [DRAFT, 'DRAFT'],
      ['a1a1a1a1-0000-4000-8000-000000000002', 'ACTIVE'],
      [WELCOME, 'ACTIVE'],
    ]);
    expect(list.nodes[2].id).toBe(gid(WELCOME));
  });

  it('pages with first/after and refuses first over 20 before any upstream call', async () => {
    const first = await stack.gql<Loose>(LIST, { app: SHOP.id, first: 2 });
    expect(first.app.inAppMessages.pageInfo.hasNextPage).toBe(true);
    const rest = await stack.gql<Loose>(LIST, {
      app: SHOP.id,
      first: 2,
      after: first.app.inAppMessages.pageInfo.endCursor,
    });
    expect(rest.app.inAppMessages.nodes.map((n: Loose) => n.oneSignalId)).toEqual([WELCOME]);
    noteUsed();
    stack.emulator.resetStats();
    const tooMany = await stack.gqlRaw(LIST, { app: SHOP.id, first: 21 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(tooMany.errors?.[0]?.message).toContain('between 1 and 20');
    expect(stack.upstreamCalls()).toEqual({});
  });
});

describe('App.inAppMessage and InAppMessage.stats', () => {
  it('reads one message whole with typed triggers and its stats, one request each', async () => {
    const data = await stack.gql<Loose>(ONE, { app: SHOP.id, id: 'a1a1a1a1-0000-4000-8000-000000000002' });
    expect(stack.upstreamCalls()).toEqual({ view_in_app_message: 1, view_in_app_message_stats: 2 });
    const m = data.app.inAppMessage;
    expect(m).toMatchObject({
      name: 'Members save 10%',
      status: 'ACTIVE',
      startTime: '2024-04-01T00:00:00.000Z',
      endTime: '2099-01-01T00:00:00.000Z',
      displayDuration: 0,
      redisplay: { limit: 3, delay: 86400 },
      extra: {},
      app: { id: APP_GID },
    });
    expect(m.triggers).toEqual([
      {
        conditions: [
          { kind: 'CUSTOM', operator: 'EQUAL', property: 'screen', value: 'checkout', number: null },
        ],
      },
      {
        conditions: [
          { kind: 'TIME_SINCE_LAST_IN_APP', operator: 'GREATER', property: null, value: null, number: 3600 },
        ],
      },
    ]);
    expect(m.stats).toEqual([{ impressions: 720, clicks: 480 }]);
    expect(m.pages).toEqual([
      { pageName: 'page_1', elementName: 'cta_button', impressions: 720, clicks: 144 },
      { pageName: 'page_1', elementName: 'close_button', impressions: 720, clicks: 300 },
    ]);
  });

  it('answers null for an unknown message, and node(id:) refetches one', async () => {
    const none = await stack.gql<Loose>(ONE, { app: SHOP.id, id: 'a1a1a1a1-0000-4000-8000-0000000000ff' });
    expect(none.app.inAppMessage).toBeNull();
    const node = await stack.gql<Loose>(
      `query($id: ID!) { node(id: $id) { ... on InAppMessage { name html } } }`,
      {
        id: gid(WELCOME),
      },
    );
    expect(node.node).toEqual({
      name: 'Welcome message',
      html: expect.stringContaining('Welcome to Demo Shop'),
    });
  });
});

describe('inAppMessageCreate, inAppMessageUpdate, pause, resume and delete', () => {
  it('create a draft, give it triggers, publish it and pause it', async () => {
    const created = await stack.gql<Loose>(CREATE, { input: createInput({ draft: true }) });
    const draft = created.inAppMessageCreate.inAppMessage;
    expect(draft).toMatchObject({
      name: 'Welcome offer',
      status: 'DRAFT',
      html: HTML,
      triggers: [],
      displayDuration: 0,
    });
    expect(stack.upstreamCalls()).toEqual({ create_in_app_message: 1 });
    expect(stack.emulator.stats().byOperation.create_in_app_message).toBe(1);

    const withTriggers = await stack.gql<Loose>(UPDATE, { input: updateInput({ id: draft.id }) });
    expect(withTriggers.inAppMessageUpdate.inAppMessage).toMatchObject({
      status: 'DRAFT',
      name: 'Welcome offer',
      startTime: '2099-11-01T00:00:00.000Z',
      endTime: null,
      triggers: [{ conditions: [{ kind: 'SESSION_TIME', operator: 'GREATER', number: 30 }] }],
    });

    const published = await stack.gql<Loose>(UPDATE, {
      input: updateInput({ id: draft.id, draft: false, startTime: '2024-01-01T00:00:00.000Z' }),
    });
    expect(published.inAppMessageUpdate.inAppMessage.status).toBe('ACTIVE');

    noteUsed();
    stack.emulator.resetStats();
    const paused = await stack.gql<Loose>(PAUSE, { id: draft.id });
    expect(paused.inAppMessagePause).toEqual({
      __typename: 'InAppMessageEnabledPayload',
      enabled: false,
      status: 'PAUSED',
      inAppMessage: { status: 'PAUSED' },
    });
    expect(stack.upstreamCalls()).toEqual({ set_in_app_message_enabled: 1, view_in_app_message: 1 });
    const resumed = await stack.gql<Loose>(RESUME, { id: draft.id });
    expect(resumed.inAppMessageResume).toMatchObject({ enabled: true, status: 'ACTIVE' });
  });

  it('send the documented wire body: is_draft and in_app_message, end_time and triggers on every update', async () => {
    await stack.gql(UPDATE, { input: updateInput({ includedSegmentIds: undefined }) });
    const [sent] = (await (
      await fetch(`${stack.emulator.url}/__emulator/received?operation=update_in_app_message`)
    ).json()) as Loose[];
    expect(sent).toEqual({
      is_draft: true,
      in_app_message: {
        html: HTML,
        start_time: '2099-11-01T00:00:00.000Z',
        end_time: null,
        included_segment_ids: [],
        excluded_segment_ids: [],
        triggers: [{ conditions: [{ kind: 'session_time', operator: 'greater', value: 30 }] }],
      },
    });
  });

  it('delete a message, and refuse with InAppMessageInUseError while a journey uses it', async () => {
    // The demo's "Welcome series" journey shows WELCOME (src/emulator/seed-journeys.ts); the hook adds one.
    const seeded = DEMO_JOURNEYS[SHOP.id]?.journeys['Welcome series'] as string;
    expect((await useJourney('journey-7', [WELCOME])).status).toBe(200);
    const refused = await stack.gql<Loose>(DELETE, { id: gid(WELCOME) });
    expect(refused.inAppMessageDelete).toEqual({
      __typename: 'InAppMessageInUseError',
      code: 'CONFLICT',
      message: `In-App Message is used by a Journey and cannot be deleted (journeys: ${seeded}, journey-7).`,
      journeyIds: [seeded, 'journey-7'],
    });
    expect(stack.upstreamCalls()).toEqual({ delete_in_app_message: 1 });

    await useJourney('journey-7', []);
    await useJourney(seeded, []);
    const deleted = await stack.gql<Loose>(DELETE, { id: gid(WELCOME) });
    expect(deleted.inAppMessageDelete).toEqual({
      __typename: 'InAppMessageDeletePayload',
      deletedInAppMessageId: gid(WELCOME),
      app: { id: APP_GID },
    });
    const gone = await stack.gql<Loose>(DELETE, { id: gid(WELCOME) });
    expect(gone.inAppMessageDelete).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });
});

describe('bad input', () => {
  const cases: [string, string, Loose, string[][]][] = [
    ['empty html', CREATE, { input: createInput({ html: '  ' }) }, [['input', 'html']]],
    [
      'an end before the start',
      CREATE,
      { input: createInput({ startTime: '2099-02-01T00:00:00Z', endTime: '2099-01-01T00:00:00Z' }) },
      [['input', 'endTime']],
    ],
    [
      'an update without endTime',
      UPDATE,
      { input: { ...updateInput(), endTime: undefined } },
      [['input', 'endTime']],
    ],
    [
      'a session-time condition without seconds, with a property',
      CREATE,
      {
        input: createInput({
          triggers: [{ conditions: [{ kind: 'SESSION_TIME', operator: 'GREATER', property: 'x' }] }],
        }),
      },
      [
        ['input', 'triggers', '0', 'conditions', '0', 'number'],
        ['input', 'triggers', '0', 'conditions', '0', 'property'],
      ],
    ],
    [
      'a custom condition without property, and one testing presence with a value',
      CREATE,
      {
        input: createInput({
          triggers: [
            { conditions: [{ kind: 'CUSTOM', operator: 'EQUAL', value: 'x' }] },
            { conditions: [{ kind: 'CUSTOM', operator: 'EXISTS', property: 'p', value: 'x' }] },
          ],
        }),
      },
      [
        ['input', 'triggers', '0', 'conditions', '0', 'property'],
        ['input', 'triggers', '1', 'conditions', '0'],
      ],
    ],
    [
      'a trigger without conditions',
      UPDATE,
      { input: updateInput({ triggers: [{ conditions: [] }] }) },
      [['input', 'triggers', '0', 'conditions']],
    ],
    [
      'an UNKNOWN kind',
      CREATE,
      {
        input: createInput({
          triggers: [{ conditions: [{ kind: 'UNKNOWN', operator: 'EQUAL', number: 1 }] }],
        }),
      },
      [['input', 'triggers', '0', 'conditions', '0', 'kind']],
    ],
    [
      'a negative display duration',
      CREATE,
      { input: createInput({ displayDuration: -1 }) },
      [['input', 'displayDuration']],
    ],
    [
      'a template id given as the message id',
      UPDATE,
      { input: updateInput({ id: encodeNodeId('Template', { appId: SHOP.id, id: WELCOME }) }) },
      [['input', 'id']],
    ],
  ];

  it.each(cases)(
    '%s is a ValidationError naming its paths, with no upstream call',
    async (_name, query, variables, paths) => {
      const data = await stack.gql<Loose>(query, variables);
      const [result] = Object.values(data) as Loose[];
      expect(result?.__typename).toBe('ValidationError');
      expect(result?.fields.map((f: Loose) => f.path)).toEqual(paths);
      expect(stack.upstreamCalls()).toEqual({});
    },
  );

  it('a pause of a malformed id is refused with no upstream call', async () => {
    const data = await stack.gql<Loose>(PAUSE, { id: 'not-an-id' });
    expect(data.inAppMessagePause).toMatchObject({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
    });
    expect(stack.upstreamCalls()).toEqual({});
  });
});

describe('scopes', () => {
  let jwtStack: Stack;
  beforeAll(async () => {
    jwtStack = await startStack({}, { auth: jwtAuth() });
  });
  afterAll(() => jwtStack?.close());

  it('refuse reads without inappmessages:read and writes without inappmessages:write, before any call', async () => {
    jwtStack.emulator.resetStats();
    const reader = await bearer(['apps:read', 'inappmessages:read']);
    const list = await jwtStack.gqlRaw(LIST, { app: SHOP.id }, await bearer(['apps:read']));
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(list.errors?.[0]?.message).toContain('inappmessages:read');
    for (const [query, variables] of [
      [CREATE, { input: createInput() }],
      [PAUSE, { id: gid(WELCOME) }],
      [DELETE, { id: gid(WELCOME) }],
      [UPDATE, { input: updateInput() }],
    ] as const) {
      const denied = await jwtStack.gqlRaw(query, variables, reader);
      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(denied.errors?.[0]?.message).toContain('inappmessages:write');
    }
    expect(jwtStack.upstreamCalls()).toEqual({});
    const ok = await jwtStack.gql<Loose>(LIST, { app: SHOP.id }, reader);
    expect(ok.app.inAppMessages.totalCount).toBe(3);
  });
});

it('drives every in-app message operation of its suite', () => {
  expect(SUITE_OPERATIONS.inAppMessages.filter((op) => !used.has(op))).toEqual([]);
});
