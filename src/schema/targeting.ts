/**
 * Who a message reaches: `NotificationTargetInput` (exactly one targeting mode: segments, filters,
 * aliases, subscription ids, email addresses or phone numbers), the channel, their validation and
 * their wire fields, and `NotificationTarget`, the same target as OneSignal returns it on a
 * notification. `notificationCreate` sends to a target and `App.recipientEstimate` counts one; both
 * read it here, so a target added or a rule changed applies to both. It sits in schema/ rather than
 * in notifications/ because recipient-estimate.ts, outside that folder, uses it as much as the send.
 */
import type { FieldProblem } from '../core/errors.js';
import { ValidationError } from '../core/errors.js';
import { builder } from './builder.js';
import { FilterInput, type FilterInputShape, FilterRef, toWireFilters } from './segments/filters.js';

export type TargetChannel = 'push' | 'email' | 'sms';

export const TargetChannelEnum = builder.enumType('TargetChannel', {
  description: 'Which channel a notification is sent through.',
  values: {
    PUSH: { value: 'push', description: 'Mobile and web push (the default).' },
    EMAIL: {
      value: 'email',
      description: 'Email; needs `email { subject body }` (or a template). Implied by `target.emails`.',
    },
    SMS: {
      value: 'sms',
      description: 'SMS; uses `contents` as the message text. Implied by `target.phoneNumbers`.',
    },
  } as const,
});

/**
 * The most ids, addresses or numbers one target may list. 2,000 is OneSignal v1.2.2's documented
 * figure (and its reference's for aliases and subscription ids). Its current docs allow 20,000 for
 * some lists, but 20,000 UUIDs are about 800 KB of JSON, over the 512 KiB request body limit
 * (LIMIT_MAX_BODY_BYTES), so a send that large could not reach us anyway: split it into sends of
 * 2,000.
 */
export const MAX_TARGET_IDS = 2000;
/** OneSignal: at most 200 filter entries, the "field" entries and the operators between them alike. */
export const MAX_FILTER_ENTRIES = 200;

export const AliasTargetInput = builder.inputType('AliasTargetInput', {
  description: 'Users to target by one alias label, e.g. `{ label: "external_id", ids: ["user-1"] }`.',
  fields: (t) => ({
    label: t.string({
      required: true,
      description: 'The alias label, e.g. `external_id` or `onesignal_id`.',
    }),
    ids: t.stringList({ required: true, description: `Alias values, 1–${MAX_TARGET_IDS}.` }),
  }),
});

export const SegmentTargetInput = builder.inputType('SegmentTargetInput', {
  description: 'Segments to target by name, and segments whose members never receive the message.',
  fields: (t) => ({
    include: t.stringList({
      required: true,
      description: 'Target the subscribers of these segments (at least one name).',
    }),
    exclude: t.stringList({
      description: 'Leave out the subscribers of these segments, even when an included segment has them.',
    }),
  }),
});

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type InputBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;

/**
 * The targeting modes every push audience takes (a send's and a push-to-start's): segments, filters,
 * aliases and subscription ids, described once.
 */
export const pushTargetModes = (t: InputBuilder) => ({
  segments: t.field({ type: SegmentTargetInput, description: 'Segments, by name.' }),
  filters: t.field({
    type: [FilterInput],
    description: `Subscribers matching these conditions: 1–${MAX_FILTER_ENTRIES} entries, operators included.`,
  }),
  aliases: t.field({ type: AliasTargetInput, description: 'Users, by alias (e.g. their external id).' }),
  subscriptionIds: t.field({
    type: ['UUID'],
    description: `Subscriptions, by id: 1–${MAX_TARGET_IDS}.`,
  }),
});

export const NotificationTargetInput = builder.inputType('NotificationTargetInput', {
  description:
    'Who a message reaches: exactly one targeting mode. OneSignal replaced device-token targeting (player ids, external user ids, push tokens) with subscription ids and aliases; this API offers only those.',
  isOneOf: true,
  fields: (t) => ({
    ...pushTargetModes(t),
    emails: t.field({
      type: ['EmailAddress'],
      description: `Email subscriptions, by address: 1–${MAX_TARGET_IDS}. Implies channel EMAIL.`,
    }),
    phoneNumbers: t.field({
      type: ['PhoneNumber'],
      description: `SMS subscriptions, by E.164 phone number (\`+15551234567\`): 1–${MAX_TARGET_IDS}. Implies channel SMS.`,
    }),
  }),
});

