import type { AppScopedKey } from '../core/ids.js';
import type {
  OneSignalClient,
  WireSegment,
  WireSegmentDetailResult,
  WireSegmentSlice,
} from '../onesignal/index.js';
import { appScopedCacheKey } from './keys.js';
import { perKeyLoader } from './per-key.js';

export interface SegmentPageKey {
  appId: string;
  limit: number;
  offset: number;
}

/** A segment with the app it belongs to (list answers leave `app_id` out). */
export type LoadedSegment = WireSegment & { app_id: string };

const PAGE_MAX = 300;

export function segmentLoaders(client: OneSignalClient) {
  /** `get_segments`: one key, one request. */
  const segmentPage = perKeyLoader<
    SegmentPageKey,
    Omit<WireSegmentSlice, 'segments'> & { segments: LoadedSegment[] },
    string
  >(
    'segment page',
    async (key) => {
      const slice = await client.segments.list(key.appId, { limit: key.limit, offset: key.offset });
      return { ...slice, segments: (slice.segments ?? []).map((s) => ({ ...s, app_id: key.appId })) };
    },
    { cacheKeyFn: (k) => `${k.appId}/${k.limit}/${k.offset}` },
  );

  /**
   * Every segment of an app. OneSignal cannot read one segment by id, so refetching a segment node
   * reads the list (pages of 300, reusing a first page already loaded in this request).
   */
  const allSegments = perKeyLoader<string, LoadedSegment[]>('segments', async (appId) => {
    const all: LoadedSegment[] = [];
    for (let offset = 0; ; offset += PAGE_MAX) {
      const page = await segmentPage.load({ appId, limit: PAGE_MAX, offset });
      all.push(...page.segments);
      if (page.segments.length < PAGE_MAX || (page.total_count != null && all.length >= page.total_count))
        return all;
    }
  });

  /** `get_segment` with its detail: the filters and subscriber count one segment has now. */
  const segmentDetail = perKeyLoader<AppScopedKey, WireSegmentDetailResult, string>(
    'segment detail',
    (key) => client.segments.get(key.appId, key.id),
    { cacheKeyFn: appScopedCacheKey },
  );

  return { segmentPage, allSegments, segmentDetail };
}
