import { ValidationError } from './errors.js';

/**
 * Global ids are `base64url("Type:appId/resourceId")` (just `Type:appId` for apps). OneSignal needs the
 * app id to fetch almost anything, so it travels inside the id and `node(id:)` can refetch any object.
 * Clients must treat ids as opaque.
 */
export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64url');
}

export function decodeGlobalId(globalId: string): { typename: string; id: string } | null {
  if (!/^[A-Za-z0-9_-]+$/.test(globalId)) return null;
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) return null;
  const typename = text.slice(0, colon);
  if (!/^[A-Z][A-Za-z]*$/.test(typename)) return null;
  return { typename, id: text.slice(colon + 1) };
}

export interface AppScopedKey {
  appId: string;
  id: string;
}

/** The local part of an app-scoped node id. */
export const appScopedId = (appId: string, id: string) => `${appId}/${id}`;

/** The global id of an app-scoped node of `typename`; the inverse of `parseNodeId`. */
export const encodeNodeId = (typename: string, key: AppScopedKey) =>
  encodeGlobalId(typename, appScopedId(key.appId, key.id));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

/** Parses the local part written by `appScopedId`; `null` when it is not one (rejected before any upstream call). */
export function parseAppScopedId(local: string): AppScopedKey | null {
  const slash = local.indexOf('/');
  if (slash < 0) return null;
  const appId = local.slice(0, slash);
  const id = local.slice(slash + 1);
  if (!isUuid(appId) || !id) return null;
  return { appId, id };
}

/**
 * The app a decoded global id belongs to (lower case), or undefined when it names none. The relay
 * plugin hands over the local id as the node type's `parse` returned it: an app id string for apps,
 * an `AppScopedKey` for everything else.
 */
export function appIdOfNode(decoded: { typename: string; id: unknown }): string | undefined {
  const local = decoded.id;
  const appId =
    typeof local === 'string'
      ? decoded.typename === 'App'
        ? local
        : parseAppScopedId(local)?.appId
      : (local as Partial<AppScopedKey> | null)?.appId;
  return typeof appId === 'string' && isUuid(appId) ? appId.toLowerCase() : undefined;
}

export interface NodeIdOptions {
  /** Whether the resource id is a UUID (checked, then lower-cased like the app id). True for every type so far. */
  uuid?: boolean;
}

/** `parseAppScopedId`, plus the UUID check and lower-casing of `NodeIdOptions`. */
function nodeKey(local: string, { uuid = true }: NodeIdOptions): AppScopedKey | null {
  const key = parseAppScopedId(local);
  if (!key || (uuid && !isUuid(key.id))) return null;
  return { appId: key.appId.toLowerCase(), id: uuid ? key.id.toLowerCase() : key.id };
}

const notAnId = (path: string[], globalId: string, typename: string) =>
  ValidationError.field(path, `"${globalId}" is not a ${typename} id issued by this API.`);

/** Parses the local part of an app-scoped node id of `typename`, as `builder.node`'s `id.parse` receives it. */
export function parseLocalId(
  local: string,
  typename: string,
  path: string[] = ['id'],
  options: NodeIdOptions = {},
): AppScopedKey {
  const key = nodeKey(local, options);
  if (!key) throw notAnId(path, encodeGlobalId(typename, local), typename);
  return key;
}

/**
 * Parses the global id of an app-scoped node of `typename` given in a mutation input.
 * Throws a ValidationError naming `path` otherwise, before any upstream call.
 */
export function parseNodeId(
  value: string,
  typename: string,
  path: string[],
  options: NodeIdOptions = {},
): AppScopedKey {
  const decoded = decodeGlobalId(value);
  const key = decoded?.typename === typename ? nodeKey(decoded.id, options) : null;
  if (!key) throw notAnId(path, value, typename);
  return key;
}

/** Description of the `appId` input of every mutation that acts on (or creates something in) an app. */
export const APP_REF_DESCRIPTION = 'The app: its `App.id` or its OneSignal app id.';

/**
 * Resolves an app reference given in a mutation input: the App's global id, or its OneSignal app id.
 * Throws a ValidationError naming `path` otherwise, before any upstream call.
 */
export function parseAppRef(value: string, path: string[]): string {
  if (isUuid(value)) return value.toLowerCase();
  const decoded = decodeGlobalId(value);
  if (decoded?.typename === 'App' && isUuid(decoded.id)) return decoded.id.toLowerCase();
  throw ValidationError.field(path, `"${value}" is neither an App id nor a OneSignal app id (UUID).`);
}
