/**
 * The emulator's Journeys API (OneSignal's beta) over real HTTP: the refusals OneSignal's reference
 * documents, the in-app message usage registry its writes keep (the in-app message delete asks it),
 * `--data` snapshots, and the current SDK (@onesignal/node-onesignal 5.x, which has every journey
 * method) driving it, its models checked against the emulator's raw answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import {
  type ApiException,
  createConfiguration,
  DefaultApi,
  Journey,
  JourneyListResponse,
  JourneyStats,
  ServerConfiguration,
} from 'onesignal-node-v5';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, DEMO_JOURNEYS, startEmulator } from '../../src/emulator/index.js';
import { createStore } from '../../src/emulator/seed.js';
import { createHttpApp, EmulatorCore } from '../../src/emulator/server.js';
import { Store } from '../../src/emulator/store.js';
import { SUITE_OPERATIONS } from '../helpers/onesignal-emulator.js';

const SHOP = DEMO.apps[0]!;
const NEWS = DEMO.apps[1]!;
const WELCOME = DEMO_JOURNEYS[SHOP.id]!.journeys['Welcome series']!;
const SHOP_IAM = DEMO_JOURNEYS[SHOP.id]!.inAppMessageId;
const NEWS_IAM = DEMO_JOURNEYS[NEWS.id]!.inAppMessageId;
const OTHER_IAM = 'a1a1a1a1-0000-4000-8000-0000000000ff';
const UNKNOWN = '99999999-9999-4999-8999-999999999999';

/** A seeded emulator on loopback whose store the test can inspect (the registry is not served). */
let core: EmulatorCore;
let server: Server;
let url: string;
beforeAll(async () => {
  core = new EmulatorCore(createStore(true), DEMO.userAuthKey, true, null);
  server = createAdaptorServer({ fetch: createHttpApp(core).fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => core.reset());

const usage = (appId = SHOP.id) => core.store.apps.get(appId)!.inAppMessageUsage;

async function call(method: string, path: string, body?: unknown, key = SHOP.restApiKey) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { Authorization: `Key ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: raw answers are read loosely by these assertions.
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
const base = `/apps/${SHOP.id}/journeys`;
const wait = (extra: Record<string, unknown> = {}) => ({ kind: 'wait', duration_seconds: 60, ...extra });

describe('the journeys routes', () => {
  it('list newest first, summaries only, with forward-only cursors; a bad cursor or limit is a 400', async () => {
    const first = await call('GET', `${base}?limit=1`);
    expect(first.status).toBe(200);
    expect(first.body.journeys).toHaveLength(1);
    expect(first.body.journeys[0]).toMatchObject({
      id: WELCOME,
      name: 'Welcome series',
      audience: { kind: 'segment' },
    });
    expect(first.body.journeys[0].nodes).toBeUndefined();
    expect(first.body).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
    const second = await call('GET', `${base}?limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body).toMatchObject({ has_more: false, journeys: [{ name: 'Cart reminder A/B' }] });
    expect(second.body.next_cursor).toBeUndefined();
    expect((await call('GET', `${base}?cursor=garbage`)).status).toBe(400);
    expect((await call('GET', `${base}?limit=51`)).status).toBe(400);
    expect((await call('GET', `${base}?limit=0`)).status).toBe(400);
  });

  it('answer 404 for an unknown journey, its stats and an unknown node, with the coded error shape', async () => {
    const missing = await call('GET', `${base}/${UNKNOWN}`);
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]).toMatchObject({
      code: 'not_found',
      title: expect.stringContaining(UNKNOWN),
    });
    expect((await call('GET', `${base}/${UNKNOWN}/stats`)).status).toBe(404);
    expect((await call('DELETE', `${base}/${UNKNOWN}`)).status).toBe(404);
    expect((await call('PATCH', `${base}/${WELCOME}/nodes/${UNKNOWN}`, { annotation: 'x' })).status).toBe(
      404,
    );
    expect((await call('GET', `${base}/not-a-uuid`)).status).toBe(404);
    // Another app's key is refused.
    expect((await call('GET', `${base}/${WELCOME}`, undefined, NEWS.restApiKey)).status).toBe(403);
  });

  it('keep paging past a deleted journey, and keep fields no node kind names as sent', async () => {
    const { body: a } = await call('POST', base, { name: 'A', nodes: [wait({ future_field: { x: 1 } })] });
    const { body: b } = await call('POST', base, { name: 'B' });
    const first = await call('GET', `${base}?limit=1`);
    expect(first.body.journeys[0].id).toBe(b.id);
    await call('DELETE', `${base}/${b.id}`);
    const next = await call('GET', `${base}?limit=1&cursor=${first.body.next_cursor}`);
    expect(next.body.journeys[0].id).toBe(a.id);
    expect((await call('GET', `${base}/${a.id}`)).body.nodes[0].future_field).toEqual({ x: 1 });
  });

  it.each([
    ['no name', {}],
    ['a server-controlled state', { name: 'N', state: 'active' }],
    ['a node id', { name: 'N', nodes: [wait({ id: UNKNOWN })] }],
    ['an unknown node kind', { name: 'N', nodes: [{ kind: 'teleport' }] }],
    ['a wait over a year', { name: 'N', nodes: [wait({ duration_seconds: 31_556_953 })] }],
    [
      'a segment that does not exist',
      { name: 'N', audience: { kind: 'segment', included_segment_ids: [UNKNOWN] } },
    ],
    [
      'split weights summing to 90',
      { name: 'N', nodes: [{ kind: 'split_range', branches: [{ weight: 45 }, { weight: 45 }] }] },
    ],
    ['a template id that is no UUID', { name: 'N', nodes: [{ kind: 'send_push', template_id: 'welcome' }] }],
    [
      'two event condition groups',
      { name: 'N', audience: { kind: 'event_trigger', name: 'e', attributes: [[], []] } },
    ],
  ])('refuse a create with %s (400)', async (_what, body) => {
    const res = await call('POST', base, body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ code: 'invalid_request' });
  });

  it('create drafts (201) with server-assigned node and branch ids, and keep them on update', async () => {
    const created = await call('POST', base, {
      name: 'Flow',
      nodes: [wait({ client_node_id: 'w' }), { kind: 'yes_no', branches: [{ nodes: [wait()] }, {}] }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      state: 'draft',
      created_source: 'public_api',
      description: '',
      audience: { kind: 'segment', included_segment_ids: [] },
    });
    const [w, split] = created.body.nodes;
    expect(w.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(split.branches[0].id).toMatch(/^[0-9a-f-]{36}$/);
    const updated = await call('PATCH', `${base}/${created.body.id}`, {
      nodes: [w, { ...split, branches: [split.branches[0], { nodes: [] }] }],
    });
    expect(updated.status).toBe(200);
    expect(updated.body.nodes[0].id).toBe(w.id);
    expect(updated.body.nodes[1].branches[0].id).toBe(split.branches[0].id);
    expect(updated.body.concurrency_key).not.toBe(created.body.concurrency_key);
    // A node id the journey never had is refused.
    expect(
      (await call('PATCH', `${base}/${created.body.id}`, { nodes: [wait({ id: UNKNOWN })] })).status,
    ).toBe(400);
  });

  it('enforce the documented state rules: 409 for a stale concurrency key, 422 for archived or active-to-draft', async () => {
    const { body: j } = await call('POST', base, { name: 'States' });
    const active = await call('PATCH', `${base}/${j.id}`, {
      state: 'active',
      concurrency_key: j.concurrency_key,
    });
    expect(active.body).toMatchObject({ state: 'active', started_at: expect.any(String) });
    const stale = await call('PATCH', `${base}/${j.id}`, { name: 'x', concurrency_key: j.concurrency_key });
    expect([stale.status, stale.body.errors[0].code]).toEqual([409, 'conflict']);
    const toDraft = await call('PATCH', `${base}/${j.id}`, { state: 'draft' });
    expect([toDraft.status, toDraft.body.errors[0].code]).toEqual([422, 'invalid_state']);
    expect((await call('PATCH', `${base}/${j.id}`, { state: 'scheduled' })).status).toBe(422);
    const archived = await call('PATCH', `${base}/${j.id}`, { state: 'archived' });
    expect(archived.body).toMatchObject({ state: 'archived', archived_at: expect.any(String) });
    expect((await call('PATCH', `${base}/${j.id}`, { name: 'again' })).status).toBe(422);
    expect((await call('GET', `${base}/${j.id}`)).status).toBe(200);
  });

  it('merge-patch one node, refusing a kind change, and clear a field with null', async () => {
    const { body: j } = await call('POST', base, { name: 'Nodes', nodes: [wait({ annotation: 'a' })] });
    const nodeId = j.nodes[0].id;
    expect((await call('PATCH', `${base}/${j.id}/nodes/${nodeId}`, { kind: 'tag' })).status).toBe(400);
    expect((await call('PATCH', `${base}/${j.id}/nodes/${nodeId}`, { duration_seconds: 10 })).status).toBe(
      400,
    );
    const patched = await call('PATCH', `${base}/${j.id}/nodes/${nodeId}`, {
      duration_seconds: 600,
      annotation: null,
    });
    expect(patched.body.nodes[0]).toEqual({ id: nodeId, kind: 'wait', duration_seconds: 600 });
  });

  it('answer stats for every node and branch at any depth, zero for a new draft, seeded ones consistent', async () => {
    const { body: j } = await call('POST', base, {
      name: 'Zero',
      nodes: [{ kind: 'yes_no', branches: [{ nodes: [{ kind: 'send_push' }] }, {}] }],
    });
    const zero = await call('GET', `${base}/${j.id}/stats`);
    expect(zero.body).toMatchObject({ id: j.id, started: 0, completed: 0, exited_early: 0 });
    expect(Object.values(zero.body.nodes)).toEqual([
      { kind: 'yes_no', waiting: 0, completed: 0, exited_early: 0 },
      { kind: 'send_push', waiting: 0, completed: 0, exited_early: 0, message_stats: { totals: {} } },
    ]);
    expect(Object.values(zero.body.branches)).toEqual([{ completed: 0 }, { completed: 0 }]);
    for (const app of DEMO.apps)
      for (const id of Object.values(DEMO_JOURNEYS[app.id]!.journeys)) {
        const { body: s } = await call(
          'GET',
          `/apps/${app.id}/journeys/${id}/stats`,
          undefined,
          app.restApiKey,
        );
        expect(s.started).toBeGreaterThan(0);
        expect(s.started).toBeGreaterThanOrEqual(s.completed + s.exited_early);
      }
  });
});

