import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/auth/index.js';
import { DEMO, DEMO_JOURNEYS } from '../../src/emulator/index.js';
import { bearer, jwtAuth } from '../helpers/jwt.js';
import { KEY_CONFIGURATIONS } from '../helpers/key-configurations.js';
import { ownWritesStacks } from '../helpers/own-writes.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const WELCOME = DEMO_JOURNEYS[SHOP]!.journeys['Welcome series']!;
const gid = (type: string, appId: string, id: string) =>
  Buffer.from(`${type}:${appId}/${id}`).toString('base64url');
const wait = () => ({ kind: 'WAIT', durationSeconds: 60 });

const CREATE = `mutation($input: JourneyCreateInput!) { journeyCreate(input: $input) {
  __typename ... on JourneyCreatePayload { journey { id } } ... on Error { code message }
} }`;
const createJourney = (s: Stack, input: Record<string, unknown>) =>
  s
    .gql<{ journeyCreate: { __typename: string; journey: { id: string } } }>(CREATE, {
      input: { appId: SHOP, ...input },
    })
    .then((r) => r.journeyCreate);

describe.each(KEY_CONFIGURATIONS)('upstream calls with %s', (name, options) => {
  const stackWith = ownWritesStacks();
  const lookup = name === 'org key only' ? { get_app: 1 } : {};

  it('cost one call per read and per write, plus the org-key look-up once', async () => {
    const { s } = await stackWith(options, false);
    await s.gql(`{ app(id: "${SHOP}") { journeys { nodes { name state } } } }`);
    expect(s.upstreamCalls()).toEqual({ view_journeys: 1, ...lookup });
    s.emulator.resetStats();
    const created = await createJourney(s, { name: 'Floor', nodes: [wait()] });
    expect(s.upstreamCalls()).toEqual({ create_journey: 1 });
    s.emulator.resetStats();
    await s.gql(`{ node(id: "${created.journey.id}") { ... on Journey { name stats { started } } } }`);
    expect(s.upstreamCalls()).toEqual({ view_journey: 1, view_journey_stats: 1 });
  });

  it('answer a read right after a write from the write (cache on), and invalidate the cached list', async () => {
    const { s } = await stackWith(options, true);
    const LIST = `{ app(id: "${SHOP}") { journeys { nodes { name } } } }`;
    await s.gql(LIST);
    s.emulator.resetStats();
    await s.gql(LIST);
    expect(s.upstreamCalls()).toEqual({});
    const created = await createJourney(s, { name: 'Cached', nodes: [wait()] });
    s.emulator.resetStats();
    const read = await s.gql<{ node: { name: string; nodes: { kind: string }[] } }>(
      `{ node(id: "${created.journey.id}") { ... on Journey { name nodes { kind } } } }`,
    );
    expect(read.node).toEqual({ name: 'Cached', nodes: [{ kind: 'WAIT' }] });
    expect(s.upstreamCalls()).toEqual({});
    const list = await s.gql<{ app: { journeys: { nodes: { name: string }[] } } }>(LIST);
    expect(list.app.journeys.nodes[0]?.name).toBe('Cached');
    expect(s.upstreamCalls()).toEqual({ view_journeys: 1 });
  });
});

describe('who may read and write journeys', () => {
  let jwtStack: Stack;
  beforeAll(async () => {
    jwtStack = await startStack({}, { auth: jwtAuth() });
  });
  afterAll(() => jwtStack?.close());
  beforeEach(() => jwtStack.emulator.resetStats());

  const as = async (scopes: Scope[], query: string) =>
    jwtStack.gqlRaw<Record<string, unknown>>(query, undefined, await bearer(scopes, [SHOP], 'editor'));
  const LIST = `{ app(id: "${SHOP}") { journeys { nodes { name } } } }`;
  const WRITE = `mutation { journeyCreate(input: { appId: "${SHOP}", name: "N" }) { __typename } }`;

  it('reads journeys with journeys:read', async () => {
    const res = await as(['journeys:read'], LIST);
    expect(res.errors).toBeUndefined();
    expect(jwtStack.upstreamCalls()).toEqual({ view_journeys: 1 });
  });

  it('refuses reads without journeys:read (notifications:read is not enough) before any request', async () => {
    const res = await as(['notifications:read', 'apps:read'], LIST);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.message).toContain('journeys:read');
    const node = await as(['notifications:read'], `{ node(id: "${gid('Journey', SHOP, WELCOME)}") { id } }`);
    expect(node.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(jwtStack.emulator.stats().total).toBe(0);
  });

  it('needs journeys:write to write: journeys:read is not enough, and nothing is sent', async () => {
    const res = await as(['journeys:read'], WRITE);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.message).toContain('journeys:write');
    expect(jwtStack.emulator.stats().total).toBe(0);
    const ok = await as(['journeys:write'], WRITE);
    expect(ok.data).toEqual({ journeyCreate: { __typename: 'JourneyCreatePayload' } });
  });
});
