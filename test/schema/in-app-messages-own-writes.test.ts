/**
 * In-app messages at the upstream floor in every key configuration: each operation costs its one
 * request (plus, with the organization key only, one get_app to look up the app's key, once), create
 * and update answer from the write with no view, reads are cached and shared, and our own writes make
 * the app's cached pages, messages and stats stale (tag `inappmessages:<app>`).
 */
import { describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/core/ids.js';
import { DEMO } from '../../src/emulator/index.js';
import { KEY_CONFIGURATIONS } from '../helpers/key-configurations.js';
import { ownWritesStacks, SEED_TTL_MS } from '../helpers/own-writes.js';
import type { Stack } from '../helpers/stack.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are loosely typed JSON, narrowed by each assertion
type Loose = Record<string, any>;

const SHOP = DEMO.apps[0]!.id;
const WELCOME = encodeNodeId('InAppMessage', { appId: SHOP, id: 'a1a1a1a1-0000-4000-8000-000000000001' });

const FIELDS = 'id name status html startTime endTime triggers { conditions { kind operator number } }';
const CREATE = `mutation($input: InAppMessageCreateInput!) { inAppMessageCreate(input: $input) {
  __typename ... on InAppMessageCreatePayload { inAppMessage { ${FIELDS} } } ... on Error { code message } } }`;
const UPDATE = `mutation($input: InAppMessageUpdateInput!) { inAppMessageUpdate(input: $input) {
  __typename ... on InAppMessageUpdatePayload { inAppMessage { ${FIELDS} } } ... on Error { code message } } }`;
const PAUSE = `mutation($id: ID!) { inAppMessagePause(input: { id: $id }) {
  __typename ... on InAppMessageEnabledPayload { enabled status } ... on Error { code message } } }`;
const DELETE = `mutation($id: ID!) { inAppMessageDelete(input: { id: $id }) {
  __typename ... on InAppMessageDeletePayload { deletedInAppMessageId } ... on Error { code message } } }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on InAppMessage { ${FIELDS} } } }`;
const LIST = `query { app(id: "${SHOP}") { inAppMessages(first: 5) { totalCount nodes { name status } } } }`;
const STATS = `query($id: ID!) { node(id: $id) { ... on InAppMessage { stats { impressions clicks } } } }`;

const HTML = '<!doctype html><html><body>Sale</body></html>';
const TRIGGERS = [{ conditions: [{ kind: 'SESSION_TIME', operator: 'GREATER', number: 5 }] }];

const stackWith = ownWritesStacks();

const create = async (s: Stack) =>
  (
    await s.gql<Loose>(CREATE, {
      input: { appId: SHOP, name: 'Sale', html: HTML, draft: true, triggers: TRIGGERS },
    })
  ).inAppMessageCreate;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(KEY_CONFIGURATIONS)('in-app messages with %s', (name, options) => {
  const lookup = name === 'org key only' ? { get_app: 1 } : {};

  it.each([
    ['off', false],
    ['on', true],
  ])(
    'cost one request per operation, create and update answering with no view (cache %s)',
    async (_l, cache) => {
      const { s } = await stackWith(options, cache);
      const created = await create(s);
      expect(s.upstreamCalls()).toEqual({ create_in_app_message: 1, ...lookup });
      expect(created.inAppMessage).toMatchObject({ name: 'Sale', status: 'DRAFT', html: HTML });

      s.emulator.resetStats();
      const updated = await s.gql<Loose>(UPDATE, {
        input: {
          id: created.inAppMessage.id,
          draft: false,
          html: HTML,
          startTime: '2024-01-01T00:00:00Z',
          endTime: null,
          triggers: TRIGGERS,
        },
      });
      expect(s.upstreamCalls()).toEqual({ update_in_app_message: 1 });
      expect(updated.inAppMessageUpdate.inAppMessage).toMatchObject({ status: 'ACTIVE', endTime: null });

      s.emulator.resetStats();
      expect((await s.gql<Loose>(PAUSE, { id: WELCOME })).inAppMessagePause).toMatchObject({
        enabled: false,
        status: 'PAUSED',
      });
      expect(s.upstreamCalls()).toEqual({ set_in_app_message_enabled: 1 });

      s.emulator.resetStats();
      expect((await s.gql<Loose>(LIST)).app.inAppMessages.totalCount).toBe(4);
      expect((await s.gql<Loose>(STATS, { id: WELCOME })).node.stats).toEqual([
        { impressions: 240, clicks: 160 },
      ]);
      // node(id:) reads the message itself, then its stats.
      expect(s.upstreamCalls()).toEqual({
        view_in_app_messages: 1,
        view_in_app_message: 1,
        view_in_app_message_stats: 1,
      });

      s.emulator.resetStats();
      expect(
        (await s.gql<Loose>(DELETE, { id: created.inAppMessage.id })).inAppMessageDelete.__typename,
      ).toBe('InAppMessageDeletePayload');
      expect(s.upstreamCalls()).toEqual({ delete_in_app_message: 1 });
    },
  );

  it('answer a node read right after a write from the write while fresh, then from OneSignal (cache on)', async () => {
    const { s } = await stackWith(options, true);
    const created = await create(s);
    s.emulator.resetStats();
    const right = await s.gql<Loose>(NODE, { id: created.inAppMessage.id });
    expect(s.upstreamCalls()).toEqual({});
    expect(right.node).toEqual(created.inAppMessage);

    await sleep(SEED_TTL_MS + 100);
    const later = await s.gql<Loose>(NODE, { id: created.inAppMessage.id });
    expect(s.upstreamCalls()).toEqual({ view_in_app_message: 1 });
    expect(later.node).toEqual(created.inAppMessage);
  });

  it('serve repeated reads from the cache until one of our writes makes them stale (cache on)', async () => {
    const { s } = await stackWith(options, true);
    await s.gql(LIST);
    await s.gql(STATS, { id: WELCOME });
    s.emulator.resetStats();
    await s.gql(LIST);
    await s.gql(STATS, { id: WELCOME });
    expect(s.upstreamCalls()).toEqual({});

    await s.gql(PAUSE, { id: WELCOME });
    s.emulator.resetStats();
    const list = await s.gql<Loose>(LIST);
    await s.gql(STATS, { id: WELCOME });
    expect(s.upstreamCalls()).toEqual({
      view_in_app_messages: 1,
      view_in_app_message: 1,
      view_in_app_message_stats: 1,
    });
    expect(list.app.inAppMessages.nodes.map((n: Loose) => n.status)).toEqual(['DRAFT', 'ACTIVE', 'PAUSED']);

    await create(s);
    s.emulator.resetStats();
    expect((await s.gql<Loose>(LIST)).app.inAppMessages.totalCount).toBe(4);
    expect(s.upstreamCalls()).toEqual({ view_in_app_messages: 1 });
  });
});
