/**
 * Checks and wire fields of journey node inputs (node-input.ts declares them): every problem with its
 * path, before any upstream call, and the body create_journey, update_journey and
 * update_journey_node take.
 */
import type { FieldProblem } from '../../core/errors.js';
import type {
  WireJourneyBranch,
  WireJourneyCondition,
  WireJourneyEventAttribute,
  WireJourneyNode,
  WireJourneyNodeKind,
  WireJourneyTimeWindow,
} from '../../onesignal/index.js';
import {
  type AttributeInput,
  type BranchInput,
  type ConditionInput,
  type NodeBodyInput,
  type NodeInput,
  type TagInput,
  type TimeInput,
  WAIT_SECONDS,
  type WindowInput,
} from './node-input.js';

/** Which kinds each kind-specific input field applies to. */
const FIELD_KINDS: Partial<Record<keyof NodeBodyInput, WireJourneyNodeKind[]>> = {
  durationSeconds: ['wait'],
  relativeTo: ['time_window'],
  windows: ['time_window'],
  timeZone: ['time_window'],
  useUserTimeZone: ['time_window'],
  templateId: ['send_push', 'send_email', 'send_sms'],
  inAppMessageId: ['send_iam'],
  inAppMessageTtlSeconds: ['send_iam'],
  webhookId: ['send_webhook'],
  tagAssignments: ['tag'],
  randomizeOnEntry: ['split_range'],
  branches: ['split_range', 'yes_no', 'wait_until'],
  expiration: ['wait_until'],
};

/** What a walk of the graph shares: whether it creates (ids refused), and the client ids seen. */
export interface NodeWalk {
  creating: boolean;
  problems: FieldProblem[];
  clientIds: Set<string>;
}

const upper = (kind: string) => kind.toUpperCase();

function windowsToWire(windows: WindowInput[], path: string[], w: NodeWalk): WireJourneyTimeWindow[] {
  if (windows.length === 0) w.problems.push({ path, message: 'give at least one window.' });
  return windows.map((win, i) => {
    const at = [...path, String(i)];
    const minutes = (p: TimeInput) => p.hour * 60 + (p.minute ?? 0);
    for (const side of ['start', 'end'] as const) {
      const p = win[side];
      if (!Number.isInteger(p.hour) || p.hour < 0 || p.hour > 23)
        w.problems.push({ path: [...at, side, 'hour'], message: 'must be 0–23.' });
      if (p.minute != null && (p.minute < 0 || p.minute > 59))
        w.problems.push({ path: [...at, side, 'minute'], message: 'must be 0–59.' });
    }
    if (win.dayOfWeek != null && (win.dayOfWeek < 1 || win.dayOfWeek > 7))
      w.problems.push({ path: [...at, 'dayOfWeek'], message: 'must be 1 (Monday) to 7 (Sunday).' });
    // A window may run past midnight; it must span at least 15 minutes either way.
    if ((minutes(win.end) - minutes(win.start) + 1440) % 1440 < 15)
      w.problems.push({ path: at, message: 'must span at least 15 minutes.' });
    return {
      start: { hour: win.start.hour, minute: win.start.minute ?? 0 },
      end: { hour: win.end.hour, minute: win.end.minute ?? 0 },
      ...(win.dayOfWeek != null && { day_of_week: win.dayOfWeek }),
    };
  });
}

export function tagMap(tags: TagInput[], path: string[], problems: FieldProblem[]): Record<string, string> {
  const map: Record<string, string> = {};
  tags.forEach((tag, i) => {
    if (!tag.key || tag.key.length > 255)
      problems.push({ path: [...path, String(i), 'key'], message: 'must be 1–255 characters.' });
    if (tag.value.length > 1024)
      problems.push({ path: [...path, String(i), 'value'], message: 'must be at most 1,024 characters.' });
    map[tag.key] = tag.value;
  });
  return map;
}

export function eventName(
  name: string | null | undefined,
  path: string[],
  problems: FieldProblem[],
  required: boolean,
): void {
  if (name == null) {
    if (required) problems.push({ path, message: 'required.' });
  } else if (!name.trim() || name.length > 255) problems.push({ path, message: 'must be 1–255 characters.' });
}

/** One group of AND'd conditions: OneSignal takes exactly one. */
export const attributesToWire = (attrs: AttributeInput[]): WireJourneyEventAttribute[][] => [
  attrs.map((a) => ({ key: a.key, operator: a.operator, ...(a.value != null && { value: a.value }) })),
];

