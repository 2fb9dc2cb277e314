import { appOfApiKey } from './routes/api-keys.js';
import type { AppState, Store } from './store.js';
import { ApiError, fail, isUuid } from './util.js';

const APP_KEY_DENIED =
  "Access denied.  Please include an 'Authorization: ...' header with a valid API key (https://documentation.onesignal.com/docs/accounts-and-keys#app-keys).";
const USER_KEY_DENIED =
  "Access denied.  Please include an 'Authorization: ...' header with a valid User Auth Key (https://documentation.onesignal.com/docs/accounts-and-keys#user-auth-key).";

/** The token of `Authorization: Key|Basic|Bearer <token>`. */
export function tokenOf(header: string | undefined): string | undefined {
  const match = header ? /^\s*(?:key|basic|bearer)\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

export function requireUserKey(header: string | undefined, userAuthKey: string): void {
  if (tokenOf(header) !== userAuthKey) throw new ApiError(403, { errors: [USER_KEY_DENIED] });
}

/** Resolves the app an app-scoped call names and checks the caller holds that app's REST API key. */
export function requireAppKey(store: Store, header: string | undefined, appId: string | undefined): AppState {
  const token = tokenOf(header);
  const denied = new ApiError(403, { errors: [APP_KEY_DENIED] });
  if (!token || (!store.appByKey(token) && !appOfApiKey(store, token))) throw denied;
  if (appId === undefined || appId === '')
    throw fail(400, 'app_id not found. You may be missing a Content-Type: application/json header.');
  if (!isUuid(appId)) throw fail(400, `app_id '${appId}' is not a valid UUID`);
  const app = store.apps.get(appId);
  if (!app) throw fail(400, `app_id not found: no app with id '${appId}'`);
  if (app.app.basic_auth_key !== token && appOfApiKey(store, token) !== app.id) throw denied;
  return app;
}
