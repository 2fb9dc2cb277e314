/**
 * The emulator's in-app message API over HTTP, as OneSignal's reference pages document it: answers
 * under `payload`, pages of at most 20 newest first, full-replace updates, pause/resume with a JSON
 * boolean, deletes refused while a journey uses the message, stats per page and element.
 *
 * node-onesignal 5.x (`onesignal-node-v5`, 5.18.0) has no in-app message methods (its DefaultApi
 * lists journeys, templates and the rest, none of these seven), so no SDK drives these routes: this
 * suite sends the documented request shapes itself.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_JOURNEYS, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { caller, NEWS, SHOP } from '../helpers/emulator.js';

let emulator: RunningEmulator;
let call: ReturnType<typeof caller>;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  call = caller(emulator);
});
afterAll(() => emulator?.close());
beforeEach(async () => {
  await fetch(`${emulator.url}/__emulator/reset`, { method: 'POST' });
});

const base = `/apps/${SHOP.id}/in_app_messages`;
const WELCOME = 'a1a1a1a1-0000-4000-8000-000000000001';
const DRAFT = 'a1a1a1a1-0000-4000-8000-000000000003';
const HTML = '<!doctype html><html><body><h1>Hi</h1></body></html>';
const TRIGGERS = [{ conditions: [{ kind: 'session_time', operator: 'greater', value: 30 }] }];

const create = (inAppMessage: Record<string, unknown>, isDraft = false) =>
  call('POST', base, {
    body: {
      is_draft: isDraft,
      in_app_message: { name: 'Offer', display_duration: 0, html: HTML, ...inAppMessage },
    },
  });

const usage = (body: unknown) =>
  fetch(`${emulator.url}/__emulator/in-app-usage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the seeded in-app messages', () => {
  it('are three per demo app, with fixed ids, newest first, nested under payload', async () => {
    const shop = await call('GET', base);
    expect(shop.status).toBe(200);
    expect(shop.body.success).toBe(true);
    expect(shop.body.payload.total_count).toBe(3);
    expect(shop.body.payload.items.map((m: { id: string }) => m.id)).toEqual([
      'a1a1a1a1-0000-4000-8000-000000000003',
      'a1a1a1a1-0000-4000-8000-000000000002',
      WELCOME,
    ]);
    expect(shop.body.payload.items.map((m: { status: string }) => m.status)).toEqual([
      'draft',
      'active',
      'active',
    ]);
    // Summaries: no html, no triggers.
    expect(shop.body.payload.items[0].html).toBeUndefined();
    const news = await call('GET', `/apps/${NEWS.id}/in_app_messages`, { auth: NEWS.restApiKey });
    expect(news.body.payload.items.map((m: { id: string }) => m.id)).toEqual([
      'b2b2b2b2-0000-4000-8000-000000000003',
      'b2b2b2b2-0000-4000-8000-000000000002',
      'b2b2b2b2-0000-4000-8000-000000000001',
    ]);
  });

  it('are what get_eligible_iams offers a push subscription: the live ones only', async () => {
    const players = await call('GET', `/players?app_id=${SHOP.id}&limit=50`);
    const push = players.body.players.find(
      (p: { device_type: number; invalid_identifier: boolean }) =>
        p.device_type === 1 && !p.invalid_identifier,
    );
    const eligible = await call('GET', `/apps/${SHOP.id}/subscriptions/${push.id}/iams`);
    expect(eligible.body.in_app_messages.map((m: { id: string }) => m.id).sort()).toEqual([
      WELCOME,
      'a1a1a1a1-0000-4000-8000-000000000002',
    ]);
    await call('PUT', `${base}/${WELCOME}/set_enabled`, { body: { enabled: false } });
    const after = await call('GET', `/apps/${SHOP.id}/subscriptions/${push.id}/iams`);
    expect(after.body.in_app_messages.map((m: { id: string }) => m.id)).toEqual([
      'a1a1a1a1-0000-4000-8000-000000000002',
    ]);
  });
});

describe('view_in_app_messages', () => {
  it('caps the page at 20 whatever limit asks, as documented, and pages with offset', async () => {
    for (let i = 0; i < 22; i++) expect((await create({ name: `Offer ${i}` })).status).toBe(200);
    for (const limit of ['50', '0', '-3']) {
      const page = await call('GET', `${base}?limit=${limit}`);
      expect(page.body.payload).toMatchObject({ total_count: 25, limit: 20, offset: 0 });
      expect(page.body.payload.items).toHaveLength(20);
    }
    const last = await call('GET', `${base}?limit=20&offset=20`);
    expect(last.body.payload.items.map((m: { name: string }) => m.name)).toEqual([
      'Offer 1',
      'Offer 0',
      'Spring survey (draft)',
      'Members save 10%',
      'Welcome message',
    ]);
  });
});

describe('create_in_app_message', () => {
  it('stores a live message or a draft and answers it whole', async () => {
    const live = await create({ start_time: '2099-11-01T00:00:00Z', triggers: TRIGGERS });
    expect(live.status).toBe(200);
    expect(live.body.payload).toMatchObject({
      name: 'Offer',
      html: HTML,
      start_time: '2099-11-01T00:00:00.000Z',
      end_time: null,
      triggers: TRIGGERS,
    });
    const draft = await create({}, true);
    expect(draft.body.payload.status).toBe('draft');
    const read = await call('GET', `${base}/${draft.body.payload.id}`);
    expect(read.body.payload).toEqual(draft.body.payload);
  });

  it('refuses a body without html, name or display_duration, or with a bad trigger, with 400', async () => {
    for (const missing of ['html', 'name', 'display_duration']) {
      const m: Record<string, unknown> = { name: 'x', display_duration: 0, html: HTML };
      delete m[missing];
      const res = await call('POST', base, { body: { is_draft: false, in_app_message: m } });
      expect([missing, res.status]).toEqual([missing, 400]);
    }
    const bad = await create({
      triggers: [{ conditions: [{ kind: 'custom', operator: 'equal', value: 'x' }] }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toContain('property');
    const late = await create({ start_time: '2099-11-02T00:00:00Z', end_time: '2099-11-01T00:00:00Z' });
    expect(late.status).toBe(400);
    expect((await call('GET', base)).body.payload.total_count).toBe(3);
  });
});

describe('update_in_app_message', () => {
  it('replaces the whole message, and refuses a request missing html, start_time, end_time or triggers', async () => {
    const full = { html: HTML, start_time: '2099-11-01T00:00:00Z', end_time: null, triggers: TRIGGERS };
    for (const missing of Object.keys(full)) {
      const m: Record<string, unknown> = { ...full };
      delete m[missing];
      const res = await call('PUT', `${base}/${DRAFT}`, { body: { is_draft: true, in_app_message: m } });
      expect([missing, res.status]).toEqual([missing, 400]);
      expect(res.body.errors[0]).toContain(missing);
    }
    expect((await call('GET', `${base}/${DRAFT}`)).body.payload.triggers).toEqual([]);

    const published = await call('PUT', `${base}/${DRAFT}`, {
      body: { is_draft: false, in_app_message: full },
    });
    expect(published.status).toBe(200);
    expect(published.body.payload).toMatchObject({
      id: DRAFT,
      name: 'Spring survey (draft)',
      status: 'scheduled',
      triggers: TRIGGERS,
      start_time: '2099-11-01T00:00:00.000Z',
    });
  });

  it('answers 404 for an unknown message', async () => {
    const res = await call('PUT', `${base}/a1a1a1a1-0000-4000-8000-0000000000ff`, {
      body: {
        is_draft: false,
        in_app_message: { html: HTML, start_time: null, end_time: null, triggers: [] },
      },
    });
    expect(res.status).toBe(404);
  });
});

describe('set_in_app_message_enabled', () => {
  it('pauses and resumes with a JSON boolean, and refuses anything else with 400 and no change', async () => {
    for (const body of [{}, { enabled: null }, { enabled: 'true' }, { enabled: 1 }]) {
      const res = await call('PUT', `${base}/${WELCOME}/set_enabled`, { body });
      expect([body, res.status]).toEqual([body, 400]);
    }
    expect((await call('GET', `${base}/${WELCOME}`)).body.payload.status).toBe('active');
    const paused = await call('PUT', `${base}/${WELCOME}/set_enabled`, { body: { enabled: false } });
    expect(paused.body.payload).toEqual({ id: WELCOME, enabled: false, status: 'paused' });
    expect((await call('GET', `${base}/${WELCOME}`)).body.payload.status).toBe('paused');
    await call('PUT', `${base}/${WELCOME}/set_enabled`, { body: { enabled: true } });
    expect((await call('GET', `${base}/${WELCOME}`)).body.payload.status).toBe('active');
  });
});

describe('delete_in_app_message', () => {
  it('is refused with the documented 400 while a journey uses the message, and works once it is released', async () => {
    // The demo's "Welcome series" journey shows WELCOME (src/emulator/seed-journeys.ts); the hook adds one.
    const seeded = DEMO_JOURNEYS[SHOP.id]?.journeys['Welcome series'] as string;
    expect((await usage({ app_id: SHOP.id, journey_id: 'j-1', in_app_message_ids: [WELCOME] })).status).toBe(
      200,
    );
    const refused = await call('DELETE', `${base}/${WELCOME}`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toBe('In-App Message is used by a Journey and cannot be deleted');
    expect(refused.body.errors[1]).toBe(`Journeys using it: ${seeded}, j-1`);
    expect((await call('GET', `${base}/${WELCOME}`)).status).toBe(200);

    await usage({ app_id: SHOP.id, journey_id: 'j-1', in_app_message_ids: [] });
    await usage({ app_id: SHOP.id, journey_id: seeded, in_app_message_ids: [] });
    const deleted = await call('DELETE', `${base}/${WELCOME}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ success: true, payload: { success: true } });
    expect((await call('GET', `${base}/${WELCOME}`)).status).toBe(404);
  });

  it('has a test hook that checks its body', async () => {
    expect(
      (
        await usage({
          app_id: '00000000-0000-4000-8000-000000000000',
          journey_id: 'j',
          in_app_message_ids: [],
        })
      ).status,
    ).toBe(404);
    expect((await usage({ app_id: SHOP.id, journey_id: '', in_app_message_ids: [] })).status).toBe(400);
    expect((await usage({ app_id: SHOP.id, journey_id: 'j', in_app_message_ids: 'x' })).status).toBe(400);
  });
});

describe('view_in_app_message_stats', () => {
  it('answers one row of totals, or rows per page and element, counting all or first clicks', async () => {
    const total = await call('GET', `${base}/${WELCOME}/stats`);
    expect(total.body.payload.rows).toEqual([{ impressions: 240, clicks: 160 }]);
    const first = await call('GET', `${base}/${WELCOME}/stats?click_type=first`);
    expect(first.body.payload.rows).toEqual([{ impressions: 240, clicks: 148 }]);
    const both = await call('GET', `${base}/${WELCOME}/stats?group_by=page_name,element_name`);
    expect(both.body.payload.rows).toEqual([
      { page_name: 'page_1', element_name: 'cta_button', impressions: 240, clicks: 60 },
      { page_name: 'page_1', element_name: 'close_button', impressions: 240, clicks: 100 },
    ]);
    expect((await call('GET', `${base}/${WELCOME}/stats?group_by=device`)).status).toBe(400);
    expect((await call('GET', `${base}/${WELCOME}/stats?click_type=last`)).status).toBe(400);
  });
});

describe('--data snapshots', () => {
  it('keep in-app messages, their state and new ones, and read those of older snapshots as live messages', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'iam-data-'));
    try {
      const dataFile = join(tmp, 'state.json');
      const first = await startEmulator({ port: 0, dataFile });
      const created = await caller(first)('POST', base, {
        body: { is_draft: true, in_app_message: { name: 'Kept', display_duration: 0, html: HTML } },
      });
      await caller(first)('PUT', `${base}/${WELCOME}/set_enabled`, { body: { enabled: false } });
      await first.close();

      const second = await startEmulator({ port: 0, dataFile, seed: false });
      const list = await caller(second)('GET', base);
      await second.close();
      expect(list.body.payload.total_count).toBe(4);
      expect(list.body.payload.items[0]).toMatchObject({
        id: created.body.payload.id,
        name: 'Kept',
        status: 'draft',
      });
      expect(list.body.payload.items[3]).toMatchObject({ id: WELCOME, status: 'paused' });

      // A snapshot from before the in-app message API held the SDK manifest shape.
      const snapshot = JSON.parse(readFileSync(dataFile, 'utf8'));
      snapshot.apps[0].iams = [
        {
          id: WELCOME,
          name: 'Old',
          type: 'modal',
          triggers: [[{ kind: 'session_time', operator: 'greater', value: 1 }]],
          content: { html: '<p>old</p>' },
        },
      ];
      writeFileSync(dataFile, JSON.stringify(snapshot));
      const third = await startEmulator({ port: 0, dataFile, seed: false });
      const old = await caller(third)('GET', `${base}/${WELCOME}`);
      await third.close();
      expect(old.body.payload).toMatchObject({
        name: 'Old',
        status: 'active',
        html: '<p>old</p>',
        triggers: [{ conditions: [{ kind: 'session_time', operator: 'greater', value: 1 }] }],
      });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
