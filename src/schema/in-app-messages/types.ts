/**
 * The `InAppMessage` node: a custom HTML in-app message of an app (OneSignal's current API), with its
 * status, schedule, audience and triggers typed, and what OneSignal documents loosely kept as JSON
 * beside them. A list gives summaries; the fields only view_in_app_message answers read it.
 */
import { appScopedId, parseLocalId } from '../../core/ids.js';
import type { LoadedInAppMessage } from '../../loaders/in-app-messages.js';
import type { WireTriggerCondition } from '../../onesignal/index.js';
import { AppRef, belongingApp } from '../apps.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { SegmentRef } from '../segments/types.js';
import { fromIso } from '../time.js';
import { orNull, upstream } from '../upstream-errors.js';

export const InAppMessageRef = builder.objectRef<LoadedInAppMessage>('InAppMessage');

/** Who may read in-app messages: readers, and writers (who read back what they wrote). */
export const IAM_READ_SCOPES = { 'inappmessages:read': true, 'inappmessages:write': true } as const;

export const InAppMessageStatusEnum = builder.enumType('InAppMessageStatus', {
  description: 'Where an in-app message is in its life.',
  values: {
    DRAFT: {
      description:
        'Saved as a draft: shown to no one until published (`inAppMessageUpdate` with `draft: false`).',
    },
    SCHEDULED: { description: 'Published; its start time has not come yet.' },
    ACTIVE: { description: 'Published and within its schedule: shown when its triggers hold.' },
    PAUSED: { description: 'Paused with `inAppMessagePause`: shown to no one, content and stats kept.' },
    ENDED: { description: 'Its end time has passed.' },
    UNKNOWN: { description: 'A status this API does not know yet; `extra` has what OneSignal said.' },
  } as const,
});

/** Wire status → enum value; anything else is UNKNOWN. */
export const STATUS: Record<string, (typeof InAppMessageStatusEnum)['$inferType']> = {
  draft: 'DRAFT',
  scheduled: 'SCHEDULED',
  active: 'ACTIVE',
  paused: 'PAUSED',
  ended: 'ENDED',
};

/** Trigger kinds by wire name: the reference shows `session_time`; the others are the SDK's. */
export const TRIGGER_KINDS = {
  SESSION_TIME: ['session_time', 'Seconds since the current app session began (`number`).'],
  TIME_SINCE_LAST_IN_APP: ['min_time_since', 'Seconds since the last in-app message was shown (`number`).'],
  CUSTOM: [
    'custom',
    'A trigger the app sets with the SDK (`addTrigger(property, value)`), compared with `value` or `number`.',
  ],
} as const;

export const InAppTriggerKindEnum = builder.enumType('InAppTriggerKind', {
  description: 'What a trigger condition looks at.',
  values: {
    ...Object.fromEntries(
      Object.entries(TRIGGER_KINDS).map(([name, [, description]]) => [name, { description }]),
    ),
    UNKNOWN: { description: 'A kind this API does not know yet (see `raw`). Not accepted as input.' },
  } as Record<keyof typeof TRIGGER_KINDS | 'UNKNOWN', { description: string }>,
});

export const TRIGGER_OPERATORS = {
  GREATER: ['greater', 'Greater than.'],
  LESS: ['less', 'Less than.'],
  GREATER_OR_EQUAL: ['greater_or_equal', 'Greater than or equal to.'],
  LESS_OR_EQUAL: ['less_or_equal', 'Less than or equal to.'],
  EQUAL: ['equal', 'Equal to.'],
  NOT_EQUAL: ['not_equal', 'Not equal to.'],
  EXISTS: ['exists', 'The custom trigger is set (any value). CUSTOM only.'],
  NOT_EXISTS: ['not_exists', 'The custom trigger is not set. CUSTOM only.'],
} as const;

