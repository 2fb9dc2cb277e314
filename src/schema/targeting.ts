/**
 * Who a message reaches: the targeting inputs (segments, filters, aliases, subscription ids, the
 * channel), their validation and their wire fields, in one place. `notificationCreate` sends to a
 * targeting and `App.recipientEstimate` counts one; both read it here, so a target added or a rule
 * changed applies to both. It sits in schema/ rather than in notifications/ because
 * recipient-estimate.ts, outside that folder, uses it as much as the send does.
 */
import { type FieldProblem, ValidationError } from '../core/errors.js';
import { builder } from './builder.js';
import { FilterInput, type FilterInputShape, toWireFilters } from './segments/filters.js';

export const TargetChannelEnum = builder.enumType('TargetChannel', {
  description: 'Which channel a notification is sent through.',
  values: {
    PUSH: { value: 'push', description: 'Mobile and web push (the default).' },
    EMAIL: { value: 'email', description: 'Email; needs `emailSubject` and `emailBody` (or a template).' },
    SMS: { value: 'sms', description: 'SMS; uses `contents` as the message text.' },
  } as const,
});

export const AliasTargetInput = builder.inputType('AliasTargetInput', {
  description: 'Users to target by one alias label, e.g. `{ label: "external_id", ids: ["user-1"] }`.',
  fields: (t) => ({
    label: t.string({
      required: true,
      description: 'The alias label, e.g. `external_id` or `onesignal_id`.',
    }),
    ids: t.stringList({ required: true, description: 'Alias values, 1–2000.' }),
  }),
});

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type InputBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;

/**
 * The audience fields a send and an estimate both take, with the same names and descriptions. Each
 * adds its own `targetChannel` (worded for sending or counting); only a send takes subscription ids.
 */
export function audienceInputFields(t: InputBuilder) {
  return {
    includedSegments: t.stringList({ description: 'Target the subscribers of these segments (by name).' }),
    excludedSegments: t.stringList({ description: 'Leave out the subscribers of these segments (by name).' }),
    filters: t.field({ type: [FilterInput], description: 'Target subscribers matching these conditions.' }),
    includeAliases: t.field({ type: AliasTargetInput, description: 'Target these users by alias.' }),
  };
}

/** The most aliases or subscription ids one targeting may list (the `1–2000` of the field descriptions). */
const MAX_TARGET_IDS = 2000;

/** The targeting fields shared by `notificationCreate` and `App.recipientEstimate`, as wire fields. */
export interface NotificationTargetingShape {
  includedSegments?: string[] | null;
  excludedSegments?: string[] | null;
  filters?: FilterInputShape[] | null;
  includeAliases?: { label: string; ids: string[] } | null;
  includeSubscriptionIds?: string[] | null;
  targetChannel?: 'push' | 'email' | 'sms' | null;
}

/** Validates a targeting (problems under `input`) into its wire fields. */
export function targetingBody(
  input: NotificationTargetingShape,
  problems: FieldProblem[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const bySegments = Boolean(input.includedSegments?.length || input.filters?.length);
  const byIds = Boolean(input.includeAliases || input.includeSubscriptionIds);
  if (!bySegments && !byIds) {
    problems.push({
      path: ['input', 'includedSegments'],
      message: 'give a target: includedSegments, filters, includeAliases or includeSubscriptionIds.',
    });
  }
  if (bySegments && byIds) {
    problems.push({
      path: ['input', input.includeAliases ? 'includeAliases' : 'includeSubscriptionIds'],
      message: 'cannot be combined with includedSegments or filters.',
    });
  }
  if (input.includedSegments) {
    input.includedSegments.forEach((s, i) => {
      if (!s.trim())
        problems.push({
          path: ['input', 'includedSegments', String(i)],
          message: 'segment names must not be empty.',
        });
    });
    if (input.includedSegments.length) body.included_segments = input.includedSegments;
  }
  if (input.excludedSegments?.length) {
    if (!bySegments)
      problems.push({
        path: ['input', 'excludedSegments'],
        message: 'only applies with includedSegments or filters.',
      });
    body.excluded_segments = input.excludedSegments;
  }
  if (input.filters?.length) {
    try {
      body.filters = toWireFilters(input.filters, ['input', 'filters']);
    } catch (error) {
      if (error instanceof ValidationError) problems.push(...error.fields);
      else throw error;
    }
  }
  if (input.includeAliases) {
    const { label, ids } = input.includeAliases;
    if (!label.trim())
      problems.push({ path: ['input', 'includeAliases', 'label'], message: 'must not be empty.' });
    if (ids.length === 0 || ids.length > MAX_TARGET_IDS)
      problems.push({ path: ['input', 'includeAliases', 'ids'], message: `give 1–${MAX_TARGET_IDS} ids.` });
    if (ids.some((id) => !id.trim()))
      problems.push({ path: ['input', 'includeAliases', 'ids'], message: 'ids must not be empty.' });
    body.include_aliases = { [label]: ids };
  }
  if (input.includeSubscriptionIds) {
    const ids = input.includeSubscriptionIds;
    if (ids.length === 0 || ids.length > MAX_TARGET_IDS)
      problems.push({ path: ['input', 'includeSubscriptionIds'], message: `give 1–${MAX_TARGET_IDS} ids.` });
    body.include_subscription_ids = ids;
  }
  body.target_channel = input.targetChannel ?? 'push';
  return body;
}
