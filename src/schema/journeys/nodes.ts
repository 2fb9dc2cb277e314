/**
 * The node graph of a journey: nodes, their branches and branch conditions, time windows. Each
 * node also hands on as `extra` the fields a beta API answers that this type does not name yet.
 */
import type {
  WireJourneyBranch,
  WireJourneyCondition,
  WireJourneyTimeWindow,
} from '../../onesignal/index.js';
import { builder } from '../builder.js';
import { TemplateRef } from '../templates/types.js';
import { orNull } from '../upstream-errors.js';
import {
  extraOf,
  JourneyConditionKindEnum,
  JourneyNodeKindEnum,
  JourneyNotificationActionEnum,
  JourneyTimeAnchorEnum,
  known,
  NODE_KINDS,
} from './enums.js';
import {
  EXTRA,
  eventAttributesOf,
  JourneyEventAttributeRef,
  JourneyTagRef,
  type NodeParent,
  tagsOf,
} from './graph.js';

const JourneyTimeOfDayRef = builder.simpleObject('JourneyTimeOfDay', {
  description: 'A wall-clock time.',
  fields: (t) => ({
    hour: t.int({ description: 'Hour, 0–23.' }),
    minute: t.int({ description: 'Minute, 0–59.' }),
  }),
});

const timeOf = (p: { hour?: number; minute?: number } | undefined) => ({
  hour: p?.hour ?? 0,
  minute: p?.minute ?? 0,
});

const JourneyTimeWindowRef = builder.objectRef<WireJourneyTimeWindow>('JourneyTimeWindow').implement({
  description:
    'A wall-clock window in which a TIME_WINDOW node lets users through (at least 15 minutes long).',
  fields: (t) => ({
    dayOfWeek: t.int({
      nullable: true,
      description: 'Day of the week, 1 = Monday … 7 = Sunday; null: every day.',
      resolve: (w) => w.day_of_week ?? null,
    }),
    start: t.field({
      type: JourneyTimeOfDayRef,
      description: 'When it opens.',
      resolve: (w) => timeOf(w.start),
    }),
    end: t.field({
      type: JourneyTimeOfDayRef,
      description: 'When it closes.',
      resolve: (w) => timeOf(w.end),
    }),
  }),
});

const JourneyWaitExpirationRef = builder.simpleObject('JourneyWaitExpiration', {
  description: 'How long a WAIT_UNTIL node waits for its conditions.',
  fields: (t) => ({
    durationSeconds: t.int({ nullable: true, description: 'Seconds to wait.' }),
    exits: t.boolean({
      nullable: true,
      description: 'Whether users leave the journey when the wait runs out.',
    }),
  }),
});

const JourneyConditionRef = builder.objectRef<WireJourneyCondition>('JourneyCondition').implement({
  description: 'The condition of a branch; `kind` selects which fields apply.',
  fields: (t) => ({
    kind: t.field({
      type: JourneyConditionKindEnum,
      nullable: true,
      description: 'What is checked; null for a kind this API does not know yet.',
      resolve: (c) =>
        known(['segment_membership', 'on_notification_action', 'event_trigger'] as const, c.kind),
    }),
    includedSegmentIds: t.field({
      type: ['UUID'],
      description: 'SEGMENT_MEMBERSHIP: segments the user must belong to.',
      resolve: (c) => c.included_segment_ids ?? [],
    }),
    excludedSegmentIds: t.field({
      type: ['UUID'],
      description: 'SEGMENT_MEMBERSHIP: segments the user must not belong to.',
      resolve: (c) => c.excluded_segment_ids ?? [],
    }),
    action: t.field({
      type: JourneyNotificationActionEnum,
      nullable: true,
      description: 'ON_NOTIFICATION_ACTION: the action branched on.',
      resolve: (c) => known(['received', 'clicked', 'opened'] as const, c.action),
    }),
    sendingNodeId: t.field({
      type: 'UUID',
      nullable: true,
      description: 'ON_NOTIFICATION_ACTION: the node that sent the message.',
      resolve: (c) => c.sending_node_id ?? null,
    }),
    eventName: t.string({
      nullable: true,
      description: 'EVENT_TRIGGER: the custom event.',
      resolve: (c) => c.name ?? null,
    }),
    eventAttributes: t.field({
      type: [JourneyEventAttributeRef],
      description: 'EVENT_TRIGGER: conditions on the event’s properties, all of which must hold.',
      resolve: (c) => eventAttributesOf(c.attributes),
    }),
    entryEventMatchAttributes: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'EVENT_TRIGGER on event-triggered journeys: matchers against the entry event, as OneSignal gives them (its reference does not detail their shape).',
      resolve: (c) => c.entry_event_match_attributes ?? null,
    }),
  }),
});

export const JourneyBranchRef = builder.objectRef<{ wire: WireJourneyBranch; appId: string }>(
  'JourneyBranch',
);
export const JourneyNodeRef = builder.objectRef<NodeParent>('JourneyNode');

JourneyBranchRef.implement({
  description:
    'One way out of a branching node; its nodes run before the flow rejoins the next sibling node.',
  fields: (t) => ({
    branchId: t.string({
      nullable: true,
      description:
        'OneSignal’s id of the branch (keys `JourneyStats.branches`); give it back on update to keep it.',
      resolve: ({ wire }) => wire.id ?? null,
    }),
    weight: t.float({
      nullable: true,
      description: 'SPLIT_RANGE: the share of users, in percent.',
      resolve: ({ wire }) => wire.weight ?? null,
    }),
    condition: t.field({
      type: JourneyConditionRef,
      nullable: true,
      description:
        'When users take this branch; null where the kind needs none (SPLIT_RANGE, the “no” of YES_NO).',
      resolve: ({ wire }) => wire.condition ?? null,
    }),
    nodes: t.field({
      type: [JourneyNodeRef],
      description: 'The nodes this branch runs.',
      resolve: ({ wire, appId }) => (wire.nodes ?? []).map((n) => ({ wire: n, appId })),
    }),
  }),
});

