import { randomUUID } from 'node:crypto';
import { hasTargeting, inSegment, isSubscribed, resolveAudience } from '../audience.js';
import { messageChannel, messageProblems, throttleRate } from '../message.js';
import type { AppOpContext, Operation } from '../operation.js';
import { ok } from '../operation.js';
import { platformCounts, presentNotification, settle } from '../present.js';
import type { AppState, Store } from '../store.js';
import type { CreateNotificationResult, NotificationRecord, PlayerRecord } from '../types.js';
import { ApiError, csvRow, fail, intParam, isUuid, optionalString, paging } from '../util.js';
import { fillFromTemplate } from './templates.js';

const NOT_SUBSCRIBED = 'All included players are not subscribed';
/**
 * Fields kept apart from the stored content: the ids, and send_after, which reads back as OneSignal
 * returns it (unix seconds) from the record. Everything else is stored and read back as sent.
 */
const NOT_STORED = new Set(['app_id', 'id', 'external_id', 'send_after']);

export function notificationOr404(app: AppState, id: string | undefined): NotificationRecord {
  if (!isUuid(id)) throw fail(400, `Notification id '${id}' is not a valid UUID`);
  const n = app.notifications.get(id);
  if (!n) throw fail(404, `Notification with id '${id}' not found`);
  return n;
}

function parseSendAfter(value: unknown, now: number): number | null {
  if (value === undefined || value === null || value === '') return null;
  const ms =
    typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw fail(400, `send_after '${String(value)}' is not a valid date`);
  return Math.max(Math.floor(ms / 1000), now - 1);
}

/** Every rule of message.ts plus "some audience": all problems in one OneSignal error body. */
function validateMessage(body: Record<string, unknown>): void {
  const problems = messageProblems(body);
  if (!hasTargeting(body))
    problems.push('You must include which players, segments, or tags you wish to send this notification to.');
  if (problems.length > 0) throw new ApiError(400, { errors: problems });
}

/** Creates a notification record for an already-resolved audience (also used by live activities). */
export function recordNotification(
  app: AppState,
  players: PlayerRecord[],
  fields: Record<string, unknown>,
  opts: {
    now: number;
    sendAfter?: number | null;
    externalId?: string | null;
    kind?: number;
    /** Pacing: delivery takes this long from its start (default: at once). */
    deliveryMs?: number;
  },
): NotificationRecord {
  const { now } = opts;
  const sendAfter = opts.sendAfter ?? null;
  const n: NotificationRecord = {
    id: randomUUID(),
    app_id: app.id,
    kind: opts.kind ?? 1,
    fields,
    external_id: opts.externalId ?? null,
    queued_at: now,
    send_after: sendAfter ?? now,
    completed_at: null,
    canceled: false,
    recipients: players.length,
    recipient_ids: players.map((p) => p.id),
    platform_counts: platformCounts(players),
    stats: { successful: 0, failed: 0, errored: 0, converted: 0, received: 0 },
    platform_stats: {},
    outcomes: [],
    throttle_rate_per_minute: throttleRate(fields.throttle_rate_per_minute) ?? null,
  };
  if (opts.deliveryMs) {
    n.delivery_ms = opts.deliveryMs;
    n.delivery_start_ms = sendAfter === null ? Date.now() : sendAfter * 1000;
  }
  settle(n, now);
  app.addNotification(n);
  return n;
}

function createNotification({ app, body, now, pacing }: AppOpContext) {
  const externalId = optionalString(body, 'external_id') ?? null;
  const idempotencyKey = optionalString(body, 'idempotency_key');
  const keys = [externalId, idempotencyKey].filter((k): k is string => !!k);
  for (const key of keys) {
    const previous = app.idempotency.get(key);
    // OneSignal answers a repeat with the first result and says so.
    if (previous) return { ...ok(previous), headers: { 'Idempotent-Replayed': 'true' } };
  }
  validateMessage(body);
  fillFromTemplate(app, body);
  const sendAfter = parseSendAfter(body.send_after, now);
  // An email or SMS told apart by its fields (no target_channel) reaches only that channel's subscribers.
  const { channel, explicit } = messageChannel(body);
  const audience = resolveAudience(app, body, now, explicit || channel !== 'push' ? channel : undefined);
  const invalid: Record<string, string[]> = {};
  if (audience.invalidPlayerIds.length > 0) invalid.invalid_player_ids = audience.invalidPlayerIds;
  if (audience.invalidExternalUserIds.length > 0)
    invalid.invalid_external_user_ids = audience.invalidExternalUserIds;
  const hasInvalid = Object.keys(invalid).length > 0;
  if (audience.players.length === 0)
    return ok({
      id: '',
      recipients: 0,
      external_id: externalId,
      errors: hasInvalid ? invalid : [NOT_SUBSCRIBED],
    });

  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!NOT_STORED.has(k)) fields[k] = v;
  const n = recordNotification(app, audience.players, fields, {
    now,
    sendAfter,
    externalId,
    deliveryMs: pacing.deliveryMs,
  });
  const result: CreateNotificationResult = { id: n.id, recipients: n.recipients, external_id: externalId };
  if (hasInvalid) result.errors = invalid;
  for (const key of keys) app.idempotency.set(key, result);
  return ok(result);
}

