import { appAuth, path, type Requester } from './request.js';

/** Body of update_live_activity (UpdateLiveActivityRequest). */
export interface WireUpdateLiveActivityBody {
  /** What is being updated. */
  name: 'headings' | 'contents' | 'ios_sound' | 'priority_level';
  event: 'update' | 'end';
  /** The activity's content-state, matching the app's ActivityAttributes. */
  event_updates: Record<string, unknown>;
  /** Unix seconds; only with `event: 'end'`. */
  dismiss_at?: number;
}

/** update_live_activity's answer. */
export interface WireUpdateLiveActivityResult {
  notification_id?: string;
  errors?: string[] | { invalid_player_ids?: string[]; invalid_external_user_ids?: string[] };
}

/** Body of begin_live_activity (BeginLiveActivityRequest). */
export interface WireBeginLiveActivityBody {
  /** The activity's APNs push token. */
  push_token: string;
  subscription_id: string;
}

/**
 * Body of start_live_activity (StartLiveActivityRequest): a push-to-start (iOS 17.2+). Exactly one
 * targeting mode: `include_aliases`, `include_subscription_ids`, `included_segments` (with
 * `excluded_segments`) or `filters`.
 */
export interface WireStartLiveActivityBody {
  event: 'start';
  /** Your id for the new activity; update_live_activity names it later. */
  activity_id: string;
  /** Internal name of the message, at most 128 characters. */
  name: string;
  /** The activity's static ActivityAttributes. */
  event_attributes: Record<string, unknown>;
  /** The activity's initial ContentState. */
  event_updates: Record<string, unknown>;
  /** Alert text per language; `en` required. */
  contents: Record<string, string>;
  /** Alert title per language; the same languages as `contents`. */
  headings: Record<string, string>;
  /** Unix seconds after which the activity is stale. */
  stale_date?: number;
  /** APNs priority: 5 (normal) or 10 (high). */
  priority?: number;
  /** 0–1: which activity the Dynamic Island shows first. */
  ios_relevance_score?: number;
  /** RFC 9562 UUID; a repeat within 30 days answers with the first send. */
  idempotency_key?: string;
  include_aliases?: Record<string, string[]>;
  include_subscription_ids?: string[];
  included_segments?: string[];
  excluded_segments?: string[];
  filters?: unknown[];
}

/** start_live_activity's answer (201). */
export interface WireStartLiveActivityResult {
  /** The notification carrying the push-to-start. */
  notification_id?: string;
}

/** iOS Live Activities. Every call is signed with the app's REST API key. */
export function liveActivitiesApi(http: Requester) {
  return {
    /**
     * POST /apps/{app_id}/activities/activity/{activity_type} (start_live_activity): starts an activity
     * of the type your app declares (its ActivityAttributes struct name) on the targeted devices. A
     * send: not retried once sent unless it carries an idempotency key, which makes a repeat harmless.
     */
    start: (appId: string, activityType: string, body: WireStartLiveActivityBody) =>
      http.request<WireStartLiveActivityResult>({
        operation: 'start_live_activity',
        method: 'POST',
        path: path`/apps/${appId}/activities/activity/${activityType}`,
        body,
        auth: appAuth(appId),
        retry: body.idempotency_key ? 'idempotent' : 'unsafe',
      }),

    /** POST /apps/{app_id}/live_activities/{activity_id}/notifications (update_live_activity). Sends a push: not retried once sent. */
    update: (appId: string, activityId: string, body: WireUpdateLiveActivityBody) =>
      http.request<WireUpdateLiveActivityResult>({
        operation: 'update_live_activity',
        method: 'POST',
        path: path`/apps/${appId}/live_activities/${activityId}/notifications`,
        body,
        auth: appAuth(appId),
        retry: 'unsafe',
      }),

    /**
     * POST /apps/{app_id}/live_activities/{activity_id}/token (begin_live_activity): answers 204.
     * Registering the same token for the same subscription again changes nothing, so it is retried.
     */
    begin: async (appId: string, activityId: string, body: WireBeginLiveActivityBody): Promise<void> => {
      await http.request<unknown>({
        operation: 'begin_live_activity',
        method: 'POST',
        path: path`/apps/${appId}/live_activities/${activityId}/token`,
        body,
        auth: appAuth(appId),
        retry: 'idempotent',
      });
    },

    /** DELETE /apps/{app_id}/live_activities/{activity_id}/token/{subscription_id} (end_live_activity): answers 204. */
    end: async (appId: string, activityId: string, subscriptionId: string): Promise<void> => {
      await http.request<unknown>({
        operation: 'end_live_activity',
        method: 'DELETE',
        path: path`/apps/${appId}/live_activities/${activityId}/token/${subscriptionId}`,
        auth: appAuth(appId),
        retry: 'idempotent',
      });
    },
  };
}
