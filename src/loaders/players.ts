import type { OneSignalClient, WirePlayer } from '../onesignal/index.js';
import { pagedLoaders, withAppId } from './paged.js';

/** A v1 player as the schema sees it: `app_id` is always set (OneSignal omits it in some answers). */
export type AppPlayer = WirePlayer & { app_id: string };

/** One page of get_players (`limit` ≤ 300). */
export interface PlayerPageKey {
  appId: string;
  offset: number;
  limit: number;
}

export interface PlayerPage {
  totalCount: number;
  players: AppPlayer[];
}

export function playerLoaders(client: OneSignalClient) {
  /**
   * `playerPage`: get_players, one key, one request; every listed player primes `player`. `player`:
   * get_player per id (OneSignal has no batch read), unless a page requested in the same tick lists it,
   * so "a page and some of its players" costs the page request only.
   */
  const { page: playerPage, item: player } = pagedLoaders<PlayerPageKey, PlayerPage, AppPlayer>({
    name: 'player',
    fetchPage: async ({ appId, offset, limit }) => {
      const slice = await client.players.list(appId, { offset, limit });
      return {
        totalCount: slice.total_count ?? 0,
        players: (slice.players ?? []).map((p) => withAppId(p, appId)),
      };
    },
    itemsOf: (page) => page.players,
    itemId: (p) => p.id,
    fetchOne: async (key) => withAppId(await client.players.get(key.appId, key.id), key.appId),
    pageCacheKey: ({ appId, offset, limit }) => `${appId}/${offset}/${limit}`,
  });

  return { playerPage, player };
}
