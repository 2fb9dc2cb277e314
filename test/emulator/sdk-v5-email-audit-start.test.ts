import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO,
  EMULATOR_ORGANIZATION_ID,
  emailUnsubscribeToken,
  type RunningEmulator,
  startEmulator,
} from '../../src/emulator/index.js';
import { SHOP } from '../helpers/emulator.js';
import { SUITE_OPERATIONS } from '../helpers/onesignal-emulator.js';
import { expectSdkModel, sdkV5Api } from '../helpers/sdk-v5.js';

/**
 * Push-to-start, email unsubscribe and reputation, and audit logs through the current official SDK
 * (@onesignal/node-onesignal 5.x), each answer checked as raw JSON against the SDK's model; then the
 * emulator's documented refusals over plain HTTP, and its new state kept by `--data` snapshots.
 */

let emulator: RunningEmulator;
const answers: unknown[] = [];

const api = (keys: { organizationApiKey?: string; restApiKey?: string }) =>
  sdkV5Api(emulator.url, keys, answers);
const expectModel = expectSdkModel;

const lastAnswer = () => answers.at(-1);
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator?.close());
beforeEach(() => {
  answers.length = 0;
});

describe('the 5.x SDK against the emulator', () => {
  it('starts a Live Activity by push-to-start', async () => {
    const app = api({ restApiKey: SHOP.restApiKey });
    const started = await app.startLiveActivity(SHOP.id, 'OrderStatusAttributes', {
      name: 'SDK start',
      event: 'start',
      activity_id: 'sdk-activity-1',
      event_attributes: { orderNumber: '1' },
      event_updates: { status: 'preparing' },
      contents: { en: 'Preparing' },
      headings: { en: 'Order 1' },
      included_segments: ['Subscribed Users'],
    });
    expectModel(lastAnswer(), 'StartLiveActivitySuccessResponse');
    expect(started.notification_id).toMatch(/^[0-9a-f-]{36}$/);
    const notification = await app.getNotification(SHOP.id, started.notification_id as string);
    expect(notification.successful).toBeGreaterThan(0);
  });

  it('reads the email reputation', async () => {
    const reputation = await api({ restApiKey: SHOP.restApiKey }).getEmailReputation(SHOP.id);
    expectModel(lastAnswer(), 'EmailReputationResponse');
    expect(reputation.last_24_hours).toEqual({ bounce_rate: 0, complaint_rate: 0 });
    expect(reputation.last_30_days?.bounce_rate).toBeGreaterThan(0);
  });

  it('unsubscribes an email subscription with its token', async () => {
    const app = api({ restApiKey: SHOP.restApiKey });
    const user = DEMO.users.find((u) => u.emails.length > 0)!;
    const fetched = await app.getUser(SHOP.id, 'external_id', user.externalId);
    const email = fetched.subscriptions?.find((s) => s.type === 'Email');
    expect(email?.enabled).toBe(true);
    await app.unsubscribeEmailWithToken(
      SHOP.id,
      DEMO.notifications.latestDelivered,
      emailUnsubscribeToken(SHOP.id, email?.id as string),
    );
    // OneSignal's reference answers `"success": "true"` (a string); the SDK's model says boolean.
    expect(lastAnswer()).toEqual({ success: 'true' });
    const after = await app.getUser(SHOP.id, 'external_id', user.externalId);
    expect(after.subscriptions?.find((s) => s.id === email?.id)).toMatchObject({ enabled: false });
  });

  it('lists audit logs with the organization key, page by page, including writes the SDK made', async () => {
    const org = api({ organizationApiKey: DEMO.userAuthKey });
    const segment = await api({ restApiKey: SHOP.restApiKey }).createSegment(SHOP.id, {
      name: 'Audited segment',
      filters: [{ field: 'session_count', relation: '>', value: '1' }],
    });
    const first = await org.listAuditLogs(EMULATOR_ORGANIZATION_ID, daysAgo(89), undefined, undefined, 2);
    expectModel(lastAnswer(), 'ListAuditLogsSuccessResponse');
    expect(first.audit_logs).toHaveLength(2);
    expect(first.has_more).toBe(true);
    const second = await org.listAuditLogs(
      EMULATOR_ORGANIZATION_ID,
      undefined,
      undefined,
      first.next_cursor,
      2,
    );
    expectModel(lastAnswer(), 'ListAuditLogsSuccessResponse');
    expect(second.audit_logs?.[0]?.id).not.toBe(first.audit_logs?.[1]?.id);
    const mine = await org.listAuditLogs(
      EMULATOR_ORGANIZATION_ID,
      daysAgo(1),
      undefined,
      undefined,
      undefined,
      [SHOP.id],
      ['segment.created'],
    );
    expect(mine.audit_logs).toEqual([
      expect.objectContaining({
        action: 'segment.created',
        app_id: SHOP.id,
        organization_id: EMULATOR_ORGANIZATION_ID,
        actor: expect.objectContaining({ type: 'service', name: 'App API key' }),
        targets: [expect.objectContaining({ type: 'segment', id: segment.id, name: 'Audited segment' })],
      }),
    ]);
    // The actor is named by a digest of the key: the key itself is nowhere in the log.
    expect(JSON.stringify(mine)).not.toContain(SHOP.restApiKey);
    await expect(
      api({ organizationApiKey: SHOP.restApiKey }).listAuditLogs(EMULATOR_ORGANIZATION_ID, daysAgo(1)),
    ).rejects.toMatchObject({ code: 403 });
  });

  it('has driven every operation of the suite', () => {
    const calls = emulator.stats().byOperation;
    for (const op of SUITE_OPERATIONS.startEmailAudit) expect(calls[op], op).toBeGreaterThan(0);
  });
});

