/**
 * Filters: the conditions that define a segment, also used to target notifications and estimate
 * recipients. Input (`FilterInput`, validated by `toWireFilters`) and output (`Filter`, as a segment's
 * definition reads back) share their enums.
 */
import { ValidationError } from '../../core/errors.js';
import type { WireFilter, WireFilterCondition, WireFilterOperator } from '../../onesignal/index.js';
import { builder } from '../builder.js';

export const FilterFieldEnum = builder.enumType('FilterField', {
  description: 'The subscriber property a filter condition tests.',
  values: {
    TAG: { value: 'tag', description: 'A data tag; `key` names the tag.' },
    LANGUAGE: { value: 'language', description: 'Language code of the device, e.g. `en`.' },
    COUNTRY: { value: 'country', description: 'ISO 3166-1 alpha-2 country code.' },
    SESSION_COUNT: { value: 'session_count', description: 'Number of sessions.' },
    SESSION_TIME: { value: 'session_time', description: 'Total seconds spent in the app.' },
    AMOUNT_SPENT: { value: 'amount_spent', description: 'Total amount spent in USD.' },
    BOUGHT_SKU: { value: 'bought_sku', description: 'Amount spent on the product whose SKU is `key`.' },
    FIRST_SESSION: { value: 'first_session', description: 'Hours since the first session.' },
    LAST_SESSION: { value: 'last_session', description: 'Hours since the last session.' },
    APP_VERSION: { value: 'app_version', description: 'App version string reported by the SDK.' },
    EMAIL: { value: 'email', description: 'Email address of an email subscription.' },
  } as const,
});

export const FilterRelationEnum = builder.enumType('FilterRelation', {
  description: 'How a filter condition compares the property with `value`.',
  values: {
    EQUALS: { value: '=', description: 'Equal to `value`.' },
    NOT_EQUALS: { value: '!=', description: 'Not equal to `value`.' },
    GREATER_THAN: { value: '>', description: 'Greater than `value` (numbers).' },
    LESS_THAN: { value: '<', description: 'Less than `value` (numbers).' },
    EXISTS: { value: 'exists', description: 'The property is set (no `value`).' },
    NOT_EXISTS: { value: 'not_exists', description: 'The property is not set (no `value`).' },
    TIME_ELAPSED_GREATER_THAN: {
      value: 'time_elapsed_gt',
      description:
        'More than `value` seconds have passed since the time in the property (tags holding unix times).',
    },
    TIME_ELAPSED_LESS_THAN: {
      value: 'time_elapsed_lt',
      description: 'Fewer than `value` seconds have passed since the time in the property.',
    },
  } as const,
});

type FilterFieldValue = (typeof FILTER_FIELD_VALUES)[number];
const FILTER_FIELD_VALUES = [
  'tag',
  'language',
  'country',
  'session_count',
  'session_time',
  'amount_spent',
  'bought_sku',
  'first_session',
  'last_session',
  'app_version',
  'email',
] as const;
const KNOWN_FIELDS = new Set<string>(FILTER_FIELD_VALUES);
const KNOWN_RELATIONS = new Set<string>([
  '=',
  '!=',
  '>',
  '<',
  'exists',
  'not_exists',
  'time_elapsed_gt',
  'time_elapsed_lt',
]);

export const FilterOperatorEnum = builder.enumType('FilterOperator', {
  description: 'Joins the filter conditions around it.',
  values: {
    AND: { value: 'AND', description: 'Both neighbours must match (the default between conditions).' },
    OR: { value: 'OR', description: 'Either the conditions before or the ones after must match.' },
  } as const,
});

export const FilterConditionInput = builder.inputType('FilterConditionInput', {
  description: 'One condition on a subscriber property.',
  fields: (t) => ({
    field: t.field({ type: FilterFieldEnum, required: true, description: 'The property to test.' }),
    key: t.string({
      description: 'Tag name (for TAG) or SKU (for BOUGHT_SKU); required for those, ignored otherwise.',
    }),
    relation: t.field({ type: FilterRelationEnum, required: true, description: 'How to compare.' }),
    value: t.string({
      description: 'The value to compare with; required unless the relation is EXISTS or NOT_EXISTS.',
    }),
  }),
});

export const FilterInput = builder.inputType('FilterInput', {
  description:
    'One item of a filter list: a condition, or an operator joining the conditions around it. Give exactly one.',
  isOneOf: true,
  fields: (t) => ({
    condition: t.field({ type: FilterConditionInput, description: 'A condition.' }),
    operator: t.field({
      type: FilterOperatorEnum,
      description: 'AND or OR between the neighbouring conditions.',
    }),
  }),
});

