import type { OperationRequest, Requester } from './request.js';
import { appAuth, path } from './request.js';

/**
 * In-app messages (current API, not in v1.2.2 nor in node-onesignal 5.x): custom HTML messages the
 * mobile SDK shows full screen. Every call is signed with the app's REST API key, and every answer
 * is nested under `payload`. What OneSignal's reference pages leave unsaid is noted where it matters
 * (docs/emulator.md lists it).
 */

/**
 * Where a message is in its life. The reference's table begins with `scheduled`; the others are the
 * states its pages describe (draft, live, paused, past its end).
 */
export type WireInAppMessageStatus = 'scheduled' | 'active' | 'paused' | 'draft' | 'ended';

/**
 * One condition of a trigger. `session_time` and `min_time_since` (time since the last in-app
 * message) compare seconds in `value`; `custom` compares the SDK trigger `property` with `value`.
 */
export interface WireTriggerCondition {
  kind: string;
  operator: string;
  /** Custom triggers only: the key the app sets with `addTrigger`. */
  property?: string;
  /** Seconds for the time kinds; a string or number for custom triggers; absent for `exists`/`not_exists`. */
  value?: string | number | boolean | null;
  [field: string]: unknown;
}

/** A trigger: all of its conditions must hold (AND); a message shows when any trigger holds (OR). */
export interface WireTrigger {
  conditions: WireTriggerCondition[];
}

/**
 * An in-app message. view_in_app_messages answers summaries (id, name, status, schedule);
 * view_in_app_message and the writes answer it whole.
 */
export interface WireIam {
  /** UUID. */
  id: string;
  /** UUID of the owning app. */
  app_id?: string;
  name: string;
  status?: WireInAppMessageStatus | string;
  /** The whole document the SDK renders. */
  html?: string;
  /** As OneSignal's examples send it (0); the reference excerpt gives no unit. */
  display_duration?: number;
  /** ISO 8601; when the message starts showing. */
  start_time?: string | null;
  /** ISO 8601; when it stops; null: no end. */
  end_time?: string | null;
  included_segment_ids?: string[];
  excluded_segment_ids?: string[];
  triggers?: WireTrigger[];
  /** How often it may show again; loosely documented. */
  redisplay?: Record<string, unknown> | null;
  /** ISO 8601. */
  created_at?: string;
  /** ISO 8601. */
  updated_at?: string;
  [field: string]: unknown;
}

/** Every answer of this API: the data under `payload`. */
export interface WireEnvelope<T> {
  success?: boolean;
  payload: T;
}

/** view_in_app_messages's `payload`. */
export interface WireInAppMessagePage {
  items: WireIam[];
  total_count: number;
  limit?: number;
  offset?: number;
}

/** What an in-app message is made of, as create and update send it. */
export interface WireInAppMessageFields {
  name?: string;
  display_duration?: number;
  html: string;
  start_time?: string | null;
  end_time?: string | null;
  included_segment_ids?: string[];
  excluded_segment_ids?: string[];
  triggers?: WireTrigger[];
}

/**
 * Body of create_in_app_message and update_in_app_message. An update replaces the whole message:
 * `html`, `start_time`, `end_time` (null for none) and `triggers` are required on every update.
 */
export interface WireInAppMessageBody {
  /** true: saved as a draft, shown to no one; false: published (an update with false publishes a draft). */
  is_draft: boolean;
  in_app_message: WireInAppMessageFields;
}

/** Which way view_in_app_message_stats splits its totals. */
export type WireStatsGrouping = 'page_name' | 'element_name';

/** One row of view_in_app_message_stats: all-time totals, for the whole message or one page/element. */
export interface WireInAppMessageStatsRow {
  page_name?: string | null;
  element_name?: string | null;
  impressions?: number;
  clicks?: number;
  [field: string]: unknown;
}

/** view_in_app_message_stats's `payload`. */
export interface WireInAppMessageStats {
  rows: WireInAppMessageStatsRow[];
  [field: string]: unknown;
}

export interface InAppMessageStatsParams {
  groupBy?: WireStatsGrouping[];
  /** `first`, as the reference's example sends it, or `all`. */
  clickType?: 'first' | 'all';
}

