import { EMULATOR_ORGANIZATION_ID, presentAuditEntry } from '../audit-log.js';
import { type OpContext, type Operation, type OpResult, ok } from '../operation.js';
import type { AuditEntry } from '../types.js';
import { fail } from '../util.js';

const DAY_MS = 86_400_000;
/** OneSignal keeps no audit history before this instant. */
const HISTORY_START_MS = Date.parse('2026-02-18T00:00:00Z');
const LOOKBACK_MS = 90 * DAY_MS;
/** Values per list filter OneSignal accepts (`actions` takes 20). */
const LIST_CAPS: Record<string, number> = {
  app_ids: 10,
  actions: 20,
  actor_ids: 10,
  actor_emails: 10,
  target_types: 10,
  target_ids: 10,
  ip_addresses: 10,
};

/** Where a page starts: the range it was asked for and how many events of that range came before. */
interface Position {
  start: number;
  end: number;
  offset: number;
}

const encodeCursor = (p: Position) => Buffer.from(JSON.stringify(p)).toString('base64url');

function decodeCursor(cursor: string): Position {
  try {
    const p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Position;
    if ([p.start, p.end, p.offset].every((n) => Number.isSafeInteger(n)) && p.offset >= 0) return p;
  } catch {
    // Falls through to the refusal.
  }
  throw fail(400, 'cursor is invalid or expired');
}

function parseTime(value: string, name: string): number {
  // ISO 8601 with a date and a time, as OneSignal's examples give it.
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw fail(400, `${name} must be an ISO 8601 timestamp`);
  return ms;
}

/** The range of a first page, checked as OneSignal documents: start within 90 days, end after it. */
function rangeOf(query: URLSearchParams, nowMs: number): Omit<Position, 'offset'> {
  const startText = query.get('start_time');
  if (!startText) throw fail(400, 'start_time is required unless cursor is given');
  const start = parseTime(startText, 'start_time');
  if (start < nowMs - LOOKBACK_MS) throw fail(400, 'start_time must be within the last 90 days');
  if (start < HISTORY_START_MS) throw fail(400, 'start_time must not be before 2026-02-18T00:00:00Z');
  const endText = query.get('end_time');
  const end = endText ? parseTime(endText, 'end_time') : nowMs;
  if (end <= start) throw fail(400, 'end_time must be after start_time');
  return { start, end };
}

/**
 * list_audit_logs: the events the emulator's own writes recorded (src/emulator/audit-log.ts), oldest
 * first. A cursor carries the range, so, as documented, start_time and end_time are ignored beside it;
 * the filters are read from each request. A page of `limit` (clamped to 1–100, default 100).
 */
function listAuditLogs({ store, params, query, now }: OpContext): OpResult {
  if (params.organization_id !== EMULATOR_ORGANIZATION_ID)
    throw fail(403, 'The API key does not belong to this organization');
  for (const [name, cap] of Object.entries(LIST_CAPS))
    if (query.getAll(name).length > cap) throw fail(400, `${name} accepts at most ${cap} values`);
  const cursor = query.get('cursor');
  const position = cursor ? decodeCursor(cursor) : { ...rangeOf(query, now * 1000), offset: 0 };
  const limitText = query.get('limit');
  const asked = limitText === null ? 100 : Number.parseInt(limitText, 10);
  const limit = Number.isNaN(asked) ? 100 : Math.min(100, Math.max(1, asked));

  const only = (name: string) => {
    const values = query.getAll(name);
    return values.length ? new Set(values) : undefined;
  };
  const apps = only('app_ids');
  const actions = only('actions');
  const actorIds = only('actor_ids');
  const targetTypes = only('target_types');
  const targetIds = only('target_ids');
  const ips = only('ip_addresses');
  // Keys act without an email: an email filter matches only the seeded dashboard member's events.
  const emails = only('actor_emails');

  const events: AuditEntry[] = [];
  for (const state of store.apps.values())
    for (const e of state.auditLog) {
      const at = Date.parse(e.occurred_at);
      if (at < position.start || at > position.end) continue;
      if (apps && !apps.has(e.app_id)) continue;
      if (actions && !actions.has(e.action)) continue;
      if (actorIds && !actorIds.has(e.actor.id)) continue;
      if (emails && !(e.actor.email && emails.has(e.actor.email))) continue;
      if (targetTypes && !e.targets.some((t) => targetTypes.has(t.type))) continue;
      if (targetIds && !e.targets.some((t) => targetIds.has(t.id))) continue;
      if (ips && !ips.has(e.context.ip)) continue;
      events.push(e);
    }
  events.sort((a, b) => a.occurred_at.localeCompare(b.occurred_at) || a.seq - b.seq);
  const page = events.slice(position.offset, position.offset + limit);
  const hasMore = position.offset + limit < events.length;
  return ok({
    audit_logs: page.map(presentAuditEntry),
    has_more: hasMore,
    ...(hasMore ? { next_cursor: encodeCursor({ ...position, offset: position.offset + limit }) } : {}),
  });
}

export const auditLogOperations: Operation[] = [
  {
    id: 'list_audit_logs',
    method: 'GET',
    path: '/organizations/:organization_id/audit_logs',
    auth: 'user',
    handler: listAuditLogs,
  },
];