function conditionToWire(c: ConditionInput, path: string[], w: NodeWalk): WireJourneyCondition {
  const wire: WireJourneyCondition = { kind: c.kind };
  const only = (field: keyof ConditionInput, kind: WireJourneyCondition['kind']) => {
    if (c[field] != null && c.kind !== kind)
      w.problems.push({ path: [...path, field], message: `only applies to ${upper(kind)} conditions.` });
  };
  only('includedSegmentIds', 'segment_membership');
  only('excludedSegmentIds', 'segment_membership');
  only('action', 'on_notification_action');
  only('sendingNodeId', 'on_notification_action');
  only('sendingClientNodeId', 'on_notification_action');
  only('eventName', 'event_trigger');
  only('eventAttributes', 'event_trigger');
  only('entryEventMatchAttributes', 'event_trigger');
  if (c.includedSegmentIds) wire.included_segment_ids = c.includedSegmentIds;
  if (c.excludedSegmentIds) wire.excluded_segment_ids = c.excludedSegmentIds;
  if (c.kind === 'on_notification_action') {
    if (c.action == null)
      w.problems.push({ path: [...path, 'action'], message: 'required for ON_NOTIFICATION_ACTION.' });
    if ((c.sendingNodeId == null) === (c.sendingClientNodeId == null))
      w.problems.push({ path, message: 'give exactly one of sendingNodeId and sendingClientNodeId.' });
  }
  if (c.action) wire.action = c.action;
  if (c.sendingNodeId) wire.sending_node_id = c.sendingNodeId;
  if (c.sendingClientNodeId) wire.client_node_id = c.sendingClientNodeId;
  eventName(c.eventName, [...path, 'eventName'], w.problems, c.kind === 'event_trigger');
  if (c.eventName != null) wire.name = c.eventName;
  if (c.eventAttributes) wire.attributes = attributesToWire(c.eventAttributes);
  if (c.entryEventMatchAttributes) wire.entry_event_match_attributes = c.entryEventMatchAttributes;
  return wire;
}

function branchesToWire(
  kind: WireJourneyNodeKind | undefined,
  branches: BranchInput[],
  path: string[],
  w: NodeWalk,
): WireJourneyBranch[] {
  const n = branches.length;
  if (kind === 'split_range') {
    if (n < 2 || n > 20) w.problems.push({ path, message: `SPLIT_RANGE takes 2–20 branches (got ${n}).` });
    branches.forEach((b, i) => {
      if (b.weight == null)
        w.problems.push({ path: [...path, String(i), 'weight'], message: 'required for SPLIT_RANGE.' });
    });
    const sum = branches.reduce((s, b) => s + (b.weight ?? 0), 0);
    if (Math.abs(sum - 100) > 1e-9)
      w.problems.push({ path, message: `weights must sum to 100 (got ${sum}).` });
  } else if (kind === 'yes_no' && n !== 2)
    w.problems.push({ path, message: `YES_NO takes exactly 2 branches (got ${n}).` });
  else if (kind === 'wait_until' && (n < 1 || n > 10))
    w.problems.push({ path, message: `WAIT_UNTIL takes 1–10 branches (got ${n}).` });
  return branches.map((b, i) => {
    const at = [...path, String(i)];
    if (b.branchId != null && w.creating)
      w.problems.push({
        path: [...at, 'branchId'],
        message: 'is assigned by OneSignal: leave it out on create.',
      });
    if (kind === 'wait_until' && b.condition == null)
      w.problems.push({ path: [...at, 'condition'], message: 'required for WAIT_UNTIL branches.' });
    if (b.weight != null && kind !== undefined && kind !== 'split_range')
      w.problems.push({ path: [...at, 'weight'], message: 'only applies to SPLIT_RANGE branches.' });
    return {
      ...(b.branchId != null && { id: b.branchId }),
      ...(b.weight != null && { weight: b.weight }),
      ...(b.condition && { condition: conditionToWire(b.condition, [...at, 'condition'], w) }),
      nodes: nodesToWire(b.nodes ?? [], [...at, 'nodes'], w),
    };
  });
}

/**
 * The wire fields of a node body. `kind` is unknown for `journeyNodeUpdate` (the node keeps its
 * kind, which only a read would tell): kind-specific checks are then left to OneSignal.
 */
