/**
 * What a journey node takes on input (`JourneyNodeInput`, the fields of `journeyNodeUpdate`), its
 * checks and its wire body. The limits are OneSignal's reference's (create-journey, JourneyNode):
 * WAIT 60 s to a year, annotations 255 characters, tag keys 255 and values 1,024, SPLIT_RANGE 2–20
 * branches weighing 100 in all, YES_NO exactly 2, WAIT_UNTIL 1–10, time windows of at least 15
 * minutes, days 1 (Monday) to 7. Every problem is reported with its path, before any upstream call.
 */
import type { FieldProblem } from '../../core/errors.js';
import type {
  WireJourneyBranch,
  WireJourneyCondition,
  WireJourneyEventAttribute,
  WireJourneyEventOperator,
  WireJourneyNode,
  WireJourneyNodeKind,
  WireJourneyTimeWindow,
} from '../../onesignal/index.js';
import { builder } from '../builder.js';
import {
  JourneyConditionKindEnum,
  JourneyEventOperatorEnum,
  JourneyNodeKindEnum,
  JourneyNotificationActionEnum,
  JourneyTimeAnchorEnum,
} from './enums.js';

export const WAIT_SECONDS = { min: 60, max: 31_556_952 };

export const JourneyTagInput = builder.inputType('JourneyTagInput', {
  description: 'A tag key and value.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'Tag key (up to 255 characters).' }),
    value: t.string({
      required: true,
      description: 'Tag value (up to 1,024 characters); empty removes the tag.',
    }),
  }),
});

export const JourneyEventAttributeInput = builder.inputType('JourneyEventAttributeInput', {
  description: 'A condition on a property of a custom event.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'The event property.' }),
    operator: t.field({ type: JourneyEventOperatorEnum, required: true, description: 'How it is compared.' }),
    value: t.string({ description: 'The value compared against; leave out for EXISTS and NOT_EXISTS.' }),
  }),
});

const JourneyTimeOfDayInput = builder.inputType('JourneyTimeOfDayInput', {
  description: 'A wall-clock time.',
  fields: (t) => ({
    hour: t.int({ required: true, description: 'Hour, 0–23.' }),
    minute: t.int({ defaultValue: 0, description: 'Minute, 0–59 (default 0).' }),
  }),
});

const JourneyTimeWindowInput = builder.inputType('JourneyTimeWindowInput', {
  description: 'A window of at least 15 minutes in which a TIME_WINDOW node lets users through.',
  fields: (t) => ({
    dayOfWeek: t.int({ description: 'Day of the week, 1 = Monday … 7 = Sunday; leave out for every day.' }),
    start: t.field({ type: JourneyTimeOfDayInput, required: true, description: 'When it opens.' }),
    end: t.field({ type: JourneyTimeOfDayInput, required: true, description: 'When it closes.' }),
  }),
});

const JourneyWaitExpirationInput = builder.inputType('JourneyWaitExpirationInput', {
  description: 'How long a WAIT_UNTIL node waits for its conditions.',
  fields: (t) => ({
    durationSeconds: t.int({ required: true, description: 'Seconds to wait.' }),
    exits: t.boolean({ description: 'Whether users leave the journey when the wait runs out.' }),
  }),
});

const JourneyConditionInput = builder.inputType('JourneyConditionInput', {
  description: 'The condition of a branch; `kind` selects which fields apply.',
  fields: (t) => ({
    kind: t.field({ type: JourneyConditionKindEnum, required: true, description: 'What is checked.' }),
    includedSegmentIds: t.field({
      type: ['UUID'],
      description: 'SEGMENT_MEMBERSHIP: segments the user must belong to.',
    }),
    excludedSegmentIds: t.field({
      type: ['UUID'],
      description: 'SEGMENT_MEMBERSHIP: segments the user must not belong to.',
    }),
    action: t.field({
      type: JourneyNotificationActionEnum,
      description: 'ON_NOTIFICATION_ACTION (required): the action.',
    }),
    sendingNodeId: t.field({
      type: 'UUID',
      description:
        'ON_NOTIFICATION_ACTION: the sending node by its `nodeId` (or give `sendingClientNodeId`).',
    }),
    sendingClientNodeId: t.string({
      description:
        'ON_NOTIFICATION_ACTION: the sending node by its `clientNodeId`, for nodes created in the same request.',
    }),
    eventName: t.string({ description: 'EVENT_TRIGGER (required): the custom event, up to 255 characters.' }),
    eventAttributes: t.field({
      type: [JourneyEventAttributeInput],
      description: 'EVENT_TRIGGER: conditions on the event’s properties, all of which must hold.',
    }),
    entryEventMatchAttributes: t.field({
      type: ['JSONObject'],
      description:
        'EVENT_TRIGGER on event-triggered journeys: matchers against the entry event, passed to OneSignal as given (its reference does not detail their shape).',
    }),
  }),
});

export const JourneyBranchInput = builder.inputRef<BranchInput>('JourneyBranchInput');
export const JourneyNodeInput = builder.inputRef<NodeInput>('JourneyNodeInput');

type InputBuilder = Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0];

