import { path, type Requester, userAuth } from './request.js';

/** `disabled`: any address may use the key; `explicit`: only the addresses in `ip_allowlist`. */
export type WireIpAllowlistMode = 'disabled' | 'explicit';

/** One REST API key of an app, as view_api_keys lists it (ApiKeyToken). Never carries the key itself. */
export interface WireApiKeyToken {
  token_id: string;
  /** Label given at creation. */
  name?: string;
  /** ISO 8601. */
  created_at?: string;
  /** ISO 8601. */
  updated_at?: string;
  ip_allowlist_mode?: WireIpAllowlistMode;
  /** IPv4/IPv6 addresses or CIDR ranges allowed with `explicit`. */
  ip_allowlist?: string[];
}

/** view_api_keys's answer (ApiKeyTokensListResponse). */
export interface WireApiKeyTokenList {
  tokens?: WireApiKeyToken[];
}

/** Body of create_api_key and update_api_key (CreateApiKeyRequest / UpdateApiKeyRequest). */
export interface WireApiKeyBody {
  name?: string;
  ip_allowlist_mode?: WireIpAllowlistMode;
  ip_allowlist?: string[];
}

/**
 * create_api_key's and rotate_api_key's answer (CreateApiKeyResponse). `formatted_token` is the key:
 * OneSignal shows it this once, and nothing here stores, caches or logs it.
 */
export interface WireCreatedApiKey {
  token_id: string;
  /** The key, for `Authorization: Key …`. Secret. */
  formatted_token: string;
}

/** An app's REST API keys. Every call is signed with the organization (user auth) key. */
export function apiKeysApi(http: Requester) {
  /** The key joins those redacted from any later error message; the answer is a write's, never cached. */
  const secret = (created: WireCreatedApiKey) => {
    http.rememberSecret(created?.formatted_token);
    return created;
  };
  return {
    /** GET /apps/{app_id}/auth/tokens (view_api_keys): names and allow-lists, no keys. */
    list: (appId: string) =>
      http.request<WireApiKeyTokenList>({
        operation: 'view_api_keys',
        method: 'GET',
        path: path`/apps/${appId}/auth/tokens`,
        auth: userAuth,
        retry: 'idempotent',
      }),

    /** POST /apps/{app_id}/auth/tokens (create_api_key). Not retried once sent: a lost answer is a lost key. */
    create: async (appId: string, body: WireApiKeyBody) =>
      secret(
        await http.request<WireCreatedApiKey>({
          operation: 'create_api_key',
          method: 'POST',
          path: path`/apps/${appId}/auth/tokens`,
          body,
          auth: userAuth,
          retry: 'unsafe',
        }),
      ),

    /** PATCH /apps/{app_id}/auth/tokens/{token_id} (update_api_key): name and allow-list. */
    update: async (appId: string, tokenId: string, body: WireApiKeyBody): Promise<void> => {
      await http.request<unknown>({
        operation: 'update_api_key',
        method: 'PATCH',
        path: path`/apps/${appId}/auth/tokens/${tokenId}`,
        body,
        auth: userAuth,
        retry: 'idempotent',
      });
    },

    /** DELETE /apps/{app_id}/auth/tokens/{token_id} (delete_api_key): the key stops working at once. */
    delete: async (appId: string, tokenId: string): Promise<void> => {
      await http.request<unknown>({
        operation: 'delete_api_key',
        method: 'DELETE',
        path: path`/apps/${appId}/auth/tokens/${tokenId}`,
        auth: userAuth,
        retry: 'idempotent',
      });
    },

    /** POST /apps/{app_id}/auth/tokens/{token_id}/rotate (rotate_api_key): a new key, same id; the old one stops working. */
    rotate: async (appId: string, tokenId: string) =>
      secret(
        await http.request<WireCreatedApiKey>({
          operation: 'rotate_api_key',
          method: 'POST',
          path: path`/apps/${appId}/auth/tokens/${tokenId}/rotate`,
          auth: userAuth,
          retry: 'unsafe',
        }),
      ),
  };
}
