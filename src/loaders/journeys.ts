import type { AppScopedKey } from '../core/ids.js';
import type { OneSignalClient, WireJourney, WireJourneyStats } from '../onesignal/index.js';
import { appScopedCacheKey } from './keys.js';
import { perKeyLoader } from './per-key.js';

export interface JourneyPageKey {
  appId: string;
  /** OneSignal's cursor; undefined for the first page. */
  cursor: string | undefined;
  limit: number;
}

/**
 * A journey with the app it belongs to. `summary`: it came from view_journeys, which leaves out the
 * description, audience detail, nodes and concurrency key, so fields that need them read view_journey.
 */
export type LoadedJourney = WireJourney & { app_id: string; summary?: boolean };

export interface LoadedJourneyPage {
  journeys: LoadedJourney[];
  hasMore: boolean;
  nextCursor: string | undefined;
}

export function journeyLoaders(client: OneSignalClient) {
  /** `view_journey`: the whole journey. */
  const journey = perKeyLoader<AppScopedKey, LoadedJourney, string>(
    'journey',
    async (key) => ({ ...(await client.journeys.get(key.appId, key.id)), app_id: key.appId }),
    { cacheKeyFn: appScopedCacheKey },
  );

  /** `view_journeys`: one key, one request; summaries, so it primes nothing. */
  const journeyPage = perKeyLoader<JourneyPageKey, LoadedJourneyPage, string>(
    'journey page',
    async (key) => {
      const page = await client.journeys.list(key.appId, { cursor: key.cursor, limit: key.limit });
      return {
        journeys: (page.journeys ?? []).map((j) => ({ ...j, app_id: key.appId, summary: true })),
        hasMore: page.has_more === true,
        nextCursor: page.next_cursor,
      };
    },
    { cacheKeyFn: (k) => `${k.appId}/${k.limit}/${k.cursor ?? ''}` },
  );

  /** `view_journey_stats`. */
  const journeyStats = perKeyLoader<AppScopedKey, WireJourneyStats, string>(
    'journey stats',
    (key) => client.journeys.stats(key.appId, key.id),
    { cacheKeyFn: appScopedCacheKey },
  );

  return { journey, journeyPage, journeyStats };
}
