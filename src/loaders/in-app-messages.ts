import type { AppScopedKey } from '../core/ids.js';
import type {
  OneSignalClient,
  WireIam,
  WireInAppMessageStatsRow,
  WireStatsGrouping,
} from '../onesignal/index.js';
import { appScopedCacheKey } from './keys.js';
import { perKeyLoader } from './per-key.js';

export interface InAppMessagePageKey {
  appId: string;
  limit: number;
  offset: number;
}

export interface InAppMessageStatsKey extends AppScopedKey {
  groupBy: WireStatsGrouping[];
  clickType: 'first' | 'all' | undefined;
}

/** An in-app message with the app it belongs to (answers may leave `app_id` out). */
export type LoadedInAppMessage = WireIam & { app_id: string };

const withApp = (appId: string, m: WireIam): LoadedInAppMessage => ({ ...m, app_id: appId });

export function inAppMessageLoaders(client: OneSignalClient) {
  /** `view_in_app_message`: the whole message (HTML, audience, triggers). */
  const inAppMessage = perKeyLoader<AppScopedKey, LoadedInAppMessage, string>(
    'in-app message',
    async (key) => withApp(key.appId, (await client.inAppMessages.get(key.appId, key.id)).payload),
    { cacheKeyFn: appScopedCacheKey },
  );

  /** `view_in_app_messages`: one key, one request; summaries only, so it primes nothing. */
  const inAppMessagePage = perKeyLoader<
    InAppMessagePageKey,
    { items: LoadedInAppMessage[]; totalCount: number },
    string
  >(
    'in-app message page',
    async (key) => {
      const { payload } = await client.inAppMessages.list(key.appId, {
        limit: key.limit,
        offset: key.offset,
      });
      const items = (payload?.items ?? []).map((m) => withApp(key.appId, m));
      return { items, totalCount: payload?.total_count ?? items.length };
    },
    { cacheKeyFn: (k) => `${k.appId}/${k.limit}/${k.offset}` },
  );

  /** `view_in_app_message_stats`: one request per message and grouping. */
  const inAppMessageStats = perKeyLoader<InAppMessageStatsKey, WireInAppMessageStatsRow[], string>(
    'in-app message stats',
    async (key) => {
      const { payload } = await client.inAppMessages.stats(key.appId, key.id, {
        groupBy: key.groupBy,
        clickType: key.clickType,
      });
      return payload?.rows ?? [];
    },
    { cacheKeyFn: (k) => `${appScopedCacheKey(k)}/${k.groupBy.join(',')}/${k.clickType ?? ''}` },
  );

  return { inAppMessage, inAppMessagePage, inAppMessageStats };
}
