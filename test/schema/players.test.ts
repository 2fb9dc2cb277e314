import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const NEWS = DEMO.apps[1]!.id;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.emulator.resetStats());

interface PlayerData {
  id: string;
  oneSignalId: string;
  deviceType: string;
  identifier: string | null;
  externalUserId: string | null;
  tags: { key: string; value: string }[];
  language: string | null;
  timezoneOffset: number | null;
  sessionCount: number;
  amountSpent: number;
  createdAt: string | null;
  subscribed: boolean;
  testType: string | null;
  location: { latitude: number; longitude: number } | null;
  country: string | null;
  app: { id: string; name: string };
}

const PLAYER_FIELDS = `id oneSignalId deviceType identifier externalUserId tags { key value } language timezoneOffset sessionCount amountSpent createdAt subscribed testType location { latitude longitude } country app { id name }`;

async function firstPlayers(n: number) {
  const data = await stack.gql<{ app: { players: { nodes: PlayerData[] } } }>(
    `query($app: UUID!, $n: Int!) { app(id: $app) { players(first: $n) { nodes { ${PLAYER_FIELDS} } } } }`,
    { app: SHOP, n },
  );
  return data.app.players.nodes;
}

describe('App.players', () => {
  it('returns a page of players with the total count, and the next page continues where the first ended, one get_players each', async () => {
    const first = await stack.gql<{
      app: {
        players: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string };
          nodes: PlayerData[];
          edges: { cursor: string }[];
        };
      };
    }>(
      `query($app: UUID!) { app(id: $app) { players(first: 3) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor } nodes { oneSignalId deviceType } } } }`,
      { app: SHOP },
    );
    const page1 = first.app.players;
    expect(page1.totalCount).toBe(DEMO.counts[SHOP]!.players);
    expect(page1.nodes).toHaveLength(3);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(page1.edges.at(-1)!.cursor).toBe(page1.pageInfo.endCursor);

    const second = await stack.gql<{
      app: { players: { pageInfo: { hasPreviousPage: boolean }; nodes: { oneSignalId: string }[] } };
    }>(
      `query($app: UUID!, $after: String!) { app(id: $app) { players(first: 3, after: $after) { pageInfo { hasPreviousPage } nodes { oneSignalId } } } }`,
      { app: SHOP, after: page1.pageInfo.endCursor },
    );
    const both = await firstPlayers(6);
    expect(second.app.players.pageInfo.hasPreviousPage).toBe(true);
    expect(second.app.players.nodes.map((p) => p.oneSignalId)).toEqual(
      both.slice(3).map((p) => p.oneSignalId),
    );
    expect(stack.upstreamCalls().get_players).toBe(3);
  });

  it('maps device records to typed fields: enums, DateTime, tags list, app relation', async () => {
    const players = await firstPlayers(50);
    const email = players.find((p) => p.deviceType === 'EMAIL')!;
    expect(email.identifier).toMatch(/@/);
    expect(email.app).toMatchObject({ name: 'Demo Shop' });
    expect(new Date(email.createdAt!).getTime()).toBeGreaterThan(Date.UTC(2000, 0, 1));
    for (const p of players) {
      expect(p.id).not.toBe(p.oneSignalId);
      expect(p.tags.map((t) => t.key)).toEqual([...p.tags.map((t) => t.key)].sort());
      expect(typeof p.subscribed).toBe('boolean');
    }
    expect(players.some((p) => p.tags.length > 0)).toBe(true);
  });

  it('rejects first above 300 and backward paging before any upstream call', async () => {
    const res = await stack.gqlRaw(
      `query($app: UUID!) { app(id: $app) { players(first: 301) { totalCount } } }`,
      { app: SHOP },
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [{ path: ['players', 'first'] }],
    });
    const back = await stack.gqlRaw(
      `query($app: UUID!) { app(id: $app) { players(last: 3) { totalCount } } }`,
      { app: SHOP },
    );
    expect(back.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [{ path: ['players', 'last'] }],
    });
    // Refused at validation, so not even the app is read.
    expect(stack.upstreamCalls()).toEqual({});
  });
});

