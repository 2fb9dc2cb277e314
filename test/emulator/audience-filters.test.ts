/**
 * Filters that reach by place and by time: location (radius in meters around lat/long), hours_ago on
 * last_session / first_session, and the tag time operators. Each runs on a fresh app whose players
 * are created here, so every recipient count is known.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { caller } from '../helpers/emulator.js';

let emulator: RunningEmulator;
let call: ReturnType<typeof caller>;
let app: { id: string; key: string };
const now = Math.floor(Date.now() / 1000);
const HOUR = 3600;

/** Players of the test app: position, sessions, a time tag. */
const PLAYERS = [
  // Golden Gate Park, San Francisco (the documented example point is 37.77, -122.43).
  { name: 'at the point', lat: 37.77, long: -122.43, last: 2, first: 2, bought: 1 },
  // ~556 m north of it.
  { name: '556 m away', lat: 37.775, long: -122.43, last: 20, first: 48, bought: 30 },
  // ~5.3 km east.
  { name: '5 km away', lat: 37.77, long: -122.37, last: 200, first: 400, bought: 100 },
  // Los Angeles, ~560 km.
  { name: 'in LA', lat: 34.05, long: -118.24, last: 500, first: 1000 },
  { name: 'no position', lat: null, long: null, last: 0.5, first: 0.5 },
];

async function send(filters: unknown[]): Promise<number> {
  const res = await call('POST', '/notifications', {
    auth: app.key,
    body: { app_id: app.id, contents: { en: 'x' }, filters },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.recipients as number;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  call = caller(emulator);
  const created = await call('POST', '/apps', { auth: DEMO.userAuthKey, body: { name: 'Filters' } });
  app = { id: created.body.id, key: created.body.basic_auth_key };
  for (const [i, p] of PLAYERS.entries()) {
    const tags: Record<string, string> = { name: p.name };
    if (p.bought !== undefined) tags.last_purchase = String(now - p.bought * HOUR);
    const res = await call('POST', '/players', {
      auth: app.key,
      body: {
        app_id: app.id,
        device_type: 1,
        identifier: `token-${i}`,
        lat: p.lat,
        long: p.long,
        last_active: now - p.last * HOUR,
        created_at: now - p.first * HOUR,
        tags,
      },
    });
    expect(res.status).toBe(200);
  }
});

afterAll(async () => {
  await emulator.close();
});

describe('location filters', () => {
  it('reach the players within the radius (meters, great-circle), never those without a position', async () => {
    const at = (radius: string | number) => ({ field: 'location', radius, lat: '37.77', long: '-122.43' });
    expect(await send([at('1')])).toBe(1);
    expect(await send([at('1000')])).toBe(2);
    expect(await send([at(500)])).toBe(1);
    expect(await send([at('10000')])).toBe(3);
    expect(await send([at(600_000)])).toBe(4);
    // Numbers as the 5.x SDK's FilterExpression types them, strings as the reference shows them.
    expect(await send([{ field: 'location', radius: 1000, lat: 37.77, long: -122.43 }])).toBe(2);
  });

  it('combine with other filters and OR like any condition', async () => {
    expect(
      await send([
        { field: 'location', radius: '1000', lat: '37.77', long: '-122.43' },
        { operator: 'OR' },
        { field: 'tag', key: 'name', relation: '=', value: 'no position' },
      ]),
    ).toBe(3);
  });

  it('count the same in a recipient estimate', async () => {
    const res = await call('POST', '/notifications/count-unsaved', {
      auth: app.key,
      body: {
        app_id: app.id,
        filters: [{ field: 'location', radius: '10000', lat: '37.77', long: '-122.43' }],
      },
    });
    expect(res.body.count).toBe(3);
  });
});

describe('hours_ago on session filters', () => {
  it('last_session ">" N: the last session was more than N hours ago; "<": less', async () => {
    expect(await send([{ field: 'last_session', relation: '>', hours_ago: '10' }])).toBe(3);
    expect(await send([{ field: 'last_session', relation: '<', hours_ago: '10' }])).toBe(2);
    expect(await send([{ field: 'last_session', relation: '<', hours_ago: '1.1' }])).toBe(1);
    expect(await send([{ field: 'last_session', relation: '>', hours_ago: '300' }])).toBe(1);
  });

  it('first_session compares the hours since the player was created', async () => {
    expect(await send([{ field: 'first_session', relation: '<', hours_ago: '24' }])).toBe(2);
    expect(await send([{ field: 'first_session', relation: '>', hours_ago: '24' }])).toBe(3);
  });

  it('still read value when hours_ago is absent, as the emulator did before', async () => {
    expect(await send([{ field: 'last_session', relation: '>', value: '10' }])).toBe(3);
  });
});

describe('tag time operators', () => {
  it('time_elapsed_gt/lt compare the seconds since the unix time in the tag', async () => {
    const day = String(24 * HOUR);
    expect(
      await send([{ field: 'tag', key: 'last_purchase', relation: 'time_elapsed_gt', value: day }]),
    ).toBe(2);
    expect(
      await send([{ field: 'tag', key: 'last_purchase', relation: 'time_elapsed_lt', value: day }]),
    ).toBe(1);
  });
});