describe('the emulator refuses as documented', () => {
  const call = async (path: string, init: RequestInit & { key?: string } = {}) => {
    const res = await fetch(`${emulator.url}${path}`, {
      ...init,
      headers: { authorization: `Key ${init.key ?? DEMO.userAuthKey}`, 'content-type': 'application/json' },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const audit = (query: string, key?: string) =>
    call(`/api/v1/organizations/${EMULATOR_ORGANIZATION_ID}/audit_logs?${query}`, key ? { key } : {});

  it.each([
    ['no start_time and no cursor', '', 400],
    ['a start beyond 90 days', `start_time=${daysAgo(91)}`, 400],
    ['a start that is no timestamp', 'start_time=yesterday', 400],
    ['an end before the start', `start_time=${daysAgo(2)}&end_time=${daysAgo(3)}`, 400],
    ['a cursor it did not issue', 'cursor=bm9wZQ', 400],
    [
      'eleven app ids',
      `start_time=${daysAgo(1)}&${Array.from({ length: 11 }, () => `app_ids=${SHOP.id}`).join('&')}`,
      400,
    ],
  ])('list_audit_logs: %s → %i', async (_name, query, status) => {
    expect((await audit(query)).status).toBe(status);
  });

  it('list_audit_logs: an app key, or another organization → 403', async () => {
    expect((await audit(`start_time=${daysAgo(1)}`, SHOP.restApiKey)).status).toBe(403);
    const other = await call(
      `/api/v1/organizations/00000000-0000-4000-8000-000000000000/audit_logs?start_time=${daysAgo(1)}`,
    );
    expect(other.status).toBe(403);
  });

  it('unsubscribe_email_with_token: an unknown token → 404 "Subscription not found"', async () => {
    const res = await call(
      `/api/v1/apps/${SHOP.id}/notifications/${DEMO.notifications.latestDelivered}/unsubscribe?token=nope`,
      { method: 'POST', key: SHOP.restApiKey },
    );
    expect(res).toEqual({
      status: 404,
      body: { errors: [{ code: 'subscription-0', title: 'Subscription not found' }] },
    });
  });

  it('start_live_activity: two targeting modes, or a missing field → 400', async () => {
    const body = {
      name: 'x',
      event: 'start',
      activity_id: 'a',
      event_attributes: {},
      event_updates: { s: 1 },
      contents: { en: 'x' },
      headings: { en: 'x' },
    };
    const start = (b: object) =>
      call(`/api/v1/apps/${SHOP.id}/activities/activity/OrderStatusAttributes`, {
        method: 'POST',
        key: SHOP.restApiKey,
        body: JSON.stringify(b),
      });
    expect(
      (
        await start({
          ...body,
          included_segments: ['Subscribed Users'],
          include_subscription_ids: [DEMO.subscriptionIds[0]],
        })
      ).status,
    ).toBe(400);
    expect(
      (await start({ ...body, headings: undefined, included_segments: ['Subscribed Users'] })).status,
    ).toBe(400);
  });
});

describe('--data snapshots', () => {
  it('keep the audit log, email complaints and unsubscribes across a restart', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'emulator-data-')), 'data.json');
    const first = await startEmulator({ port: 0, dataFile });
    const appKey = { authorization: `Key ${SHOP.restApiKey}`, 'content-type': 'application/json' };
    await fetch(`${first.url}/api/v1/apps/${SHOP.id}/segments`, {
      method: 'POST',
      headers: appKey,
      body: JSON.stringify({
        name: 'Kept',
        filters: [{ field: 'session_count', relation: '>', value: '2' }],
      }),
    });
    const reputation = await (
      await fetch(`${first.url}/api/v1/apps/${SHOP.id}/email_analytics/delivery_metrics`, { headers: appKey })
    ).json();
    await first.close();

    const second = await startEmulator({ port: 0, dataFile });
    try {
      const listed = (await (
        await fetch(
          `${second.url}/api/v1/organizations/${EMULATOR_ORGANIZATION_ID}/audit_logs?start_time=${daysAgo(1)}&actions=segment.created`,
          { headers: { authorization: `Key ${DEMO.userAuthKey}` } },
        )
      ).json()) as { audit_logs: { targets: { name: string }[] }[] };
      expect(listed.audit_logs.map((e) => e.targets[0]?.name)).toEqual(['Kept']);
      const again = await (
        await fetch(`${second.url}/api/v1/apps/${SHOP.id}/email_analytics/delivery_metrics`, {
          headers: appKey,
        })
      ).json();
      expect(again).toEqual(reputation);
    } finally {
      await second.close();
    }
  });
});
