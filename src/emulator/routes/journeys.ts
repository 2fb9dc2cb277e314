import { randomUUID } from 'node:crypto';
import { allBranches, allNodes, inAppMessagesOf, statsOf, summaryOf } from '../journey-graph.js';
import {
  checkAudience,
  checkEarlyExit,
  checkNode,
  checkNodes,
  checkSchedule,
  emptyStats,
  type GraphContext,
  invalid,
  type JourneyDoc,
  type JourneyNodeDoc,
  type JourneyRecord,
  journeyNotFound,
  SERVER_FIELDS,
} from '../journeys.js';
import { type Operation, ok } from '../operation.js';
import type { AppState } from '../store.js';
import { failCode, intParam, isObject, isUuid } from '../util.js';

/**
 * OneSignal's Journeys API (beta): /apps/{app_id}/journeys, served statefully. Validation of bodies
 * lives in ../journeys.ts; this file is the lifecycle (merge patches, states, concurrency keys),
 * paging and the in-app message usage registry.
 */

/** view_journeys: "the default is 50 and the maximum is 50". */
const PAGE_MAX = 50;

function recordOf(app: AppState, id: string | undefined): JourneyRecord {
  // view_journey documents 200 and 404 only: an id that is no UUID is a journey that does not exist.
  const record = isUuid(id) ? app.journeys.get(id.toLowerCase()) : undefined;
  if (!record) throw journeyNotFound(`Journey '${String(id)}'`);
  return record;
}

const whole = (j: JourneyDoc) => ({ ...j });

/** Newest first; ties (seeded journeys) by id, so a cursor names one position. */
function ordered(app: AppState): JourneyDoc[] {
  return [...app.journeys.values()]
    .map((r) => r.journey)
    .sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)) || b.id.localeCompare(a.id));
}

/** Our `next_cursor`: the position of the last journey given, so a deleted journey does not break paging. */
const encodeCursor = (j: JourneyDoc) =>
  Buffer.from(JSON.stringify({ t: j.created_at, id: j.id })).toString('base64url');

function decodeCursor(cursor: string): { t: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isObject(v) && typeof v.t === 'string' && typeof v.id === 'string') return { t: v.t, id: v.id };
  } catch {
    // falls through to the refusal
  }
  throw invalid('cursor is not a cursor this API issued; send a prior next_cursor unchanged', 'cursor');
}

/** Records which in-app messages the journey shows, for the in-app message delete to ask. */
const track = (app: AppState, j: JourneyDoc) => app.inAppMessageUsage.set(j.id, inAppMessagesOf(j));

function context(app: AppState, creating: boolean, journey?: JourneyDoc): GraphContext {
  return {
    app,
    creating,
    nodeIds: new Set(journey ? [...allNodes(journey.nodes)].map((n) => n.id) : []),
    branchIds: new Set(journey ? [...allBranches(journey.nodes)].map((b) => b.id) : []),
    clientIds: new Set(),
  };
}

function checkName(body: Record<string, unknown>, required: boolean): void {
  if (body.name === undefined && !required) return;
  if (typeof body.name !== 'string' || body.name.trim() === '' || body.name.length > 300)
    throw invalid('name is required, up to 300 characters', 'name');
}

function checkDescription(body: Record<string, unknown>): void {
  const d = body.description;
  if (d != null && (typeof d !== 'string' || d.length > 1024))
    throw invalid('description is at most 1024 characters', 'description');
}

/** A merge patch (RFC 7396) of the journey-level fields the body sends; arrays replace. */
function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else if (isObject(value) && isObject(target[key]) && key !== 'audience') {
      const inner = { ...(target[key] as Record<string, unknown>) };
      mergePatch(inner, value);
      target[key] = inner;
    } else target[key] = value;
  }
}

function checkConcurrency(record: JourneyRecord, body: Record<string, unknown>): void {
  const key = body.concurrency_key;
  if (key !== undefined && key !== record.journey.concurrency_key)
    throw failCode(
      409,
      'conflict',
      'The journey changed since concurrency_key was read; fetch it again and retry',
    );
}

