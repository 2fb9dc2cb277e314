/**
 * What `journeyCreate` and `journeyUpdate` accept, and the one place their GraphQL names meet
 * create_journey's and update_journey's wire names. Update is OneSignal's JSON Merge Patch: fields
 * left out stay, an explicit null resets `description`, `schedule`, `earlyExit` and `reentryAfterSeconds`,
 * and `nodes` replaces the whole graph. Validation collects every problem with its path, before any
 * upstream call.
 */
import { type FieldProblem, ValidationError } from '../../core/errors.js';
import { APP_REF_DESCRIPTION } from '../../core/ids.js';
import type {
  WireJourneyAudience,
  WireJourneyBody,
  WireJourneyEarlyExit,
  WireJourneyNodeKind,
  WireJourneyNodePatch,
  WireJourneySchedule,
  WireJourneyTargetState,
} from '../../onesignal/index.js';
import { builder } from '../builder.js';
import { JourneyAudienceKindEnum, JourneyTargetStateEnum } from './enums.js';
import {
  JourneyEventAttributeInput,
  JourneyNodeInput,
  JourneyTagInput,
  type NodeBodyInput,
  type NodeInput,
  nodeBodyFields,
} from './node-input.js';
import {
  attributesToWire,
  eventName,
  type NodeWalk,
  nodeBodyToWire,
  nodesToWire,
  tagMap,
} from './node-wire.js';

type InputBuilder = Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0];

const JourneyAudienceInput = builder.inputType('JourneyAudienceInput', {
  description: 'Who enters the journey; `kind` selects which fields apply.',
  fields: (t) => ({
    kind: t.field({ type: JourneyAudienceKindEnum, required: true, description: 'How users enter.' }),
    includedSegmentIds: t.field({
      type: ['UUID'],
      description: 'SEGMENT: segments whose users enter (existing segments).',
    }),
    excludedSegmentIds: t.field({
      type: ['UUID'],
      description: 'SEGMENT: segments whose users never enter.',
    }),
    futureAdditionsOnly: t.boolean({
      description: 'SEGMENT: only users who newly match after activation enter (default false).',
    }),
    eventName: t.string({ description: 'EVENT_TRIGGER (required): the custom event, up to 255 characters.' }),
    eventAttributes: t.field({
      type: [JourneyEventAttributeInput],
      description: 'EVENT_TRIGGER: conditions on the event’s properties, all of which must hold.',
    }),
  }),
});

const JourneyEarlyExitInput = builder.inputType('JourneyEarlyExitInput', {
  description: 'What takes users out before the end; set at least one rule.',
  fields: (t) => ({
    onSegmentIds: t.field({ type: ['UUID'], description: 'Users who join one of these segments exit.' }),
    whenNotInAudience: t.boolean({ description: 'Users who stop matching the audience exit.' }),
    onSession: t.boolean({ description: 'Users exit when they start a new session.' }),
    onEventName: t.string({ description: 'Users who send this custom event exit (up to 255 characters).' }),
    tagsOnExit: t.field({ type: [JourneyTagInput], description: 'Tags set on a user who exits early.' }),
  }),
});

const JourneyScheduleInput = builder.inputType('JourneyScheduleInput', {
  description: 'When the journey starts and stops by itself.',
  fields: (t) => ({
    startAt: t.field({ type: 'DateTime', description: 'When it activates: at least 5 minutes ahead.' }),
    stopAt: t.field({ type: 'DateTime', description: 'When it stops: in the future and after `startAt`.' }),
  }),
});

const BETA = 'OneSignal marks the Journeys API as beta.';

/** The journey-level fields create and update share. */
const journeyBodyFields = (t: InputBuilder, creating: boolean) => ({
  description: t.string({
    description: creating ? 'Description, up to 1024 characters.' : 'New description; null clears it.',
  }),
  audience: t.field({
    type: JourneyAudienceInput,
    description: creating ? 'Who enters.' : 'New audience (replaces it).',
  }),
  earlyExit: t.field({
    type: JourneyEarlyExitInput,
    description: creating ? 'What takes users out early.' : 'New early-exit rules; null removes early exit.',
  }),
  reentryAfterSeconds: t.int({
    description: creating
      ? 'Re-entry rule: seconds after which a user may enter again.'
      : 'New re-entry rule; null resets it to OneSignal’s default.',
  }),
  schedule: t.field({
    type: JourneyScheduleInput,
    description: creating ? 'When it starts and stops by itself.' : 'New schedule; null clears it.',
  }),
  nodes: t.field({
    type: [JourneyNodeInput],
    description: creating
      ? 'The node graph, in order (ids are assigned by OneSignal; name nodes with `clientNodeId`).'
      : 'The whole new graph, replacing the old one: give each kept node its `nodeId` (and branches their `branchId`) so users on it stay; nodes without one are new.',
  }),
});

