/**
 * Journeys as the emulator keeps them, and the checks OneSignal's Journeys reference (beta)
 * documents: create-journey, update-journey and update-journey-node take the same node schema and
 * validation. Where the reference is silent the choice is ours and marked "silent" here and in
 * docs/emulator.md. Refusals use the coded error shape the reference names for this API,
 * `{ errors: [{ code, title, meta }] }`; the codes themselves are not documented, so ours are
 * descriptive (`invalid_request`, `not_found`, `conflict`, `invalid_state`).
 */
import { randomUUID } from 'node:crypto';
import { type ApiError, failCode, isObject, isUuid } from './util.js';

/** What the checks need of an app: its segments (store.ts imports this module, so not AppState). */
export interface SegmentsOf {
  segments: { has(id: string): boolean };
}

export type JourneyDoc = Record<string, unknown> & { id: string; name: string; nodes: JourneyNodeDoc[] };
export type JourneyNodeDoc = Record<string, unknown> & { id: string; kind: string };

/** Counts a seeded journey shows in view_journey_stats; absent ones are 0 (a journey nobody entered). */
export interface JourneyStatsRecord {
  started: number;
  completed: number;
  exited_early: number;
  nodes: Record<
    string,
    { waiting: number; completed: number; exited_early: number; totals?: Record<string, number> }
  >;
  branches: Record<string, number>;
}

export interface JourneyRecord {
  journey: JourneyDoc;
  stats: JourneyStatsRecord;
}

export const emptyStats = (): JourneyStatsRecord => ({
  started: 0,
  completed: 0,
  exited_early: 0,
  nodes: {},
  branches: {},
});

export const invalid = (message: string, field?: string): ApiError =>
  failCode(400, 'invalid_request', message, field ? { field } : undefined);
export const journeyNotFound = (what: string): ApiError => failCode(404, 'not_found', `${what} not found`);

export const NODE_KINDS = new Set([
  'wait',
  'time_window',
  'send_push',
  'send_email',
  'send_sms',
  'send_iam',
  'send_webhook',
  'tag',
  'split_range',
  'yes_no',
  'wait_until',
]);

/** Which node kinds each kind-specific field applies to ("the kind field selects which other fields apply"). */
const FIELD_KINDS: Record<string, string[]> = {
  duration_seconds: ['wait'],
  relative_to: ['time_window'],
  windows: ['time_window'],
  time_zone: ['time_window'],
  use_user_time_zone: ['time_window'],
  template_id: ['send_push', 'send_email', 'send_sms'],
  iam_id: ['send_iam'],
  user_ttl_seconds: ['send_iam'],
  webhook_id: ['send_webhook'],
  assignments: ['tag'],
  randomize_on_entry: ['split_range'],
  branches: ['split_range', 'yes_no', 'wait_until'],
  expiration: ['wait_until'],
};

/** Read-only journey fields: sending one on create is a 400 (create-journey reference). */
export const SERVER_FIELDS = [
  'id',
  'app_id',
  'state',
  'created_at',
  'updated_at',
  'started_at',
  'archived_at',
  'created_source',
  'concurrency_key',
];

const WAIT_MIN = 60;
const WAIT_MAX = 31_556_952;

/** What a node or branch may keep from the graph it replaces: server-assigned ids seen before. */
export interface GraphContext {
  app: SegmentsOf;
  creating: boolean;
  nodeIds: Set<string>;
  branchIds: Set<string>;
  /** client_node_id values of this request, unique within the journey. */
  clientIds: Set<string>;
}

function segmentIds(app: SegmentsOf, value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw invalid(`${field} must be an array of segment ids`, field);
  for (const id of value) {
    // "every segment id … must be a valid UUID that references an existing segment".
    if (!isUuid(id)) throw invalid(`${field}: '${String(id)}' is not a valid UUID`, field);
    if (!app.segments.has(id)) throw invalid(`${field}: segment '${id}' not found`, field);
  }
  return value as string[];
}

