import { randomBytes, randomUUID } from 'node:crypto';
import { type Operation, ok } from '../operation.js';
import { presentApp } from '../present.js';
import type { Store } from '../store.js';
import { fail, isObject, isUuid } from '../util.js';

const WRITABLE = new Set([
  'android_gcm_sender_id',
  'gcm_key',
  'chrome_web_origin',
  'chrome_key',
  'chrome_web_default_notification_icon',
  'chrome_web_sub_domain',
  'apns_env',
  'apns_p12',
  'apns_p12_password',
  'apns_key_id',
  'apns_team_id',
  'apns_bundle_id',
  'apns_p8',
  'safari_apns_p12',
  'safari_apns_p12_password',
  'safari_site_origin',
  'safari_icon_256_256',
  'site_name',
  'organization_id',
  'additional_data_is_root_payload',
]);

function applySettings(settings: Record<string, unknown>, body: Record<string, unknown>): void {
  if (
    body.apns_env !== undefined &&
    body.apns_env !== null &&
    body.apns_env !== 'sandbox' &&
    body.apns_env !== 'production'
  )
    throw fail(400, "apns_env must be 'sandbox' or 'production'");
  for (const [key, value] of Object.entries(body)) {
    if (!WRITABLE.has(key)) continue;
    if (value !== null && typeof value === 'object') throw fail(400, `${key} must be a scalar value`);
    settings[key] = value;
  }
}

function appOr404(store: Store, id: string | undefined) {
  if (!isUuid(id)) throw fail(400, `app_id '${id}' is not a valid UUID`);
  const state = id === undefined ? undefined : store.apps.get(id);
  if (!state) throw fail(404, `App with id '${id}' not found`);
  return state;
}

function validName(body: Record<string, unknown>, required: boolean): string | undefined {
  const name = body.name;
  if (name === undefined || name === null) {
    if (required) throw fail(400, 'name is required');
    return undefined;
  }
  if (typeof name !== 'string' || name.trim() === '') throw fail(400, 'name must be a non-empty string');
  return name;
}

export const appOperations: Operation[] = [
  {
    id: 'get_apps',
    method: 'GET',
    path: '/apps',
    auth: 'user',
    handler: ({ store }) => ok([...store.apps.values()].map(presentApp)),
  },
  {
    id: 'create_app',
    method: 'POST',
    path: '/apps',
    auth: 'user',
    handler: ({ store, body }) => {
      const name = validName(body, true) as string;
      const now = new Date().toISOString();
      const settings: Record<string, unknown> = {};
      applySettings(settings, body);
      const state = store.addApp({
        id: randomUUID(),
        name,
        basic_auth_key: `emulator-rest-key-${randomBytes(12).toString('hex')}`,
        created_at: now,
        updated_at: now,
        settings,
      });
      return ok(presentApp(state));
    },
  },
  {
    id: 'get_app',
    method: 'GET',
    path: '/apps/:app_id',
    auth: 'user',
    handler: ({ store, params }) => ok(presentApp(appOr404(store, params.app_id))),
  },
  {
    id: 'update_app',
    method: 'PUT',
    path: '/apps/:app_id',
    auth: 'user',
    handler: ({ store, params, body }) => {
      const state = appOr404(store, params.app_id);
      if (!isObject(body)) throw fail(400, 'Body must be an App object');
      const name = validName(body, false);
      applySettings(state.app.settings, body);
      if (name !== undefined) state.app.name = name;
      state.app.updated_at = new Date().toISOString();
      return ok(presentApp(state));
    },
  },
];
