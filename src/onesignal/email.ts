import { appAuth, path, type Requester } from './request.js';

/** unsubscribe_email_with_token's answer: OneSignal sends `success` as the string `"true"`. */
export interface WireUnsubscribeResult {
  success?: boolean | string;
}

/** One window of get_email_reputation (EmailReputationWindow): rates as fractions of the emails sent. */
export interface WireEmailReputationWindow {
  /** Bounced emails / sent emails in the window, 0–1. */
  bounce_rate?: number;
  /** Spam complaints / delivered emails in the window, 0–1. */
  complaint_rate?: number;
}

/** get_email_reputation's answer (EmailReputationResponse). */
export interface WireEmailReputation {
  last_24_hours?: WireEmailReputationWindow;
  last_7_days?: WireEmailReputationWindow;
  last_30_days?: WireEmailReputationWindow;
}

/** OneSignal Email: unsubscribes and sender reputation. Every call is signed with the app's REST API key. */
export function emailApi(http: Requester) {
  return {
    /**
     * POST /apps/{app_id}/notifications/{notification_id}/unsubscribe?token= (unsubscribe_email_with_token):
     * disables the email subscription the token (`{{subscription.unsubscribe_token}}` in the email)
     * names. Unsubscribing twice leaves it unsubscribed, so it is retried.
     */
    unsubscribe: (appId: string, notificationId: string, token: string) =>
      http.request<WireUnsubscribeResult>({
        operation: 'unsubscribe_email_with_token',
        method: 'POST',
        path: path`/apps/${appId}/notifications/${notificationId}/unsubscribe`,
        query: { token },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** GET /apps/{app_id}/email_analytics/delivery_metrics (get_email_reputation): bounce and complaint rates. */
    reputation: (appId: string) =>
      http.request<WireEmailReputation>({
        operation: 'get_email_reputation',
        method: 'GET',
        path: path`/apps/${appId}/email_analytics/delivery_metrics`,
        auth: appAuth(appId),
        retry: 'idempotent',
      }),
  };
}
