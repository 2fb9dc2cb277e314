import { ForbiddenError } from '../core/errors.js';
import { API_GROUPS, type OneSignalClient } from '../onesignal/index.js';
import { type Caller, mayAccessApp } from './caller.js';

type AnyMethod = (...args: unknown[]) => unknown;

/**
 * Refuses the whole field when any of `appIds` is outside the caller's allow-list, before anything is
 * loaded: a batch (`nodes`, two aliased `app` fields answered by one `get_apps`) must not quietly
 * answer null for the app the caller may not see.
 */
export function assertMayAccessApps(caller: Caller, appIds: Iterable<string | undefined>): void {
  if (caller.apps === '*') return;
  for (const appId of appIds) {
    if (appId !== undefined && !mayAccessApp(caller, appId))
      throw new ForbiddenError(`Caller "${caller.name}" may not access app ${appId}.`);
  }
}

/**
 * The client one caller's request uses: every app-scoped method (first argument `appId`, which
 * `apps.get`/`apps.update` share) refuses apps outside the caller's allow-list before any request,
 * `apps.list()` answers only the caller's apps, and `apps.create` needs access to every app. Being the
 * only client resolvers and loaders see, it covers every path: nested fields, `node`, mutations.
 */
export function restrictClient(client: OneSignalClient, caller: Caller): OneSignalClient {
  if (caller.apps === '*') return client;
  const denied = (appId: unknown) =>
    new ForbiddenError(
      `Caller "${caller.name}" may not access app ${typeof appId === 'string' ? appId : '(none given)'}.`,
    );
  const restricted: Record<string, unknown> = {};
  for (const namespace of API_GROUPS) {
    const api = client[namespace];
    restricted[namespace] = Object.fromEntries(
      Object.entries(api as Record<string, AnyMethod>).map(([name, method]) => [
        name,
        (appId: unknown, ...rest: unknown[]) =>
          typeof appId === 'string' && mayAccessApp(caller, appId)
            ? method(appId, ...rest)
            : Promise.reject(denied(appId)),
      ]),
    );
  }
  restricted.apps = {
    ...(restricted.apps as object),
    list: async () => (await client.apps.list()).filter((app) => mayAccessApp(caller, app.id)),
    create: () =>
      Promise.reject(
        new ForbiddenError(`Caller "${caller.name}" may not create apps: that needs access to every app.`),
      ),
  };
  // The organization's audit log holds every app's events: only a caller with every app may read it.
  restricted.auditLogs = {
    list: () =>
      Promise.reject(
        new ForbiddenError(
          `Caller "${caller.name}" may not read the organization's audit log: that needs access to every app.`,
        ),
      ),
  };
  return restricted as OneSignalClient;
}