/** `NotificationTargetInput` as resolvers receive it: exactly one member is set. */
export interface NotificationTargetShape {
  segments?: { include: string[]; exclude?: string[] | null } | null;
  filters?: FilterInputShape[] | null;
  aliases?: { label: string; ids: string[] } | null;
  subscriptionIds?: string[] | null;
  emails?: string[] | null;
  phoneNumbers?: string[] | null;
}
type Member = keyof NotificationTargetShape;

/** The members that decide the channel by themselves. */
const IMPLIED_CHANNEL: Partial<Record<Member, TargetChannel>> = { emails: 'email', phoneNumbers: 'sms' };

/** The channel a send goes through: the one given, else the one its target implies, else push. */
export function resolveChannel(
  target: NotificationTargetShape | null | undefined,
  channel: TargetChannel | null | undefined,
): TargetChannel {
  if (channel) return channel;
  const member = target && givenMembers(target)[0];
  return (member && IMPLIED_CHANNEL[member]) || 'push';
}

const givenMembers = (target: NotificationTargetShape) =>
  (Object.keys(target) as Member[]).filter((m) => target[m] != null);

/** A list of 1–MAX_TARGET_IDS non-blank entries, as one wire field. */
function idList(wire: string) {
  return (ids: string[], at: string[], problems: FieldProblem[], body: Record<string, unknown>) => {
    if (ids.length === 0 || ids.length > MAX_TARGET_IDS)
      problems.push({ path: at, message: `give 1–${MAX_TARGET_IDS} entries (${ids.length} given).` });
    body[wire] = ids;
  };
}

type ToWire<T> = (value: T, at: string[], problems: FieldProblem[], body: Record<string, unknown>) => void;

/** Each member's checks and wire fields: the one input → wire table of a target. */
const MEMBERS: { [M in Member]-?: ToWire<NonNullable<NotificationTargetShape[M]>> } = {
  segments: ({ include, exclude }, at, problems, body) => {
    if (include.length === 0)
      problems.push({ path: [...at, 'include'], message: 'give at least one segment name.' });
    for (const [side, names] of [
      ['include', include],
      ['exclude', exclude ?? []],
    ] as const)
      names.forEach((name, i) => {
        if (!name.trim())
          problems.push({ path: [...at, side, String(i)], message: 'segment names must not be empty.' });
      });
    body.included_segments = include;
    if (exclude?.length) body.excluded_segments = exclude;
  },
  filters: (filters, at, problems, body) => {
    if (filters.length === 0 || filters.length > MAX_FILTER_ENTRIES)
      problems.push({
        path: at,
        message: `give 1–${MAX_FILTER_ENTRIES} entries, operators included (${filters.length} given).`,
      });
    try {
      body.filters = toWireFilters(filters, at);
    } catch (error) {
      if (error instanceof ValidationError) problems.push(...error.fields);
      else throw error;
    }
  },
  aliases: ({ label, ids }, at, problems, body) => {
    if (!label.trim()) problems.push({ path: [...at, 'label'], message: 'must not be empty.' });
    if (ids.length === 0 || ids.length > MAX_TARGET_IDS)
      problems.push({ path: [...at, 'ids'], message: `give 1–${MAX_TARGET_IDS} ids (${ids.length} given).` });
    if (ids.some((id) => !id.trim()))
      problems.push({ path: [...at, 'ids'], message: 'ids must not be empty.' });
    body.include_aliases = { [label]: ids };
  },
  subscriptionIds: idList('include_subscription_ids'),
  emails: idList('include_email_tokens'),
  phoneNumbers: idList('include_phone_numbers'),
};

/** Where a target's problems are reported: under `input` for a send, under the arguments for an estimate. */
export interface TargetPaths {
  target: string[];
  channel: string[];
}

/**
 * Validates a target and its channel into their wire fields (`target_channel` always: OneSignal
 * reads it with aliases and subscription ids, and it is harmless beside the rest). `allowed`: the
 * members this operation takes (an estimate takes fewer).
 */
