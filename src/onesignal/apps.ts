import { path, type Requester, userAuth } from './request.js';

/** An app as `/apps` returns it. Every field is optional in the spec; OneSignal omits what is unset. */
export interface WireApp {
  /** App id (UUID). */
  id: string;
  name: string;
  /** All players (subscriptions) ever registered. */
  players?: number;
  /** Players that can currently receive a push. */
  messageable_players?: number;
  /** ISO 8601. */
  updated_at?: string;
  /** ISO 8601. */
  created_at?: string;
  android_gcm_sender_id?: string;
  gcm_key?: string | null;
  chrome_web_origin?: string | null;
  chrome_key?: string | null;
  chrome_web_default_notification_icon?: string | null;
  chrome_web_sub_domain?: string | null;
  apns_env?: 'sandbox' | 'production' | null;
  apns_p12?: string;
  apns_p12_password?: string;
  apns_certificates?: string | null;
  safari_apns_certificates?: string;
  safari_apns_p12?: string;
  safari_apns_p12_password?: string;
  apns_key_id?: string | null;
  apns_team_id?: string | null;
  apns_bundle_id?: string | null;
  apns_p8?: string | null;
  safari_site_origin?: string | null;
  safari_push_id?: string | null;
  safari_icon_16_16?: string;
  safari_icon_32_32?: string;
  safari_icon_64_64?: string;
  safari_icon_128_128?: string;
  safari_icon_256_256?: string;
  site_name?: string | null;
  /** The app's REST API key. Secret: the GraphQL layer never exposes it. */
  basic_auth_key?: string | null;
  organization_id?: string;
  additional_data_is_root_payload?: boolean;
}

/** Body of create_app / update_app: the writable App fields (`name` is required to create). */
export type WireAppBody = Partial<
  Omit<WireApp, 'id' | 'players' | 'messageable_players' | 'created_at' | 'updated_at' | 'basic_auth_key'>
>;

/** The body fields that carry credentials: remembered as secrets, so no error text can echo them. */
const CREDENTIAL_FIELDS = [
  'apns_p12',
  'apns_p12_password',
  'apns_p8',
  'safari_apns_p12',
  'safari_apns_p12_password',
  'gcm_key',
] as const;

/** App management. Every call is signed with the org user auth key. */
export function appsApi(http: Requester) {
  const rememberCredentials = (body: WireAppBody) => {
    for (const field of CREDENTIAL_FIELDS) {
      const value = body[field];
      if (typeof value === 'string' && value.length >= 8) http.rememberSecret(value);
    }
  };
  // Every app answer carries that app's REST API key; remember it so error text can never echo it.
  const remembered = <T extends WireApp | WireApp[]>(answer: Promise<T>) =>
    answer.then((apps) => {
      for (const app of Array.isArray(apps) ? apps : [apps]) http.rememberSecret(app?.basic_auth_key);
      return apps;
    });
  return {
    /**
     * Whether `appId` can be reached with the keys held, reading OneSignal only when its key must be
     * looked up (a get_app shared with any read of the app): false when OneSignal knows no such app.
     */
    known: (appId: string) => http.appKnown(appId),

    /** GET /apps (get_apps): every app of the organization. */
    list: () =>
      remembered(
        http.request<WireApp[]>({
          operation: 'get_apps',
          method: 'GET',
          path: '/apps',
          auth: userAuth,
          retry: 'idempotent',
        }),
      ),

    /** GET /apps/{app_id} (get_app). */
    get: (appId: string) =>
      remembered(
        http.request<WireApp>({
          operation: 'get_app',
          method: 'GET',
          path: path`/apps/${appId}`,
          auth: userAuth,
          retry: 'idempotent',
        }),
      ),

    /** POST /apps (create_app). Not retried once sent: a lost answer could mean a second app. */
    create: (body: WireAppBody & { name: string }) => {
      rememberCredentials(body);
      return remembered(
        http.request<WireApp>({
          operation: 'create_app',
          method: 'POST',
          path: '/apps',
          body,
          auth: userAuth,
          retry: 'unsafe',
        }),
      );
    },

    /** PUT /apps/{app_id} (update_app): replaces the given fields. */
    update: (appId: string, body: WireAppBody) => {
      rememberCredentials(body);
      return remembered(
        http.request<WireApp>({
          operation: 'update_app',
          method: 'PUT',
          path: path`/apps/${appId}`,
          body,
          auth: userAuth,
          retry: 'idempotent',
        }),
      );
    },
  };
}
