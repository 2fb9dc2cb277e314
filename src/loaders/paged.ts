import type { AppScopedKey } from '../core/ids.js';
import { appScopedCacheKey } from './keys.js';
import { perKeyLoader } from './per-key.js';
import { tracedLoader } from './traced.js';

export interface PagedLoaderOptions<K extends { appId: string }, P, I> {
  /** The items' name in traces (`loader notification`, `loader notification page`). */
  name: string;
  /** One list request (e.g. get_players) for one page key. */
  fetchPage: (key: K) => Promise<P>;
  /** The items a page lists; they belong to the page key's app. */
  itemsOf: (page: P) => readonly I[];
  /** The resource id of a listed item. */
  itemId: (item: I) => string;
  /** One item request (e.g. get_player), for items no page in flight lists. */
  fetchOne: (key: AppScopedKey) => Promise<I>;
  /** DataLoader cache key of a page key. */
  pageCacheKey: (key: K) => string;
}

/**
 * A page loader and an item loader over one OneSignal list endpoint. Every listed item primes the item
 * loader, and item reads first wait for the pages of their app requested in the same tick, so "a page
 * and some of its items" costs the page request only. Failures, NOT_FOUND included, come back as errors.
 */
export function pagedLoaders<K extends { appId: string }, P, I>(options: PagedLoaderOptions<K, P, I>) {
  const { name, fetchPage, itemsOf, itemId, fetchOne, pageCacheKey } = options;
  /** Pages whose answer is still on its way, per app: item reads wait for them instead of fetching twice. */
  const pagesInFlight = new Map<string, Set<Promise<P>>>();
  /**
   * Every item a page of this request has listed. Priming alone is not enough: a read already queued
   * when its page lands is not answered by the prime, and would fetch the item again.
   */
  const listedItems = new Map<string, I>();

  const page = perKeyLoader<K, P, string>(
    `${name} page`,
    async (key) => {
      // Settles once the page's items are in `listedItems` (and primed), which item reads wait for.
      const listing = (async () => {
        const result = await fetchPage(key);
        for (const i of itemsOf(result)) {
          const itemKey = { appId: key.appId, id: itemId(i) };
          listedItems.set(appScopedCacheKey(itemKey), i);
          item.prime(itemKey, i);
        }
        return result;
      })();
      const inFlight = pagesInFlight.get(key.appId) ?? new Set();
      pagesInFlight.set(key.appId, inFlight);
      inFlight.add(listing);
      try {
        return await listing;
      } finally {
        inFlight.delete(listing);
      }
    },
    { cacheKeyFn: pageCacheKey },
  );

  const item = tracedLoader<AppScopedKey, I, string>(
    name,
    async (keys) => {
      // Let every loader scheduled in this tick dispatch, so pages requested beside these items are in flight.
      await new Promise((resolve) => setImmediate(resolve));
      // Pages still on their way add their items to `listedItems` when they land.
      const apps = new Set(keys.map((k) => k.appId));
      await Promise.allSettled([...apps].flatMap((appId) => [...(pagesInFlight.get(appId) ?? [])]));
      return Promise.all(
        keys.map(async (key) => {
          const found = listedItems.get(appScopedCacheKey(key));
          if (found) return found;
          try {
            return await fetchOne(key);
          } catch (error) {
            return error as Error;
          }
        }),
      );
    },
    { cacheKeyFn: appScopedCacheKey },
  );

  return { page, item };
}

/** An item with the app it belongs to: list and item answers sometimes leave `app_id` out. */
export const withAppId = <T extends { app_id?: string | undefined }>(item: T, appId: string) =>
  ({ ...item, app_id: item.app_id || appId }) as T & { app_id: string };