/** The recipients of a notification: recorded ids, or (for seeded ones) its segment's current audience. */
function recipientsOf(app: AppState, n: NotificationRecord, now: number): PlayerRecord[] {
  if (n.recipient_ids)
    return n.recipient_ids.map((id) => app.players.get(id)).filter((p): p is PlayerRecord => !!p);
  const names = Array.isArray(n.fields.included_segments) ? (n.fields.included_segments as string[]) : [];
  const segments = names.map((name) => app.segmentByName(name)).filter((s) => s !== undefined);
  const out: PlayerRecord[] = [];
  for (const id of app.playerIdsSorted()) {
    const p = app.players.get(id);
    if (p && isSubscribed(p) && segments.some((s) => inSegment(app, s, p, now))) out.push(p);
    if (out.length >= n.stats.successful) break;
  }
  return out;
}

/** When each paced export's file appears (epoch ms), per store; absent: served at once. */
const exportsReadyAt = new WeakMap<Store, Map<string, number>>();

/** Whether an export's file is served yet (OneSignal's storage answers 403 until then). */
export const exportReady = (store: Store, file: string) =>
  (exportsReadyAt.get(store)?.get(file) ?? 0) <= Date.now();

/** Publishes a CSV under /__emulator/exports/, served `readyInMs` from now (pacing.exportMs). */
function publishCsv(store: Store, baseUrl: string, prefix: string, content: string, readyInMs = 0): string {
  const file = `${prefix}-${randomUUID()}.csv`;
  store.exports.set(file, content);
  if (readyInMs > 0) {
    const readyAt = exportsReadyAt.get(store) ?? new Map<string, number>();
    exportsReadyAt.set(store, readyAt);
    readyAt.set(file, Date.now() + readyInMs);
  }
  return `${baseUrl}/__emulator/exports/${file}`;
}

export { publishCsv };

/** A position in time-offset paging: after the notification queued at `t` with id `id`. */
interface TimePosition {
  t: number;
  id: string;
}

/** `time_offset`: an ISO 8601 time (start there) or a cursor this emulator issued (continue after it). */
function parseTimeOffset(value: string): TimePosition {
  try {
    const decoded = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as Partial<TimePosition>;
    if (typeof decoded?.t === 'number' && typeof decoded.id === 'string')
      return { t: decoded.t, id: decoded.id };
  } catch {
    // Not a cursor: a time, below.
  }
  const ms = Date.parse(value);
  if (!Number.isFinite(ms))
    throw fail(400, `time_offset '${value}' is neither a cursor nor an ISO 8601 time`);
  // Just before that second: notifications queued at it are included.
  return { t: Math.floor(ms / 1000) - 1, id: '\uffff' };
}

