import { randomUUID } from 'node:crypto';
import {
  type InAppMessageRecord,
  statusOf,
  summaryOf,
  type TriggerConditionRecord,
  wholeOf,
} from '../in-app-messages.js';
import { type AppOpContext, type Operation, ok } from '../operation.js';
import { ApiError, fail, intParam, isObject, isUuid } from '../util.js';

/**
 * OneSignal's in-app message API (current reference pages "View in-app messages", "View in-app
 * message", "Create/Update in-app message", "Pause or resume in-app message", "Delete in-app
 * message", "View in-app message stats"). Every answer nests its data under `payload`. Where the
 * pages are silent (noted below and in docs/emulator.md), the emulator picks the plainest behaviour.
 */

const PAGE_MAX = 20;
/** OneSignal's documented refusal of a delete while a journey shows the message. */
const IN_USE = 'In-App Message is used by a Journey and cannot be deleted';

/**
 * Trigger kinds and operators the emulator accepts. The reference's examples show `session_time` with
 * `greater`; the rest are the mobile SDK's trigger model (the reference excerpt lists no set): the docs
 * are silent on which of these the REST API takes.
 */
const TIME_KINDS = new Set(['session_time', 'min_time_since']);
const KINDS = new Set([...TIME_KINDS, 'custom']);
const COMPARISONS = new Set(['greater', 'less', 'greater_or_equal', 'less_or_equal', 'equal', 'not_equal']);
const PRESENCE = new Set(['exists', 'not_exists']);

const envelope = (payload: unknown) => ok({ success: true, payload });

function messageOf(ctx: AppOpContext): InAppMessageRecord {
  const id = ctx.params.id;
  if (!isUuid(id)) throw fail(400, `In-app message id '${String(id)}' is not a valid UUID`);
  const message = ctx.app.iams.find((m) => m.id === id.toLowerCase());
  if (!message) throw fail(404, `In-app message '${id}' not found`);
  return message;
}

function isoOrNull(value: unknown, key: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    throw fail(400, `in_app_message.${key} must be an ISO 8601 time or null`);
  return new Date(value).toISOString();
}

function segmentIds(ctx: AppOpContext, value: unknown, key: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => !isUuid(v)))
    throw fail(400, `in_app_message.${key} must be an array of segment ids (UUIDs)`);
  // Silent in the docs: a segment id the app does not have is refused here, as a send's would be.
  for (const id of value as string[])
    if (!ctx.app.segments.has(id)) throw fail(400, `in_app_message.${key}: segment '${id}' not found`);
  return value as string[];
}

function condition(raw: unknown, at: string): TriggerConditionRecord {
  if (!isObject(raw)) throw fail(400, `${at} must be an object`);
  const { kind, operator, property, value } = raw;
  if (typeof kind !== 'string' || !KINDS.has(kind))
    throw fail(400, `${at}.kind '${String(kind)}' is not supported`);
  if (typeof operator !== 'string' || !(COMPARISONS.has(operator) || PRESENCE.has(operator)))
    throw fail(400, `${at}.operator '${String(operator)}' is not supported`);
  if (TIME_KINDS.has(kind)) {
    if (!COMPARISONS.has(operator)) throw fail(400, `${at}.operator must compare seconds for ${kind}`);
    if (typeof value !== 'number' || value < 0) throw fail(400, `${at}.value must be a number of seconds`);
    return { kind, operator, value };
  }
  if (typeof property !== 'string' || !property)
    throw fail(400, `${at}.property is required for custom triggers`);
  if (PRESENCE.has(operator)) return { kind, operator, property };
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    throw fail(400, `${at}.value is required for operator ${operator}`);
  return { kind, operator, property, value };
}

function triggers(value: unknown): InAppMessageRecord['triggers'] {
  if (!Array.isArray(value)) throw fail(400, 'in_app_message.triggers must be an array');
  return value.map((t, i) => {
    const conditions = isObject(t) ? t.conditions : undefined;
    if (!Array.isArray(conditions) || conditions.length === 0)
      throw fail(400, `in_app_message.triggers[${i}].conditions must be a non-empty array`);
    return {
      conditions: conditions.map((c, j) => condition(c, `in_app_message.triggers[${i}].conditions[${j}]`)),
    };
  });
}