/** The fields every node kind may take (each applies to the kinds its description names). */
export const nodeBodyFields = (t: InputBuilder) => ({
  clientNodeId: t.string({
    description: 'Your own id of the node, unique within the journey (conditions can name it).',
  }),
  annotation: t.string({
    description: 'A free-text label, up to 255 characters (no effect on the journey).',
  }),
  durationSeconds: t.int({
    description: `WAIT: seconds to hold users, ${WAIT_SECONDS.min}–${WAIT_SECONDS.max} (a year).`,
  }),
  relativeTo: t.field({
    type: JourneyTimeAnchorEnum,
    description: 'TIME_WINDOW: what the hold is timed by.',
  }),
  windows: t.field({
    type: [JourneyTimeWindowInput],
    description:
      'TIME_WINDOW: required with SCHEDULE_IN_TIMEZONE (the default), left out with LAST_ACTIVE_TIME.',
  }),
  timeZone: t.string({ description: 'TIME_WINDOW: IANA time zone used when the user’s is unknown.' }),
  useUserTimeZone: t.boolean({ description: 'TIME_WINDOW: use the user’s time zone when known.' }),
  templateId: t.field({
    type: 'UUID',
    description: 'SEND_PUSH, SEND_EMAIL, SEND_SMS: the template to send.',
  }),
  inAppMessageId: t.field({ type: 'UUID', description: 'SEND_IAM: the in-app message to show.' }),
  inAppMessageTtlSeconds: t.int({
    description: 'SEND_IAM: how long the in-app message stays available, in seconds.',
  }),
  webhookId: t.field({ type: 'UUID', description: 'SEND_WEBHOOK: the webhook to call.' }),
  tagAssignments: t.field({
    type: [JourneyTagInput],
    description: 'TAG: tags to set (an empty value removes one).',
  }),
  randomizeOnEntry: t.boolean({
    description: 'SPLIT_RANGE: assign each user a branch at random on entry (default false).',
  }),
  branches: t.field({
    type: [JourneyBranchInput],
    description:
      'SPLIT_RANGE (2–20, weights summing to 100), YES_NO (exactly 2), WAIT_UNTIL (1–10, each with a condition).',
  }),
  expiration: t.field({
    type: JourneyWaitExpirationInput,
    description: 'WAIT_UNTIL: how long to wait; leave out to wait indefinitely.',
  }),
});

interface TimeInput {
  hour: number;
  minute?: number | null;
}
interface WindowInput {
  dayOfWeek?: number | null;
  start: TimeInput;
  end: TimeInput;
}
interface TagInput {
  key: string;
  value: string;
}
interface AttributeInput {
  key: string;
  operator: WireJourneyEventOperator;
  value?: string | null;
}
interface ConditionInput {
  kind: WireJourneyCondition['kind'];
  includedSegmentIds?: string[] | null;
  excludedSegmentIds?: string[] | null;
  action?: WireJourneyCondition['action'] | null;
  sendingNodeId?: string | null;
  sendingClientNodeId?: string | null;
  eventName?: string | null;
  eventAttributes?: AttributeInput[] | null;
  entryEventMatchAttributes?: { [key: string]: NonNullable<unknown> | null | undefined }[] | null;
}
export interface NodeBodyInput {
  clientNodeId?: string | null;
  annotation?: string | null;
  durationSeconds?: number | null;
  relativeTo?: WireJourneyNode['relative_to'] | null;
  windows?: WindowInput[] | null;
  timeZone?: string | null;
  useUserTimeZone?: boolean | null;
  templateId?: string | null;
  inAppMessageId?: string | null;
  inAppMessageTtlSeconds?: number | null;
  webhookId?: string | null;
  tagAssignments?: TagInput[] | null;
  randomizeOnEntry?: boolean | null;
  branches?: BranchInput[] | null;
  expiration?: { durationSeconds: number; exits?: boolean | null } | null;
}
export interface NodeInput extends NodeBodyInput {
  kind: WireJourneyNodeKind;
  nodeId?: string | null;
}
interface BranchInput {
  branchId?: string | null;
  weight?: number | null;
  condition?: ConditionInput | null;
  nodes?: NodeInput[] | null;
}

JourneyBranchInput.implement({
  description: 'One way out of a branching node.',
  fields: (t) => ({
    branchId: t.string({
      description: 'Updates: the branch’s `branchId`, to keep it and the users on it. Refused on create.',
    }),
    weight: t.float({ description: 'SPLIT_RANGE: the share of users, in percent.' }),
    condition: t.field({
      type: JourneyConditionInput,
      description: 'When users take this branch (WAIT_UNTIL: required).',
    }),
    nodes: t.field({ type: [JourneyNodeInput], description: 'The nodes this branch runs.' }),
  }),
});

JourneyNodeInput.implement({
  description:
    'One step of a journey; `kind` selects which fields apply, and fields of other kinds are refused.',
  fields: (t) => ({
    kind: t.field({ type: JourneyNodeKindEnum, required: true, description: 'What the node does.' }),
    nodeId: t.field({
      type: 'UUID',
      description:
        'Updates: the node’s `nodeId`, to keep it and the users on it (left out: a new node). Refused on create.',
    }),
    ...nodeBodyFields(t),
  }),
});

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