function eventAttributes(value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value) || value.some((g) => !Array.isArray(g)))
    throw invalid(`${field} must be a list of condition groups`, field);
  if (value.length > 1) throw invalid(`${field}: send a single condition group`, field);
  for (const a of value.flat() as unknown[])
    if (!isObject(a) || typeof a.key !== 'string' || typeof a.operator !== 'string')
      throw invalid(`${field}: each condition needs key and operator`, field);
}

function eventName(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 255)
    throw invalid(`${field} must be an event name of 1 to 255 characters`, field);
}

export function checkAudience(app: SegmentsOf, audience: unknown): void {
  if (!isObject(audience)) throw invalid('audience must be an object', 'audience');
  if (audience.kind === 'segment') {
    if (audience.included_segment_ids !== undefined)
      segmentIds(app, audience.included_segment_ids, 'audience.included_segment_ids');
    if (audience.excluded_segment_ids !== undefined)
      segmentIds(app, audience.excluded_segment_ids, 'audience.excluded_segment_ids');
  } else if (audience.kind === 'event_trigger') {
    eventName(audience.name, 'audience.name');
    eventAttributes(audience.attributes, 'audience.attributes');
    if (audience.future_additions_only != null)
      throw invalid(
        'future_additions_only applies to segment audiences only',
        'audience.future_additions_only',
      );
  } else throw invalid("audience.kind must be 'segment' or 'event_trigger'", 'audience.kind');
}

export function checkEarlyExit(app: SegmentsOf, earlyExit: unknown): void {
  if (earlyExit === null) return;
  if (!isObject(earlyExit) || !isObject(earlyExit.rules))
    throw invalid('early_exit needs rules', 'early_exit.rules');
  const rules = earlyExit.rules;
  const set = Object.entries(rules).filter(([, v]) => v !== null && v !== undefined && v !== false);
  if (set.length === 0) throw invalid('early_exit: at least one rule must be set', 'early_exit.rules');
  if (isObject(rules.on_segment))
    segmentIds(
      app,
      rules.on_segment.included_segment_ids ?? [],
      'early_exit.rules.on_segment.included_segment_ids',
    );
  if (rules.on_event != null) {
    if (!isObject(rules.on_event)) throw invalid('on_event must be an object', 'early_exit.rules.on_event');
    eventName(rules.on_event.name, 'early_exit.rules.on_event.name');
  }
}

export function checkSchedule(schedule: unknown, now: number): void {
  if (schedule === null) return;
  if (!isObject(schedule)) throw invalid('schedule must be an object', 'schedule');
  const at = (key: 'start_at' | 'stop_at') => {
    const v = schedule[key];
    if (v === undefined || v === null) return undefined;
    const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
    if (Number.isNaN(t)) throw invalid(`schedule.${key} must be an ISO 8601 time`, `schedule.${key}`);
    return t;
  };
  const start = at('start_at');
  const stop = at('stop_at');
  if (start !== undefined && start < now * 1000 + 5 * 60_000)
    throw invalid('schedule.start_at must be at least 5 minutes in the future', 'schedule.start_at');
  if (stop !== undefined && (stop <= now * 1000 || (start !== undefined && stop <= start)))
    throw invalid('schedule.stop_at must be in the future and later than start_at', 'schedule.stop_at');
}

function uuidField(node: Record<string, unknown>, key: string, field: string): void {
  if (node[key] !== undefined && node[key] !== null && !isUuid(node[key]))
    throw invalid(`${field}.${key} must be a UUID`, `${field}.${key}`);
}

