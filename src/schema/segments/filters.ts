import { NotFoundError, ValidationError } from '../../core/errors.js';
import {
  APP_REF_DESCRIPTION,
  type AppScopedKey,
  appScopedId,
  encodeNodeId,
  parseAppRef,
  parseLocalId,
  parseNodeId,
} from '../../core/ids.js';
import type { LoadedSegment } from '../../loaders/segments.js';
import type {
  WireFilter,
  WireFilterCondition,
  WireFilterOperator,
  WireSegmentUpdateBody,
} from '../../onesignal/index.js';
import { AppRef, belongingApp, registerAppFieldPrefetch, requireApp } from '../apps.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { mutationResult, UPSTREAM_ERRORS_WITH_CONFLICT } from '../error-types.js';
import { offsetConnection, offsetPage, totalCountOf } from '../pagination.js';
import { fromIso } from '../time.js';
import { orNull, upstream } from '../upstream-errors.js';

export const SegmentRef = builder.objectRef<LoadedSegment>('Segment');

// --- Filters, shared by segments and notification targeting -------------------------------------

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

// --- Segment ---------------------------------------------------------------------------------------

const segmentDetail = (seg: LoadedSegment, ctx: Context) =>
  upstream(ctx.loaders.segmentDetail.load({ appId: seg.app_id.toLowerCase(), id: seg.id.toLowerCase() }));

builder.node(SegmentRef, {
  authScopes: { 'apps:read': true },
  description: 'A saved audience of an app, defined by filters.',
  id: { resolve: (s) => appScopedId(s.app_id, s.id), parse: (local) => parseLocalId(local, 'Segment') },
  // OneSignal cannot read one segment by id: refetching goes through the app's segment list.
  loadMany: (keys, ctx) =>
    keys.map(async (key) => {
      const segments = await orNull(ctx.loaders.allSegments.load(key.appId));
      return segments?.find((s) => s.id === key.id) ?? null;
    }),
  fields: (t) => ({
    oneSignalId: t.field({
      type: 'UUID',
      description: 'The segment id as OneSignal shows it.',
      resolve: (s) => s.id,
    }),
    name: t.exposeString('name', { description: 'Name of the segment, used to target notifications.' }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the segment was created.',
      resolve: (s) => fromIso(s.created_at),
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the segment last changed.',
      resolve: (s) => fromIso(s.updated_at),
    }),
    readOnly: t.boolean({
      description: 'True for segments OneSignal manages (e.g. "Subscribed Users"); they cannot be deleted.',
      resolve: (s) => s.read_only ?? false,
    }),
    active: t.boolean({
      description: 'True when the segment can be targeted.',
      resolve: (s) => s.is_active ?? true,
    }),
    filters: t.field({
      type: [FilterRef],
      description:
        'The definition: conditions joined by operators (empty for built-in segments). Reads the segment with its detail (`get_segment`), once per segment and request.',
      resolve: async (seg, _a, ctx) => (await segmentDetail(seg, ctx)).payload.filters ?? [],
    }),
    description: t.string({
      nullable: true,
      description: 'The description given to the segment; null when it has none.',
      resolve: async (seg, _a, ctx) => (await segmentDetail(seg, ctx)).payload.description || null,
    }),
    subscriberCount: t.int({
      nullable: true,
      description: 'Subscriptions in the segment now, as OneSignal counts them; null when it does not say.',
      resolve: async (seg, _a, ctx) => (await segmentDetail(seg, ctx)).subscriber_count ?? null,
    }),
    app: t.field({
      type: AppRef,
      description: 'The app the segment belongs to.',
      resolve: (s, _a, ctx, info) => belongingApp(ctx, s.app_id, info),
    }),
  }),
});

export const SegmentConnectionRef = builder.connectionObject(
  {
    type: SegmentRef,
    name: 'SegmentConnection',
    description: 'A page of segments.',
    fields: (t) => ({
      totalCount: t.int({
        description: 'Number of segments of the app.',
        resolve: totalCountOf,
      }),
    }),
  },
  { name: 'SegmentEdge', description: 'A segment with its cursor.' },
);

const SEGMENT_PAGE_MAX = 300;

