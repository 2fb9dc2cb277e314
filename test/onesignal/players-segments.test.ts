import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OneSignalClient, WireFilter } from '../../src/onesignal/index.js';
import {
  DEMO,
  demoAppKeys,
  download,
  type EmulatorHarness,
  NEWS,
  SHOP,
  SUITE_OPERATIONS,
  startOneSignalEmulator,
} from '../helpers/onesignal-emulator.js';

let h: EmulatorHarness;
let os: OneSignalClient;

beforeAll(async () => {
  h = await startOneSignalEmulator();
  os = h.client({ appKeys: demoAppKeys() });
});
afterAll(() => h.close());

describe('players', () => {
  it('lists players with limit and offset', async () => {
    const page = await os.players.list(SHOP, { limit: 10, offset: 3 });
    expect(page).toMatchObject({ total_count: DEMO.counts[SHOP]?.players, offset: 3, limit: 10 });
    expect(page.players).toHaveLength(10);
    const next = await os.players.list(SHOP, { limit: 1, offset: 13 });
    expect(page.players?.map((p) => p.id)).not.toContain(next.players?.[0]?.id);
  });

  it('reads one player', async () => {
    const id = DEMO.subscriptionIds[0] as string;
    const player = await os.players.get(SHOP, id);
    expect(player).toMatchObject({ id, app_id: SHOP, external_user_id: DEMO.users[0]?.externalId });
    expect(typeof player.device_type).toBe('number');
  });

  it('passes email_auth_hash through to get_player', async () => {
    const id = DEMO.subscriptionIds[1] as string;
    expect((await os.players.get(SHOP, id, { emailAuthHash: 'hash' })).id).toBe(id);
  });

  it('creates a player, updates it, and reads the changes back', async () => {
    const created = await os.players.create(NEWS, {
      device_type: 1,
      identifier: `token-${crypto.randomUUID()}`,
      language: 'de',
      tags: { plan: 'free' },
    });
    expect(created.success).toBe(true);
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);

    expect(
      await os.players.update(NEWS, created.id, { language: 'fr', tags: { plan: 'pro' }, session_count: 7 }),
    ).toEqual({
      success: true,
    });
    const read = await os.players.get(NEWS, created.id);
    expect(read).toMatchObject({
      id: created.id,
      app_id: NEWS,
      device_type: 1,
      language: 'fr',
      session_count: 7,
    });
    expect(read.tags).toMatchObject({ plan: 'pro' });
  });

  it('deletes a player, which then reads as NOT_FOUND', async () => {
    const { id } = await os.players.create(SHOP, {
      device_type: 5,
      identifier: `https://push.example/${crypto.randomUUID()}`,
    });
    expect(await os.players.delete(SHOP, id)).toEqual({ success: true });
    await expect(os.players.get(SHOP, id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      operation: 'get_player',
    });
  });

  it('updates the tags of an external user id (encoded in the path) and removes one with ""', async () => {
    const externalUserId = `user/${crypto.randomUUID()}@example.com`;
    const { id } = await os.players.create(SHOP, {
      device_type: 1,
      identifier: `token-${crypto.randomUUID()}`,
      external_user_id: externalUserId,
      tags: { keep: 'yes', drop: 'me' },
    });
    expect(await os.players.updateTags(SHOP, externalUserId, { level: '3', drop: '' })).toEqual({
      success: true,
    });
    const read = await os.players.get(SHOP, id);
    expect(read.tags).toEqual({ keep: 'yes', level: '3' });
  });

  it('starts CSV exports of the players, with extra fields or only a segment', async () => {
    const result = await os.players.exportCsv(SHOP, { extra_fields: ['country', 'external_user_id'] });
    const csv = await download(result.csv_file_url as string);
    expect(csv.status).toBe(200);
    const header = csv.text.split('\n')[0] ?? '';
    expect(header).toContain('country');
    expect(header).toContain('external_user_id');

    const everyone = (await download((await os.players.exportCsv(SHOP)).csv_file_url as string)).text
      .trim()
      .split('\n');
    const vip = await os.players.exportCsv(SHOP, { segment_name: 'VIP Customers', last_active_since: '0' });
    const vipRows = (await download(vip.csv_file_url as string)).text.trim().split('\n');
    expect(everyone).toHaveLength(((await os.players.list(SHOP, { limit: 1 })).total_count ?? 0) + 1);
    expect(vipRows.length).toBeLessThan(everyone.length);
  });
});

describe('segments', () => {
  it('lists segments with limit and offset', async () => {
    const all = await os.segments.list(SHOP);
    expect(all.total_count).toBe(DEMO.counts[SHOP]?.segments);
    expect(all.segments.map((s) => s.name)).toEqual(expect.arrayContaining(DEMO.segments.builtin));
    const second = await os.segments.list(SHOP, { limit: 1, offset: 1 });
    expect(second).toMatchObject({ limit: 1, offset: 1 });
    expect(second.segments).toEqual([all.segments[1]]);
    expect(all.segments[0]).toMatchObject({
      app_id: SHOP,
      read_only: expect.any(Boolean),
      is_active: expect.any(Boolean),
    });
  });

  it('creates a segment from filters and operators, lists it, then deletes it', async () => {
    const filters: WireFilter[] = [
      { field: 'tag', key: 'tier', relation: '=', value: 'gold' },
      { operator: 'OR' },
      { field: 'session_count', relation: '>', value: '10' },
    ];
    const created = await os.segments.create(SHOP, { name: 'Client Test Segment', filters });
    expect(created).toEqual({ success: true, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const listed = await os.segments.list(SHOP);
    expect(listed.segments.find((s) => s.id === created.id)).toMatchObject({
      name: 'Client Test Segment',
      read_only: false,
    });

    expect(await os.segments.delete(SHOP, created.id)).toEqual({ success: true });
    const after = await os.segments.list(SHOP);
    expect(after.segments.some((s) => s.id === created.id)).toBe(false);
  });

  it('reports a duplicate segment name as CONFLICT', async () => {
    const name = DEMO.segments.custom[SHOP]?.[0] as string;
    await expect(
      os.segments.create(SHOP, { name, filters: [{ field: 'language', relation: '=', value: 'en' }] }),
    ).rejects.toMatchObject({ code: 'CONFLICT', status: 409, operation: 'create_segments' });
  });

  it('reports deleting an unknown segment as NOT_FOUND', async () => {
    await expect(os.segments.delete(SHOP, crypto.randomUUID())).rejects.toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
    });
  });
});

it('exercised every players and segments operation against the emulator', () => {
  expect(Object.keys(h.calls())).toEqual(expect.arrayContaining([...SUITE_OPERATIONS.playersSegments]));
});