export const InAppTriggerOperatorEnum = builder.enumType('InAppTriggerOperator', {
  description: 'How a trigger condition compares.',
  values: {
    ...Object.fromEntries(
      Object.entries(TRIGGER_OPERATORS).map(([name, [, description]]) => [name, { description }]),
    ),
    UNKNOWN: { description: 'An operator this API does not know yet (see `raw`). Not accepted as input.' },
  } as Record<keyof typeof TRIGGER_OPERATORS | 'UNKNOWN', { description: string }>,
});

const byWire = <T extends string>(table: Record<T, readonly [string, string]>, wire: string) =>
  (Object.entries(table) as [T, readonly [string, string]][]).find(([, [w]]) => w === wire)?.[0] ?? 'UNKNOWN';

const InAppTriggerConditionRef = builder.objectRef<WireTriggerCondition>('InAppTriggerCondition').implement({
  description: 'One condition of a trigger.',
  fields: (t) => ({
    kind: t.field({
      type: InAppTriggerKindEnum,
      description: 'What it looks at.',
      resolve: (c) => byWire(TRIGGER_KINDS, c.kind) as never,
    }),
    operator: t.field({
      type: InAppTriggerOperatorEnum,
      description: 'How it compares.',
      resolve: (c) => byWire(TRIGGER_OPERATORS, c.operator) as never,
    }),
    property: t.string({
      nullable: true,
      description: 'CUSTOM: the trigger key the app sets; null for the other kinds.',
      resolve: (c) => (typeof c.property === 'string' ? c.property : null),
    }),
    value: t.string({
      nullable: true,
      description:
        'The text compared with (a CUSTOM trigger given text or a boolean); null when it is a number or absent.',
      resolve: (c) => (typeof c.value === 'string' || typeof c.value === 'boolean' ? String(c.value) : null),
    }),
    number: t.float({
      nullable: true,
      description:
        'The number compared with: seconds for SESSION_TIME and TIME_SINCE_LAST_IN_APP; null when it is text or absent.',
      resolve: (c) => (typeof c.value === 'number' ? c.value : null),
    }),
    raw: t.field({
      type: 'JSONObject',
      description: 'The condition exactly as OneSignal answered it.',
      resolve: (c) => c as Record<string, unknown>,
    }),
  }),
});

const InAppTriggerRef = builder.objectRef<{ conditions?: WireTriggerCondition[] }>('InAppTrigger').implement({
  description:
    'A trigger: it holds when all of its conditions hold. A message shows when any of its triggers holds.',
  fields: (t) => ({
    conditions: t.field({
      type: [InAppTriggerConditionRef],
      description: 'Its conditions, all of which must hold (AND).',
      resolve: (tr) => tr.conditions ?? [],
    }),
  }),
});

/** The fields typed on `InAppMessage`; the rest of OneSignal's answer goes to `extra`. */
const TYPED = new Set([
  'id',
  'app_id',
  'name',
  'status',
  'html',
  'display_duration',
  'start_time',
  'end_time',
  'included_segment_ids',
  'excluded_segment_ids',
  'triggers',
  'redisplay',
  'created_at',
  'updated_at',
]);

/** The message with its HTML, audience and triggers: list answers carry summaries, so those read view_in_app_message. */
export async function whole(m: LoadedInAppMessage, ctx: Context): Promise<LoadedInAppMessage> {
  if (typeof m.html === 'string') return m;
  return upstream(ctx.loaders.inAppMessage.load({ appId: m.app_id.toLowerCase(), id: m.id.toLowerCase() }));
}

const segmentsOf = async (ctx: Context, appId: string, ids: readonly string[] | undefined) => {
  if (!ids?.length) return [];
  const all = await upstream(ctx.loaders.allSegments.load(appId.toLowerCase()));
  const wanted = new Set(ids.map((id) => id.toLowerCase()));
  return all.filter((s) => wanted.has(s.id.toLowerCase()));
};