/** Oldest first from a time or a cursor; `next_time_offset` while more remain. */
function timeOffsetPage(
  app: AppState,
  timeOffset: string,
  limit: number,
  kind: number | undefined,
  now: number,
) {
  const from = parseTimeOffset(timeOffset);
  const after = (n: NotificationRecord) => n.queued_at > from.t || (n.queued_at === from.t && n.id > from.id);
  const matching = [...app.notifications.values()]
    .filter((n) => kind === undefined || n.kind === kind)
    .sort((a, b) => a.queued_at - b.queued_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rest = matching.filter(after);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  const body: Record<string, unknown> = {
    total_count: matching.length,
    offset: 0,
    limit,
    time_offset: timeOffset,
    notifications: page.map((n) => presentNotification(n, now)),
  };
  if (last && rest.length > page.length)
    body.next_time_offset = Buffer.from(JSON.stringify({ t: last.queued_at, id: last.id })).toString(
      'base64',
    );
  return ok(body);
}

export const notificationOperations: Operation[] = [
  {
    id: 'get_notifications',
    method: 'GET',
    path: '/notifications',
    auth: 'app',
    handler: ({ app, query, now }) => {
      const { limit, offset } = paging(query, 50, 'notifications');
      const kind = intParam(query, 'kind');
      if (kind !== undefined && kind !== 0 && kind !== 1 && kind !== 3)
        throw fail(400, 'kind must be 0, 1 or 3');
      const timeOffset = query.get('time_offset');
      if (timeOffset !== null) return timeOffsetPage(app, timeOffset, limit, kind, now);
      const order = app.notificationOrder;
      const page: Record<string, unknown>[] = [];
      let total = 0;
      for (let i = order.length - 1; i >= 0; i--) {
        const n = app.notifications.get(order[i] as string);
        if (!n || (kind !== undefined && n.kind !== kind)) continue;
        if (total >= offset && page.length < limit) page.push(presentNotification(n, now));
        total++;
      }
      return ok({ total_count: total, offset, limit, notifications: page });
    },
  },
  {
    id: 'create_notification',
    method: 'POST',
    path: '/notifications',
    auth: 'app',
    handler: createNotification,
  },
  {
    id: 'get_notification',
    method: 'GET',
    path: '/notifications/:notification_id',
    auth: 'app',
    handler: ({ app, params, now }) =>
      ok(presentNotification(notificationOr404(app, params.notification_id), now)),
  },
  {
    id: 'cancel_notification',
    method: 'DELETE',
    path: '/notifications/:notification_id',
    auth: 'app',
    handler: ({ app, params, now }) => {
      const n = notificationOr404(app, params.notification_id);
      settle(n, now);
      if (n.canceled) throw fail(400, 'Notification has already been canceled');
      if (n.completed_at !== null)
        throw fail(400, 'Notification has already been sent and cannot be canceled');
      n.canceled = true;
      return ok({ success: true });
    },
  },
  {
    id: 'get_notification_history',
    method: 'POST',
    path: '/notifications/:notification_id/history',
    auth: 'app',
    handler: ({ app, store, params, body, baseUrl, now, pacing }) => {
      const events = body.events;
      if (events !== 'sent' && events !== 'clicked') throw fail(400, "events must be 'sent' or 'clicked'");
      if (body.email !== undefined && typeof body.email !== 'string')
        throw fail(400, 'email must be a string');
      const n = notificationOr404(app, params.notification_id);
      settle(n, now);
      let players = n.completed_at === null ? [] : recipientsOf(app, n, now);
      if (events === 'clicked') players = players.slice(0, n.stats.converted);
      const at = n.completed_at ?? n.queued_at;
      const lines = [csvRow(['player_id', 'device_type', 'external_user_id', `${events}_at`])];
      for (const p of players) lines.push(csvRow([p.id, p.device_type, app.externalIdOf(p), at]));
      const url = publishCsv(store, baseUrl, `history-${events}`, `${lines.join('\n')}\n`, pacing.exportMs);
      return ok({ success: true, destination_url: url });
    },
  },
  {
    id: 'export_events',
    method: 'POST',
    path: '/notifications/:notification_id/export_events',
    auth: 'app',
    handler: ({ app, store, params, baseUrl, now, pacing }) => {
      const n = notificationOr404(app, params.notification_id);
      settle(n, now);
      const lines = [csvRow(['notification_id', 'player_id', 'external_user_id', 'event', 'timestamp'])];
      if (n.completed_at !== null) {
        const players = recipientsOf(app, n, now);
        players.forEach((p, i) => {
          const ext = app.externalIdOf(p);
          lines.push(csvRow([n.id, p.id, ext, 'sent', n.completed_at]));
          if (i < n.stats.received) lines.push(csvRow([n.id, p.id, ext, 'received', n.completed_at]));
          if (i < n.stats.converted)
            lines.push(csvRow([n.id, p.id, ext, 'clicked', (n.completed_at ?? 0) + 60]));
        });
      }
      const csv = `${lines.join('\n')}\n`;
      return ok({ csv_file_url: publishCsv(store, baseUrl, `events-${n.id}`, csv, pacing.exportMs) });
    },
  },
];