JourneyNodeRef.implement({
  description: 'One step of a journey; `kind` selects which fields apply (the others are null).',
  fields: (t) => ({
    nodeId: t.field({
      type: 'UUID',
      nullable: true,
      description:
        'OneSignal’s id of the node: `journeyNodeUpdate` takes it, `JourneyStats.nodes` is keyed by it.',
      resolve: ({ wire }) => wire.id ?? null,
    }),
    kind: t.field({
      type: JourneyNodeKindEnum,
      nullable: true,
      description: 'What the node does; null for a kind this API does not know yet (see `extra`).',
      resolve: ({ wire }) => known(NODE_KINDS, wire.kind),
    }),
    clientNodeId: t.string({
      nullable: true,
      description: 'Your own id of the node, unique within the journey.',
      resolve: ({ wire }) => wire.client_node_id ?? null,
    }),
    annotation: t.string({
      nullable: true,
      description: 'A free-text label (no effect on the journey).',
      resolve: ({ wire }) => wire.annotation ?? null,
    }),
    durationSeconds: t.int({
      nullable: true,
      description: 'WAIT: seconds users are held.',
      resolve: ({ wire }) => wire.duration_seconds ?? null,
    }),
    relativeTo: t.field({
      type: JourneyTimeAnchorEnum,
      nullable: true,
      description: 'TIME_WINDOW: what the hold is timed by.',
      resolve: ({ wire }) => known(['schedule_in_timezone', 'last_active_time'] as const, wire.relative_to),
    }),
    windows: t.field({
      type: [JourneyTimeWindowRef],
      nullable: true,
      description: 'TIME_WINDOW: the windows users pass in.',
      resolve: ({ wire }) => wire.windows ?? null,
    }),
    timeZone: t.string({
      nullable: true,
      description: 'TIME_WINDOW: IANA time zone used when the user’s is unknown.',
      resolve: ({ wire }) => wire.time_zone ?? null,
    }),
    useUserTimeZone: t.boolean({
      nullable: true,
      description: 'TIME_WINDOW: use the user’s time zone when known.',
      resolve: ({ wire }) => wire.use_user_time_zone ?? null,
    }),
    templateId: t.field({
      type: 'UUID',
      nullable: true,
      description: 'SEND_PUSH, SEND_EMAIL, SEND_SMS: the template sent.',
      resolve: ({ wire }) => wire.template_id ?? null,
    }),
    template: t.field({
      type: TemplateRef,
      nullable: true,
      description: 'The template sent (one view_template); null when none, or it no longer exists.',
      resolve: ({ wire, appId }, _a, ctx) =>
        wire.template_id
          ? orNull(ctx.loaders.template.load({ appId, id: wire.template_id.toLowerCase() }))
          : null,
    }),
    inAppMessageId: t.field({
      type: 'UUID',
      nullable: true,
      description: 'SEND_IAM: the in-app message shown.',
      resolve: ({ wire }) => wire.iam_id ?? null,
    }),
    inAppMessageTtlSeconds: t.int({
      nullable: true,
      description: 'SEND_IAM: how long the in-app message stays available, in seconds.',
      resolve: ({ wire }) => wire.user_ttl_seconds ?? null,
    }),
    webhookId: t.field({
      type: 'UUID',
      nullable: true,
      description: 'SEND_WEBHOOK: the webhook called.',
      resolve: ({ wire }) => wire.webhook_id ?? null,
    }),
    tagAssignments: t.field({
      type: [JourneyTagRef],
      nullable: true,
      description: 'TAG: the tags set (an empty value removes the tag).',
      resolve: ({ wire }) => (wire.assignments ? tagsOf(wire.assignments) : null),
    }),
    randomizeOnEntry: t.boolean({
      nullable: true,
      description: 'SPLIT_RANGE: assign each user a branch at random on entry.',
      resolve: ({ wire }) => wire.randomize_on_entry ?? null,
    }),
    branches: t.field({
      type: [JourneyBranchRef],
      nullable: true,
      description: 'SPLIT_RANGE, YES_NO, WAIT_UNTIL: the branches, each with its nodes.',
      resolve: ({ wire, appId }) => wire.branches?.map((b) => ({ wire: b, appId })) ?? null,
    }),
    expiration: t.field({
      type: JourneyWaitExpirationRef,
      nullable: true,
      description: 'WAIT_UNTIL: how long it waits; null: indefinitely.',
      resolve: ({ wire }) =>
        wire.expiration
          ? {
              durationSeconds: wire.expiration.duration_seconds ?? null,
              exits: wire.expiration.exits ?? null,
            }
          : null,
    }),
    extra: t.field({
      type: 'JSONObject',
      nullable: true,
      description: EXTRA,
      resolve: ({ wire }) =>
        extraOf(wire, [
          'id',
          'kind',
          'client_node_id',
          'annotation',
          'duration_seconds',
          'relative_to',
          'windows',
          'time_zone',
          'use_user_time_zone',
          'template_id',
          'iam_id',
          'user_ttl_seconds',
          'webhook_id',
          'assignments',
          'randomize_on_entry',
          'branches',
          'expiration',
        ]),
    }),
  }),
});