describe('the in-app message usage registry', () => {
  it('holds the seeded journeys’ in-app messages', () => {
    expect(usage().journeysUsing(SHOP_IAM)).toEqual([WELCOME]);
    expect(usage(NEWS.id).journeysUsing(NEWS_IAM)).toEqual([
      DEMO_JOURNEYS[NEWS.id]!.journeys['Breaking news follow-up'],
    ]);
  });

  it('is filled by create, changed by update and node update, and released by delete', async () => {
    const { body: j } = await call('POST', base, {
      name: 'Shows IAMs',
      nodes: [{ kind: 'yes_no', branches: [{ nodes: [{ kind: 'send_iam', iam_id: OTHER_IAM }] }, {}] }],
    });
    expect(usage().journeysUsing(OTHER_IAM)).toEqual([j.id]);
    const iamNode = j.nodes[0].branches[0].nodes[0];
    await call('PATCH', `${base}/${j.id}/nodes/${iamNode.id}`, { iam_id: SHOP_IAM });
    expect(usage().journeysUsing(OTHER_IAM)).toEqual([]);
    expect(usage().journeysUsing(SHOP_IAM)).toEqual([WELCOME, j.id]);
    await call('PATCH', `${base}/${j.id}`, { nodes: [{ kind: 'send_iam', iam_id: OTHER_IAM }] });
    expect(usage().journeysUsing(SHOP_IAM)).toEqual([WELCOME]);
    expect(usage().journeysUsing(OTHER_IAM)).toEqual([j.id]);
    await call('PATCH', `${base}/${j.id}`, { state: 'archived' });
    expect(usage().journeysUsing(OTHER_IAM)).toEqual([j.id]);
    await call('DELETE', `${base}/${j.id}`);
    expect(usage().journeysUsing(OTHER_IAM)).toEqual([]);
  });

  it('is left alone by a refused write', async () => {
    await call('POST', base, {
      name: 'Bad',
      nodes: [{ kind: 'send_iam', iam_id: OTHER_IAM }, wait({ duration_seconds: 1 })],
    });
    expect(usage().journeysUsing(OTHER_IAM)).toEqual([]);
  });
});