function touch(j: JourneyDoc): void {
  j.updated_at = new Date().toISOString();
  j.concurrency_key = randomUUID();
}

const ARCHIVED = 'The journey is archived: archiving is permanent, it can be read but not edited';
const invalidState = (message: string) => failCode(422, 'invalid_state', message);

/** The state transitions update_journey documents; `processing` is skipped (activation is at once here). */
function transition(j: JourneyDoc, target: unknown, nowMs: number): void {
  const from = j.state as string;
  if (!['draft', 'scheduled', 'active', 'archived'].includes(target as string))
    throw invalid("state must be 'draft', 'scheduled', 'active' or 'archived'", 'state');
  if (target === from) return;
  const at = new Date(nowMs).toISOString();
  if (target === 'archived') {
    j.state = 'archived';
    j.archived_at = at;
  } else if (target === 'draft') {
    // "Only scheduled and processing journeys can return to draft."
    if (from !== 'scheduled' && from !== 'processing')
      throw invalidState(`A ${from} journey cannot return to draft`);
    j.state = 'draft';
  } else if (target === 'scheduled') {
    const start = Date.parse(String((j.schedule as { start_at?: unknown } | undefined)?.start_at ?? ''));
    if (Number.isNaN(start) || start <= nowMs)
      throw invalidState('Set scheduled together with a future schedule.start_at');
    j.state = 'scheduled';
  } else {
    j.state = 'active';
    j.started_at = at;
  }
}

