import { aliasesApi } from './aliases.js';
import { apiKeysApi } from './api-keys.js';
import { appsApi } from './apps.js';
import { auditLogsApi } from './audit-logs.js';
import { customEventsApi } from './custom-events.js';
import { emailApi } from './email.js';
import { inAppMessagesApi } from './in-app-messages.js';
import { journeysApi } from './journeys.js';
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
export type * from './audit-logs.js';
export type * from './common.js';
export type * from './custom-events.js';
export type * from './email.js';
export {
  errorMessagesOf,
  type KeyKind,
  OneSignalError,
  type OneSignalErrorCode,
  type OneSignalErrorInit,
} from './errors.js';
export type * from './in-app-messages.js';
export { IN_APP_MESSAGE_PAGE_MAX, IN_USE_BY_JOURNEY } from './in-app-messages.js';
export type * from './journeys.js';
export { JOURNEY_PAGE_MAX } from './journeys.js';
export type * from './live-activities.js';
export type * from './notifications.js';
export { OPERATIONS, type OperationId } from './operations.js';
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
    inAppMessages: inAppMessagesApi(http),
    email: emailApi(http),
    auditLogs: auditLogsApi(http),
    journeys: journeysApi(http),
  };
}

export type OneSignalClient = ReturnType<typeof createOneSignalApi>;
