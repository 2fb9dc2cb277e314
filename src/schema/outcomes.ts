import { type FieldProblem, ValidationError } from '../core/errors.js';
import type { OutcomeQuery } from '../loaders/apps.js';
import type { WireOutcome } from '../onesignal/index.js';
import { AppRef } from './apps.js';
import { builder } from './builder.js';
import { NotificationRef } from './notifications/types.js';
import { DeviceTypeEnum, type DeviceTypeName, deviceTypeToWire } from './players/index.js';
import { upstream } from './upstream-errors.js';

/**
 * OneSignal is retiring Custom Outcomes in favour of conversion metrics (custom events counted as
 * conversions, set up in its dashboard; no REST endpoint reads them yet). Its docs keep existing
 * Custom Outcome data readable as history, and view_outcomes is still in the current reference, so
 * these fields stay, without `@deprecated`: the built-in `os__` outcomes are still reported.
 */
const HISTORICAL =
  'OneSignal is retiring Custom Outcomes (names of your own, such as `Purchase`) in favour of conversion metrics over custom events (`customEventCreate`): theirs are historical data, which OneSignal keeps about 30 days. The built-in `os__click`, `os__confirmed_delivery` and `os__session_duration` are still reported.';

export const OutcomeAggregationEnum = builder.enumType('OutcomeAggregation', {
  description: 'How an outcome is totalled.',
  values: {
    SUM: { value: 'sum', description: 'Sum of the values reported with the outcome.' },
    COUNT: { value: 'count', description: 'Number of times the outcome was reported.' },
  } as const,
});

export const OutcomeTimeRangeEnum = builder.enumType('OutcomeTimeRange', {
  description: 'The period outcomes are totalled over, ending now.',
  values: {
    ONE_HOUR: { value: '1h', description: 'The last hour (the default).' },
    ONE_DAY: { value: '1d', description: 'The last day.' },
    ONE_MONTH: { value: '1mo', description: 'The last month.' },
  } as const,
});

export const OutcomeAttributionEnum = builder.enumType('OutcomeAttribution', {
  description: 'Which outcomes count, by their link to notifications.',
  values: {
    DIRECT: { value: 'direct', description: 'Reported in a session opened from a notification.' },
    INFLUENCED: { value: 'influenced', description: 'Reported shortly after a notification was received.' },
    UNATTRIBUTED: { value: 'unattributed', description: 'Not linked to any notification.' },
    TOTAL: { value: 'total', description: 'All of the above (the default).' },
  } as const,
});

export const OutcomeRef = builder.objectRef<WireOutcome>('Outcome').implement({
  authScopes: { 'notifications:read': true },
  description: `The total of one outcome: a built-in one such as clicks, or a Custom Outcome your app reported. ${HISTORICAL}`,
  fields: (t) => ({
    name: t.exposeString('id', {
      description: 'Outcome name: built in, e.g. `os__click` (clicks), or a Custom Outcome, e.g. `Purchase`.',
    }),
    aggregation: t.field({
      type: OutcomeAggregationEnum,
      description: 'How `value` was totalled.',
      resolve: (o) => o.aggregation,
    }),
    value: t.float({ description: 'The total.', resolve: (o) => o.value }),
  }),
});

export const OutcomeNameInput = builder.inputType('OutcomeNameInput', {
  description: 'An outcome to total, and how. Custom Outcomes (names of your own) are historical data.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Outcome name, e.g. `os__click` or `Purchase`.' }),
    aggregation: t.field({
      type: OutcomeAggregationEnum,
      required: true,
      description: 'SUM or COUNT (clicks, `os__click`, only support COUNT).',
    }),
  }),
});

interface OutcomeNameShape {
  name: string;
  aggregation: 'sum' | 'count';
}

const MAX_OUTCOME_NAMES = 100;

/** Validates outcome names and builds OneSignal's `name.aggregation` strings. */
function toOutcomeNames(names: readonly OutcomeNameShape[], path: string[]): string[] {
  const problems: FieldProblem[] = [];
  if (names.length === 0) problems.push({ path, message: 'give at least one outcome.' });
  if (names.length > MAX_OUTCOME_NAMES)
    problems.push({ path, message: `give at most ${MAX_OUTCOME_NAMES} outcomes.` });
  names.forEach((n, i) => {
    if (!n.name.trim()) problems.push({ path: [...path, String(i), 'name'], message: 'must not be empty.' });
    // OneSignal splits the list on commas and the aggregation on the last dot.
    else if (/[,.]/.test(n.name))
      problems.push({ path: [...path, String(i), 'name'], message: 'must not contain "," or ".".' });
    if (n.name === 'os__click' && n.aggregation === 'sum') {
      problems.push({
        path: [...path, String(i), 'aggregation'],
        message: 'clicks (os__click) only support COUNT.',
      });
    }
  });
  if (problems.length) throw new ValidationError(problems);
  return names.map((n) => `${n.name}.${n.aggregation}`);
}

builder.objectField(AppRef, 'outcomes', (t) =>
  t.field({
    type: [OutcomeRef],
    skipTypeScopes: true,
    authScopes: { 'notifications:read': true },
    description: `Totals of the app's outcomes over a time range, in the order asked. ${HISTORICAL}`,
    args: {
      names: t.arg({
        type: [OutcomeNameInput],
        required: true,
        description: 'The outcomes to total, 1–100.',
      }),
      timeRange: t.arg({ type: OutcomeTimeRangeEnum, description: 'The period; ONE_HOUR when omitted.' }),
      platforms: t.arg({
        type: [DeviceTypeEnum],
        description: 'Only outcomes from these platforms; all when omitted.',
      }),
      attribution: t.arg({
        type: OutcomeAttributionEnum,
        description: 'Which outcomes count; TOTAL when omitted.',
      }),
    },
    resolve: (app, args, ctx) => {
      const query: OutcomeQuery = {
        appId: app.id.toLowerCase(),
        outcomeNames: toOutcomeNames(args.names, ['outcomes', 'names']),
      };
      if (args.timeRange) query.timeRange = args.timeRange;
      if (args.attribution) query.attribution = args.attribution;
      if (args.platforms) {
        if (args.platforms.length === 0)
          throw ValidationError.field(
            ['outcomes', 'platforms'],
            'give at least one platform, or leave it out.',
          );
        if (args.platforms.includes('UNKNOWN'))
          throw ValidationError.field(['outcomes', 'platforms'], 'UNKNOWN is not a platform.');
        query.platforms = args.platforms.map((p) =>
          deviceTypeToWire(p as Exclude<DeviceTypeName, 'UNKNOWN'>),
        );
      }
      return upstream(ctx.loaders.outcomes.load(query));
    },
  }),
);

builder.objectField(NotificationRef, 'outcomes', (t) =>
  t.field({
    type: [OutcomeRef],
    description: `Outcomes attributed to this notification, as OneSignal reports them with it (no extra request). ${HISTORICAL}`,
    args: {
      names: t.arg.stringList({
        description: 'Only these outcome names (e.g. `os__click`); all when omitted.',
      }),
    },
    resolve: (n, { names }) => {
      const outcomes = n.outcomes ?? [];
      return names ? outcomes.filter((o) => names.includes(o.id)) : outcomes;
    },
  }),
);