export const journeyOperations: Operation[] = [
  {
    id: 'view_journeys',
    method: 'GET',
    path: '/apps/:app_id/journeys',
    auth: 'app',
    handler: ({ app, query }) => {
      const limit = intParam(query, 'limit') ?? PAGE_MAX;
      if (limit < 1 || limit > PAGE_MAX) throw invalid(`limit must be between 1 and ${PAGE_MAX}`, 'limit');
      const all = ordered(app);
      let start = 0;
      const cursor = query.get('cursor');
      if (cursor !== null) {
        const at = decodeCursor(cursor);
        start = all.findIndex((j) => String(j.created_at) < at.t || (j.created_at === at.t && j.id < at.id));
        if (start < 0) start = all.length;
      }
      const page = all.slice(start, start + limit);
      const more = start + page.length < all.length;
      const last = page.at(-1);
      return ok({
        journeys: page.map(summaryOf),
        has_more: more,
        ...(more && last && { next_cursor: encodeCursor(last) }),
      });
    },
  },
  {
    id: 'view_journey',
    method: 'GET',
    path: '/apps/:app_id/journeys/:journey_id',
    auth: 'app',
    handler: ({ app, params }) => ok(whole(recordOf(app, params.journey_id).journey)),
  },
  {
    id: 'create_journey',
    method: 'POST',
    path: '/apps/:app_id/journeys',
    auth: 'app',
    handler: ({ app, body, now }) => {
      for (const field of SERVER_FIELDS)
        if (body[field] !== undefined)
          throw invalid(`${field} is server-controlled and cannot be sent on create`, field);
      checkName(body, true);
      checkDescription(body);
      if (body.audience !== undefined) checkAudience(app, body.audience);
      if (body.early_exit !== undefined) checkEarlyExit(app, body.early_exit);
      if (body.schedule !== undefined) checkSchedule(body.schedule, now);
      const nodes = checkNodes(context(app, true), body.nodes ?? []);
      const at = new Date().toISOString();
      const journey: JourneyDoc = {
        ...body,
        id: randomUUID(),
        app_id: app.id,
        name: body.name as string,
        description: body.description ?? '',
        state: 'draft',
        created_at: at,
        updated_at: at,
        started_at: null,
        archived_at: null,
        created_source: 'public_api',
        // Silent on the default audience: a segment audience with no segments (nobody enters).
        audience: body.audience ?? { kind: 'segment', included_segment_ids: [] },
        nodes,
        concurrency_key: randomUUID(),
      };
      app.journeys.set(journey.id, { journey, stats: emptyStats() });
      track(app, journey);
      return ok(whole(journey), 201);
    },
  },
  {
    id: 'update_journey',
    method: 'PATCH',
    path: '/apps/:app_id/journeys/:journey_id',
    auth: 'app',
    handler: ({ app, params, body, now }) => {
      const record = recordOf(app, params.journey_id);
      const current = record.journey;
      for (const field of SERVER_FIELDS.filter((f) => f !== 'state' && f !== 'concurrency_key'))
        if (body[field] !== undefined) throw invalid(`${field} is read-only`, field);
      checkConcurrency(record, body);
      if (current.state === 'archived') throw invalidState(ARCHIVED);
      checkName(body, false);
      checkDescription(body);
      if (body.audience != null) checkAudience(app, body.audience);
      if (body.early_exit !== undefined) checkEarlyExit(app, body.early_exit);
      if (body.schedule !== undefined) checkSchedule(body.schedule, now);
      const next = structuredClone(current);
      const { state, concurrency_key: _key, nodes, ...fields } = body;
      mergePatch(next, fields);
      if (body.description === null) next.description = '';
      if (nodes !== undefined) next.nodes = checkNodes(context(app, false, current), nodes ?? []);
      if (state !== undefined) transition(next, state, now * 1000);
      touch(next);
      record.journey = next;
      track(app, next);
      return ok(whole(next));
    },
  },
  {
    id: 'update_journey_node',
    method: 'PATCH',
    path: '/apps/:app_id/journeys/:journey_id/nodes/:node_id',
    auth: 'app',
    handler: ({ app, params, body }) => {
      const record = recordOf(app, params.journey_id);
      const target = [...allNodes(record.journey.nodes)].find((n) => n.id === params.node_id?.toLowerCase());
      if (!target) throw journeyNotFound(`Node '${String(params.node_id)}'`);
      checkConcurrency(record, body);
      if (record.journey.state === 'archived') throw invalidState(ARCHIVED);
      for (const field of ['kind', 'id'] as const)
        if (body[field] !== undefined && body[field] !== target[field])
          throw invalid(`A node's ${field} cannot be changed`, field);
      const { concurrency_key: _key, ...patch } = body;
      const merged: Record<string, unknown> = { ...target };
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete merged[k];
        else merged[k] = v;
      }
      // The patched node follows create's schema; its own and its branches' ids stay.
      const ctx = context(app, false, record.journey);
      const own = new Set(allNodes([target]));
      for (const n of allNodes(record.journey.nodes))
        if (n.client_node_id && !own.has(n)) ctx.clientIds.add(n.client_node_id as string);
      const checked = checkNode(ctx, merged, 'node');
      const next = structuredClone(record.journey);
      const replace = (nodes: JourneyNodeDoc[]): JourneyNodeDoc[] =>
        nodes.map((n) =>
          n.id === target.id
            ? checked
            : {
                ...n,
                ...(Array.isArray(n.branches) && {
                  branches: (n.branches as { nodes?: JourneyNodeDoc[] }[]).map((b) => ({
                    ...b,
                    nodes: replace(b.nodes ?? []),
                  })),
                }),
              },
        );
      next.nodes = replace(next.nodes);
      touch(next);
      record.journey = next;
      track(app, next);
      return ok(whole(next));
    },
  },
  {
    id: 'delete_journey',
    method: 'DELETE',
    path: '/apps/:app_id/journeys/:journey_id',
    auth: 'app',
    handler: ({ app, params }) => {
      const record = recordOf(app, params.journey_id);
      app.journeys.delete(record.journey.id);
      app.inAppMessageUsage.release(record.journey.id);
      return ok({ success: true });
    },
  },
  {
    id: 'view_journey_stats',
    method: 'GET',
    path: '/apps/:app_id/journeys/:journey_id/stats',
    auth: 'app',
    handler: ({ app, params }) => ok(statsOf(recordOf(app, params.journey_id))),
  },
];