/** The `segmentPage` key of `App.segments`, shared by its prefetch and its resolver. */
const segmentPageKey = (appId: string, args: { first?: number | null; after?: string | null }) => ({
  appId: appId.toLowerCase(),
  ...offsetPage(args, { max: SEGMENT_PAGE_MAX, path: ['segments'] }),
});

registerAppFieldPrefetch('segments', (appId, args, ctx) => {
  ctx.loaders.segmentPage.load(segmentPageKey(appId, args)).catch(() => {});
});

builder.objectField(AppRef, 'segments', (t) =>
  t.field({
    type: SegmentConnectionRef,
    description: `The app's segments, in OneSignal's order; one page is one upstream request (at most ${SEGMENT_PAGE_MAX}).`,
    args: {
      first: t.arg.int({
        description: `How many segments to return, 1–${SEGMENT_PAGE_MAX} (default ${SEGMENT_PAGE_MAX}).`,
      }),
      after: t.arg.string({ description: 'Return segments after this cursor.' }),
    },
    resolve: async (app, args, ctx) => {
      const key = segmentPageKey(app.id, args);
      const slice = await upstream(ctx.loaders.segmentPage.load(key));
      return offsetConnection(slice.segments, key, slice.total_count ?? slice.segments.length);
    },
  }),
);

// --- Mutations -------------------------------------------------------------------------------------

const SegmentCreatePayload = builder.objectRef<AppScopedKey>('SegmentCreatePayload').implement({
  description: 'The result of `segmentCreate`.',
  fields: (t) => ({
    segment: t.field({
      type: SegmentRef,
      description: 'The new segment, as OneSignal lists it (read when selected).',
      resolve: async (key, _a, ctx) => {
        const segments = await upstream(ctx.loaders.allSegments.load(key.appId));
        const found = segments.find((s) => s.id === key.id);
        if (!found)
          throw new NotFoundError(
            `Segment ${key.id} was created but OneSignal does not list it yet; query it again shortly.`,
          );
        return found;
      },
    }),
    oneSignalId: t.field({
      type: 'UUID',
      description: 'The new segment id as OneSignal shows it.',
      resolve: (key) => key.id,
    }),
  }),
});

const SegmentDeletePayload = builder.simpleObject('SegmentDeletePayload', {
  description: 'The result of `segmentDelete`.',
  fields: (t) => ({
    deletedSegmentId: t.id({
      description: 'Global id of the deleted segment, to evict it from client caches.',
    }),
    app: t.field({ type: AppRef, description: 'The app the segment belonged to.' }),
  }),
});

const SegmentUpdatePayload = builder.objectRef<AppScopedKey>('SegmentUpdatePayload').implement({
  description: 'The result of `segmentUpdate`.',
  fields: (t) => ({
    segment: t.field({
      type: SegmentRef,
      description: 'The segment as OneSignal lists it now (read when selected).',
      resolve: async (key, _a, ctx) => {
        const segments = await upstream(ctx.loaders.allSegments.load(key.appId));
        const found = segments.find((s) => s.id.toLowerCase() === key.id);
        if (!found) throw new NotFoundError(`Segment ${key.id} is no longer listed by OneSignal.`);
        return found;
      },
    }),
  }),
});

