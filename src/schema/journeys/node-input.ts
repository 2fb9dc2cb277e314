/**
 * What a journey node takes on input (`JourneyNodeInput`, the fields of `journeyNodeUpdate`), its
 * checks and its wire body. The limits are OneSignal's reference's (create-journey, JourneyNode):
 * WAIT 60 s to a year, annotations 255 characters, tag keys 255 and values 1,024, SPLIT_RANGE 2–20
 * branches weighing 100 in all, YES_NO exactly 2, WAIT_UNTIL 1–10, time windows of at least 15
 * minutes, days 1 (Monday) to 7. Every problem is reported with its path, before any upstream call.
 */
import type {
  WireJourneyCondition,
  WireJourneyEventOperator,
  WireJourneyNode,
  WireJourneyNodeKind,
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

export interface TimeInput {
  hour: number;
  minute?: number | null;
}
export interface WindowInput {
  dayOfWeek?: number | null;
  start: TimeInput;
  end: TimeInput;
}
export interface TagInput {
  key: string;
  value: string;
}
export interface AttributeInput {
  key: string;
  operator: WireJourneyEventOperator;
  value?: string | null;
}
export interface ConditionInput {
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
export interface BranchInput {
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
