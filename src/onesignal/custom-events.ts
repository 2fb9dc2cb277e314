import { appAuth, path, type Requester } from './request.js';

/** One user action (CustomEvent). Names the user by `external_id` or `onesignal_id` (one is required). */
export interface WireCustomEvent {
  /** The event's name, at most 128 characters. */
  name: string;
  external_id?: string;
  onesignal_id?: string;
  /** ISO 8601; now when omitted (OneSignal also moves dates too far in the past to now). */
  timestamp?: string;
  /** Properties of the event, e.g. `{ "sku": "A-1", "price": 12.5 }`. */
  payload?: Record<string, unknown>;
}

/** Body of create_custom_events (CustomEventsRequest). */
export interface WireCustomEventsBody {
  events: WireCustomEvent[];
}

/** One event OneSignal could not process (from a 202 answer); the others were recorded. */
export interface WireCustomEventError {
  /** The `external_id` or `onesignal_id` the event named. */
  event_user_id?: string;
  event_id?: string;
  error?: { code?: string; title?: string };
}

/** create_custom_events's answer: `{}` (200) when every event was recorded, `errors` (202) for those that were not. */
export interface WireCustomEventsResult {
  errors?: WireCustomEventError[];
}

/** Custom events (current API). Signed with the app's REST API key. */
export function customEventsApi(http: Requester) {
  return {
    /**
     * POST /apps/{app_id}/custom_events (create_custom_events). Not retried once sent: events carry no
     * idempotency key, so a repeat could record them twice.
     */
    create: async (appId: string, body: WireCustomEventsBody): Promise<WireCustomEventsResult> =>
      (await http.request<WireCustomEventsResult | undefined>({
        operation: 'create_custom_events',
        method: 'POST',
        path: path`/apps/${appId}/custom_events`,
        body,
        auth: appAuth(appId),
        retry: 'unsafe',
      })) ?? {},
  };
}
