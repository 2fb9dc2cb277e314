/** The Segment object and its connection. */
import { appScopedId, parseLocalId } from '../../core/ids.js';
import type { LoadedSegment } from '../../loaders/segments.js';
import { AppRef, belongingApp } from '../apps.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { totalCountOf } from '../pagination.js';
import { fromIso } from '../time.js';
import { orNull, upstream } from '../upstream-errors.js';
import { FilterRef } from './filters.js';

export const SegmentRef = builder.objectRef<LoadedSegment>('Segment');

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
