/** Where segments are read: `App.segments`, prefetched with the app when the query selects it. */
import { AppRef, registerAppFieldPrefetch } from '../apps.js';
import { builder } from '../builder.js';
import { offsetConnection, offsetPage } from '../pagination.js';
import { upstream } from '../upstream-errors.js';
import { SegmentConnectionRef } from './types.js';

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