export function nodeBodyToWire(
  input: NodeBodyInput,
  kind: WireJourneyNodeKind | undefined,
  path: string[],
  w: NodeWalk,
): Partial<WireJourneyNode> {
  const p = (field: string) => [...path, field];
  if (kind)
    for (const [field, kinds] of Object.entries(FIELD_KINDS))
      if (input[field as keyof NodeBodyInput] != null && !(kinds as string[]).includes(kind))
        w.problems.push({
          path: p(field),
          message: `only applies to ${kinds.map(upper).join(', ')} nodes (this is ${upper(kind)}).`,
        });
  const wire: Partial<WireJourneyNode> = {};
  if (input.clientNodeId != null) {
    if (!input.clientNodeId.trim())
      w.problems.push({ path: p('clientNodeId'), message: 'must not be empty.' });
    else if (w.clientIds.has(input.clientNodeId))
      w.problems.push({ path: p('clientNodeId'), message: 'must be unique within the journey.' });
    w.clientIds.add(input.clientNodeId);
    wire.client_node_id = input.clientNodeId;
  }
  if (input.annotation != null) {
    if (input.annotation.length > 255)
      w.problems.push({ path: p('annotation'), message: 'must be at most 255 characters.' });
    wire.annotation = input.annotation;
  }
  if (input.durationSeconds != null) {
    if (input.durationSeconds < WAIT_SECONDS.min || input.durationSeconds > WAIT_SECONDS.max)
      w.problems.push({
        path: p('durationSeconds'),
        message: `must be ${WAIT_SECONDS.min}–${WAIT_SECONDS.max} seconds.`,
      });
    wire.duration_seconds = input.durationSeconds;
  }
  if (input.relativeTo != null) wire.relative_to = input.relativeTo;
  if (kind === 'time_window') {
    const anchor = input.relativeTo ?? 'schedule_in_timezone';
    if (anchor === 'schedule_in_timezone' && input.windows == null)
      w.problems.push({ path: p('windows'), message: 'required with SCHEDULE_IN_TIMEZONE (the default).' });
    if (anchor === 'last_active_time' && input.windows != null)
      w.problems.push({ path: p('windows'), message: 'leave out with LAST_ACTIVE_TIME.' });
  }
  if (input.windows != null) wire.windows = windowsToWire(input.windows, p('windows'), w);
  if (input.timeZone != null) wire.time_zone = input.timeZone;
  if (input.useUserTimeZone != null) wire.use_user_time_zone = input.useUserTimeZone;
  if (input.templateId != null) wire.template_id = input.templateId;
  if (input.inAppMessageId != null) wire.iam_id = input.inAppMessageId;
  if (input.inAppMessageTtlSeconds != null) {
    if (input.inAppMessageTtlSeconds < 1)
      w.problems.push({ path: p('inAppMessageTtlSeconds'), message: 'must be positive.' });
    wire.user_ttl_seconds = input.inAppMessageTtlSeconds;
  }
  if (input.webhookId != null) wire.webhook_id = input.webhookId;
  if (input.tagAssignments != null)
    wire.assignments = tagMap(input.tagAssignments, p('tagAssignments'), w.problems);
  if (input.randomizeOnEntry != null) wire.randomize_on_entry = input.randomizeOnEntry;
  if (['split_range', 'yes_no', 'wait_until'].includes(kind ?? '') && input.branches == null)
    w.problems.push({ path: p('branches'), message: `required for ${upper(kind as string)} nodes.` });
  if (input.branches != null) wire.branches = branchesToWire(kind, input.branches, p('branches'), w);
  if (input.expiration != null) {
    if (input.expiration.durationSeconds < 1)
      w.problems.push({ path: p('expiration'), message: 'durationSeconds must be positive.' });
    wire.expiration = {
      duration_seconds: input.expiration.durationSeconds,
      ...(input.expiration.exits != null && { exits: input.expiration.exits }),
    };
  }
  return wire;
}

export function nodesToWire(nodes: NodeInput[], path: string[], w: NodeWalk): WireJourneyNode[] {
  return nodes.map((node, i) => {
    const at = [...path, String(i)];
    if (node.nodeId != null && w.creating)
      w.problems.push({
        path: [...at, 'nodeId'],
        message: 'is assigned by OneSignal: leave it out on create (use clientNodeId).',
      });
    return {
      ...(node.nodeId != null && { id: node.nodeId }),
      kind: node.kind,
      ...nodeBodyToWire(node, node.kind, at, w),
    };
  });
}
