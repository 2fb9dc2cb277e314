import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import type { Snapshot } from '../../src/emulator/store.js';
import { caller, NEWS, SHOP } from '../helpers/emulator.js';

let emulator: RunningEmulator;
let call: ReturnType<typeof caller>;
const tmp = mkdtempSync(join(tmpdir(), 'emulator-test-'));

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  call = caller(emulator);
});

afterAll(async () => {
  await emulator.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('seeded demo data', () => {
  it('has the documented apps and sizes', async () => {
    const apps = (await call('GET', '/apps', { auth: DEMO.userAuthKey })).body;
    expect(apps.map((a: { id: string; name: string }) => [a.id, a.name])).toEqual([
      ['11111111-1111-4111-8111-111111111111', 'Demo Shop'],
      ['22222222-2222-4222-8222-222222222222', 'Demo News'],
    ]);
    const counts = DEMO.counts[SHOP.id];
    expect(counts?.players).toBeGreaterThanOrEqual(500);
    expect(counts?.notifications).toBeGreaterThanOrEqual(120);
    expect(apps[0].players).toBe(counts?.players);
    expect(apps[0].messageable_players).toBeLessThan(apps[0].players);
    const segments = (await call('GET', `/apps/${SHOP.id}/segments`)).body;
    expect(segments.total_count).toBe(counts?.segments);
    expect(
      segments.segments.slice(0, 3).map((s: { name: string; read_only: boolean }) => [s.name, s.read_only]),
    ).toEqual([
      ['Subscribed Users', true],
      ['Active Users', true],
      ['Inactive Users', true],
    ]);
    const news = (await call('GET', `/notifications?app_id=${NEWS.id}`, { auth: NEWS.restApiKey })).body;
    expect(news.total_count).toBe(DEMO.counts[NEWS.id]?.notifications);
  });

  it('is identical on every start', async () => {
    const other = await startEmulator({ port: 0 });
    try {
      const path = `/players?app_id=${SHOP.id}&limit=20&offset=100`;
      const a = (await call('GET', path)).body.players;
      const b = (await caller(other)('GET', path)).body.players;
      expect(b.map((p: { id: string; tags: unknown }) => [p.id, p.tags])).toEqual(
        a.map((p: { id: string; tags: unknown }) => [p.id, p.tags]),
      );
    } finally {
      await other.close();
    }
  });

  it('gives seeded notifications delivery statistics and outcomes', async () => {
    const n = (await call('GET', `/notifications/${DEMO.notifications.latestDelivered}?app_id=${SHOP.id}`))
      .body;
    expect(n.successful).toBeGreaterThan(0);
    expect(n.completed_at).toBeGreaterThanOrEqual(n.queued_at);
    expect(Object.keys(n.platform_delivery_stats).length).toBeGreaterThan(0);
    expect(n.outcomes[0]).toMatchObject({ id: 'os__click', aggregation: 'count' });
    const scheduled = (
      await call('GET', `/notifications/${DEMO.notifications.scheduled[0]}?app_id=${SHOP.id}`)
    ).body;
    expect(scheduled.completed_at).toBeNull();
    expect(scheduled.remaining).toBeGreaterThan(0);
  });
});

describe('paging', () => {
  it('pages players past 300 in id order without gaps or overlaps', async () => {
    const ids: string[] = [];
    for (let offset = 0; ; offset += 300) {
      const page = (await call('GET', `/players?app_id=${SHOP.id}&offset=${offset}`)).body;
      expect(page.limit).toBe(300);
      ids.push(...page.players.map((p: { id: string }) => p.id));
      if (page.players.length < 300) break;
    }
    expect(ids).toHaveLength(DEMO.counts[SHOP.id]?.players as number);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('pages notifications past 50, newest queued first', async () => {
    const queued: number[] = [];
    for (let offset = 0; offset < 150; offset += 50) {
      const page = (await call('GET', `/notifications?app_id=${SHOP.id}&offset=${offset}`)).body;
      queued.push(...page.notifications.map((n: { queued_at: number }) => n.queued_at));
    }
    expect(queued).toHaveLength(DEMO.counts[SHOP.id]?.notifications as number);
    expect([...queued].sort((a, b) => b - a)).toEqual(queued);
  });
});

describe('persistence and start-up modes', () => {
  it('writes state on close and loads it on the next start with the same data file', async () => {
    const dataFile = join(tmp, 'state.json');
    const first = await startEmulator({ port: 0, dataFile });
    const created = await caller(first)('POST', '/players', {
      body: { app_id: SHOP.id, device_type: 1, identifier: 'persisted', tags: { saved: 'yes' } },
    });
    await first.close();
    const second = await startEmulator({ port: 0, dataFile, seed: false });
    try {
      const player = await caller(second)('GET', `/players/${created.body.id}?app_id=${SHOP.id}`);
      expect(player.body.tags).toEqual({ saved: 'yes' });
      const users = await caller(second)(
        'GET',
        `/apps/${SHOP.id}/users/by/external_id/${DEMO.users[0]?.externalId}`,
      );
      expect(users.body.subscriptions).toHaveLength(DEMO.users[0]?.subscriptionIds.length as number);
    } finally {
      await second.close();
    }
  });

  it('keeps API keys and recorded custom events across a restart, with only a hash of each key in the file', async () => {
    const dataFile = join(tmp, 'keys-and-events.json');
    const first = await startEmulator({ port: 0, dataFile });
    const ask = caller(first);
    const created = await ask('POST', `/apps/${SHOP.id}/auth/tokens`, {
      auth: DEMO.userAuthKey,
      body: { name: 'CI deploys', ip_allowlist_mode: 'disabled' },
    });
    const token = created.body.formatted_token as string;
    expect(token).toMatch(/^os_v2_app_/);
    const user = DEMO.users[0] as (typeof DEMO.users)[number];
    const events = [
      {
        name: 'purchase',
        external_id: user.externalId,
        timestamp: '2026-01-02T03:04:05.000Z',
        payload: { sku: 'A-1' },
      },
      { name: 'signup', onesignal_id: user.onesignalId, timestamp: '2026-01-02T03:05:00.000Z' },
    ];
    expect((await ask('POST', `/apps/${SHOP.id}/custom_events`, { body: { events } })).status).toBe(200);
    await first.close();

    const written = readFileSync(dataFile, 'utf8');
    expect(written).not.toContain(token);
    const recorded = (snapshot: string) => {
      const app = (JSON.parse(snapshot) as Snapshot).apps.find((a) => a.app.id === SHOP.id);
      return app?.customEvents?.map((e) => [e.name, e.onesignal_id, e.timestamp, e.payload]);
    };
    const expected = [
      ['purchase', user.onesignalId, '2026-01-02T03:04:05.000Z', { sku: 'A-1' }],
      ['signup', user.onesignalId, '2026-01-02T03:05:00.000Z', {}],
    ];
    expect(recorded(written)).toEqual(expected);

    const second = await startEmulator({ port: 0, dataFile, seed: false });
    try {
      const again = caller(second);
      const keys = await again('GET', `/apps/${SHOP.id}/auth/tokens`, { auth: DEMO.userAuthKey });
      expect(keys.body.tokens).toEqual([
        expect.objectContaining({
          token_id: created.body.token_id,
          name: 'CI deploys',
          ip_allowlist_mode: 'disabled',
        }),
      ]);
      // The restored key still authenticates as the app's REST key; a made-up one does not.
      expect((await again('GET', `/notifications?app_id=${SHOP.id}&limit=1`, { auth: token })).status).toBe(
        200,
      );
      expect(
        (await again('GET', `/notifications?app_id=${SHOP.id}&limit=1`, { auth: `${token.slice(0, -1)}x` }))
          .status,
      ).toBe(403);
    } finally {
      await second.close();
    }
    // Restored, not just left in the file: the second emulator wrote them back from its own state.
    expect(recorded(readFileSync(dataFile, 'utf8'))).toEqual(expected);
  });

  it('starts empty with seed: false and accepts a custom user auth key', async () => {
    const empty = await startEmulator({ port: 0, seed: false, userAuthKey: 'custom-key' });
    try {
      const ask = caller(empty);
      expect((await ask('GET', '/apps', { auth: 'custom-key' })).body).toEqual([]);
      expect((await ask('GET', '/apps', { auth: DEMO.userAuthKey })).status).toBe(403);
      const app = (await ask('POST', '/apps', { auth: 'custom-key', body: { name: 'Fresh' } })).body;
      expect(
        (await ask('GET', `/players?app_id=${app.id}`, { auth: app.basic_auth_key })).body.total_count,
      ).toBe(0);
    } finally {
      await empty.close();
    }
  });

  it('runs as a CLI that prints the URL and demo keys and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/emulator/main.ts', '--port', '0', '--latency-ms', '1'],
      {
        env: { ...process.env, EMULATOR_USER_AUTH_KEY: 'secret-from-env' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match?.[1] && out.includes('Demo News')) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    expect(out).toContain(SHOP.restApiKey);
    expect(out).not.toContain('secret-from-env');
    const apps = await fetch(`${url}/apps`, { headers: { authorization: 'Key secret-from-env' } });
    expect(apps.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
