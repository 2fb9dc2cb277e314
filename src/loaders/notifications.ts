import type { AppScopedKey } from '../core/ids.js';
import type { OneSignalClient, WireNotification, WireNotificationSlice } from '../onesignal/index.js';
import { pagedLoaders, withAppId } from './paged.js';

/** One page of `get_notifications`. `kind` is OneSignal's integer (0 dashboard, 1 API, 3 automated). */
export interface NotificationPageKey {
  appId: string;
  limit: number;
  offset: number;
  kind?: 0 | 1 | 3 | undefined;
  /** Time-cursor paging (`time_offset`) instead of `offset`: an ISO 8601 time or OneSignal's cursor. */
  timeOffset?: string | undefined;
}

/** A notification always knows its app, even when a list answer leaves `app_id` out. */
export type LoadedNotification = WireNotification & { id: string; app_id: string };

export type NotificationPage = WireNotificationSlice & { notifications: LoadedNotification[] };

export function notificationLoaders(client: OneSignalClient) {
  /**
   * `notificationPage`: get_notifications, one key, one request; every listed notification primes
   * `notification`. `notification`: get_notification per id, unless a page requested in the same tick
   * lists it, so "a list and some of its items" costs the list request only.
   */
  const { page: notificationPage, item: notification } = pagedLoaders<
    NotificationPageKey,
    NotificationPage,
    LoadedNotification
  >({
    name: 'notification',
    fetchPage: async (key) => {
      const slice = await client.notifications.list(key.appId, {
        limit: key.limit,
        offset: key.offset,
        ...(key.kind !== undefined ? { kind: key.kind } : {}),
        ...(key.timeOffset !== undefined ? { timeOffset: key.timeOffset } : {}),
      });
      return { ...slice, notifications: (slice.notifications ?? []).map((n) => withApp(n, key.appId)) };
    },
    itemsOf: (page) => page.notifications,
    itemId: (n) => n.id,
    fetchOne: async (key) => withApp(await client.notifications.get(key.appId, key.id), key.appId),
    pageCacheKey: (k) => `${k.appId}/${k.limit}/${k.offset}/${k.kind ?? ''}/${k.timeOffset ?? ''}`,
  });

  /**
   * Makes `n` this request's answer for `key`, over anything loaded before: what a send has just made
   * known (its snapshot), so the payload reads it without a view, cache or not.
   */
  const primeNotification = (key: AppScopedKey, n: LoadedNotification) => {
    notification.clear(key).prime(key, n);
  };

  return { notificationPage, notification, primeNotification };
}

const withApp = (n: WireNotification, appId: string) => withAppId(n, appId) as LoadedNotification;