function checkWindows(windows: unknown, field: string): void {
  if (!Array.isArray(windows) || windows.length === 0)
    throw invalid(`${field} needs at least one window`, field);
  windows.forEach((w, i) => {
    const f = `${field}[${i}]`;
    if (!isObject(w) || !isObject(w.start) || !isObject(w.end)) throw invalid(`${f} needs start and end`, f);
    const minutes = (p: Record<string, unknown>) => Number(p.hour ?? 0) * 60 + Number(p.minute ?? 0);
    for (const p of [w.start, w.end]) {
      const { hour = 0, minute = 0 } = p as { hour?: unknown; minute?: unknown };
      if (!Number.isInteger(hour) || (hour as number) < 0 || (hour as number) > 23)
        throw invalid(`${f}: hour must be 0 to 23`, f);
      if (!Number.isInteger(minute) || (minute as number) < 0 || (minute as number) > 59)
        throw invalid(`${f}: minute must be 0 to 59`, f);
    }
    if (
      w.day_of_week != null &&
      (!Number.isInteger(w.day_of_week) || (w.day_of_week as number) < 1 || (w.day_of_week as number) > 7)
    )
      throw invalid(`${f}.day_of_week must be 1 (Monday) to 7`, f);
    // "Each window must span at least 15 minutes"; silent on windows that cross midnight: taken as such.
    const span = (minutes(w.end) - minutes(w.start) + 1440) % 1440;
    if (span < 15) throw invalid(`${f} must span at least 15 minutes`, f);
  });
}

function checkCondition(ctx: GraphContext, condition: unknown, field: string): void {
  if (!isObject(condition)) throw invalid(`${field} must be an object`, field);
  switch (condition.kind) {
    case 'segment_membership':
      for (const k of ['included_segment_ids', 'excluded_segment_ids'])
        if (condition[k] !== undefined) segmentIds(ctx.app, condition[k], `${field}.${k}`);
      return;
    case 'on_notification_action':
      if (!['received', 'clicked', 'opened'].includes(condition.action as string))
        throw invalid(`${field}.action must be received, clicked or opened`, `${field}.action`);
      if (typeof condition.sending_node_id !== 'string' && typeof condition.client_node_id !== 'string')
        throw invalid(`${field} needs sending_node_id or client_node_id`, field);
      return;
    case 'event_trigger':
      eventName(condition.name, `${field}.name`);
      eventAttributes(condition.attributes, `${field}.attributes`);
      return;
    default:
      throw invalid(
        `${field}.kind must be segment_membership, on_notification_action or event_trigger`,
        `${field}.kind`,
      );
  }
}

function checkBranches(ctx: GraphContext, node: JourneyNodeDoc, field: string): void {
  const branches = node.branches;
  if (!Array.isArray(branches)) throw invalid(`${field}.branches must be an array`, `${field}.branches`);
  const n = branches.length;
  const fail = (rule: string) =>
    invalid(`${field}.branches: ${node.kind} ${rule} (got ${n})`, `${field}.branches`);
  if (node.kind === 'split_range') {
    if (n < 2 || n > 20) throw fail('requires 2-20 weighted branches');
    const sum = branches.reduce((s: number, b) => s + Number(isObject(b) ? b.weight : Number.NaN), 0);
    if (Math.abs(sum - 100) > 1e-9)
      throw invalid(`${field}.branches: weights must sum to 100`, `${field}.branches`);
  } else if (node.kind === 'yes_no' && n !== 2) throw fail('requires exactly 2 branches');
  else if (node.kind === 'wait_until' && (n < 1 || n > 10)) throw fail('requires 1-10 condition branches');
  node.branches = branches.map((b, i) => {
    const f = `${field}.branches[${i}]`;
    if (!isObject(b)) throw invalid(`${f} must be an object`, f);
    const branch: Record<string, unknown> = { ...b };
    if (branch.id !== undefined) {
      if (ctx.creating) throw invalid(`${f}.id is server-assigned and rejected on create`, `${f}.id`);
      // Silent on an id the journey never had: refused like an unknown node id.
      if (!ctx.branchIds.has(branch.id as string))
        throw invalid(`${f}.id '${String(branch.id)}' is not a branch of this journey`, `${f}.id`);
    } else branch.id = randomUUID();
    if (node.kind !== 'split_range' && branch.condition !== undefined)
      checkCondition(ctx, branch.condition, `${f}.condition`);
    if (node.kind === 'wait_until' && branch.condition === undefined)
      throw invalid(`${f} needs a condition`, `${f}.condition`);
    branch.nodes = checkNodes(ctx, branch.nodes ?? [], `${f}.nodes`);
    return branch;
  });
}