/** The record a create (no `current`) or an update (replacing `current`) makes of its body. */
function fromBody(ctx: AppOpContext, current: InAppMessageRecord | undefined): InAppMessageRecord {
  const { is_draft: isDraft, in_app_message: m } = ctx.body;
  if (typeof isDraft !== 'boolean') throw fail(400, 'is_draft must be a boolean');
  if (!isObject(m)) throw fail(400, 'in_app_message must be an object');
  // Create: name, display_duration and html are required. Update: a full replace that requires html,
  // start_time, end_time and triggers on every request; it is silent on name and display_duration,
  // which the emulator keeps when left out.
  const required = current
    ? ['html', 'start_time', 'end_time', 'triggers']
    : ['name', 'display_duration', 'html'];
  for (const key of required)
    if (!(key in m)) throw fail(400, `in_app_message.${key} is required${current ? ' on every update' : ''}`);
  const name = m.name ?? current?.name;
  if (typeof name !== 'string' || !name.trim())
    throw fail(400, 'in_app_message.name must be a non-empty string');
  const duration = m.display_duration ?? current?.display_duration;
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 0)
    throw fail(400, 'in_app_message.display_duration must be a non-negative integer');
  if (typeof m.html !== 'string' || !m.html.trim())
    throw fail(400, 'in_app_message.html must be a non-empty string');
  const start = m.start_time === undefined ? null : isoOrNull(m.start_time, 'start_time');
  const end = m.end_time === undefined ? null : isoOrNull(m.end_time, 'end_time');
  // Silent in the docs: an end at or before the start is refused.
  if (start && end && Date.parse(end) <= Date.parse(start))
    throw fail(400, 'in_app_message.end_time must be after start_time');
  const now = new Date(ctx.now * 1000).toISOString();
  return {
    id: current?.id ?? randomUUID(),
    app_id: ctx.app.id,
    name,
    is_draft: isDraft,
    enabled: current?.enabled ?? true,
    html: m.html,
    display_duration: duration,
    // Silent in the docs: a live message created without a start starts now.
    start_time: start ?? (current || isDraft ? null : now),
    end_time: end,
    included_segment_ids: segmentIds(ctx, m.included_segment_ids, 'included_segment_ids'),
    excluded_segment_ids: segmentIds(ctx, m.excluded_segment_ids, 'excluded_segment_ids'),
    triggers: m.triggers === undefined ? [] : triggers(m.triggers),
    redisplay: current?.redisplay ?? null,
    created_at: current?.created_at ?? now,
    updated_at: now,
    stats: current?.stats ?? [],
  };
}

/** view_in_app_message_stats's rows: totals per requested grouping, clicks counted as `click_type` says. */
function statsRows(m: InAppMessageRecord, groupBy: string[], first: boolean) {
  const byPage = groupBy.includes('page_name');
  const byElement = groupBy.includes('element_name');
  const rows = new Map<
    string,
    { page_name?: string; element_name?: string; impressions: number; clicks: number }
  >();
  const pagesCounted = new Set<string>();
  for (const s of m.stats) {
    const key = `${byPage ? s.page_name : ''}\u0000${byElement ? s.element_name : ''}`;
    const row = rows.get(key) ?? {
      ...(byPage && { page_name: s.page_name }),
      ...(byElement && { element_name: s.element_name }),
      impressions: 0,
      clicks: 0,
    };
    // A page's impressions count once per row, however many of its elements fall in that row.
    const pageKey = `${key}\u0000${s.page_name}`;
    if (!pagesCounted.has(pageKey)) {
      pagesCounted.add(pageKey);
      row.impressions += s.impressions;
    }
    row.clicks += first ? s.first_clicks : s.clicks;
    rows.set(key, row);
  }
  if (rows.size === 0 && groupBy.length === 0) return [{ impressions: 0, clicks: 0 }];
  return [...rows.values()];
}