describe('App.player and node(id:)', () => {
  it('fetches one player by OneSignal id, and refetches it by global id', async () => {
    const [known] = await firstPlayers(1);
    stack.emulator.resetStats();
    const data = await stack.gql<{
      app: { player: PlayerData };
      node: { oneSignalId: string; deviceType: string };
    }>(
      `query($app: UUID!, $id: UUID!, $node: ID!) { app(id: $app) { player(id: $id) { ${PLAYER_FIELDS} } } node(id: $node) { ... on Player { oneSignalId deviceType } } }`,
      { app: SHOP, id: known!.oneSignalId, node: known!.id },
    );
    expect(data.app.player).toEqual(known);
    expect(data.node).toEqual({ oneSignalId: known!.oneSignalId, deviceType: known!.deviceType });
    expect(stack.upstreamCalls().get_player).toBe(1);
  });

  it('resolves an unknown player id to null, and a player of another app to null', async () => {
    const [known] = await firstPlayers(1);
    const data = await stack.gql<{ news: { player: null }; shop: { player: null } }>(
      `query($news: UUID!, $shop: UUID!, $id: UUID!) { news: app(id: $news) { player(id: $id) { oneSignalId } } shop: app(id: $shop) { player(id: "00000000-0000-4000-8000-000000000000") { oneSignalId } } }`,
      { news: NEWS, shop: SHOP, id: known!.oneSignalId },
    );
    expect(data).toEqual({ news: { player: null }, shop: { player: null } });
  });

  it('rejects a malformed UUID before any upstream call', async () => {
    stack.emulator.resetStats();
    const res = await stack.gqlRaw(
      `query($app: UUID!) { app(id: $app) { player(id: "not-a-uuid") { oneSignalId } } }`,
      { app: SHOP },
    );
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(stack.emulator.stats().total).toBe(0);
  });

  it('rejects a Player global id whose local part is not a UUID before any upstream call', async () => {
    const bogus = Buffer.from(`Player:${SHOP}/nope`).toString('base64url');
    const res = await stack.gqlRaw(`query($id: ID!) { node(id: $id) { id } }`, { id: bogus });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(stack.emulator.stats().total).toBe(0);
  });
});

