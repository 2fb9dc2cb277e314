/**
 * Filters: the conditions that define a segment, also used to target notifications and estimate
 * recipients. Input (`FilterInput`, validated by `toWireFilters`) and output (`Filter`, as a segment's
 * definition or a notification's target reads back) share their enums. What each field takes (its
 * relations, `key`, `value` or `hoursAgo`) follows OneSignal's "Configure how messages are delivered"
 * reference, in `FIELD_RULES`.
 */
import { type FieldProblem, ValidationError } from '../../core/errors.js';
import type {
  WireFilter,
  WireFilterCondition,
  WireFilterLocation,
  WireFilterOperator,
} from '../../onesignal/index.js';
import { builder } from '../builder.js';

export const FilterFieldEnum = builder.enumType('FilterField', {
  description: 'The subscriber property a filter condition tests.',
  values: {
    TAG: { value: 'tag', description: 'A data tag; `key` names the tag.' },
    LANGUAGE: {
      value: 'language',
      description: 'Language code of the device, e.g. `en` (EQUALS, NOT_EQUALS).',
    },
    COUNTRY: { value: 'country', description: 'ISO 3166-1 alpha-2 country code.' },
    SESSION_COUNT: { value: 'session_count', description: 'Number of sessions.' },
    SESSION_TIME: {
      value: 'session_time',
      description: 'Total seconds spent in the app (GREATER_THAN, LESS_THAN).',
    },
    AMOUNT_SPENT: {
      value: 'amount_spent',
      description: 'Total amount spent in USD on in-app purchases (GREATER_THAN, LESS_THAN, EQUALS).',
    },
    BOUGHT_SKU: {
      value: 'bought_sku',
      description: 'Amount spent on the product whose SKU is `key` (GREATER_THAN, LESS_THAN, EQUALS).',
    },
    FIRST_SESSION: {
      value: 'first_session',
      description: 'Hours since the first session: compared with `hoursAgo` (GREATER_THAN, LESS_THAN).',
    },
    LAST_SESSION: {
      value: 'last_session',
      description: 'Hours since the last session: compared with `hoursAgo` (GREATER_THAN, LESS_THAN).',
    },
    APP_VERSION: { value: 'app_version', description: 'App version string reported by the SDK.' },
    EMAIL: { value: 'email', description: 'Email address of an email subscription.' },
  } as const,
});

export const FilterRelationEnum = builder.enumType('FilterRelation', {
  description: 'How a filter condition compares the property with `value` (or `hoursAgo`).',
  values: {
    EQUALS: { value: '=', description: 'Equal to `value`.' },
    NOT_EQUALS: { value: '!=', description: 'Not equal to `value`.' },
    GREATER_THAN: { value: '>', description: 'Greater than `value` (numbers) or `hoursAgo`.' },
    LESS_THAN: { value: '<', description: 'Less than `value` (numbers) or `hoursAgo`.' },
    EXISTS: {
      value: 'exists',
      description: 'The property is set (no `value`); OneSignal documents it for TAG.',
    },
    NOT_EXISTS: {
      value: 'not_exists',
      description: 'The property is not set (no `value`); OneSignal documents it for TAG.',
    },
    TIME_ELAPSED_GREATER_THAN: {
      value: 'time_elapsed_gt',
      description:
        'TAG only: more than `value` seconds have passed since the unix time the tag holds (a paid OneSignal plan).',
    },
    TIME_ELAPSED_LESS_THAN: {
      value: 'time_elapsed_lt',
      description:
        'TAG only: fewer than `value` seconds have passed since the unix time the tag holds (a paid OneSignal plan).',
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
const ALL_RELATIONS = [
  '=',
  '!=',
  '>',
  '<',
  'exists',
  'not_exists',
  'time_elapsed_gt',
  'time_elapsed_lt',
] as const;
const KNOWN_RELATIONS = new Set<string>(ALL_RELATIONS);

/** What one field takes, as OneSignal's reference lists it per filter field. */
interface FieldRule {
  relations: readonly string[];
  /** `key` is required (a tag name, a SKU). */
  key?: boolean;
  /** Compared with `hours_ago`, never `value`. */
  hoursAgo?: boolean;
  /** `value` must be a number. */
  numeric?: boolean;
}

const FIELD_RULES: Record<FilterFieldValue, FieldRule> = {
  tag: { relations: ALL_RELATIONS, key: true },
  last_session: { relations: ['>', '<'], hoursAgo: true },
  first_session: { relations: ['>', '<'], hoursAgo: true },
  session_count: { relations: ['>', '<', '=', '!='], numeric: true },
  session_time: { relations: ['>', '<'], numeric: true },
  language: { relations: ['=', '!='] },
  app_version: { relations: ['>', '<', '=', '!='] },
  amount_spent: { relations: ['>', '<', '='], numeric: true },
  bought_sku: { relations: ['>', '<', '='], key: true, numeric: true },
  // Not among the reference's filter fields (OneSignal's segment editor offers them): as before, any
  // relation, so a definition that worked keeps working.
  country: { relations: ALL_RELATIONS },
  email: { relations: ALL_RELATIONS },
};

const RELATION_NAMES: Record<string, string> = {
  '=': 'EQUALS',
  '!=': 'NOT_EQUALS',
  '>': 'GREATER_THAN',
  '<': 'LESS_THAN',
  exists: 'EXISTS',
  not_exists: 'NOT_EXISTS',
  time_elapsed_gt: 'TIME_ELAPSED_GREATER_THAN',
  time_elapsed_lt: 'TIME_ELAPSED_LESS_THAN',
};

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
      description:
        'The value to compare with; required unless the relation is EXISTS or NOT_EXISTS, and not taken by LAST_SESSION or FIRST_SESSION (they take `hoursAgo`).',
    }),
    hoursAgo: t.float({
      description:
        'LAST_SESSION and FIRST_SESSION only, and required for them: the hours to compare the time since that session with, e.g. 1.5 (sent as `hours_ago`).',
    }),
  }),
});

