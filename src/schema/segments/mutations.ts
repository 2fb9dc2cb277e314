/** The segment mutations (`segmentUpdate`, `segmentCreate`, `segmentDelete`) with their payloads. */
import { NotFoundError } from '../../core/errors.js';
import {
  APP_REF_DESCRIPTION,
  type AppScopedKey,
  encodeNodeId,
  parseAppRef,
  parseNodeId,
} from '../../core/ids.js';
import { AppRef, requireApp } from '../apps.js';
import { builder } from '../builder.js';
import { mutationResult, UPSTREAM_ERRORS_WITH_CONFLICT } from '../error-types.js';
import { upstream } from '../upstream-errors.js';
import { FilterInput } from './filters.js';
import { toSegmentCreateBody, toSegmentUpdateBody } from './input.js';
import { SegmentRef } from './types.js';

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
      const created = await upstream(ctx.client.segments.create(appId, toSegmentCreateBody(input)));
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
