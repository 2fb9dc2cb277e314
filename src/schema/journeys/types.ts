/**
 * The `Journey` object (OneSignal's Journeys API, beta) and its stats. A journey from a list is a
 * summary (view_journeys leaves out the description, audience detail, nodes and concurrency key):
 * fields that need the rest read view_journey once per request.
 */
import { appScopedId, parseLocalId } from '../../core/ids.js';
import type { LoadedJourney } from '../../loaders/journeys.js';
import type { WireJourneyStats } from '../../onesignal/index.js';
import { AppRef, belongingApp } from '../apps.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { fromIso } from '../time.js';
import { orNull, upstream } from '../upstream-errors.js';
import { extraOf, JourneyNodeKindEnum, JourneyStateEnum, known, NODE_KINDS, STATES } from './enums.js';
import { JourneyAudienceRef, JourneyEarlyExitRef, JourneyScheduleRef } from './graph.js';
import { JourneyNodeRef } from './nodes.js';

export const JourneyRef = builder.objectRef<LoadedJourney>('Journey');

/** Reading journeys needs `journeys:read`; writers (`journeys:write`) read what they wrote. */
export const JOURNEY_READ_SCOPES = { 'journeys:read': true, 'journeys:write': true } as const;

/** The whole journey: summaries from a list read view_journey. */
async function whole(j: LoadedJourney, ctx: Context): Promise<LoadedJourney> {
  if (!j.summary) return j;
  return upstream(ctx.loaders.journey.load({ appId: j.app_id.toLowerCase(), id: j.id.toLowerCase() }));
}

const TYPED = [
  'id',
  'app_id',
  'name',
  'description',
  'state',
  'created_at',
  'updated_at',
  'started_at',
  'archived_at',
  'created_source',
  'audience',
  'early_exit',
  'reentry_rules',
  'schedule',
  'nodes',
  'concurrency_key',
  'summary',
];

const JourneyMessageTotalRef = builder.simpleObject('JourneyMessageTotal', {
  description: 'One all-time delivery figure of a message-sending node.',
  fields: (t) => ({
    name: t.string({
      description: 'The channel’s name for the figure (e.g. `sent`, `delivered`, `clicked`).',
    }),
    value: t.float({ description: 'Its all-time total.' }),
  }),
});

const JourneyNodeStatsRef = builder.simpleObject('JourneyNodeStats', {
  description: 'Counts of one node (users, except `messageTotals`, which count subscriptions).',
  fields: (t) => ({
    nodeId: t.string({ description: 'The node’s id (`JourneyNode.nodeId`).' }),
    kind: t.field({
      type: JourneyNodeKindEnum,
      nullable: true,
      description: 'The node’s kind, as the stats repeat it; null for a kind this API does not know yet.',
    }),
    waiting: t.int({ description: 'Users held at the node now.' }),
    completed: t.int({ description: 'Users who moved past it normally.' }),
    exitedEarly: t.int({ description: 'Users who left the journey from it through an early-exit rule.' }),
    messageTotals: t.field({
      type: [JourneyMessageTotalRef],
      nullable: true,
      description: 'Message-sending nodes: the channel’s all-time delivery figures; null for other nodes.',
    }),
  }),
});

const JourneyBranchStatsRef = builder.simpleObject('JourneyBranchStats', {
  description: 'Counts of one branch.',
  fields: (t) => ({
    branchId: t.string({ description: 'The branch’s id (`JourneyBranch.branchId`).' }),
    completed: t.int({ description: 'Users who took the branch.' }),
  }),
});

export const JourneyStatsRef = builder.objectRef<WireJourneyStats>('JourneyStats').implement({
  description:
    'All-time counts of a journey, as its dashboard report shows them (view_journey_stats; a draft shows zeros). Journey counts are users.',
  fields: (t) => ({
    started: t.int({ description: 'Users who entered.', resolve: (s) => s.started ?? 0 }),
    completed: t.int({
      description: 'Users who reached the end normally.',
      resolve: (s) => s.completed ?? 0,
    }),
    exitedEarly: t.int({
      description: 'Users who left through an early-exit rule.',
      resolve: (s) => s.exited_early ?? 0,
    }),
    inProgress: t.int({
      description: 'Users still in the journey: started minus completed minus exited early (derived here).',
      resolve: (s) => Math.max(0, (s.started ?? 0) - (s.completed ?? 0) - (s.exited_early ?? 0)),
    }),
    nodes: t.field({
      type: [JourneyNodeStatsRef],
      description: 'Every node, at any depth, in the order OneSignal lists them.',
      resolve: (s) =>
        Object.entries(s.nodes ?? {}).map(([nodeId, n]) => ({
          nodeId,
          kind: known(NODE_KINDS, n.kind),
          waiting: n.waiting ?? 0,
          completed: n.completed ?? 0,
          exitedEarly: n.exited_early ?? 0,
          messageTotals: n.message_stats
            ? Object.entries(n.message_stats.totals ?? {}).map(([name, value]) => ({
                name,
                value: Number(value),
              }))
            : null,
        })),
    }),
    branches: t.field({
      type: [JourneyBranchStatsRef],
      description: 'Every branch, at any depth; empty without branching nodes.',
      resolve: (s) =>
        Object.entries(s.branches ?? {}).map(([branchId, b]) => ({ branchId, completed: b.completed ?? 0 })),
    }),
  }),
});