describe('player mutations', () => {
  const CREATE = `mutation($input: PlayerCreateInput!) { playerCreate(input: $input) {
    __typename
    ... on PlayerPayload { player { ${PLAYER_FIELDS} deviceModel gameVersion playtimeSeconds badgeCount } }
    ... on ValidationError { code fields { path message } }
  } }`;

  it('creates a player and reads it back with every field it was given', async () => {
    const data = await stack.gql<{
      playerCreate: {
        __typename: string;
        player: PlayerData & {
          deviceModel: string;
          gameVersion: string;
          playtimeSeconds: number;
          badgeCount: number;
        };
      };
    }>(CREATE, {
      input: {
        appId: SHOP,
        deviceType: 'IOS',
        identifier: 'ab'.repeat(32),
        language: 'de',
        timezoneOffset: 3600,
        deviceModel: 'iPhone15,2',
        gameVersion: '2.1.0',
        sessionCount: 4,
        amountSpent: 12.5,
        playtimeSeconds: 600,
        badgeCount: 2,
        testType: 'DEVELOPMENT',
        location: { latitude: 48.1, longitude: 11.6 },
        country: 'DE',
        tags: [
          { key: 'plan', value: 'pro' },
          { key: 'level', value: '3' },
        ],
      },
    });
    expect(data.playerCreate.__typename).toBe('PlayerPayload');
    const p = data.playerCreate.player;
    expect(p).toMatchObject({
      deviceType: 'IOS',
      identifier: 'ab'.repeat(32),
      language: 'de',
      timezoneOffset: 3600,
      deviceModel: 'iPhone15,2',
      gameVersion: '2.1.0',
      sessionCount: 4,
      amountSpent: 12.5,
      playtimeSeconds: 600,
      badgeCount: 2,
      testType: 'DEVELOPMENT',
      location: { latitude: 48.1, longitude: 11.6 },
      country: 'DE',
      tags: [
        { key: 'level', value: '3' },
        { key: 'plan', value: 'pro' },
      ],
      app: { name: 'Demo Shop' },
    });
    expect(stack.upstreamCalls()).toMatchObject({ create_player: 1, get_player: 1 });
  });

  it('updates a player, then reads the change through node(id:)', async () => {
    const [known] = await firstPlayers(1);
    stack.emulator.resetStats();
    const data = await stack.gql<{
      playerUpdate: { player: { language: string; tags: { key: string; value: string }[] } };
    }>(
      `mutation($input: PlayerUpdateInput!) { playerUpdate(input: $input) { ... on PlayerPayload { player { language tags { key value } } } } }`,
      {
        input: {
          id: known!.id,
          language: 'pt',
          tags: [
            { key: 'tier', value: null },
            { key: 'vip', value: 'yes' },
          ],
        },
      },
    );
    expect(data.playerUpdate.player.language).toBe('pt');
    expect(data.playerUpdate.player.tags).toContainEqual({ key: 'vip', value: 'yes' });
    expect(data.playerUpdate.player.tags.map((t) => t.key)).not.toContain('tier');
    const again = await stack.gql<{ node: { language: string } }>(
      `query($id: ID!) { node(id: $id) { ... on Player { language } } }`,
      { id: known!.id },
    );
    expect(again.node.language).toBe('pt');
  });

  it('deletes a player, after which it reads as null', async () => {
    const created = await stack.gql<{ playerCreate: { player: { id: string; oneSignalId: string } } }>(
      CREATE,
      {
        input: { appId: SHOP, deviceType: 'ANDROID', identifier: 'cd'.repeat(40) },
      },
    );
    const { id, oneSignalId } = created.playerCreate.player;
    const deleted = await stack.gql<{ playerDelete: { deletedPlayerId: string } }>(
      `mutation($id: ID!) { playerDelete(input: { id: $id }) { ... on PlayerDeletePayload { deletedPlayerId } } }`,
      { id },
    );
    expect(deleted.playerDelete.deletedPlayerId).toBe(id);
    const after = await stack.gql<{ app: { player: null } }>(
      `query($app: UUID!, $id: UUID!) { app(id: $app) { player(id: $id) { id } } }`,
      { app: SHOP, id: oneSignalId },
    );
    expect(after.app.player).toBeNull();
  });

  it('deleting an unknown player returns NotFoundError', async () => {
    const ghost = Buffer.from(`Player:${SHOP}/00000000-0000-4000-8000-00000000dead`).toString('base64url');
    const data = await stack.gql<{ playerDelete: { __typename: string; code: string } }>(
      `mutation($id: ID!) { playerDelete(input: { id: $id }) { __typename ... on Error { code } } }`,
      { id: ghost },
    );
    expect(data.playerDelete).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });

  it('sets and removes tags by external user id, visible on the player afterwards', async () => {
    const players = await firstPlayers(20);
    const target = players.find((p) => p.externalUserId && p.tags.some((t) => t.key === 'tier'))!;
    const data = await stack.gql<{
      playerTagsUpdate: { externalUserId: string; changedTags: { key: string; value: string | null }[] };
    }>(
      `mutation($input: PlayerTagsUpdateInput!) { playerTagsUpdate(input: $input) { ... on PlayerTagsUpdatePayload { externalUserId changedTags { key value } } } }`,
      {
        input: {
          appId: SHOP,
          externalUserId: target.externalUserId,
          tags: [
            { key: 'tier', value: null },
            { key: 'color', value: 'blue' },
          ],
        },
      },
    );
    expect(data.playerTagsUpdate).toEqual({
      externalUserId: target.externalUserId,
      changedTags: [
        { key: 'tier', value: null },
        { key: 'color', value: 'blue' },
      ],
    });
    const after = await stack.gql<{ app: { player: { tags: { key: string; value: string }[] } } }>(
      `query($app: UUID!, $id: UUID!) { app(id: $app) { player(id: $id) { tags { key value } } } }`,
      { app: SHOP, id: target.oneSignalId },
    );
    expect(after.app.player.tags).toContainEqual({ key: 'color', value: 'blue' });
    expect(after.app.player.tags.map((t) => t.key)).not.toContain('tier');
    expect(stack.upstreamCalls().update_player_tags).toBe(1);
  });

  it('starts a CSV export and returns its URL', async () => {
    const data = await stack.gql<{ playerExportCsv: { csvFileUrl: string } }>(
      `mutation($input: PlayerExportCsvInput!) { playerExportCsv(input: $input) { ... on PlayerExportCsvPayload { csvFileUrl } } }`,
      {
        input: {
          appId: SHOP,
          extraFields: ['COUNTRY', 'EXTERNAL_USER_ID'],
          lastActiveSince: '2024-01-01T00:00:00Z',
          segmentName: 'Subscribed Users',
        },
      },
    );
    expect(new URL(data.playerExportCsv.csvFileUrl).protocol).toMatch(/^https?:$/);
    expect(data.playerExportCsv.csvFileUrl).toContain(SHOP);
    expect(stack.upstreamCalls()).toEqual({ export_players: 1 });
  });

  it('returns ValidationError with the input path and calls nothing for invalid input', async () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
      [CREATE, { input: { appId: 'not-an-app', deviceType: 'IOS' } }, ['input', 'appId']],
      [CREATE, { input: { appId: SHOP, deviceType: 'UNKNOWN' } }, ['input', 'deviceType']],
      [
        CREATE,
        { input: { appId: SHOP, deviceType: 'IOS', location: { latitude: 91, longitude: 0 } } },
        ['input', 'location', 'latitude'],
      ],
      [
        CREATE,
        {
          input: {
            appId: SHOP,
            deviceType: 'IOS',
            tags: [
              { key: 'a', value: '1' },
              { key: 'a', value: '2' },
            ],
          },
        },
        ['input', 'tags', '1', 'key'],
      ],
      [
        `mutation($input: PlayerUpdateInput!) { playerUpdate(input: $input) { __typename ... on ValidationError { code fields { path message } } } }`,
        {
          input: {
            id: Buffer.from(`User:${SHOP}/00000000-0000-4000-8000-000000000000`).toString('base64url'),
          },
        },
        ['input', 'id'],
      ],
      [
        `mutation($input: PlayerTagsUpdateInput!) { playerTagsUpdate(input: $input) { __typename ... on ValidationError { code fields { path message } } } }`,
        { input: { appId: SHOP, externalUserId: 'x', tags: [] } },
        ['input', 'tags'],
      ],
    ];
    for (const [query, variables, path] of cases) {
      const data = await stack.gql<
        Record<string, { __typename: string; code: string; fields: { path: string[] }[] }>
      >(query, variables);
      const result = Object.values(data)[0]!;
      expect(result).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED' });
      expect(result.fields[0]!.path).toEqual(path);
    }
    expect(stack.emulator.stats().total).toBe(0);
  });
});
