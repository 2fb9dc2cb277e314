/**
 * What `inAppMessageCreate` and `inAppMessageUpdate` accept, and the one place their GraphQL names
 * meet create_in_app_message's and update_in_app_message's wire names. Triggers are typed inputs
 * with enums; validation collects every problem, with its path, before any upstream call.
 */
import { type FieldProblem, ValidationError } from '../../core/errors.js';
import { APP_REF_DESCRIPTION } from '../../core/ids.js';
import type { WireInAppMessageBody, WireTrigger, WireTriggerCondition } from '../../onesignal/index.js';
import { builder } from '../builder.js';
import { InAppTriggerKindEnum, InAppTriggerOperatorEnum, TRIGGER_KINDS, TRIGGER_OPERATORS } from './types.js';

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type InputBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;
type Kind = keyof typeof TRIGGER_KINDS | 'UNKNOWN';
type Operator = keyof typeof TRIGGER_OPERATORS | 'UNKNOWN';

interface ConditionShape {
  kind: Kind;
  operator: Operator;
  property?: string | null;
  value?: string | null;
  number?: number | null;
}

const InAppTriggerConditionInput = builder.inputRef<ConditionShape>('InAppTriggerConditionInput').implement({
  description:
    'One condition of a trigger. SESSION_TIME and TIME_SINCE_LAST_IN_APP compare `number` (seconds) with a comparison operator; CUSTOM compares the trigger `property` with `value` (text) or `number`, or tests it with EXISTS/NOT_EXISTS.',
  fields: (t) => ({
    kind: t.field({
      type: InAppTriggerKindEnum,
      required: true,
      description: 'What the condition looks at.',
    }),
    operator: t.field({ type: InAppTriggerOperatorEnum, required: true, description: 'How it compares.' }),
    property: t.string({ description: 'CUSTOM only, required there: the trigger key the app sets.' }),
    value: t.string({ description: 'CUSTOM only: the text to compare with (or give `number`).' }),
    number: t.float({
      description:
        'Seconds (at least 0) for SESSION_TIME and TIME_SINCE_LAST_IN_APP; for CUSTOM, a number to compare with.',
    }),
  }),
});

interface TriggerShape {
  conditions: ConditionShape[];
}

const InAppTriggerInput = builder.inputRef<TriggerShape>('InAppTriggerInput').implement({
  description: 'A trigger: it holds when all of its conditions hold; a message shows when any trigger holds.',
  fields: (t) => ({
    conditions: t.field({
      type: [InAppTriggerConditionInput],
      required: true,
      description: 'At least one condition; all must hold (AND).',
    }),
  }),
});

/** What create and update share, described for each. */
const contentFields = (t: InputBuilder, updating: boolean) => ({
  html: t.string({
    required: true,
    description: `The whole HTML document the SDK shows full screen (not empty).${updating ? ' Required: an update replaces the whole message.' : ''}`,
  }),
  displayDuration: t.int({
    description: updating
      ? "OneSignal's `display_duration` (0 or more; its examples send 0). Left out: not sent, and OneSignal keeps the stored one."
      : "OneSignal's `display_duration` (0 or more; its examples send 0), which create requires: left out, 0 is sent.",
  }),
  includedSegmentIds: t.field({
    type: ['UUID'],
    description: updating
      ? 'The segments to show it to. Left out: sent as none, since an update replaces the whole message.'
      : 'The segments to show it to.',
  }),
  excludedSegmentIds: t.field({
    type: ['UUID'],
    description: updating
      ? 'Segments never to show it to. Left out: sent as none.'
      : 'Segments never to show it to.',
  }),
});

/** The fields of `InAppMessageCreateInput`, in the order the schema lists them. */
export const inAppMessageCreateInputFields = (t: InputBuilder) => ({
  appId: t.id({ required: true, description: APP_REF_DESCRIPTION }),
  draft: t.boolean({
    defaultValue: false,
    description: 'true: save it as a draft, shown to no one until published; false (default): publish it.',
  }),
  name: t.string({ required: true, description: 'Name of the message in the dashboard (not empty).' }),
  ...contentFields(t, false),
  startTime: t.field({ type: 'DateTime', description: 'When it starts showing.' }),
  endTime: t.field({
    type: 'DateTime',
    description: 'When it stops showing (after `startTime`); left out: no end.',
  }),
  triggers: t.field({
    type: [InAppTriggerInput],
    description:
      "When it shows: any one trigger whose conditions all hold. Left out or empty: none (OneSignal's reference does not say when such a message shows).",
  }),
});

/** The fields of `InAppMessageUpdateInput`, in the order the schema lists them. */
export const inAppMessageUpdateInputFields = (t: InputBuilder) => ({
  id: t.id({ required: true, description: 'Global id of the in-app message to replace.' }),
  draft: t.boolean({
    required: true,
    description:
      'true: keep (or make) it a draft; false: publish it. Required: OneSignal takes it on every update.',
  }),
  name: t.string({ description: 'New name (not empty). Left out: not sent, and the stored one stays.' }),
  ...contentFields(t, true),
  startTime: t.field({
    type: 'DateTime',
    required: true,
    description: 'When it starts showing. Required: an update replaces the whole message.',
  }),
  endTime: t.field({
    type: 'DateTime',
    description:
      'When it stops showing (after `startTime`), or null for no end. Required, even as null: an update replaces the whole message, so leaving it out is refused rather than guessed.',
  }),
  triggers: t.field({
    type: [InAppTriggerInput],
    required: true,
    description:
      'When it shows (any one trigger whose conditions all hold); [] for none. Required: an update replaces the whole message.',
  }),
});