builder.mutationFields((t) => ({
  segmentUpdate: t.fieldWithInput({
    authScopes: { 'segments:write': true },
    description:
      'Changes a segment (needs the app REST API key): `filters`, when given, replace its whole definition. Read-only segments cannot be changed.',
    type: SegmentUpdatePayload,
    input: {
      id: t.input.id({ required: true, description: 'Global id of the segment to change.' }),
      name: t.input.string({
        description: 'New name, unique within the app. Left out: the current name (read with `get_segment`).',
      }),
      description: t.input.string({ description: 'New description.' }),
      filters: t.input.field({
        type: [FilterInput],
        description:
          'The new definition, replacing the old one: conditions joined with AND unless an OR sits between them.',
      }),
    },
    typeOptions: { description: 'Input of `segmentUpdate`.' },
    errors: mutationResult('segmentUpdate', UPSTREAM_ERRORS_WITH_CONFLICT),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Segment', ['input', 'id']);
      const body = toSegmentUpdateBody(input);
      // OneSignal requires the name on every update: keep the current one when none is given.
      const name = body.name ?? (await upstream(ctx.loaders.segmentDetail.load(key))).payload.name;
      await upstream(ctx.client.segments.update(key.appId, key.id, { ...body, name }));
      ctx.loaders.segmentPage.clearAll();
      ctx.loaders.allSegments.clear(key.appId);
      ctx.loaders.segmentDetail.clear(key);
      return key;
    },
  }),
  segmentCreate: t.fieldWithInput({
    authScopes: { 'segments:write': true },
    description: 'Creates a segment from filters (needs the app REST API key).',
    type: SegmentCreatePayload,
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      name: t.input.string({ required: true, description: 'Name of the segment; unique within the app.' }),
      filters: t.input.field({
        type: [FilterInput],
        required: true,
        description: 'Conditions, joined with AND unless an OR item sits between them.',
      }),
    },
    typeOptions: { description: 'Input of `segmentCreate`.' },
    errors: mutationResult('segmentCreate', UPSTREAM_ERRORS_WITH_CONFLICT),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const problems: { path: string[]; message: string }[] = [];
      if (!input.name.trim()) problems.push({ path: ['input', 'name'], message: 'must not be empty.' });
      if (input.filters.length === 0)
        problems.push({ path: ['input', 'filters'], message: 'give at least one condition.' });
      let filters: WireFilter[] = [];
      try {
        filters = toWireFilters(input.filters, ['input', 'filters']);
      } catch (error) {
        if (error instanceof ValidationError) problems.push(...error.fields);
        else throw error;
      }
      if (problems.length) throw new ValidationError(problems);
      const created = await upstream(ctx.client.segments.create(appId, { name: input.name, filters }));
      ctx.loaders.segmentPage.clearAll();
      ctx.loaders.allSegments.clear(appId);
      return { appId, id: created.id };
    },
  }),
  segmentDelete: t.fieldWithInput({
    authScopes: { 'segments:write': true },
    description: 'Deletes a segment (needs the app REST API key). Read-only segments cannot be deleted.',
    type: SegmentDeletePayload,
    input: {
      id: t.input.id({ required: true, description: 'Global id of the segment to delete.' }),
    },
    typeOptions: { description: 'Input of `segmentDelete`.' },
    errors: mutationResult('segmentDelete', UPSTREAM_ERRORS_WITH_CONFLICT),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Segment', ['input', 'id']);
      await upstream(ctx.client.segments.delete(key.appId, key.id));
      ctx.loaders.segmentPage.clearAll();
      ctx.loaders.allSegments.clear(key.appId);
      const app = await requireApp(ctx, key.appId);
      return { deletedSegmentId: encodeNodeId('Segment', key), app };
    },
  }),
}));

interface SegmentUpdateInputShape {
  name?: string | null;
  description?: string | null;
  filters?: FilterInputShape[] | null;
}

/** Validates `segmentUpdate`'s input (every problem at once) and builds update_segment's body, name aside. */
function toSegmentUpdateBody(input: SegmentUpdateInputShape): Partial<WireSegmentUpdateBody> {
  const problems: { path: string[]; message: string }[] = [];
  const body: Partial<WireSegmentUpdateBody> = {};
  if (input.name != null) {
    if (!input.name.trim()) problems.push({ path: ['input', 'name'], message: 'must not be empty.' });
    body.name = input.name;
  }
  if (input.description != null) body.description = input.description;
  if (input.filters != null) {
    if (!input.filters.some((f) => f.condition))
      problems.push({ path: ['input', 'filters'], message: 'give at least one condition.' });
    try {
      body.filters = toWireFilters(input.filters, ['input', 'filters']);
    } catch (error) {
      if (error instanceof ValidationError) problems.push(...error.fields);
      else throw error;
    }
  }
  if (input.name == null && input.description == null && input.filters == null)
    problems.push({ path: ['input'], message: 'give a name, a description or filters to change.' });
  if (problems.length) throw new ValidationError(problems);
  return body;
}