export const inAppMessageOperations: Operation[] = [
  {
    id: 'view_in_app_messages',
    method: 'GET',
    path: '/apps/:app_id/in_app_messages',
    auth: 'app',
    handler: (ctx) => {
      // Documented: the default and the maximum are 20, and a larger value or one below 1 gives 20.
      const asked = intParam(ctx.query, 'limit');
      const limit = asked === undefined || asked < 1 || asked > PAGE_MAX ? PAGE_MAX : asked;
      const offset = intParam(ctx.query, 'offset') ?? 0;
      // Silent in the docs: a negative offset is refused.
      if (offset < 0) throw fail(400, 'offset must be a non-negative integer');
      const newestFirst = [...ctx.app.iams].reverse();
      return envelope({
        items: newestFirst.slice(offset, offset + limit).map((m) => summaryOf(m, ctx.now)),
        total_count: newestFirst.length,
        limit,
        offset,
      });
    },
  },
  {
    id: 'view_in_app_message',
    method: 'GET',
    path: '/apps/:app_id/in_app_messages/:id',
    auth: 'app',
    handler: (ctx) => envelope(wholeOf(messageOf(ctx), ctx.now)),
  },
  {
    id: 'create_in_app_message',
    method: 'POST',
    path: '/apps/:app_id/in_app_messages',
    auth: 'app',
    handler: (ctx) => {
      const message = fromBody(ctx, undefined);
      ctx.app.iams.push(message);
      return envelope(wholeOf(message, ctx.now));
    },
  },
  {
    id: 'update_in_app_message',
    method: 'PUT',
    path: '/apps/:app_id/in_app_messages/:id',
    auth: 'app',
    handler: (ctx) => {
      const current = messageOf(ctx);
      const next = fromBody(ctx, current);
      ctx.app.iams[ctx.app.iams.indexOf(current)] = next;
      return envelope(wholeOf(next, ctx.now));
    },
  },
  {
    id: 'set_in_app_message_enabled',
    method: 'PUT',
    path: '/apps/:app_id/in_app_messages/:id/set_enabled',
    auth: 'app',
    handler: (ctx) => {
      const message = messageOf(ctx);
      // Documented: a missing key, null or a string is refused with 400 and nothing changes.
      if (typeof ctx.body.enabled !== 'boolean') throw fail(400, 'enabled must be a JSON boolean');
      message.enabled = ctx.body.enabled;
      message.updated_at = new Date(ctx.now * 1000).toISOString();
      // Silent in the docs: the answer carries the id, the flag and the resulting status.
      return envelope({ id: message.id, enabled: message.enabled, status: statusOf(message, ctx.now) });
    },
  },
  {
    id: 'delete_in_app_message',
    method: 'DELETE',
    path: '/apps/:app_id/in_app_messages/:id',
    auth: 'app',
    handler: (ctx) => {
      const message = messageOf(ctx);
      const journeys = ctx.app.inAppMessageUsage.journeysUsing(message.id);
      // Documented: 400 with this error, and the message is kept. Which journeys is not documented;
      // the emulator names them in a second error line.
      if (journeys.length)
        throw new ApiError(400, { errors: [IN_USE, `Journeys using it: ${journeys.join(', ')}`] });
      ctx.app.iams.splice(ctx.app.iams.indexOf(message), 1);
      return envelope({ success: true });
    },
  },
  {
    id: 'view_in_app_message_stats',
    method: 'GET',
    path: '/apps/:app_id/in_app_messages/:id/stats',
    auth: 'app',
    handler: (ctx) => {
      const message = messageOf(ctx);
      const groupBy = (ctx.query.get('group_by') ?? '').split(',').filter(Boolean);
      for (const g of groupBy)
        if (g !== 'page_name' && g !== 'element_name')
          throw fail(400, `group_by accepts page_name and element_name, got '${g}'`);
      const clickType = ctx.query.get('click_type');
      // The reference shows `first`; the emulator also takes `all` (every click), its default.
      if (clickType !== null && clickType !== 'first' && clickType !== 'all')
        throw fail(400, `click_type must be first or all, got '${clickType}'`);
      return envelope({ rows: statsRows(message, groupBy, clickType === 'first') });
    },
  },
];