/** At most 20 a page: OneSignal answers 20 for a larger `limit` (and for one below 1). */
export const IN_APP_MESSAGE_PAGE_MAX = 20;

/** In-app messages of one app. Reads and writes are signed with the app's REST API key. */
export function inAppMessagesApi(http: Requester) {
  /**
   * Read your own writes: the message a create or update answered is the next view's answer for a
   * few seconds, so reading it right after costs no request.
   */
  const seeded = async (appId: string, answer: WireEnvelope<WireIam>) => {
    const message = answer?.payload;
    if (message?.id && typeof message.html === 'string')
      await http.seed(viewInAppMessage(appId, message.id), answer);
    return answer;
  };

  return {
    /** GET /apps/{app_id}/in_app_messages (view_in_app_messages): newest first, summaries only. */
    list: (appId: string, params: { limit?: number; offset?: number } = {}) =>
      http.request<WireEnvelope<WireInAppMessagePage>>({
        operation: 'view_in_app_messages',
        method: 'GET',
        path: path`/apps/${appId}/in_app_messages`,
        query: { limit: params.limit, offset: params.offset },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** GET /apps/{app_id}/in_app_messages/{id} (view_in_app_message): the whole message. */
    get: (appId: string, id: string) => http.request<WireEnvelope<WireIam>>(viewInAppMessage(appId, id)),

    /** POST /apps/{app_id}/in_app_messages (create_in_app_message). Not retried once sent. */
    create: async (appId: string, body: WireInAppMessageBody) =>
      seeded(
        appId,
        await http.request<WireEnvelope<WireIam>>({
          operation: 'create_in_app_message',
          method: 'POST',
          path: path`/apps/${appId}/in_app_messages`,
          body,
          auth: appAuth(appId),
          retry: 'unsafe',
        }),
      ),

    /** PUT /apps/{app_id}/in_app_messages/{id} (update_in_app_message): replaces the whole message. */
    update: async (appId: string, id: string, body: WireInAppMessageBody) =>
      seeded(
        appId,
        await http.request<WireEnvelope<WireIam>>({
          operation: 'update_in_app_message',
          method: 'PUT',
          path: path`/apps/${appId}/in_app_messages/${id}`,
          body,
          auth: appAuth(appId),
          retry: 'idempotent',
        }),
      ),

    /** PUT /apps/{app_id}/in_app_messages/{id}/set_enabled (set_in_app_message_enabled): false pauses, true resumes. */
    setEnabled: (appId: string, id: string, enabled: boolean) =>
      http.request<WireEnvelope<Partial<WireIam> & { enabled?: boolean }>>({
        operation: 'set_in_app_message_enabled',
        method: 'PUT',
        path: path`/apps/${appId}/in_app_messages/${id}/set_enabled`,
        body: { enabled },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** DELETE /apps/{app_id}/in_app_messages/{id} (delete_in_app_message): refused (400) while a journey uses it. */
    delete: (appId: string, id: string) =>
      http.request<WireEnvelope<{ success?: boolean }>>({
        operation: 'delete_in_app_message',
        method: 'DELETE',
        path: path`/apps/${appId}/in_app_messages/${id}`,
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** GET /apps/{app_id}/in_app_messages/{id}/stats (view_in_app_message_stats): all-time totals. */
    stats: (appId: string, id: string, params: InAppMessageStatsParams = {}) =>
      http.request<WireEnvelope<WireInAppMessageStats>>({
        operation: 'view_in_app_message_stats',
        method: 'GET',
        path: path`/apps/${appId}/in_app_messages/${id}/stats`,
        query: {
          group_by: params.groupBy?.length ? params.groupBy.join(',') : undefined,
          click_type: params.clickType,
        },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),
  };
}

/** view_in_app_message, one request description for the read and for the snapshot a write seeds for it. */
const viewInAppMessage = (appId: string, id: string): OperationRequest => ({
  operation: 'view_in_app_message',
  method: 'GET',
  path: path`/apps/${appId}/in_app_messages/${id}`,
  auth: appAuth(appId),
  retry: 'idempotent',
});

/** OneSignal's documented refusal of a delete while a journey shows the message (HTTP 400). */
export const IN_USE_BY_JOURNEY = 'In-App Message is used by a Journey and cannot be deleted';
