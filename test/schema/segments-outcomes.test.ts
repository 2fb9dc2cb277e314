import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.emulator.resetStats());

interface Seg {
  id: string;
  oneSignalId: string;
  name: string;
  createdAt: string | null;
  readOnly: boolean;
  active: boolean;
}

const SEGMENT_FIELDS = 'id oneSignalId name createdAt updatedAt readOnly active';

describe('segments', () => {
  it('lists an app’s segments in one get_segments, built-in ones read-only', async () => {
    const { app } = await stack.gql<{ app: { segments: { totalCount: number; nodes: Seg[] } } }>(
      `{ app(id: "${SHOP}") { segments { totalCount nodes { ${SEGMENT_FIELDS} } } } }`,
    );
    const { nodes, totalCount } = app.segments;
    expect(totalCount).toBe(DEMO.counts[SHOP]!.segments);
    expect(nodes.map((s) => s.name)).toEqual(
      expect.arrayContaining([...DEMO.segments.builtin, ...DEMO.segments.custom[SHOP]!]),
    );
    const subscribed = nodes.find((s) => s.name === 'Subscribed Users');
    expect(subscribed).toMatchObject({
      oneSignalId: DEMO.segments.ids[SHOP]!['Subscribed Users'],
      readOnly: true,
      active: true,
    });
    expect(stack.upstreamCalls()).toEqual({ get_segments: 1 });
  });

  it('pages segments with first/after', async () => {
    const q = `query($after: String) { app(id: "${SHOP}") { segments(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { name } } } }`;
    type P = {
      app: { segments: { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { name: string }[] } };
    };
    const a = await stack.gql<P>(q);
    const b = await stack.gql<P>(q, { after: a.app.segments.pageInfo.endCursor });
    expect(a.app.segments.nodes).toHaveLength(2);
    expect(a.app.segments.pageInfo.hasNextPage).toBe(true);
    expect(b.app.segments.nodes[0]?.name).not.toBe(a.app.segments.nodes[0]?.name);
  });

  it('creates a segment from typed filters, refetches it by node id and deletes it', async () => {
    const { segmentCreate } = await stack.gql<{ segmentCreate: { __typename: string; segment: Seg } }>(
      `mutation($appId: ID!) { segmentCreate(input: { appId: $appId, name: "Gold Germans", filters: [
        { condition: { field: TAG, key: "tier", relation: EQUALS, value: "gold" } },
        { condition: { field: LANGUAGE, relation: EQUALS, value: "de" } }
      ] }) { __typename ... on SegmentCreatePayload { segment { ${SEGMENT_FIELDS} } } } }`,
      { appId: SHOP },
    );
    expect(segmentCreate.__typename).toBe('SegmentCreatePayload');
    expect(segmentCreate.segment).toMatchObject({ name: 'Gold Germans', readOnly: false });
    const { node } = await stack.gql<{ node: Seg }>(
      `{ node(id: "${segmentCreate.segment.id}") { ... on Segment { name oneSignalId } } }`,
    );
    expect(node).toMatchObject({ name: 'Gold Germans', oneSignalId: segmentCreate.segment.oneSignalId });

    const { segmentDelete } = await stack.gql<{
      segmentDelete: { __typename: string; deletedSegmentId: string; app: { oneSignalId: string } };
    }>(
      'mutation($id: ID!) { segmentDelete(input: { id: $id }) { __typename ... on SegmentDeletePayload { deletedSegmentId app { oneSignalId } } } }',
      { id: segmentCreate.segment.id },
    );
    expect(segmentDelete).toEqual({
      __typename: 'SegmentDeletePayload',
      deletedSegmentId: segmentCreate.segment.id,
      app: { oneSignalId: SHOP },
    });
    const after = await stack.gql<{ node: Seg | null }>(`{ node(id: "${segmentCreate.segment.id}") { id } }`);
    expect(after.node).toBeNull();
  });

  it('reports a duplicate segment name as ConflictError or creates it, never as an untyped error', async () => {
    const name = DEMO.segments.custom[SHOP]![0]!;
    const { segmentCreate } = await stack.gql<{ segmentCreate: { __typename: string } }>(
      `mutation { segmentCreate(input: { appId: "${SHOP}", name: "${name}", filters: [{ condition: { field: SESSION_COUNT, relation: GREATER_THAN, value: "1" } }] }) { __typename } }`,
    );
    expect(['ConflictError', 'SegmentCreatePayload']).toContain(segmentCreate.__typename);
  });

  it('rejects an empty name and a filter list with bad items before calling OneSignal', async () => {
    const { segmentCreate } = await stack.gql<{
      segmentCreate: { __typename: string; fields: { path: string[] }[] };
    }>(
      `mutation { segmentCreate(input: { appId: "${SHOP}", name: "", filters: [{ condition: { field: SESSION_COUNT, relation: GREATER_THAN, value: "many" } }, { operator: AND }] }) { __typename ... on ValidationError { fields { path } } } }`,
    );
    expect(segmentCreate.__typename).toBe('ValidationError');
    expect(segmentCreate.fields.map((f) => f.path.join('.'))).toEqual([
      'input.name',
      'input.filters.0.condition.value',
      'input.filters.1.operator',
    ]);
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('reports deleting a segment that does not exist as NotFoundError', async () => {
    const id = Buffer.from(`Segment:${SHOP}/99999999-9999-4999-8999-999999999999`).toString('base64url');
    const { segmentDelete } = await stack.gql<{ segmentDelete: { __typename: string; code: string } }>(
      `mutation { segmentDelete(input: { id: "${id}" }) { __typename ... on Error { code } } }`,
    );
    expect(segmentDelete).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });
});

describe('outcomes', () => {
  it('totals named outcomes of an app, with time range, platforms and attribution, in one get_outcomes', async () => {
    const [a, b] = DEMO.outcomeNames;
    const { app } = await stack.gql<{
      app: { day: { name: string; aggregation: string; value: number }[]; direct: { value: number }[] };
    }>(
      `{ app(id: "${SHOP}") {
        day: outcomes(names: [{ name: "os__click", aggregation: COUNT }, { name: "${b ?? a}", aggregation: SUM }], timeRange: ONE_MONTH) { name aggregation value }
        direct: outcomes(names: [{ name: "os__click", aggregation: COUNT }], timeRange: ONE_MONTH, platforms: [IOS, ANDROID], attribution: DIRECT) { value }
      } }`,
    );
    expect(app.day.map((o) => [o.name, o.aggregation])).toEqual([
      ['os__click', 'COUNT'],
      [b ?? a, 'SUM'],
    ]);
    expect(app.day[0]!.value).toBeGreaterThan(0);
    expect(app.direct[0]!.value).toBeLessThanOrEqual(app.day[0]!.value);
    expect(stack.upstreamCalls()).toEqual({ get_outcomes: 2 });
  });

  it('rejects empty or malformed outcome names, naming the argument', async () => {
    const empty = await stack.gqlRaw(`{ app(id: "${SHOP}") { outcomes(names: []) { value } } }`);
    expect(empty.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [{ path: ['outcomes', 'names'] }],
    });
    const dotted = await stack.gqlRaw(
      `{ app(id: "${SHOP}") { outcomes(names: [{ name: "a.b", aggregation: SUM }, { name: "os__click", aggregation: SUM }]) { value } } }`,
    );
    expect(dotted.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [
        { path: ['outcomes', 'names', '0', 'name'] },
        { path: ['outcomes', 'names', '1', 'aggregation'] },
      ],
    });
    expect(stack.upstreamCalls().get_outcomes).toBeUndefined();
  });
});
