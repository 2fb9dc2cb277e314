/**
 * Journeys (OneSignal's beta Journeys API) end to end: GraphQL → server → emulator over loopback.
 * Every operation, cursor paging across upstream pages, typed stats and validation before any call;
 * journeys-access.test.ts has the cost per key configuration, own writes and scopes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, DEMO_JOURNEYS } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const WELCOME = DEMO_JOURNEYS[SHOP]!.journeys['Welcome series']!;
const CART = DEMO_JOURNEYS[SHOP]!.journeys['Cart reminder A/B']!;
const SHOP_IAM = DEMO_JOURNEYS[SHOP]!.inAppMessageId;
const gid = (type: string, appId: string, id: string) =>
  Buffer.from(`${type}:${appId}/${id}`).toString('base64url');

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => {
  stack.emulator.reset();
});

const CREATE = `mutation($input: JourneyCreateInput!) { journeyCreate(input: $input) {
  __typename
  ... on JourneyCreatePayload { journey { id oneSignalId name state concurrencyKey nodes { nodeId kind clientNodeId durationSeconds inAppMessageId } } }
  ... on ValidationError { fields { path message } }
  ... on Error { code message }
} }`;
const UPDATE = `mutation($input: JourneyUpdateInput!) { journeyUpdate(input: $input) {
  __typename
  ... on JourneyUpdatePayload { journey { id name state startedAt concurrencyKey nodes { nodeId kind } } }
  ... on ValidationError { fields { path message } }
  ... on Error { code message }
} }`;
const NODE_UPDATE = `mutation($input: JourneyNodeUpdateInput!) { journeyNodeUpdate(input: $input) {
  __typename
  ... on JourneyNodeUpdatePayload { node { nodeId kind durationSeconds annotation } journey { concurrencyKey } }
  ... on ValidationError { fields { path message } }
  ... on Error { code message }
} }`;
const DELETE = `mutation($input: JourneyDeleteInput!) { journeyDelete(input: $input) {
  __typename ... on JourneyDeletePayload { deletedJourneyId app { id } } ... on Error { code message }
} }`;

interface Created {
  journeyCreate: {
    __typename: string;
    journey: {
      id: string;
      oneSignalId: string;
      name: string;
      state: string;
      concurrencyKey: string;
      nodes: { nodeId: string; kind: string }[];
    };
    fields?: { path: string[]; message: string }[];
  };
}

const wait = (extra: Record<string, unknown> = {}) => ({ kind: 'WAIT', durationSeconds: 60, ...extra });

const createJourney = (s: Stack, input: Record<string, unknown>) =>
  s.gql<Created>(CREATE, { input: { appId: SHOP, ...input } }).then((r) => r.journeyCreate);

describe('reading journeys', () => {
  it('lists the seeded journeys newest first in one view_journeys, summaries only', async () => {
    const { app } = await stack.gql<{
      app: { journeys: { pageInfo: { hasNextPage: boolean }; nodes: unknown[] } };
    }>(
      `{ app(id: "${SHOP}") { journeys { pageInfo { hasNextPage } nodes { oneSignalId name state createdSource archivedAt reentryAfterSeconds } } } }`,
    );
    expect(app.journeys.nodes).toEqual([
      {
        oneSignalId: WELCOME,
        name: 'Welcome series',
        state: 'ACTIVE',
        createdSource: 'dashboard',
        archivedAt: null,
        reentryAfterSeconds: null,
      },
      {
        oneSignalId: CART,
        name: 'Cart reminder A/B',
        state: 'ARCHIVED',
        createdSource: 'public_api',
        archivedAt: expect.any(String),
        reentryAfterSeconds: 604800,
      },
    ]);
    expect(app.journeys.pageInfo.hasNextPage).toBe(false);
    expect(stack.upstreamCalls()).toEqual({ view_journeys: 1 });
  });

  it('reads a journey’s whole graph with one view_journey: audience, early exit, nodes, branches, conditions', async () => {
    stack.emulator.resetStats();
    const { app } = await stack.gql<{ app: { journey: Record<string, unknown> } }>(
      `{ app(id: "${SHOP}") { journey(id: "${WELCOME}") {
        id name description state
        audience { kind includedSegmentIds futureAdditionsOnly eventName }
        earlyExit { whenNotInAudience onSession onEventName tagsOnExit { key value } }
        nodes { kind annotation durationSeconds inAppMessageId inAppMessageTtlSeconds
          branches { weight condition { kind action sendingNodeId } nodes { kind tagAssignments { key value } } } }
        extra
      } } }`,
    );
    expect(app.journey).toMatchObject({
      id: gid('Journey', SHOP, WELCOME),
      name: 'Welcome series',
      state: 'ACTIVE',
      audience: { kind: 'SEGMENT', futureAdditionsOnly: true, eventName: null },
      earlyExit: { whenNotInAudience: true, onSession: false, onEventName: null, tagsOnExit: [] },
      extra: null,
    });
    const nodes = app.journey.nodes as { kind: string; branches: unknown[] | null }[];
    expect(nodes.map((n) => n.kind)).toEqual(['SEND_PUSH', 'WAIT', 'SEND_IAM', 'YES_NO']);
    expect(nodes[1]).toMatchObject({ durationSeconds: 86400 });
    expect(nodes[2]).toMatchObject({ inAppMessageId: SHOP_IAM, inAppMessageTtlSeconds: 604800 });
    expect(nodes[3]?.branches).toEqual([
      {
        weight: null,
        condition: { kind: 'ON_NOTIFICATION_ACTION', action: 'OPENED', sendingNodeId: expect.any(String) },
        nodes: [{ kind: 'TAG', tagAssignments: [{ key: 'onboarded', value: 'true' }] }],
      },
      { weight: null, condition: null, nodes: [{ kind: 'SEND_EMAIL', tagAssignments: null }] },
    ]);
    expect(stack.upstreamCalls()).toEqual({ view_journey: 1 });
  });

  it('reads a listed journey’s details with one view_journey each, and a node’s template through it', async () => {
    stack.emulator.resetStats();
    const { app } = await stack.gql<{
      app: { journeys: { nodes: { audience: { kind: string; eventName: string | null } }[] } };
    }>(
      `{ app(id: "${SHOP}") { journeys(first: 1) { nodes { audience { kind eventName } nodes { template { name } } } } } }`,
    );
    expect(app.journeys.nodes[0]?.audience).toEqual({ kind: 'SEGMENT', eventName: null });
    // The top-level nodes name one template (Welcome); the email of the nested branch is not selected.
    expect(stack.upstreamCalls()).toEqual({ view_journeys: 1, view_journey: 1, view_template: 1 });
  });

  it('answers typed stats per journey, node and branch: one view_journey (that it exists) and one view_journey_stats', async () => {
    stack.emulator.resetStats();
    const { node } = await stack.gql<{ node: { stats: Record<string, unknown> } }>(
      `{ node(id: "${gid('Journey', SHOP, WELCOME)}") { ... on Journey { stats {
        started completed exitedEarly inProgress
        nodes { nodeId kind waiting completed exitedEarly messageTotals { name value } }
        branches { branchId completed }
      } } } }`,
    );
    const stats = node.stats as {
      started: number;
      completed: number;
      exitedEarly: number;
      inProgress: number;
      nodes: { kind: string; messageTotals: { name: string; value: number }[] | null }[];
      branches: { completed: number }[];
    };
    expect(stats).toMatchObject({ started: 1240, completed: 1010, exitedEarly: 130, inProgress: 100 });
    expect(stats.started).toBeGreaterThanOrEqual(stats.completed + stats.exitedEarly);
    expect(stats.nodes.map((n) => n.kind)).toEqual([
      'SEND_PUSH',
      'WAIT',
      'SEND_IAM',
      'YES_NO',
      'TAG',
      'SEND_EMAIL',
    ]);
    expect(stats.nodes[0]?.messageTotals).toContainEqual({ name: 'delivered', value: 1180 });
    expect(stats.nodes[1]?.messageTotals).toBeNull();
    expect(stats.branches.map((b) => b.completed)).toEqual([390, 620]);
    expect(stack.upstreamCalls()).toEqual({ view_journey: 1, view_journey_stats: 1 });
  });

  it('hands on fields the schema does not name yet as extra, on the journey, its audience and its nodes', async () => {
    const res = await fetch(`${stack.emulator.url}/apps/${SHOP}/journeys`, {
      method: 'POST',
      headers: { Authorization: `Key ${DEMO.apps[0]!.restApiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Newer API',
        goal: { event: 'purchase' },
        audience: { kind: 'segment', included_segment_ids: [], frequency_cap: 3 },
        nodes: [{ kind: 'wait', duration_seconds: 60, jitter_seconds: 5 }],
      }),
    });
    const { id } = (await res.json()) as { id: string };
    const { app } = await stack.gql<{ app: { journey: Record<string, unknown> } }>(
      `{ app(id: "${SHOP}") { journey(id: "${id}") { extra audience { extra } nodes { kind extra } } } }`,
    );
    expect(app.journey).toEqual({
      extra: { goal: { event: 'purchase' } },
      audience: { extra: { frequency_cap: 3 } },
      nodes: [{ kind: 'WAIT', extra: { jitter_seconds: 5 } }],
    });
  });

  it('reads only the stats when a journey(id:) selects only ids and stats, and null for an unknown one', async () => {
    stack.emulator.resetStats();
    const q = (id: string) =>
      `{ app(id: "${SHOP}") { journey(id: "${id}") { id oneSignalId stats { started completed exitedEarly } } } }`;
    const { app } = await stack.gql<{ app: { journey: Record<string, unknown> } }>(q(WELCOME));
    expect(app.journey).toEqual({
      id: gid('Journey', SHOP, WELCOME),
      oneSignalId: WELCOME,
      stats: { started: 1240, completed: 1010, exitedEarly: 130 },
    });
    expect(stack.upstreamCalls()).toEqual({ view_journey_stats: 1 });
    const missing = await stack.gql<{ app: { journey: null } }>(q('99999999-9999-4999-8999-999999999999'));
    expect(missing.app.journey).toBeNull();
    expect(stack.upstreamCalls()).toEqual({ view_journey_stats: 2 });
    stack.emulator.resetStats();
    await stack.gql(`{ app(id: "${SHOP}") { journey(id: "${WELCOME}") { name stats { started } } } }`);
    expect(stack.upstreamCalls()).toEqual({ view_journey: 1, view_journey_stats: 1 });
  });

  it('answers null for an unknown journey, after one view_journey', async () => {
    stack.emulator.resetStats();
    const { app } = await stack.gql<{ app: { journey: null } }>(
      `{ app(id: "${SHOP}") { journey(id: "99999999-9999-4999-8999-999999999999") { id name } } }`,
    );
    expect(app.journey).toBeNull();
    expect(stack.upstreamCalls()).toEqual({ view_journey: 1 });
  });
});

describe('paging journeys', () => {
  const PAGE = `query($first: Int, $after: String) { app(id: "${SHOP}") { journeys(first: $first, after: $after) {
    pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { name } } } } }`;
  type Page = {
    app: {
      journeys: {
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string };
        edges: { node: { name: string } }[];
      };
    };
  };

  it('walks every journey across pages, one view_journeys per page, carrying OneSignal’s cursor', async () => {
    for (const name of ['J1', 'J2', 'J3', 'J4', 'J5']) await createJourney(stack, { name });
    stack.emulator.resetStats();
    const names: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: Page = await stack.gql<Page>(PAGE, { first: 3, after });
      pages++;
      names.push(...res.app.journeys.edges.map((e) => e.node.name));
      expect(res.app.journeys.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!res.app.journeys.pageInfo.hasNextPage) break;
      after = res.app.journeys.pageInfo.endCursor;
    }
    expect(names).toEqual(['J5', 'J4', 'J3', 'J2', 'J1', 'Welcome series', 'Cart reminder A/B']);
    expect(pages).toBe(3);
    expect(stack.upstreamCalls()).toEqual({ view_journeys: 3 });
  });

  it('pages across a full upstream page of 50 with OneSignal’s next cursor, and accepts the end cursor of the last page', async () => {
    const post = (name: string) =>
      fetch(`${stack.emulator.url}/apps/${SHOP}/journeys`, {
        method: 'POST',
        headers: { Authorization: `Key ${DEMO.apps[0]!.restApiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name }),
      });
    for (let i = 0; i < 48; i++) await post(`Bulk ${i}`);
    stack.emulator.resetStats();
    const full = await stack.gql<Page>(PAGE, { first: 50 });
    expect(full.app.journeys.edges).toHaveLength(50);
    expect(full.app.journeys.pageInfo.hasNextPage).toBe(false);
    const beyond = await stack.gql<Page>(PAGE, { first: 50, after: full.app.journeys.pageInfo.endCursor });
    expect(beyond.app.journeys.edges).toEqual([]);
    await post('One more');
    const again = await stack.gql<Page>(PAGE, { first: 50 });
    expect(again.app.journeys.pageInfo.hasNextPage).toBe(true);
    const rest = await stack.gql<Page>(PAGE, { first: 50, after: again.app.journeys.pageInfo.endCursor });
    expect(rest.app.journeys.edges.map((e) => e.node.name)).toEqual(['Cart reminder A/B']);
    expect(stack.upstreamCalls()).toEqual({ view_journeys: 4, create_journey: 1 });
  });

  it('resumes from any edge’s cursor, inside an upstream page too', async () => {
    for (const name of ['K1', 'K2', 'K3']) await createJourney(stack, { name });
    const first = await stack.gql<Page & { app: { journeys: { edges: { cursor: string }[] } } }>(PAGE, {
      first: 4,
    });
    const second = await stack.gql<Page>(PAGE, {
      first: 2,
      after: (first.app.journeys.edges as { cursor: string }[])[0]?.cursor,
    });
    expect(second.app.journeys.edges.map((e) => e.node.name)).toEqual(['K2', 'K1']);
    expect(second.app.journeys.pageInfo.hasNextPage).toBe(true);
  });

  it.each([
    [{ first: 0 }, ['journeys', 'first'], /between 1 and 50/],
    [{ first: 51 }, ['journeys', 'first'], /between 1 and 50/],
    [{ after: 'not-a-cursor' }, ['journeys', 'after'], /not a cursor issued by this API/],
    [{ after: Buffer.from('offset:3').toString('base64url') }, ['journeys', 'after'], /not a cursor/],
  ])('refuses %j before any request', async (args, _path, message) => {
    stack.emulator.resetStats();
    const res = await stack.gqlRaw(PAGE, args);
    expect(res.errors?.[0]?.message).toMatch(message);
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(stack.emulator.stats().total).toBe(0);
  });
});

describe('writing journeys', () => {
  it('creates a draft, activates it, changes one node, and deletes it: one upstream call each', async () => {
    stack.emulator.resetStats();
    const created = await createJourney(stack, {
      name: 'Onboarding',
      description: 'New users',
      audience: {
        kind: 'EVENT_TRIGGER',
        eventName: 'signed_up',
        eventAttributes: [{ key: 'plan', operator: 'EQUAL', value: 'pro' }],
      },
      earlyExit: { onSession: true, tagsOnExit: [{ key: 'left', value: 'yes' }] },
      reentryAfterSeconds: 86400,
      nodes: [
        { kind: 'WAIT', durationSeconds: 3600, clientNodeId: 'first-wait' },
        { kind: 'SEND_IAM', inAppMessageId: SHOP_IAM },
        {
          kind: 'SPLIT_RANGE',
          randomizeOnEntry: true,
          branches: [
            { weight: 30, nodes: [{ kind: 'TAG', tagAssignments: [{ key: 'group', value: 'a' }] }] },
            { weight: 70, nodes: [] },
          ],
        },
      ],
    });
    expect(created.__typename).toBe('JourneyCreatePayload');
    expect(created.journey).toMatchObject({ name: 'Onboarding', state: 'DRAFT' });
    expect(created.journey.nodes.map((n) => n.kind)).toEqual(['WAIT', 'SEND_IAM', 'SPLIT_RANGE']);
    expect(stack.upstreamCalls()).toEqual({ create_journey: 1 });
    expect(stack.emulator.received('create_journey').at(-1)).toMatchObject({
      name: 'Onboarding',
      audience: {
        kind: 'event_trigger',
        name: 'signed_up',
        attributes: [[{ key: 'plan', operator: 'equal', value: 'pro' }]],
      },
      early_exit: { rules: { on_session: true }, tag_on_early_exit: { left: 'yes' } },
      reentry_rules: { duration_seconds: 86400 },
      nodes: [
        { kind: 'wait', duration_seconds: 3600, client_node_id: 'first-wait' },
        { kind: 'send_iam', iam_id: SHOP_IAM },
        {
          kind: 'split_range',
          randomize_on_entry: true,
          branches: [{ weight: 30 }, { weight: 70, nodes: [] }],
        },
      ],
    });

    stack.emulator.resetStats();
    const { journeyUpdate } = await stack.gql<{
      journeyUpdate: { journey: { state: string; startedAt: string; name: string } };
    }>(UPDATE, {
      input: {
        id: created.journey.id,
        name: 'Onboarding v2',
        state: 'ACTIVE',
        concurrencyKey: created.journey.concurrencyKey,
      },
    });
    expect(journeyUpdate.journey).toMatchObject({
      name: 'Onboarding v2',
      state: 'ACTIVE',
      startedAt: expect.any(String),
    });
    expect(stack.upstreamCalls()).toEqual({ update_journey: 1 });

    stack.emulator.resetStats();
    const waitNodeId = created.journey.nodes[0]!.nodeId;
    const { journeyNodeUpdate } = await stack.gql<{
      journeyNodeUpdate: { __typename: string; node: Record<string, unknown> };
    }>(NODE_UPDATE, {
      input: {
        journeyId: created.journey.id,
        nodeId: waitNodeId,
        durationSeconds: 7200,
        annotation: 'two hours',
      },
    });
    expect(journeyNodeUpdate.node).toEqual({
      nodeId: waitNodeId,
      kind: 'WAIT',
      durationSeconds: 7200,
      annotation: 'two hours',
    });
    expect(stack.upstreamCalls()).toEqual({ update_journey_node: 1 });

    stack.emulator.resetStats();
    const { journeyDelete } = await stack.gql<{ journeyDelete: Record<string, unknown> }>(DELETE, {
      input: { id: created.journey.id },
    });
    expect(journeyDelete).toEqual({
      __typename: 'JourneyDeletePayload',
      deletedJourneyId: created.journey.id,
      app: { id: Buffer.from(`App:${SHOP}`).toString('base64url') },
    });
    expect(stack.upstreamCalls()).toEqual({ delete_journey: 1 });
    const after = await stack.gql<{ node: null }>(`{ node(id: "${created.journey.id}") { id } }`);
    expect(after.node).toBeNull();
  });

  it('returns a ConflictError when the concurrency key is stale, and OneSignal’s refusal of an unknown node as NotFoundError', async () => {
    const created = await createJourney(stack, {
      name: 'Race',
      nodes: [{ kind: 'WAIT', durationSeconds: 60 }],
    });
    await stack.gql(UPDATE, { input: { id: created.journey.id, name: 'First writer' } });
    const stale = await stack.gql<{ journeyUpdate: { __typename: string; code: string } }>(UPDATE, {
      input: {
        id: created.journey.id,
        name: 'Second writer',
        concurrencyKey: created.journey.concurrencyKey,
      },
    });
    expect(stale.journeyUpdate).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    const missing = await stack.gql<{ journeyNodeUpdate: { __typename: string } }>(NODE_UPDATE, {
      input: {
        journeyId: created.journey.id,
        nodeId: '99999999-9999-4999-8999-999999999999',
        annotation: 'x',
      },
    });
    expect(missing.journeyNodeUpdate.__typename).toBe('NotFoundError');
  });

  it('hands on OneSignal’s refusal to edit an archived journey as a ValidationError', async () => {
    const res = await stack.gql<{ journeyUpdate: { __typename: string; message: string } }>(UPDATE, {
      input: { id: gid('Journey', SHOP, CART), name: 'Revive' },
    });
    expect(res.journeyUpdate.__typename).toBe('ValidationError');
    expect(res.journeyUpdate.message).toMatch(/archived/);
  });

  it.each([
    ['an empty name', CREATE, { appId: SHOP, name: ' ' }, ['input', 'name']],
    ['a name over 300 characters', CREATE, { appId: SHOP, name: 'x'.repeat(301) }, ['input', 'name']],
    ['a bad app id', CREATE, { appId: 'nope', name: 'N' }, ['input', 'appId']],
    [
      'a node id on create',
      CREATE,
      { appId: SHOP, name: 'N', nodes: [wait({ nodeId: WELCOME })] },
      ['input', 'nodes', '0', 'nodeId'],
    ],
    [
      'a wait under a minute',
      CREATE,
      { appId: SHOP, name: 'N', nodes: [{ kind: 'WAIT', durationSeconds: 59 }] },
      ['input', 'nodes', '0', 'durationSeconds'],
    ],
    [
      'a field of another kind',
      CREATE,
      { appId: SHOP, name: 'N', nodes: [wait({ templateId: WELCOME })] },
      ['input', 'nodes', '0', 'templateId'],
    ],
    [
      'split weights not summing to 100',
      CREATE,
      {
        appId: SHOP,
        name: 'N',
        nodes: [{ kind: 'SPLIT_RANGE', branches: [{ weight: 50 }, { weight: 40 }] }],
      },
      ['input', 'nodes', '0', 'branches'],
    ],
    [
      'a yes/no with one branch',
      CREATE,
      { appId: SHOP, name: 'N', nodes: [{ kind: 'YES_NO', branches: [{}] }] },
      ['input', 'nodes', '0', 'branches'],
    ],
    [
      'a time window under 15 minutes',
      CREATE,
      {
        appId: SHOP,
        name: 'N',
        nodes: [{ kind: 'TIME_WINDOW', windows: [{ start: { hour: 9 }, end: { hour: 9, minute: 10 } }] }],
      },
      ['input', 'nodes', '0', 'windows', '0'],
    ],
    [
      'a duplicate clientNodeId',
      CREATE,
      { appId: SHOP, name: 'N', nodes: [wait({ clientNodeId: 'a' }), wait({ clientNodeId: 'a' })] },
      ['input', 'nodes', '1', 'clientNodeId'],
    ],
    [
      'an event audience without event',
      CREATE,
      { appId: SHOP, name: 'N', audience: { kind: 'EVENT_TRIGGER' } },
      ['input', 'audience', 'eventName'],
    ],
    [
      'an early exit without rules',
      CREATE,
      { appId: SHOP, name: 'N', earlyExit: {} },
      ['input', 'earlyExit'],
    ],
    [
      'a start in the past',
      CREATE,
      { appId: SHOP, name: 'N', schedule: { startAt: '2020-01-01T00:00:00Z' } },
      ['input', 'schedule', 'startAt'],
    ],
    ['an update changing nothing', UPDATE, { id: gid('Journey', SHOP, WELCOME) }, ['input']],
    [
      'a template id for a journey',
      UPDATE,
      { id: gid('Template', SHOP, WELCOME), name: 'N' },
      ['input', 'id'],
    ],
    [
      'a node update changing nothing',
      NODE_UPDATE,
      { journeyId: gid('Journey', SHOP, WELCOME), nodeId: WELCOME },
      ['input'],
    ],
  ])(
    'refuses %s with a ValidationError at its path, before any request',
    async (_what, mutation, input, path) => {
      stack.emulator.resetStats();
      const res = await stack.gql<Record<string, { __typename: string; fields: { path: string[] }[] }>>(
        mutation,
        { input },
      );
      const [result] = Object.values(res);
      expect(result?.__typename).toBe('ValidationError');
      expect(result?.fields.map((f) => f.path)).toContainEqual(path);
      expect(stack.emulator.stats().total).toBe(0);
    },
  );
});