export const journeyCreateInputFields = (t: InputBuilder) => ({
  appId: t.id({ required: true, description: APP_REF_DESCRIPTION }),
  name: t.string({ required: true, description: 'Name, up to 300 characters.' }),
  ...journeyBodyFields(t, true),
});

export const journeyUpdateInputFields = (t: InputBuilder) => ({
  id: t.id({ required: true, description: 'Global id of the journey to change.' }),
  name: t.string({ description: 'New name, up to 300 characters.' }),
  ...journeyBodyFields(t, false),
  state: t.field({
    type: JourneyTargetStateEnum,
    description: `Move the journey to this state (ACTIVE activates a draft; ARCHIVED is permanent). ${BETA}`,
  }),
  concurrencyKey: t.string({
    description: 'The `Journey.concurrencyKey` read before: a change made since fails with a ConflictError.',
  }),
});

export const journeyNodeUpdateInputFields = (t: InputBuilder) => ({
  journeyId: t.id({ required: true, description: 'Global id of the journey.' }),
  nodeId: t.field({ type: 'UUID', required: true, description: 'The node’s `JourneyNode.nodeId`.' }),
  concurrencyKey: t.string({
    description: 'The `Journey.concurrencyKey` read before: a change made since fails with a ConflictError.',
  }),
  ...nodeBodyFields(t),
});

interface AudienceInput {
  kind: WireJourneyAudience['kind'];
  includedSegmentIds?: string[] | null;
  excludedSegmentIds?: string[] | null;
  futureAdditionsOnly?: boolean | null;
  eventName?: string | null;
  eventAttributes?: Parameters<typeof attributesToWire>[0] | null;
}
interface EarlyExitInput {
  onSegmentIds?: string[] | null;
  whenNotInAudience?: boolean | null;
  onSession?: boolean | null;
  onEventName?: string | null;
  tagsOnExit?: { key: string; value: string }[] | null;
}

export interface JourneyInputShape {
  name?: string | null;
  description?: string | null;
  audience?: AudienceInput | null;
  earlyExit?: EarlyExitInput | null;
  reentryAfterSeconds?: number | null;
  schedule?: { startAt?: Date | null; stopAt?: Date | null } | null;
  nodes?: NodeInput[] | null;
  state?: WireJourneyTargetState | null;
  concurrencyKey?: string | null;
}

function audienceToWire(a: AudienceInput, problems: FieldProblem[]): WireJourneyAudience {
  const path = ['input', 'audience'];
  const segment = a.kind === 'segment';
  const only = (field: keyof AudienceInput, isSegmentField: boolean) => {
    if (a[field] != null && isSegmentField !== segment)
      problems.push({
        path: [...path, field],
        message: `only applies to ${isSegmentField ? 'SEGMENT' : 'EVENT_TRIGGER'} audiences.`,
      });
  };
  only('includedSegmentIds', true);
  only('excludedSegmentIds', true);
  only('futureAdditionsOnly', true);
  only('eventName', false);
  only('eventAttributes', false);
  eventName(a.eventName, [...path, 'eventName'], problems, !segment);
  return {
    kind: a.kind,
    ...(a.includedSegmentIds && { included_segment_ids: a.includedSegmentIds }),
    ...(a.excludedSegmentIds && { excluded_segment_ids: a.excludedSegmentIds }),
    ...(a.futureAdditionsOnly != null && { future_additions_only: a.futureAdditionsOnly }),
    ...(a.eventName != null && { name: a.eventName }),
    ...(a.eventAttributes && { attributes: attributesToWire(a.eventAttributes) }),
  };
}