export const LocationFilterInput = builder.inputType('LocationFilterInput', {
  description:
    'Subscriptions whose device last reported a location within a circle (location tracking on and accepted by the user).',
  fields: (t) => ({
    radiusMeters: t.float({ required: true, description: 'Radius of the circle, in meters (above 0).' }),
    latitude: t.float({ required: true, description: 'Latitude of its centre, −90 to 90.' }),
    longitude: t.float({ required: true, description: 'Longitude of its centre, −180 to 180.' }),
  }),
});

export const FilterInput = builder.inputType('FilterInput', {
  description:
    'One item of a filter list: a condition, a location, or an operator joining the conditions around it. Give exactly one.',
  isOneOf: true,
  fields: (t) => ({
    condition: t.field({ type: FilterConditionInput, description: 'A condition.' }),
    location: t.field({ type: LocationFilterInput, description: 'A location condition.' }),
    operator: t.field({
      type: FilterOperatorEnum,
      description: 'AND or OR between the neighbouring conditions.',
    }),
  }),
});

export interface FilterInputShape {
  condition?: {
    field: string;
    key?: string | null;
    relation: string;
    value?: string | null;
    hoursAgo?: number | null;
  } | null;
  location?: { radiusMeters: number; latitude: number; longitude: number } | null;
  operator?: 'AND' | 'OR' | null;
}

const UNARY_RELATIONS = new Set(['exists', 'not_exists']);

/** Validates a filter list (collecting every problem) and builds the wire filters. */
export function toWireFilters(filters: readonly FilterInputShape[], path: string[]): WireFilter[] {
  const problems: FieldProblem[] = [];
  const out: WireFilter[] = [];
  filters.forEach((item, i) => {
    const at = [...path, String(i)];
    if (item.operator) {
      if (i === 0 || i === filters.length - 1)
        problems.push({ path: [...at, 'operator'], message: 'an operator must sit between two conditions.' });
      else if (filters[i - 1]?.operator)
        problems.push({ path: [...at, 'operator'], message: 'two operators in a row.' });
      out.push({ operator: item.operator });
      return;
    }
    if (item.location) {
      out.push(locationToWire(item.location, [...at, 'location'], problems));
      return;
    }
    // `@oneOf`: neither an operator nor a location, so a condition (every caller is a resolver).
    out.push(
      conditionToWire(
        item.condition as NonNullable<FilterInputShape['condition']>,
        [...at, 'condition'],
        problems,
      ),
    );
  });
  if (problems.length) throw new ValidationError(problems);
  return out;
}

