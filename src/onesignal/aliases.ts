import type { AliasRef } from './common.js';
import { appAuth, path, type Requester } from './request.js';
import type { WireIdentity } from './users.js';

/** `{ identity }` answers (UserIdentityResponse). */
export interface WireIdentityResult {
  identity?: WireIdentity;
}

const identityPath = (appId: string, alias: AliasRef) =>
  path`/apps/${appId}/users/by/${alias.label}/${alias.id}/identity`;
const subscriptionIdentityPath = (appId: string, subscriptionId: string) =>
  path`/apps/${appId}/subscriptions/${subscriptionId}/user/identity`;

/** A user's aliases. Every call is signed with the app's REST API key. */
export function aliasesApi(http: Requester) {
  return {
    /** GET …/users/by/{alias_label}/{alias_id}/identity (fetch_user_identity). */
    getByUser: (appId: string, alias: AliasRef) =>
      http.request<WireIdentityResult>({
        operation: 'fetch_user_identity',
        method: 'GET',
        path: identityPath(appId, alias),
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** GET /apps/{app_id}/subscriptions/{subscription_id}/user/identity (fetch_aliases). */
    getBySubscription: (appId: string, subscriptionId: string) =>
      http.request<WireIdentityResult>({
        operation: 'fetch_aliases',
        method: 'GET',
        path: subscriptionIdentityPath(appId, subscriptionId),
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** PATCH …/users/by/{alias_label}/{alias_id}/identity (identify_user_by_alias): upserts aliases. */
    setByUser: (appId: string, alias: AliasRef, identity: WireIdentity) =>
      http.request<WireIdentityResult>({
        operation: 'identify_user_by_alias',
        method: 'PATCH',
        path: identityPath(appId, alias),
        body: { identity },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** PATCH /apps/{app_id}/subscriptions/{subscription_id}/user/identity (identify_user_by_subscription_id). */
    setBySubscription: (appId: string, subscriptionId: string, identity: WireIdentity) =>
      http.request<WireIdentityResult>({
        operation: 'identify_user_by_subscription_id',
        method: 'PATCH',
        path: subscriptionIdentityPath(appId, subscriptionId),
        body: { identity },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** DELETE …/identity/{alias_label_to_delete} (delete_alias): answers the remaining aliases. */
    delete: (appId: string, alias: AliasRef, labelToDelete: string) =>
      http.request<WireIdentityResult>({
        operation: 'delete_alias',
        method: 'DELETE',
        path: path`/apps/${appId}/users/by/${alias.label}/${alias.id}/identity/${labelToDelete}`,
        auth: appAuth(appId),
        retry: 'idempotent',
      }),
  };
}