export function checkNode(ctx: GraphContext, raw: unknown, field: string): JourneyNodeDoc {
  if (!isObject(raw)) throw invalid(`${field} must be an object`, field);
  if (typeof raw.kind !== 'string' || !NODE_KINDS.has(raw.kind))
    throw invalid(`${field}.kind is not a node kind`, `${field}.kind`);
  const node = { ...raw } as JourneyNodeDoc;
  if (raw.id !== undefined) {
    if (ctx.creating)
      throw invalid(
        `${field}.id is server-assigned and rejected on create; use client_node_id`,
        `${field}.id`,
      );
    if (!ctx.nodeIds.has(raw.id as string))
      throw invalid(`${field}.id '${String(raw.id)}' is not a node of this journey`, `${field}.id`);
  } else node.id = randomUUID();
  for (const [key, kinds] of Object.entries(FIELD_KINDS))
    if (node[key] !== undefined && node[key] !== null && !kinds.includes(node.kind))
      // Silent on whether OneSignal ignores or refuses them: refused, so a typo'd kind shows.
      throw invalid(`${field}.${key} does not apply to ${node.kind} nodes`, `${field}.${key}`);
  if (node.client_node_id !== undefined) {
    if (typeof node.client_node_id !== 'string' || ctx.clientIds.has(node.client_node_id))
      throw invalid(`${field}.client_node_id must be unique within the journey`, `${field}.client_node_id`);
    ctx.clientIds.add(node.client_node_id);
  }
  if (node.annotation != null && (typeof node.annotation !== 'string' || node.annotation.length > 255))
    throw invalid(`${field}.annotation is at most 255 characters`, `${field}.annotation`);
  const d = node.duration_seconds;
  if (
    node.kind === 'wait' &&
    d != null &&
    (!Number.isInteger(d) || (d as number) < WAIT_MIN || (d as number) > WAIT_MAX)
  )
    throw invalid(
      `${field}.duration_seconds must be ${WAIT_MIN} to ${WAIT_MAX}`,
      `${field}.duration_seconds`,
    );
  if (node.kind === 'time_window') {
    const relative = node.relative_to ?? 'schedule_in_timezone';
    if (relative !== 'schedule_in_timezone' && relative !== 'last_active_time')
      throw invalid(
        `${field}.relative_to must be schedule_in_timezone or last_active_time`,
        `${field}.relative_to`,
      );
    if (relative === 'schedule_in_timezone') checkWindows(node.windows, `${field}.windows`);
    else if (node.windows != null)
      throw invalid(
        `${field}.windows: omit windows when relative_to is last_active_time`,
        `${field}.windows`,
      );
  }
  for (const key of ['template_id', 'iam_id', 'webhook_id']) uuidField(node, key, field);
  if (node.assignments != null) {
    if (!isObject(node.assignments))
      throw invalid(`${field}.assignments must be an object`, `${field}.assignments`);
    for (const [k, v] of Object.entries(node.assignments))
      if (k.length > 255 || typeof v !== 'string' || v.length > 1024)
        throw invalid(
          `${field}.assignments: keys up to 255 and string values up to 1024 characters`,
          `${field}.assignments`,
        );
  }
  if (['split_range', 'yes_no', 'wait_until'].includes(node.kind)) checkBranches(ctx, node, field);
  return node;
}

export function checkNodes(ctx: GraphContext, nodes: unknown, field = 'nodes'): JourneyNodeDoc[] {
  if (!Array.isArray(nodes)) throw invalid(`${field} must be an array`, field);
  return nodes.map((n, i) => checkNode(ctx, n, `${field}[${i}]`));
}
