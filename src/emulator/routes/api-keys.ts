import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type Operation, ok } from '../operation.js';
import type { AppState, Store } from '../store.js';
import type { ApiKeyRecord } from '../types.js';
import { fail, isObject } from '../util.js';

/** The hash the emulator keeps of a key (see `ApiKeyRecord`). */
const hashKey = (token: string) => createHash('sha256').update(token).digest('hex');

/** The app a created (and neither deleted nor rotated-away) key belongs to. */
export function appOfApiKey(store: Store, token: string): string | undefined {
  return store.apiKeyOwners.get(hashKey(token));
}

const MAX_KEYS_PER_APP = 50;
const IP_OR_CIDR = /^(?:(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?|[0-9a-f:]*:[0-9a-f:.]*(?:\/\d{1,3})?)$/i;

/** A key in OneSignal's current format (`os_v2_app_` + base32). */
const newToken = () =>
  `os_v2_app_${randomBytes(40)
    .toString('base64')
    .replace(/[^a-z2-7]/gi, '')
    .toLowerCase()
    .slice(0, 52)}`;

function appOr404(store: Store, appId: string | undefined): AppState {
  const app = appId ? store.apps.get(appId) : undefined;
  if (!app) throw fail(404, `App with id '${appId}' not found`);
  return app;
}

function keyOr404(store: Store, appId: string | undefined, tokenId: string | undefined) {
  const app = appOr404(store, appId);
  const key = app.apiKeys.get(tokenId ?? '');
  if (!key) throw fail(404, `API key with id '${tokenId}' not found`);
  return { app, key };
}

/** Validates name and allow-list fields of a create or update body; `creating` requires a name. */
function keyFields(body: Record<string, unknown>, creating: boolean): Partial<ApiKeyRecord> {
  const out: Partial<ApiKeyRecord> = {};
  if (body.name !== undefined || creating) {
    if (typeof body.name !== 'string' || body.name.trim() === '') throw fail(400, 'name is required');
    if (body.name.length > 128) throw fail(400, 'name must be at most 128 characters');
    out.name = body.name;
  }
  if (body.ip_allowlist_mode !== undefined) {
    if (body.ip_allowlist_mode !== 'disabled' && body.ip_allowlist_mode !== 'explicit')
      throw fail(400, "ip_allowlist_mode must be 'disabled' or 'explicit'");
    out.ip_allowlist_mode = body.ip_allowlist_mode;
  }
  if (body.ip_allowlist !== undefined) {
    const list = body.ip_allowlist;
    if (!Array.isArray(list) || list.some((ip) => typeof ip !== 'string' || !IP_OR_CIDR.test(ip)))
      throw fail(400, 'ip_allowlist must be an array of IP addresses or CIDR ranges');
    out.ip_allowlist = list as string[];
  }
  return out;
}

const present = (k: ApiKeyRecord) => ({
  token_id: k.token_id,
  name: k.name,
  created_at: k.created_at,
  updated_at: k.updated_at,
  ip_allowlist_mode: k.ip_allowlist_mode,
  ip_allowlist: k.ip_allowlist,
});

function checkAllowlist(key: Pick<ApiKeyRecord, 'ip_allowlist_mode' | 'ip_allowlist'>): void {
  if (key.ip_allowlist_mode === 'explicit' && key.ip_allowlist.length === 0)
    throw fail(400, "ip_allowlist must list at least one address when ip_allowlist_mode is 'explicit'");
}

/** App REST API keys (current API): managed with the organization key; the emulator accepts live ones as app keys. */
export const apiKeyOperations: Operation[] = [
  {
    id: 'view_api_keys',
    method: 'GET',
    path: '/apps/:app_id/auth/tokens',
    auth: 'user',
    handler: ({ store, params }) => {
      const app = appOr404(store, params.app_id);
      const keys = [...app.apiKeys.values()];
      return ok({ tokens: keys.map(present) });
    },
  },
  {
    id: 'create_api_key',
    method: 'POST',
    path: '/apps/:app_id/auth/tokens',
    auth: 'user',
    handler: ({ store, params, body }) => {
      const app = appOr404(store, params.app_id);
      const fields = keyFields(body, true);
      if (app.apiKeys.size >= MAX_KEYS_PER_APP)
        throw fail(400, `An app may have at most ${MAX_KEYS_PER_APP} API keys`);
      const at = new Date().toISOString();
      // Answered once, here; only its hash is kept.
      const token = newToken();
      const key: ApiKeyRecord = {
        token_id: randomUUID(),
        name: fields.name as string,
        created_at: at,
        updated_at: at,
        ip_allowlist_mode: fields.ip_allowlist_mode ?? 'disabled',
        ip_allowlist: fields.ip_allowlist ?? [],
        token_sha256: hashKey(token),
      };
      checkAllowlist(key);
      app.apiKeys.set(key.token_id, key);
      store.apiKeyOwners.set(key.token_sha256, app.id);
      return ok({ token_id: key.token_id, formatted_token: token });
    },
  },
  {
    id: 'update_api_key',
    method: 'PATCH',
    path: '/apps/:app_id/auth/tokens/:token_id',
    auth: 'user',
    handler: ({ store, params, body }) => {
      const { key } = keyOr404(store, params.app_id, params.token_id);
      if (!isObject(body) || Object.keys(body).length === 0) throw fail(400, 'Nothing to update');
      const fields = keyFields(body, false);
      checkAllowlist({ ...key, ...fields });
      Object.assign(key, fields, { updated_at: new Date().toISOString() });
      return ok({});
    },
  },
  {
    id: 'delete_api_key',
    method: 'DELETE',
    path: '/apps/:app_id/auth/tokens/:token_id',
    auth: 'user',
    handler: ({ store, params }) => {
      const { app, key } = keyOr404(store, params.app_id, params.token_id);
      app.apiKeys.delete(key.token_id);
      store.apiKeyOwners.delete(key.token_sha256);
      return ok({});
    },
  },
  {
    id: 'rotate_api_key',
    method: 'POST',
    path: '/apps/:app_id/auth/tokens/:token_id/rotate',
    auth: 'user',
    handler: ({ store, params }) => {
      const { app, key } = keyOr404(store, params.app_id, params.token_id);
      store.apiKeyOwners.delete(key.token_sha256);
      const token = newToken();
      key.token_sha256 = hashKey(token);
      key.updated_at = new Date().toISOString();
      store.apiKeyOwners.set(key.token_sha256, app.id);
      return ok({ token_id: key.token_id, formatted_token: token });
    },
  },
];
