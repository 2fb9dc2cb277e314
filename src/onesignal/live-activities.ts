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

/** iOS Live Activities. Every call is signed with the app's REST API key. */
export function liveActivitiesApi(http: Requester) {
  return {
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
