import type { AliasRef } from './common.js';
import { appAuth, path, type Requester } from './request.js';
import type { WireIdentity, WireSubscription } from './users.js';

/** An in-app message the SDK may display; the spec leaves its shape open. */
export type WireInAppMessage = Record<string, unknown>;

/** Body of create_subscription (CreateSubscriptionRequestBody). */
export interface WireCreateSubscriptionBody {
  subscription: WireSubscription;
  /** Keep the subscription on its current user when the token already exists elsewhere. */
  retain_previous_owner?: boolean;
}

export interface WireSubscriptionResult {
  subscription?: WireSubscription;
}

export interface WireEligibleInAppMessages {
  in_app_messages?: WireInAppMessage[];
}

/** Subscriptions (v2). Every call is signed with the app's REST API key. */
export function subscriptionsApi(http: Requester) {
  return {
    /** POST …/users/by/{alias_label}/{alias_id}/subscriptions (create_subscription). Not retried once sent. */
    create: (appId: string, alias: AliasRef, body: WireCreateSubscriptionBody) =>
      http.request<WireSubscriptionResult>({
        operation: 'create_subscription',
        method: 'POST',
        path: path`/apps/${appId}/users/by/${alias.label}/${alias.id}/subscriptions`,
        body,
        auth: appAuth(appId),
        retry: 'unsafe',
      }),

    /** PATCH /apps/{app_id}/subscriptions/{subscription_id} (update_subscription): answers 202, no body. */
    update: async (
      appId: string,
      subscriptionId: string,
      body: { subscription: WireSubscription },
    ): Promise<void> => {
      await http.request<unknown>({
        operation: 'update_subscription',
        method: 'PATCH',
        path: path`/apps/${appId}/subscriptions/${subscriptionId}`,
        body,
        auth: appAuth(appId),
        retry: 'idempotent',
      });
    },

    /**
     * PATCH /apps/{app_id}/subscriptions_by_token/{token_type}/{token} (update_subscription_by_token):
     * the subscription named by its type and push token, email address or phone number; answers 202.
     */
    updateByToken: async (
      appId: string,
      tokenType: string,
      token: string,
      body: { subscription: WireSubscription },
    ): Promise<void> => {
      await http.request<unknown>({
        operation: 'update_subscription_by_token',
        method: 'PATCH',
        path: path`/apps/${appId}/subscriptions_by_token/${tokenType}/${token}`,
        body,
        auth: appAuth(appId),
        retry: 'idempotent',
      });
    },

    /** DELETE /apps/{app_id}/subscriptions/{subscription_id} (delete_subscription): answers 202, no body. */
    delete: async (appId: string, subscriptionId: string): Promise<void> => {
      await http.request<unknown>({
        operation: 'delete_subscription',
        method: 'DELETE',
        path: path`/apps/${appId}/subscriptions/${subscriptionId}`,
        auth: appAuth(appId),
        retry: 'idempotent',
      });
    },

    /** PATCH /apps/{app_id}/subscriptions/{subscription_id}/owner (transfer_subscription): moves it to the user with `identity`. */
    transfer: (appId: string, subscriptionId: string, identity: WireIdentity) =>
      http.request<{ identity?: WireIdentity }>({
        operation: 'transfer_subscription',
        method: 'PATCH',
        path: path`/apps/${appId}/subscriptions/${subscriptionId}/owner`,
        body: { identity },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** GET /apps/{app_id}/subscriptions/{subscription_id}/iams (get_eligible_iams). */
    eligibleInAppMessages: (appId: string, subscriptionId: string) =>
      http.request<WireEligibleInAppMessages>({
        operation: 'get_eligible_iams',
        method: 'GET',
        path: path`/apps/${appId}/subscriptions/${subscriptionId}/iams`,
        auth: appAuth(appId),
        retry: 'idempotent',
      }),
  };
}