builder.node(JourneyRef, {
  description:
    'An automated multichannel flow of an app (OneSignal Journeys). OneSignal marks the Journeys API as beta: fields may still change, and `extra` carries any it adds.',
  authScopes: JOURNEY_READ_SCOPES,
  id: { resolve: (j) => appScopedId(j.app_id, j.id), parse: (local) => parseLocalId(local, 'Journey') },
  loadMany: (keys, ctx) => keys.map((key) => orNull(ctx.loaders.journey.load(key))),
  fields: (t) => ({
    oneSignalId: t.field({
      type: 'UUID',
      description: 'The journey id as OneSignal shows it (dashboard URL, REST).',
      resolve: (j) => j.id,
    }),
    name: t.string({ description: 'Name of the journey (up to 300 characters).', resolve: (j) => j.name }),
    description: t.string({
      nullable: true,
      description: 'Description (up to 1024 characters); OneSignal answers an empty string when none is set.',
      resolve: async (j, _a, ctx) => (await whole(j, ctx)).description ?? null,
    }),
    state: t.field({
      type: JourneyStateEnum,
      nullable: true,
      description: 'Where the journey is in its life; null for a state this API does not know yet.',
      resolve: (j) => known(STATES, j.state),
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was created.',
      resolve: (j) => fromIso(j.created_at),
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it last changed.',
      resolve: (j) => fromIso(j.updated_at),
    }),
    startedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was activated; null before (and briefly after an activation is enqueued).',
      resolve: (j) => fromIso(j.started_at),
    }),
    archivedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was archived; null unless ARCHIVED.',
      resolve: (j) => fromIso(j.archived_at),
    }),
    createdSource: t.string({
      nullable: true,
      description: 'Where it was created, as OneSignal names it (e.g. `dashboard`, `public_api`).',
      resolve: (j) => j.created_source ?? null,
    }),
    schedule: t.field({
      type: JourneyScheduleRef,
      nullable: true,
      description: 'When it starts and stops by itself; null when not scheduled.',
      resolve: (j) => j.schedule ?? null,
    }),
    reentryAfterSeconds: t.int({
      nullable: true,
      description:
        'Re-entry rule: seconds after which a user may enter again (`reentry_rules.duration_seconds`); null when no rule is set.',
      resolve: (j) => j.reentry_rules?.duration_seconds ?? null,
    }),
    audience: t.field({
      type: JourneyAudienceRef,
      nullable: true,
      description: 'Who enters; null when OneSignal answers none.',
      resolve: async (j, _a, ctx) => (await whole(j, ctx)).audience ?? null,
    }),
    earlyExit: t.field({
      type: JourneyEarlyExitRef,
      nullable: true,
      description: 'What takes users out before the end; null when no early exit is set.',
      resolve: async (j, _a, ctx) => (await whole(j, ctx)).early_exit ?? null,
    }),
    nodes: t.field({
      type: [JourneyNodeRef],
      description: 'The node graph, in order; branching nodes hold their branches’ nodes.',
      resolve: async (j, _a, ctx) =>
        ((await whole(j, ctx)).nodes ?? []).map((wire) => ({ wire, appId: j.app_id })),
    }),
    concurrencyKey: t.string({
      nullable: true,
      description:
        'OneSignal’s optimistic-concurrency token: give it to `journeyUpdate`/`journeyNodeUpdate` so a change made since you read fails with a ConflictError instead of being overwritten.',
      resolve: async (j, _a, ctx) => (await whole(j, ctx)).concurrency_key ?? null,
    }),
    stats: t.field({
      type: JourneyStatsRef,
      description: 'All-time counts (one view_journey_stats).',
      resolve: (j, _a, ctx) =>
        upstream(ctx.loaders.journeyStats.load({ appId: j.app_id.toLowerCase(), id: j.id.toLowerCase() })),
    }),
    extra: t.field({
      type: 'JSONObject',
      nullable: true,
      description:
        'Fields OneSignal answered that this type does not name yet (the Journeys API is beta); null when none.',
      resolve: async (j, _a, ctx) => extraOf(await whole(j, ctx), TYPED),
    }),
    app: t.field({
      type: AppRef,
      description: 'The app the journey belongs to.',
      resolve: (j, _a, ctx, info) => belongingApp(ctx, j.app_id, info),
    }),
  }),
});