builder.node(InAppMessageRef, {
  description:
    'A custom HTML in-app message of an app: shown full screen by the mobile SDK to its audience when one of its triggers holds, within its schedule.',
  authScopes: IAM_READ_SCOPES,
  id: { resolve: (m) => appScopedId(m.app_id, m.id), parse: (local) => parseLocalId(local, 'InAppMessage') },
  loadMany: (keys, ctx) => keys.map((key) => orNull(ctx.loaders.inAppMessage.load(key))),
  fields: (t) => ({
    oneSignalId: t.field({
      type: 'UUID',
      description: 'The in-app message id as OneSignal shows it (dashboard and REST).',
      resolve: (m) => m.id,
    }),
    name: t.string({
      description: 'Name of the message in the dashboard.',
      resolve: (m) => String(m.name ?? ''),
    }),
    status: t.field({
      type: InAppMessageStatusEnum,
      description: 'Where the message is in its life.',
      resolve: (m) => STATUS[String(m.status)] ?? 'UNKNOWN',
    }),
    startTime: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it starts showing; null when OneSignal gives none (a draft may have none).',
      resolve: (m) => fromIso(m.start_time),
    }),
    endTime: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it stops showing; null: no end.',
      resolve: (m) => fromIso(m.end_time),
    }),
    html: t.string({
      nullable: true,
      description:
        'The HTML document shown. Read with view_in_app_message when the message came from a list; null when OneSignal answers none.',
      resolve: async (m, _a, ctx) => (await whole(m, ctx)).html ?? null,
    }),
    displayDuration: t.int({
      nullable: true,
      description:
        "OneSignal's `display_duration` as stored (its examples send 0; the reference gives no unit).",
      resolve: async (m, _a, ctx) => (await whole(m, ctx)).display_duration ?? null,
    }),
    includedSegmentIds: t.field({
      type: ['UUID'],
      description: 'The segments it is shown to (empty: OneSignal decides the default audience).',
      resolve: async (m, _a, ctx) => (await whole(m, ctx)).included_segment_ids ?? [],
    }),
    excludedSegmentIds: t.field({
      type: ['UUID'],
      description: 'Segments it is never shown to.',
      resolve: async (m, _a, ctx) => (await whole(m, ctx)).excluded_segment_ids ?? [],
    }),
    includedSegments: t.field({
      type: [SegmentRef],
      description: "The segments of `includedSegmentIds` that still exist (reads the app's segments).",
      resolve: async (m, _a, ctx) => segmentsOf(ctx, m.app_id, (await whole(m, ctx)).included_segment_ids),
    }),
    excludedSegments: t.field({
      type: [SegmentRef],
      description: "The segments of `excludedSegmentIds` that still exist (reads the app's segments).",
      resolve: async (m, _a, ctx) => segmentsOf(ctx, m.app_id, (await whole(m, ctx)).excluded_segment_ids),
    }),
    triggers: t.field({
      type: [InAppTriggerRef],
      description: 'When it shows: any one trigger whose conditions all hold. Empty: none set.',
      resolve: async (m, _a, ctx) => (await whole(m, ctx)).triggers ?? [],
    }),
    redisplay: t.field({
      type: 'JSONObject',
      nullable: true,
      description:
        'How often it may show again, as OneSignal answers it (loosely documented); null when not set.',
      resolve: async (m, _a, ctx) => (await whole(m, ctx)).redisplay ?? null,
    }),
    extra: t.field({
      type: 'JSONObject',
      description:
        "The rest of OneSignal's answer: the fields typed here left out (empty when there are none).",
      resolve: async (m, _a, ctx) =>
        Object.fromEntries(Object.entries(await whole(m, ctx)).filter(([k]) => !TYPED.has(k))),
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was created.',
      resolve: (m) => fromIso(m.created_at),
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it last changed.',
      resolve: (m) => fromIso(m.updated_at),
    }),
    app: t.field({
      type: AppRef,
      description: 'The app the message belongs to.',
      resolve: (m, _a, ctx, info) => belongingApp(ctx, m.app_id, info),
    }),
  }),
});
