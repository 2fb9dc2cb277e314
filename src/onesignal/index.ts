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

/** Each resource's operations, by the name the client gives them. */
const GROUPS = {
  apps: appsApi,
  notifications: notificationsApi,
  players: playersApi,
  segments: segmentsApi,
  outcomes: outcomesApi,
  users: usersApi,
  aliases: aliasesApi,
  subscriptions: subscriptionsApi,
  liveActivities: liveActivitiesApi,
  customEvents: customEventsApi,
  apiKeys: apiKeysApi,
  templates: templatesApi,
  inAppMessages: inAppMessagesApi,
  email: emailApi,
  auditLogs: auditLogsApi,
  journeys: journeysApi,
} as const;

type Groups = typeof GROUPS;
export type ApiGroup = keyof Groups;

/** The typed OneSignal REST API: one object per resource, one method per operation. */
export type OneSignalClient = { readonly [G in ApiGroup]: ReturnType<Groups[G]> };

/** The client's resource groups, for wrappers that wrap each (src/auth/restrict.ts). */
export const API_GROUPS = Object.keys(GROUPS) as readonly ApiGroup[];

/**
 * The typed OneSignal REST API, each call carried out by `http` (in the server, src/upstream/client.ts's
 * requester: keys, rate budgets, retries, shared reads).
 *
 * Every GraphQL request gets a client of its own (bound to its upstream scope) and uses one or two of
 * the sixteen groups, so each group is built the first time it is read: building all of them per
 * request was 1.2 % of a cached request's CPU (bench:profile).
 */
export function createOneSignalApi(http: Requester): OneSignalClient {
  return new LazyApi(http);
}

class LazyApi implements OneSignalClient {
  // The requester stays private: every call goes through a typed operation, so wrappers such as the
  // per-caller app allow-list (src/auth/restrict.ts) cannot be bypassed.
  readonly #http: Requester;
  readonly #built: Partial<Record<ApiGroup, unknown>> = {};

  constructor(http: Requester) {
    this.#http = http;
  }

  #group<G extends ApiGroup>(name: G): OneSignalClient[G] {
    let group = this.#built[name];
    if (group === undefined) {
      group = GROUPS[name](this.#http);
      this.#built[name] = group;
    }
    return group as OneSignalClient[G];
  }

  get apps() {
    return this.#group('apps');
  }
  get notifications() {
    return this.#group('notifications');
  }
  get players() {
    return this.#group('players');
  }
  get segments() {
    return this.#group('segments');
  }
  get outcomes() {
    return this.#group('outcomes');
  }
  get users() {
    return this.#group('users');
  }
  get aliases() {
    return this.#group('aliases');
  }
  get subscriptions() {
    return this.#group('subscriptions');
  }
  get liveActivities() {
    return this.#group('liveActivities');
  }
  get customEvents() {
    return this.#group('customEvents');
  }
  get apiKeys() {
    return this.#group('apiKeys');
  }
  get templates() {
    return this.#group('templates');
  }
  get inAppMessages() {
    return this.#group('inAppMessages');
  }
  get email() {
    return this.#group('email');
  }
  get auditLogs() {
    return this.#group('auditLogs');
  }
  get journeys() {
    return this.#group('journeys');
  }
}