describe('--data snapshots', () => {
  it('keep journeys and their stats, and rebuild the usage registry on restore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journeys-'));
    const dataFile = join(dir, 'data.json');
    try {
      const first = await startEmulator({ port: 0, dataFile });
      const res = await fetch(`${first.url}${base}`, {
        method: 'POST',
        headers: { Authorization: `Key ${SHOP.restApiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Kept', nodes: [{ kind: 'send_iam', iam_id: OTHER_IAM }] }),
      });
      const kept = (await res.json()) as { id: string };
      await first.close();

      const second = await startEmulator({ port: 0, dataFile });
      const again = await fetch(`${second.url}${base}/${kept.id}`, {
        headers: { Authorization: `Key ${SHOP.restApiKey}` },
      });
      expect(await again.json()).toMatchObject({ id: kept.id, name: 'Kept' });
      const stats = await fetch(`${second.url}${base}/${WELCOME}/stats`, {
        headers: { Authorization: `Key ${SHOP.restApiKey}` },
      });
      expect(await stats.json()).toMatchObject({ started: 1240 });
      await second.close();

      const { readFileSync } = await import('node:fs');
      const restored = Store.fromSnapshot(JSON.parse(readFileSync(dataFile, 'utf8')));
      expect(restored.apps.get(SHOP.id)!.inAppMessageUsage.journeysUsing(OTHER_IAM)).toEqual([kept.id]);
      expect(restored.apps.get(SHOP.id)!.inAppMessageUsage.journeysUsing(SHOP_IAM)).toEqual([WELCOME]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface Model {
  getAttributeTypeMap(): { name: string; baseName: string; type: string }[];
}
const models = (await import('onesignal-node-v5')) as unknown as Record<string, Model>;

/** Every property of a raw answer is one the SDK model declares, of its type (nested models too). */
function expectModel(value: unknown, type: string, at = 'answer'): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (array) {
    expect(Array.isArray(value), at).toBe(true);
    for (const [i, item] of (value as unknown[]).entries())
      expectModel(item, array[1] as string, `${at}[${i}]`);
  } else if (map)
    for (const [k, v] of Object.entries(value as object)) expectModel(v, map[1] as string, `${at}.${k}`);
  else if (type === 'string' || /Enum$/.test(type)) expect(typeof value, at).toBe('string');
  else if (type === 'number') expect(typeof value, at).toBe('number');
  else if (type === 'boolean') expect(typeof value, at).toBe('boolean');
  else if (models[type]) {
    const attributes = new Map(models[type].getAttributeTypeMap().map((a) => [a.baseName, a.type]));
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      expect(attributes.get(key), `${at}.${key} is not in the SDK model ${type}`).toBeDefined();
      expectModel(v, attributes.get(key) as string, `${at}.${key}`);
    }
  } else expect(typeof value, at).toBe('object');
}

describe('journeys through @onesignal/node-onesignal 5.x (it has every journey method)', () => {
  let api: DefaultApi;
  beforeAll(() => {
    const baseServer = new ServerConfiguration<Record<string, string>>(url, {});
    api = new DefaultApi(createConfiguration({ baseServer, restApiKey: SHOP.restApiKey }));
  });

  it('lists, reads, creates, updates, patches a node, reads stats and deletes, answers fitting its models', async () => {
    const page = await api.viewJourneys(SHOP.id, undefined, 1);
    expect(page.journeys?.[0]?.id).toBe(WELCOME);
    expect(page.has_more).toBe(true);
    expect((await api.viewJourneys(SHOP.id, page.next_cursor, 1)).journeys?.[0]?.name).toBe(
      'Cart reminder A/B',
    );
    expectModel((await call('GET', `${base}?limit=1`)).body, 'JourneyListResponse');

    const welcome = await api.viewJourney(SHOP.id, WELCOME);
    expect(welcome.nodes?.map((n) => n.kind)).toEqual(['send_push', 'wait', 'send_iam', 'yes_no']);
    expectModel((await call('GET', `${base}/${WELCOME}`)).body, 'Journey');

    const created = await api.createJourney(SHOP.id, {
      name: 'From the SDK',
      nodes: [{ kind: 'wait', duration_seconds: 120 }],
    });
    expect(created.state).toBe('draft');
    const updated = await api.updateJourney(SHOP.id, created.id as string, {
      state: 'active',
      concurrency_key: created.concurrency_key,
    });
    expect(updated.state).toBe('active');
    const node = created.nodes?.[0]?.id as string;
    const patched = await api.updateJourneyNode(SHOP.id, created.id as string, node, {
      duration_seconds: 300,
    });
    expect(patched.nodes?.[0]?.duration_seconds).toBe(300);

    const stats = await api.viewJourneyStats(SHOP.id, WELCOME);
    expect(stats).toMatchObject({ started: 1240, completed: 1010, exited_early: 130 });
    expectModel((await call('GET', `${base}/${WELCOME}/stats`)).body, 'JourneyStats');

    expect((await api.deleteJourney(SHOP.id, created.id as string)).success).toBe(true);
    const gone = await api.viewJourney(SHOP.id, created.id as string).catch((e: ApiException<unknown>) => e);
    expect((gone as ApiException<unknown>).code).toBe(404);
    expect(Object.keys(core.stats().byOperation).sort()).toEqual([...SUITE_OPERATIONS.journeys].sort());
    // The models the answers were checked against are the SDK's own.
    expect([Journey, JourneyListResponse, JourneyStats].every((m) => typeof m === 'function')).toBe(true);
  });
});