export interface InAppMessageInputShape {
  draft?: boolean | null;
  name?: string | null;
  html: string;
  displayDuration?: number | null;
  startTime?: Date | null;
  endTime?: Date | null;
  includedSegmentIds?: string[] | null;
  excludedSegmentIds?: string[] | null;
  triggers?: TriggerShape[] | null;
}

const COMPARISONS = new Set<Operator>([
  'GREATER',
  'LESS',
  'GREATER_OR_EQUAL',
  'LESS_OR_EQUAL',
  'EQUAL',
  'NOT_EQUAL',
]);

function toCondition(c: ConditionShape, at: string[], problems: FieldProblem[]): WireTriggerCondition | null {
  const problem = (field: string | null, message: string) =>
    problems.push({ path: field ? [...at, field] : at, message });
  const before = problems.length;
  if (c.kind === 'UNKNOWN') problem('kind', 'UNKNOWN is not accepted as input.');
  if (c.operator === 'UNKNOWN') problem('operator', 'UNKNOWN is not accepted as input.');
  if (c.number != null && !Number.isFinite(c.number)) problem('number', 'must be a finite number.');
  if (c.kind === 'SESSION_TIME' || c.kind === 'TIME_SINCE_LAST_IN_APP') {
    if (c.operator !== 'UNKNOWN' && !COMPARISONS.has(c.operator))
      problem('operator', `must compare seconds for ${c.kind} (not ${c.operator}).`);
    if (c.number == null) problem('number', `required for ${c.kind}: the seconds to compare with.`);
    else if (c.number < 0) problem('number', 'must be at least 0 seconds.');
    if (c.property != null) problem('property', `only applies to CUSTOM conditions.`);
    if (c.value != null) problem('value', `only applies to CUSTOM conditions; give seconds in \`number\`.`);
  } else if (c.kind === 'CUSTOM') {
    if (!c.property?.trim()) problem('property', 'required for CUSTOM: the trigger key the app sets.');
    const presence = c.operator === 'EXISTS' || c.operator === 'NOT_EXISTS';
    if (presence && (c.value != null || c.number != null))
      problem(null, `${c.operator} tests whether the trigger is set: give neither \`value\` nor \`number\`.`);
    if (!presence && c.operator !== 'UNKNOWN' && (c.value == null) === (c.number == null))
      problem(null, `give exactly one of \`value\` (text) or \`number\` to compare with.`);
  }
  if (problems.length > before || c.kind === 'UNKNOWN' || c.operator === 'UNKNOWN') return null;
  const wire: WireTriggerCondition = {
    kind: TRIGGER_KINDS[c.kind][0],
    operator: TRIGGER_OPERATORS[c.operator][0],
  };
  if (c.kind === 'CUSTOM') wire.property = c.property as string;
  const value = c.number ?? c.value;
  if (value != null) wire.value = value;
  return wire;
}

function toTriggers(triggers: TriggerShape[], problems: FieldProblem[]): WireTrigger[] {
  return triggers.map((trigger, i) => {
    const at = ['input', 'triggers', String(i)];
    if (trigger.conditions.length === 0)
      problems.push({ path: [...at, 'conditions'], message: 'give at least one condition.' });
    return {
      conditions: trigger.conditions.flatMap((c, j) => {
        const wire = toCondition(c, [...at, 'conditions', String(j)], problems);
        return wire ? [wire] : [];
      }),
    };
  });
}

/**
 * Validates a create or update input (every problem at once, before any upstream call) and builds
 * the wire body. An update sends `end_time` (null for none) and `triggers` always: OneSignal
 * requires them on every update.
 */
export function toInAppMessageBody(input: InAppMessageInputShape, updating: boolean): WireInAppMessageBody {
  const problems: FieldProblem[] = [];
  if (input.name != null && !input.name.trim())
    problems.push({ path: ['input', 'name'], message: 'must not be empty.' });
  if (!input.html.trim())
    problems.push({ path: ['input', 'html'], message: 'must not be empty: the message is its HTML.' });
  if (input.displayDuration != null && input.displayDuration < 0)
    problems.push({ path: ['input', 'displayDuration'], message: 'must be 0 or more.' });
  if (updating && !('endTime' in input))
    problems.push({
      path: ['input', 'endTime'],
      message: 'required: an update replaces the whole message; give null for no end.',
    });
  if (input.startTime && input.endTime && input.endTime.getTime() <= input.startTime.getTime())
    problems.push({ path: ['input', 'endTime'], message: 'must be after startTime.' });
  const triggers = input.triggers ? toTriggers(input.triggers, problems) : undefined;
  if (problems.length) throw new ValidationError(problems);

  const m: WireInAppMessageBody['in_app_message'] = { html: input.html };
  if (input.name != null) m.name = input.name;
  if (input.displayDuration != null) m.display_duration = input.displayDuration;
  else if (!updating) m.display_duration = 0;
  if (input.startTime) m.start_time = input.startTime.toISOString();
  if (updating || input.endTime) m.end_time = input.endTime ? input.endTime.toISOString() : null;
  if (input.includedSegmentIds || updating) m.included_segment_ids = input.includedSegmentIds ?? [];
  if (input.excludedSegmentIds || updating) m.excluded_segment_ids = input.excludedSegmentIds ?? [];
  if (triggers) m.triggers = triggers;
  return { is_draft: input.draft ?? false, in_app_message: m };
}