export function targetBody(
  target: NotificationTargetShape,
  channel: TargetChannel | null | undefined,
  paths: TargetPaths,
  problems: FieldProblem[],
  allowed: readonly Member[] = Object.keys(MEMBERS) as Member[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const given = givenMembers(target);
  // `@oneOf` delivers exactly one member (every caller is a resolver), so the count is not checked here.
  for (const member of given) {
    if (!allowed.includes(member)) {
      problems.push({
        path: [...paths.target, member],
        message: `not available here: give one of ${allowed.join(', ')}.`,
      });
      continue;
    }
    (MEMBERS[member] as ToWire<unknown>)(target[member], [...paths.target, member], problems, body);
    const implied = IMPLIED_CHANNEL[member];
    if (implied && channel && channel !== implied)
      problems.push({
        path: paths.channel,
        message: `target.${member} sends ${implied.toUpperCase()}: give ${implied.toUpperCase()} or leave channel out.`,
      });
  }
  body.target_channel = resolveChannel(target, channel);
  return body;
}

// --- The target as OneSignal returns it -------------------------------------------------------------

/** A wire notification, read for its targeting fields. */
type WireTarget = Record<string, unknown>;

/** A wire list of strings; null when absent, empty or not a list (never an invented `[]`). */
function wireList(value: unknown): string[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  return value.map(String);
}

/** `include_aliases` (`{ label: ids }`) as one entry per label. */
function wireAliases(value: unknown): { label: string; ids: string[] }[] | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const out = Object.entries(value as Record<string, unknown>)
    .map(([label, ids]) => ({ label, ids: wireList(ids) ?? [] }))
    .filter((a) => a.ids.length > 0);
  return out.length ? out : null;
}

/** `target_channel` when it is one of the channels this API knows; null otherwise. */
export function channelFromWire(wire: WireTarget): TargetChannel | null {
  const channel = wire.target_channel;
  return channel === 'push' || channel === 'email' || channel === 'sms' ? channel : null;
}

const SegmentTargetRef = builder
  .objectRef<{ include: string[]; exclude: string[] | null }>('SegmentTarget')
  .implement({
    description: 'Segments a message targeted, by name.',
    fields: (t) => ({
      include: t.stringList({
        description: 'Segments targeted (`included_segments`).',
        resolve: (s) => s.include,
      }),
      exclude: t.stringList({
        nullable: true,
        description: 'Segments left out (`excluded_segments`); null when none were.',
        resolve: (s) => s.exclude,
      }),
    }),
  });

const AliasTargetRef = builder.objectRef<{ label: string; ids: string[] }>('AliasTarget').implement({
  description: 'Users a message targeted by one alias label.',
  fields: (t) => ({
    label: t.string({ description: 'The alias label, e.g. `external_id`.', resolve: (a) => a.label }),
    ids: t.stringList({ description: 'The alias values.', resolve: (a) => a.ids }),
  }),
});

/** Each output field of `NotificationTarget`, read from the wire notification (null: not returned). */
const TARGET_OUTPUT = {
  segments: (w: WireTarget) => {
    const include = wireList(w.included_segments);
    return include ? { include, exclude: wireList(w.excluded_segments) } : null;
  },
  filters: (w: WireTarget) => (Array.isArray(w.filters) && w.filters.length ? w.filters : null),
  aliases: (w: WireTarget) => wireAliases(w.include_aliases),
  subscriptionIds: (w: WireTarget) => wireList(w.include_subscription_ids),
  emails: (w: WireTarget) => wireList(w.include_email_tokens),
  phoneNumbers: (w: WireTarget) => wireList(w.include_phone_numbers),
};

/** Whether OneSignal returned any targeting field (`Notification.target` is null otherwise). */
export const targetPresent = (wire: WireTarget): boolean =>
  Object.values(TARGET_OUTPUT).some((read) => read(wire) !== null);

export const NotificationTargetRef = builder.objectRef<WireTarget>('NotificationTarget').implement({
  description:
    'Who a message was sent to, as OneSignal returns it: the same members as `NotificationTargetInput`, each null when OneSignal did not return it. The channel is `Notification.channel`, as it is `channel` beside `target` on the send.',
  fields: (t) => ({
    segments: t.field({
      type: SegmentTargetRef,
      nullable: true,
      description: 'Segments targeted and excluded.',
      resolve: TARGET_OUTPUT.segments,
    }),
    filters: t.field({
      type: [FilterRef],
      nullable: true,
      description: 'The filter list targeted.',
      resolve: (w) => TARGET_OUTPUT.filters(w) as never,
    }),
    aliases: t.field({
      type: [AliasTargetRef],
      nullable: true,
      description: 'Users targeted by alias, one entry per label (`include_aliases`).',
      resolve: TARGET_OUTPUT.aliases,
    }),
    subscriptionIds: t.stringList({
      nullable: true,
      description: 'Subscriptions targeted (`include_subscription_ids`).',
      resolve: TARGET_OUTPUT.subscriptionIds,
    }),
    emails: t.stringList({
      nullable: true,
      description: 'Email addresses targeted (`include_email_tokens`), as OneSignal returns them.',
      resolve: TARGET_OUTPUT.emails,
    }),
    phoneNumbers: t.stringList({
      nullable: true,
      description: 'Phone numbers targeted (`include_phone_numbers`), as OneSignal returns them.',
      resolve: TARGET_OUTPUT.phoneNumbers,
    }),
  }),
});
