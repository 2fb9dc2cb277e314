import type { AliasRef } from './common.js';
import { appAuth, path, type Requester } from './request.js';

export type { AliasRef };

/** Alias label → alias id, e.g. `{ onesignal_id: '…', external_id: 'u-42' }` (IdentityObject). */
export type WireIdentity = Record<string, string>;

/** The 13 subscription types of SubscriptionObject. */
export type WireSubscriptionType =
  | 'iOSPush'
  | 'AndroidPush'
  | 'FireOSPush'
  | 'ChromeExtensionPush'
  | 'ChromePush'
  | 'WindowsPush'
  | 'SafariLegacyPush'
  | 'FirefoxPush'
  | 'macOSPush'
  | 'HuaweiPush'
  | 'SafariPush'
  | 'Email'
  | 'SMS';

/** A channel a user can be reached on (SubscriptionObject). */
export interface WireSubscription {
  /** Subscription id (same as the v1 player id). */
  id?: string;
  type?: WireSubscriptionType;
  /** Push token, email address or E.164 phone number. */
  token?: string;
  enabled?: boolean;
  /** 1 subscribed, -2 unsubscribed, other negatives are errors. */
  notification_types?: number;
  /** Seconds. */
  session_time?: number;
  session_count?: number;
  sdk?: string;
  device_model?: string;
  device_os?: string;
  rooted?: boolean;
  /** iOS: 1 development, 2 ad-hoc. */
  test_type?: number;
  app_version?: string;
  net_type?: number;
  carrier?: string;
  web_auth?: string;
  web_p256?: string;
}

/** A purchase (Purchase). */
export interface WirePurchase {
  sku: string;
  /** Amount spent, USD, as a decimal string. */
  amount: string;
  /** ISO 4217 currency code. */
  iso: string;
  count?: number;
}

/** A user's properties (PropertiesObject). */
export interface WireUserProperties {
  /** String values; on update an empty string removes a tag. */
  tags?: Record<string, string>;
  language?: string;
  /** IANA zone, e.g. `Europe/Paris`. */
  timezone_id?: string;
  lat?: number;
  long?: number;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** Unix seconds. */
  first_active?: number;
  /** Unix seconds. */
  last_active?: number;
  /** USD. */
  amount_spent?: number;
  purchases?: WirePurchase[];
  ip?: string;
}

/** Increments applied by update_user (PropertiesDeltas). */
export interface WireUserPropertiesDeltas {
  /** Seconds to add. */
  session_time?: number;
  session_count?: number;
  purchases?: WirePurchase[];
}

/** A user with aliases and subscriptions (User). */
export interface WireUser {
  properties?: WireUserProperties;
  identity?: WireIdentity;
  subscriptions?: WireSubscription[];
  subscription_options?: { retain_previous_owner?: boolean };
}

/** Body of create_user (User). Aliases given in `identity` look up an existing user first. */
export type WireUserBody = WireUser;

/** Body of update_user (UpdateUserRequest). */
export interface WireUpdateUserBody {
  properties?: WireUserProperties;
  refresh_device_metadata?: boolean;
  deltas?: WireUserPropertiesDeltas;
}

export interface WireUpdateUserResult {
  properties?: WireUserProperties;
}

const userPath = (appId: string, alias: AliasRef) => path`/apps/${appId}/users/by/${alias.label}/${alias.id}`;

/** Users (v2 user model). Every call is signed with the app's REST API key. */
export function usersApi(http: Requester) {
  return {
    /** POST /apps/{app_id}/users (create_user). 201 created, 200/202 an existing user matched. Not retried once sent. */
    create: (appId: string, body: WireUserBody) =>
      http.request<WireUser>({
        operation: 'create_user',
        method: 'POST',
        path: path`/apps/${appId}/users`,
        body,
        auth: appAuth(appId),
        retry: 'unsafe',
      }),

    /** GET /apps/{app_id}/users/by/{alias_label}/{alias_id} (fetch_user). */
    get: (appId: string, alias: AliasRef) =>
      http.request<WireUser>({
        operation: 'fetch_user',
        method: 'GET',
        path: userPath(appId, alias),
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** PATCH /apps/{app_id}/users/by/{alias_label}/{alias_id} (update_user). Not retried: `deltas` increment. */
    update: (appId: string, alias: AliasRef, body: WireUpdateUserBody) =>
      http.request<WireUpdateUserResult>({
        operation: 'update_user',
        method: 'PATCH',
        path: userPath(appId, alias),
        body,
        auth: appAuth(appId),
        retry: 'unsafe',
      }),

    /** DELETE /apps/{app_id}/users/by/{alias_label}/{alias_id} (delete_user): the user, its aliases and subscriptions. */
    delete: async (appId: string, alias: AliasRef): Promise<void> => {
      await http.request<unknown>({
        operation: 'delete_user',
        method: 'DELETE',
        path: userPath(appId, alias),
        auth: appAuth(appId),
        retry: 'idempotent',
      });
    },
  };
}
