import { aliasesApi } from './aliases.js';
import { apiKeysApi } from './api-keys.js';
import { appsApi } from './apps.js';
import { customEventsApi } from './custom-events.js';
import { liveActivitiesApi } from './live-activities.js';
import { notificationsApi } from './notifications.js';
import { outcomesApi } from './outcomes.js';
import { playersApi } from './players.js';
import type { Requester } from './request.js';
import { segmentsApi } from './segments.js';
import { subscriptionsApi } from './subscriptions.js';
import { templatesApi } from './templates.js';
import { usersApi } from './users.js';

export type * from './aliases.js';
export type * from './api-keys.js';
export type * from './apps.js';
export type * from './common.js';
export type * from './custom-events.js';
export {
  errorMessagesOf,
  type KeyKind,
  OneSignalError,
  type OneSignalErrorCode,
  type OneSignalErrorInit,
} from './errors.js';
export type * from './live-activities.js';
export type * from './notifications.js';
export type * from './outcomes.js';
export type * from './players.js';
export {
  appAuth,
  DEFAULT_API_URL,
  ENV_KEY_SOURCE,
  type HttpMethod,
  type KeySource,
  type OperationAuth,
  type OperationRequest,
  path,
  type Requester,
  type RetryPolicy,
  userAuth,
} from './request.js';
export type * from './segments.js';
export type * from './subscriptions.js';
export type * from './templates.js';
export {
  type AttemptResult,
  OneSignalTransport,
  parseRetryAfter,
  type TransportOptions,
} from './transport.js';
export type * from './users.js';

/** Every OneSignal operation the client performs: the 37 of API v1.2.2 plus `get_segments`. */
export const OPERATIONS = [
  // apps (user auth key)
  'get_apps',
  'get_app',
  'create_app',
  'update_app',
  // notifications
  'get_notifications',
  'get_notification',
  'create_notification',
  'cancel_notification',
  'get_notification_history',
  'export_events',
  // players (v1 devices)
  'get_players',
  'get_player',
  'create_player',
  'update_player',
  'delete_player',
  'update_player_tags',
  'export_players',
  // segments
  'get_segments',
  'create_segments',
  'delete_segments',
  'get_segment',
  'update_segment',
  // templates (current API; copying needs the user auth key)
  'view_templates',
  'view_template',
  'create_template',
  'update_template',
  'delete_template',
  'copy_template_to_app',
  // outcomes
  'get_outcomes',
  // users
  'create_user',
  'fetch_user',
  'update_user',
  'delete_user',
  // aliases
  'fetch_user_identity',
  'fetch_aliases',
  'identify_user_by_alias',
  'identify_user_by_subscription_id',
  'delete_alias',
  // subscriptions
  'create_subscription',
  'update_subscription',
  'delete_subscription',
  'transfer_subscription',
  'get_eligible_iams',
  // live activities
  'update_live_activity',
  'begin_live_activity',
  'end_live_activity',
  // API keys (user auth key; current API)
  'view_api_keys',
  'create_api_key',
  'update_api_key',
  'delete_api_key',
  'rotate_api_key',
  // custom events (current API)
  'create_custom_events',
  // subscriptions by token (current API)
  'update_subscription_by_token',
  // recipient estimates (current API)
  'estimate_notification_recipients',
] as const;

export type OperationId = (typeof OPERATIONS)[number];

/**
 * The typed OneSignal REST API: one object per resource, one method per operation, each carried out by
 * `http` (in the server, src/upstream/client.ts's requester: keys, rate budgets, retries, shared reads).
 */
export function createOneSignalApi(http: Requester) {
  // The requester stays private: every call goes through a typed operation, so wrappers such as the
  // per-caller app allow-list (src/auth/restrict.ts) cannot be bypassed.
  return {
    apps: appsApi(http),
    notifications: notificationsApi(http),
    players: playersApi(http),
    segments: segmentsApi(http),
    outcomes: outcomesApi(http),
    users: usersApi(http),
    aliases: aliasesApi(http),
    subscriptions: subscriptionsApi(http),
    liveActivities: liveActivitiesApi(http),
    customEvents: customEventsApi(http),
    apiKeys: apiKeysApi(http),
    templates: templatesApi(http),
  };
}

export type OneSignalClient = ReturnType<typeof createOneSignalApi>;