function earlyExitToWire(e: EarlyExitInput, problems: FieldProblem[]): WireJourneyEarlyExit {
  const path = ['input', 'earlyExit'];
  if (!e.onSegmentIds?.length && !e.whenNotInAudience && !e.onSession && e.onEventName == null)
    problems.push({
      path,
      message:
        'set at least one rule (onSegmentIds, whenNotInAudience, onSession, onEventName), or null to remove early exit.',
    });
  eventName(e.onEventName, [...path, 'onEventName'], problems, false);
  return {
    rules: {
      ...(e.onSegmentIds?.length && { on_segment: { included_segment_ids: e.onSegmentIds } }),
      ...(e.whenNotInAudience != null && { when_not_in_audience: e.whenNotInAudience }),
      ...(e.onSession != null && { on_session: e.onSession }),
      ...(e.onEventName != null && { on_event: { name: e.onEventName } }),
    },
    ...(e.tagsOnExit && { tag_on_early_exit: tagMap(e.tagsOnExit, [...path, 'tagsOnExit'], problems) }),
  };
}

function scheduleToWire(
  s: NonNullable<JourneyInputShape['schedule']>,
  problems: FieldProblem[],
  now: number,
): WireJourneySchedule {
  const path = ['input', 'schedule'];
  if (s.startAt && s.startAt.getTime() < now + 5 * 60_000)
    problems.push({ path: [...path, 'startAt'], message: 'must be at least 5 minutes in the future.' });
  if (s.stopAt && (s.stopAt.getTime() <= now || (s.startAt && s.stopAt <= s.startAt)))
    problems.push({ path: [...path, 'stopAt'], message: 'must be in the future and after startAt.' });
  return {
    ...(s.startAt && { start_at: s.startAt.toISOString() }),
    ...(s.stopAt && { stop_at: s.stopAt.toISOString() }),
  };
}

/** Validates a create/update input (every problem at once) and builds the wire body. */
export function toJourneyBody(
  input: JourneyInputShape,
  creating: boolean,
  now = Date.now(),
): WireJourneyBody {
  const problems: FieldProblem[] = [];
  const body: WireJourneyBody = {};
  const walk: NodeWalk = { creating, problems, clientIds: new Set() };
  if (input.name != null) {
    if (!input.name.trim() || input.name.length > 300)
      problems.push({ path: ['input', 'name'], message: 'must be 1–300 characters.' });
    body.name = input.name;
  }
  if (input.description !== undefined) {
    if (input.description && input.description.length > 1024)
      problems.push({ path: ['input', 'description'], message: 'must be at most 1024 characters.' });
    if (input.description !== null || !creating) body.description = input.description;
  }
  if (input.audience) body.audience = audienceToWire(input.audience, problems);
  if (input.earlyExit) body.early_exit = earlyExitToWire(input.earlyExit, problems);
  else if (input.earlyExit === null && !creating) body.early_exit = null;
  if (input.reentryAfterSeconds != null) {
    if (input.reentryAfterSeconds < 0)
      problems.push({ path: ['input', 'reentryAfterSeconds'], message: 'must not be negative.' });
    body.reentry_rules = { duration_seconds: input.reentryAfterSeconds };
  } else if (input.reentryAfterSeconds === null && !creating) body.reentry_rules = null;
  if (input.schedule) body.schedule = scheduleToWire(input.schedule, problems, now);
  else if (input.schedule === null && !creating) body.schedule = null;
  if (input.nodes != null) body.nodes = nodesToWire(input.nodes, ['input', 'nodes'], walk);
  if (input.state != null) body.state = input.state;
  if (input.concurrencyKey != null) body.concurrency_key = input.concurrencyKey;
  if (!creating && Object.keys(body).filter((k) => k !== 'concurrency_key').length === 0)
    problems.push({ path: ['input'], message: 'give at least one field to change.' });
  if (problems.length) throw new ValidationError(problems);
  return body;
}

/** Validates a node update (kind-specific checks are OneSignal's: the node's kind is not known here). */
export function toNodePatch(
  input: NodeBodyInput & { concurrencyKey?: string | null },
  kind?: WireJourneyNodeKind,
): WireJourneyNodePatch {
  const problems: FieldProblem[] = [];
  const patch: WireJourneyNodePatch = nodeBodyToWire(input, kind, ['input'], {
    creating: false,
    problems,
    clientIds: new Set(),
  });
  // Merge patch: an explicit null clears (expiration null: wait indefinitely).
  if (input.expiration === null) patch.expiration = null;
  if (Object.keys(patch).length === 0 && input.expiration !== null)
    problems.push({ path: ['input'], message: 'give at least one node field to change.' });
  if (input.concurrencyKey != null) patch.concurrency_key = input.concurrencyKey;
  if (problems.length) throw new ValidationError(problems);
  return patch;
}
