import type { WireCsvExportResult, WireSuccess } from './common.js';
import { appAuth, path, type Requester } from './request.js';

/**
 * Device platform: 0 iOS, 1 Android, 2 Amazon, 3 WindowsPhone (MPNS), 4 Chrome Apps/Extensions,
 * 5 Chrome Web Push, 6 Windows (WNS), 7 Safari, 8 Firefox, 9 macOS, 10 Alexa, 11 Email, 13 Huawei, 14 SMS.
 */
export type WireDeviceType = number;

/** A v1 device record (Player). `id` is always present on reads. */
export interface WirePlayer {
  /** The device's OneSignal id (read only). */
  id: string;
  /** True when the device is unsubscribed (read only). */
  invalid_identifier?: boolean;
  app_id?: string;
  /** Required on create; see {@link WireDeviceType}. */
  device_type: WireDeviceType;
  external_user_id?: string | null;
  /** Only with Identity Verification and device_type ≠ 11. */
  external_user_id_auth_hash?: string;
  /** Only with Identity Verification and device_type 11 (email). */
  email_auth_hash?: string;
  /** Push token, email address or phone number. */
  identifier?: string | null;
  /** Language code, e.g. `en`, `zh-Hans`. */
  language?: string;
  /** Offset from UTC in seconds, e.g. -28800. */
  timezone?: number | null;
  /** App version. */
  game_version?: string | null;
  device_model?: string | null;
  device_os?: string | null;
  ad_id?: string | null;
  sdk?: string | null;
  session_count?: number;
  /** String (or integer) values only; a null or empty value removes the tag on update. */
  tags?: Record<string, string | number | null> | null;
  /** USD, two decimals. */
  amount_spent?: number;
  /** Unix seconds. */
  created_at?: number;
  /** Seconds the app has been running. */
  playtime?: number;
  badge_count?: number;
  /** Unix seconds. */
  last_active?: number;
  /** 1 subscribed, -2 unsubscribed, other negatives are errors. */
  notification_types?: number;
  /** iOS: 1 development, 2 ad-hoc; null for production. */
  test_type?: number | null;
  long?: number;
  lat?: number;
  /** ISO 3166-1 alpha-2. */
  country?: string;
}

/** Writable Player fields (create_player needs `device_type`); `app_id` is set from the `appId` argument. */
export type WirePlayerBody = Partial<Omit<WirePlayer, 'id' | 'invalid_identifier' | 'app_id'>>;

/** One page of get_players (PlayerSlice), sorted by id. */
export interface WirePlayerSlice {
  total_count?: number;
  offset?: number;
  limit?: number;
  players?: WirePlayer[];
}

export interface WireCreatePlayerResult {
  success?: boolean;
  /** The new (or, for a known identifier, existing) player id; always present on success. */
  id: string;
}

export interface PlayerListParams {
  /** Max 300 (default 300). */
  limit?: number;
  offset?: number;
}

/** Body of export_players. */
export interface WireExportPlayersBody {
  /** Extra columns: location, country, rooted, notification_types, ip, external_user_id, web_auth, web_p256. */
  extra_fields?: string[];
  /** Unix seconds, as a string. */
  last_active_since?: string;
  segment_name?: string;
}

/** v1 device records. Every call is signed with the app's REST API key. */
export function playersApi(http: Requester) {
  return {
    /** GET /players (get_players). Unavailable for apps over 80,000 users. */
    list: (appId: string, params: PlayerListParams = {}) =>
      http.request<WirePlayerSlice>({
        operation: 'get_players',
        method: 'GET',
        path: '/players',
        query: { app_id: appId, limit: params.limit, offset: params.offset },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** GET /players/{player_id} (get_player). */
    get: (appId: string, playerId: string, params: { emailAuthHash?: string } = {}) =>
      http.request<WirePlayer>({
        operation: 'get_player',
        method: 'GET',
        path: path`/players/${playerId}`,
        query: { app_id: appId, email_auth_hash: params.emailAuthHash },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** POST /players (create_player). Not retried once sent: a lost answer could mean a duplicate device. */
    create: (appId: string, body: WirePlayerBody & { device_type: WireDeviceType }) =>
      http.request<WireCreatePlayerResult>({
        operation: 'create_player',
        method: 'POST',
        path: '/players',
        body: { ...body, app_id: appId },
        auth: appAuth(appId),
        retry: 'unsafe',
      }),

    /** PUT /players/{player_id} (update_player): sets the given fields. */
    update: (appId: string, playerId: string, body: WirePlayerBody) =>
      http.request<WireSuccess>({
        operation: 'update_player',
        method: 'PUT',
        path: path`/players/${playerId}`,
        body: { ...body, app_id: appId },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** DELETE /players/{player_id} (delete_player). */
    delete: (appId: string, playerId: string) =>
      http.request<WireSuccess>({
        operation: 'delete_player',
        method: 'DELETE',
        path: path`/players/${playerId}`,
        query: { app_id: appId },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /**
     * PUT /apps/{app_id}/users/{external_user_id} (update_player_tags): sets tags on the devices of an
     * external user id. Max 100 tags per call; a null or "" value removes the tag.
     */
    updateTags: (appId: string, externalUserId: string, tags: Record<string, string | number | null>) =>
      http.request<WireSuccess>({
        operation: 'update_player_tags',
        method: 'PUT',
        path: path`/apps/${appId}/users/${externalUserId}`,
        body: { tags },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** POST /players/csv_export?app_id= (export_players): starts a gzip CSV export of the app's devices. */
    exportCsv: (appId: string, body: WireExportPlayersBody = {}) =>
      http.request<WireCsvExportResult>({
        operation: 'export_players',
        method: 'POST',
        path: '/players/csv_export',
        query: { app_id: appId },
        body,
        auth: appAuth(appId),
        retry: 'unsafe',
      }),
  };
}
