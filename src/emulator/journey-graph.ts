/**
 * Reading a journey's graph: its nodes and branches at any depth, the in-app messages it shows, its
 * stats and its list summary (view_journeys).
 */
import type { JourneyDoc, JourneyNodeDoc, JourneyRecord } from './journeys.js';

const SEND_KINDS = new Set(['send_push', 'send_email', 'send_sms', 'send_iam', 'send_webhook']);

/** Every node of a graph, at any depth, depth first. */
export function* allNodes(nodes: readonly JourneyNodeDoc[]): Generator<JourneyNodeDoc> {
  for (const node of nodes) {
    yield node;
    for (const b of (node.branches as { nodes?: JourneyNodeDoc[] }[] | undefined) ?? [])
      yield* allNodes(b.nodes ?? []);
  }
}

export function* allBranches(
  nodes: readonly JourneyNodeDoc[],
): Generator<Record<string, unknown> & { id: string }> {
  for (const node of allNodes(nodes))
    for (const b of (node.branches as (Record<string, unknown> & { id: string })[] | undefined) ?? [])
      yield b;
}

/** The in-app messages a journey's send_iam nodes show, for the usage registry. */
export const inAppMessagesOf = (journey: JourneyDoc): string[] =>
  [...allNodes(journey.nodes)].flatMap((n) =>
    n.kind === 'send_iam' && typeof n.iam_id === 'string' ? [n.iam_id] : [],
  );

/** view_journey_stats: every node and branch at any depth, 0 where nobody has been. */
export function statsOf(record: JourneyRecord) {
  const { journey, stats } = record;
  const nodes: Record<string, unknown> = {};
  for (const node of allNodes(journey.nodes)) {
    const s = stats.nodes[node.id];
    nodes[node.id] = {
      kind: node.kind,
      waiting: s?.waiting ?? 0,
      completed: s?.completed ?? 0,
      exited_early: s?.exited_early ?? 0,
      ...(SEND_KINDS.has(node.kind) && { message_stats: { totals: { ...(s?.totals ?? {}) } } }),
    };
  }
  const branches: Record<string, unknown> = {};
  for (const b of allBranches(journey.nodes)) branches[b.id] = { completed: stats.branches[b.id] ?? 0 };
  return {
    id: journey.id,
    started: stats.started,
    completed: stats.completed,
    exited_early: stats.exited_early,
    nodes,
    branches,
  };
}

/** The view_journeys summary: identity, state, scheduling and re-entry, and the audience kind only. */
export function summaryOf(j: JourneyDoc) {
  const pick = [
    'id',
    'app_id',
    'name',
    'state',
    'created_at',
    'updated_at',
    'started_at',
    'archived_at',
    'created_source',
    'schedule',
    'reentry_rules',
  ];
  const out: Record<string, unknown> = Object.fromEntries(pick.filter((k) => k in j).map((k) => [k, j[k]]));
  out.audience = { kind: (j.audience as { kind?: unknown } | undefined)?.kind ?? 'segment' };
  return out;
}
