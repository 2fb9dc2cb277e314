/** Segments (src/schema/segments.ts): listing, paging, creating and deleting, and reading and updating their definition. */
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

const nodeId = (type: string, appId: string, id: string) =>
  Buffer.from(`${type}:${appId}/${id}`).toString('base64url');

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

describe('segments with their definition', () => {
  // Each test starts from the seeded segments, as these tests rewrite their filters and names.
  beforeEach(() => stack.emulator.reset());
  const GOLD_OR_SILVER = DEMO.segments.ids[SHOP]!['Gold or Silver']!;
  const segId = nodeId('Segment', SHOP, GOLD_OR_SILVER);

  it('reads a segment’s filters as typed conditions and operators in one get_segment', async () => {
    const { node } = await stack.gql<{
      node: { name: string; description: string | null; subscriberCount: number; filters: unknown[] };
    }>(
      `{ node(id: "${segId}") { ... on Segment { name description subscriberCount filters {
        __typename ... on FilterCondition { field fieldName key relation value } ... on FilterJoin { operator } } } } }`,
    );
    expect(node.name).toBe('Gold or Silver');
    expect(node.description).toBeNull();
    expect(node.subscriberCount).toBeGreaterThan(0);
    expect(node.filters).toEqual([
      {
        __typename: 'FilterCondition',
        field: 'TAG',
        fieldName: 'tag',
        key: 'tier',
        relation: 'EQUALS',
        value: 'gold',
      },
      { __typename: 'FilterJoin', operator: 'OR' },
      {
        __typename: 'FilterCondition',
        field: 'TAG',
        fieldName: 'tag',
        key: 'tier',
        relation: 'EQUALS',
        value: 'silver',
      },
    ]);
    expect(stack.upstreamCalls()).toEqual({ get_segments: 1, get_segment: 1 });
  });

  it('gives built-in segments an empty definition', async () => {
    const id = nodeId('Segment', SHOP, DEMO.segments.ids[SHOP]!['Subscribed Users']!);
    const { node } = await stack.gql<{ node: { filters: unknown[]; subscriberCount: number } }>(
      `{ node(id: "${id}") { ... on Segment { filters { __typename } subscriberCount } } }`,
    );
    expect(node.filters).toEqual([]);
    expect(node.subscriberCount).toBeGreaterThan(0);
  });

  it('replaces a segment’s filters with segmentUpdate, keeping its name', async () => {
    const { segmentUpdate } = await stack.gql<{
      segmentUpdate: {
        __typename: string;
        segment: { name: string; filters: unknown[]; subscriberCount: number };
      };
    }>(
      `mutation($id: ID!) { segmentUpdate(input: { id: $id, description: "Top tier", filters: [{ condition: { field: TAG, key: "tier", relation: EQUALS, value: "gold" } }] })
        { __typename ... on SegmentUpdatePayload { segment { name description filters { ... on FilterCondition { fieldName key value } } } } } }`,
      { id: segId },
    );
    expect(segmentUpdate).toEqual({
      __typename: 'SegmentUpdatePayload',
      segment: {
        name: 'Gold or Silver',
        description: 'Top tier',
        filters: [{ fieldName: 'tag', key: 'tier', value: 'gold' }],
      },
    });
    // get_segment for the name, update_segment, then the list and the detail afresh.
    expect(stack.upstreamCalls()).toEqual({ get_segment: 2, update_segment: 1, get_segments: 1 });
  });

  it('renames a segment without touching its filters, in one update_segment', async () => {
    const { segmentUpdate } = await stack.gql<{ segmentUpdate: { __typename: string } }>(
      `mutation($id: ID!) { segmentUpdate(input: { id: $id, name: "Precious metals" }) { __typename } }`,
      { id: segId },
    );
    expect(segmentUpdate.__typename).toBe('SegmentUpdatePayload');
    expect(stack.upstreamCalls()).toEqual({ update_segment: 1 });
    const { node } = await stack.gql<{ node: { name: string; filters: unknown[] } }>(
      `{ node(id: "${segId}") { ... on Segment { name filters { __typename } } } }`,
    );
    expect(node.name).toBe('Precious metals');
    expect(node.filters).toHaveLength(3);
  });

  it('reports a name another segment has as ConflictError, a read-only segment as ValidationError', async () => {
    const taken = await stack.gql<{ segmentUpdate: { __typename: string } }>(
      `mutation($id: ID!) { segmentUpdate(input: { id: $id, name: "VIP Customers" }) { __typename } }`,
      { id: segId },
    );
    expect(taken.segmentUpdate.__typename).toBe('ConflictError');
    const builtin = nodeId('Segment', SHOP, DEMO.segments.ids[SHOP]!['Active Users']!);
    const readOnly = await stack.gql<{ segmentUpdate: { __typename: string; message: string } }>(
      `mutation { segmentUpdate(input: { id: "${builtin}", name: "Mine" }) { __typename ... on Error { message } } }`,
    );
    expect(readOnly.segmentUpdate.__typename).toBe('ValidationError');
    expect(readOnly.segmentUpdate.message).toMatch(/read-only/);
  });

  it('rejects an update with nothing to change before calling OneSignal', async () => {
    const { segmentUpdate } = await stack.gql<{ segmentUpdate: { __typename: string } }>(
      `mutation($id: ID!) { segmentUpdate(input: { id: $id }) { __typename } }`,
      { id: segId },
    );
    expect(segmentUpdate.__typename).toBe('ValidationError');
    expect(stack.upstreamCalls()).toEqual({});
  });
});