function conditionToWire(
  c: NonNullable<FilterInputShape['condition']>,
  at: string[],
  problems: FieldProblem[],
): WireFilterCondition {
  const field = c.field.toUpperCase();
  const rule: FieldRule = FIELD_RULES[c.field as FilterFieldValue] ?? { relations: ALL_RELATIONS };
  if (!rule.relations.includes(c.relation))
    problems.push({
      path: [...at, 'relation'],
      message: `${field} takes ${rule.relations.map((r) => RELATION_NAMES[r]).join(', ')}.`,
    });
  if (rule.key && !c.key?.trim()) problems.push({ path: [...at, 'key'], message: `required for ${field}.` });
  const wire: Record<string, string> = { field: c.field, relation: c.relation };
  if (rule.key && c.key) wire.key = c.key;

  if (rule.hoursAgo) {
    if (c.value != null)
      problems.push({ path: [...at, 'value'], message: `${field} takes hoursAgo, not value.` });
    if (c.hoursAgo == null)
      problems.push({ path: [...at, 'hoursAgo'], message: `required for ${field} (hours, e.g. 1.5).` });
    else if (c.hoursAgo < 0) problems.push({ path: [...at, 'hoursAgo'], message: 'must not be negative.' });
    // OneSignal's reference writes hours as a string ("1.1"), as it does every filter operand.
    if (c.hoursAgo != null) wire.hours_ago = String(c.hoursAgo);
    return wire as unknown as WireFilterCondition;
  }
  if (c.hoursAgo != null)
    problems.push({ path: [...at, 'hoursAgo'], message: 'only for LAST_SESSION and FIRST_SESSION.' });
  const unary = UNARY_RELATIONS.has(c.relation);
  if (!unary && (c.value == null || c.value === ''))
    problems.push({ path: [...at, 'value'], message: 'required for this relation.' });
  if (unary && c.value != null)
    problems.push({ path: [...at, 'value'], message: 'EXISTS and NOT_EXISTS take no value.' });
  if (!unary && c.value && rule.numeric && !Number.isFinite(Number(c.value)))
    problems.push({ path: [...at, 'value'], message: `must be a number for ${field}.` });
  if (!unary && c.value != null) wire.value = c.value;
  return wire as unknown as WireFilterCondition;
}

function locationToWire(
  l: NonNullable<FilterInputShape['location']>,
  at: string[],
  problems: FieldProblem[],
): WireFilterLocation {
  if (!(l.radiusMeters > 0)) problems.push({ path: [...at, 'radiusMeters'], message: 'must be above 0.' });
  if (Math.abs(l.latitude) > 90)
    problems.push({ path: [...at, 'latitude'], message: 'must be between -90 and 90.' });
  if (Math.abs(l.longitude) > 180)
    problems.push({ path: [...at, 'longitude'], message: 'must be between -180 and 180.' });
  // Strings, as OneSignal's reference shows them: `{"field":"location","radius":"1000",…}`.
  return {
    field: 'location',
    radius: String(l.radiusMeters),
    lat: String(l.latitude),
    long: String(l.longitude),
  };
}

// --- Filters as a segment defines them (and a notification's target reads back) ------------------

/** A wire number that may arrive as a string (`"1.1"`); null when absent or not a number. */
function wireNumber(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

const FilterConditionRef = builder.objectRef<WireFilterCondition>('FilterCondition').implement({
  description: 'One condition of a filter list.',
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
      description:
        'The value compared with; null for EXISTS and NOT_EXISTS, and for LAST_SESSION and FIRST_SESSION.',
      resolve: (c) => (c.value == null ? null : String(c.value)),
    }),
    hoursAgo: t.float({
      nullable: true,
      description: 'The hours LAST_SESSION and FIRST_SESSION compare with (`hours_ago`); null otherwise.',
      resolve: (c) => wireNumber(c.hours_ago),
    }),
  }),
});

const FilterLocationRef = builder.objectRef<WireFilterLocation>('FilterLocation').implement({
  description:
    'A location condition of a filter list: devices within a circle. Each value is null when OneSignal did not return it as a number.',
  fields: (t) => ({
    radiusMeters: t.float({
      nullable: true,
      description: 'Radius of the circle, in meters (`radius`).',
      resolve: (l) => wireNumber(l.radius),
    }),
    latitude: t.float({
      nullable: true,
      description: 'Latitude of its centre (`lat`).',
      resolve: (l) => wireNumber(l.lat),
    }),
    longitude: t.float({
      nullable: true,
      description: 'Longitude of its centre (`long`).',
      resolve: (l) => wireNumber(l.long),
    }),
  }),
});

const FilterJoinRef = builder.objectRef<WireFilterOperator>('FilterJoin').implement({
  description: 'An operator between the conditions around it in a filter list.',
  fields: (t) => ({
    operator: t.field({
      type: FilterOperatorEnum,
      description: 'AND or OR.',
      resolve: (o) => o.operator,
    }),
  }),
});

export const FilterRef = builder.unionType('Filter', {
  description:
    'One item of a filter list (a segment definition, a notification target): a condition, a location, or an operator joining them.',
  types: [FilterConditionRef, FilterLocationRef, FilterJoinRef],
  resolveType: (item) => {
    if ('operator' in item && item.operator) return FilterJoinRef;
    return 'field' in item && item.field === 'location' ? FilterLocationRef : FilterConditionRef;
  },
});