export interface FilterInputShape {
  condition?: { field: string; key?: string | null; relation: string; value?: string | null } | null;
  operator?: 'AND' | 'OR' | null;
}

const UNARY_RELATIONS = new Set(['exists', 'not_exists']);
const NUMERIC_FIELDS = new Set([
  'session_count',
  'session_time',
  'amount_spent',
  'bought_sku',
  'first_session',
  'last_session',
]);

/** Validates a filter list (collecting every problem) and builds the wire filters. */
export function toWireFilters(filters: readonly FilterInputShape[], path: string[]): WireFilter[] {
  const problems: { path: string[]; message: string }[] = [];
  const out: WireFilter[] = [];
  filters.forEach((item, i) => {
    const at = [...path, String(i)];
    if (item.operator) {
      if (i === 0 || i === filters.length - 1)
        problems.push({ path: [...at, 'operator'], message: 'an operator must sit between two conditions.' });
      else if (filters[i - 1]?.operator)
        problems.push({ path: [...at, 'operator'], message: 'two operators in a row.' });
      out.push({ operator: item.operator } as WireFilter);
      return;
    }
    const c = item.condition;
    if (!c) {
      problems.push({ path: at, message: 'give a condition or an operator.' });
      return;
    }
    const needsKey = c.field === 'tag' || c.field === 'bought_sku';
    if (needsKey && !c.key?.trim())
      problems.push({ path: [...at, 'condition', 'key'], message: `required for ${c.field.toUpperCase()}.` });
    const unary = UNARY_RELATIONS.has(c.relation);
    if (!unary && (c.value == null || c.value === ''))
      problems.push({ path: [...at, 'condition', 'value'], message: 'required for this relation.' });
    if (unary && c.value != null)
      problems.push({ path: [...at, 'condition', 'value'], message: 'EXISTS and NOT_EXISTS take no value.' });
    if (!unary && c.value && NUMERIC_FIELDS.has(c.field) && !Number.isFinite(Number(c.value))) {
      problems.push({
        path: [...at, 'condition', 'value'],
        message: `must be a number for ${c.field.toUpperCase()}.`,
      });
    }
    const wire: Record<string, string> = { field: c.field, relation: c.relation };
    if (needsKey && c.key) wire.key = c.key;
    if (!unary && c.value != null) wire.value = c.value;
    out.push(wire as unknown as WireFilter);
  });
  if (problems.length) throw new ValidationError(problems);
  return out;
}

// --- Filters as a segment defines them -----------------------------------------------------------

const FilterConditionRef = builder.objectRef<WireFilterCondition>('FilterCondition').implement({
  description: 'One condition of a segment definition.',
  fields: (t) => ({
    field: t.field({
      type: FilterFieldEnum,
      nullable: true,
      description:
        'The property tested; null when OneSignal uses one this API has no value for (see `fieldName`).',
      resolve: (c) => (KNOWN_FIELDS.has(c.field) ? (c.field as FilterFieldValue) : null),
    }),
    fieldName: t.string({
      description: 'The property tested, as OneSignal names it (`tag`, `language`, `session_count`, …).',
      resolve: (c) => c.field,
    }),
    key: t.string({
      nullable: true,
      description: 'Tag name (TAG) or SKU (BOUGHT_SKU); null otherwise.',
      resolve: (c) => c.key ?? null,
    }),
    relation: t.field({
      type: FilterRelationEnum,
      nullable: true,
      description: 'How the property is compared; null for a relation this API has no value for.',
      resolve: (c) => (KNOWN_RELATIONS.has(c.relation) ? c.relation : null),
    }),
    value: t.string({
      nullable: true,
      description: 'The value compared with; null for EXISTS and NOT_EXISTS.',
      resolve: (c) => (c.value == null ? null : String(c.value)),
    }),
  }),
});

const FilterJoinRef = builder.objectRef<WireFilterOperator>('FilterJoin').implement({
  description: 'An operator between the conditions around it in a segment definition.',
  fields: (t) => ({
    operator: t.field({
      type: FilterOperatorEnum,
      description: 'AND or OR.',
      resolve: (o) => o.operator,
    }),
  }),
});

export const FilterRef = builder.unionType('Filter', {
  description: 'One item of a segment definition: a condition, or an operator joining conditions.',
  types: [FilterConditionRef, FilterJoinRef],
  resolveType: (item) => ('operator' in item && item.operator ? FilterJoinRef : FilterConditionRef),
});
