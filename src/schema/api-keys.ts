import { ValidationError } from '../core/errors.js';
import {
  APP_REF_DESCRIPTION,
  type AppScopedKey,
  appScopedId,
  encodeNodeId,
  parseAppRef,
  parseLocalId,
  parseNodeId,
} from '../core/ids.js';
import type { WireApiKeyBody, WireApiKeyToken, WireCreatedApiKey } from '../onesignal/index.js';
import { AppRef, belongingApp } from './apps.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { mutationResult, UPSTREAM_ERRORS } from './error-types.js';
import { fromIso } from './time.js';
import { upstream } from './upstream-errors.js';

/** An app's key as listed: metadata only. The key itself is in no type but the create/rotate payloads. */
interface AppApiKey {
  appId: string;
  wire: WireApiKeyToken;
}

/** Readers of key metadata: those who may manage keys see what they manage. */
const READ_SCOPES = { 'apikeys:read': true, 'apikeys:write': true } as const;
const ID_OPTIONS = { uuid: false };

/**
 * One view_api_keys per app and request, shared by `App.apiKeys`, `node` and the payloads. Loaders
 * live per request too; this list has no batch endpoint, so a memo on the request's context is the loader.
 */
const keyLists = new WeakMap<Context, Map<string, Promise<AppApiKey[]>>>();

function apiKeysOf(ctx: Context, appId: string): Promise<AppApiKey[]> {
  let lists = keyLists.get(ctx);
  if (!lists) {
    lists = new Map();
    keyLists.set(ctx, lists);
  }
  const app = appId.toLowerCase();
  let list = lists.get(app);
  if (!list) {
    list = upstream(ctx.client.apiKeys.list(app)).then((answer) =>
      (answer?.tokens ?? []).map((wire) => ({ appId: app, wire })),
    );
    lists.set(app, list);
    list.catch(() => lists?.delete(app));
  }
  return list;
}

const forgetApiKeys = (ctx: Context, appId: string) => keyLists.get(ctx)?.delete(appId.toLowerCase());

async function apiKeyOrNull(ctx: Context, key: AppScopedKey): Promise<AppApiKey | null> {
  return (await apiKeysOf(ctx, key.appId)).find((k) => k.wire.token_id === key.id) ?? null;
}

export const ApiKeyIpAllowlistModeEnum = builder.enumType('ApiKeyIpAllowlistMode', {
  description: 'Which network addresses may use an API key.',
  values: {
    DISABLED: { value: 'disabled', description: 'Any address may use the key.' },
    EXPLICIT: { value: 'explicit', description: 'Only the addresses and ranges in `ipAllowlist`.' },
  } as const,
});

export const ApiKeyRef = builder.objectRef<AppApiKey>('ApiKey');

builder.node(ApiKeyRef, {
  authScopes: READ_SCOPES,
  description:
    "A REST API key of an app (the current API's Rich Authentication keys): its name and IP allow-list. The key itself is shown only once, by `apiKeyCreate` and `apiKeyRotate`.",
  id: {
    resolve: (k) => appScopedId(k.appId, k.wire.token_id),
    parse: (local) => parseLocalId(local, 'ApiKey', ['id'], ID_OPTIONS),
  },
  loadOne: (key, ctx) => apiKeyOrNull(ctx, key),
  fields: (t) => ({
    oneSignalId: t.string({
      description: "OneSignal's id of the key (`token_id`), as the dashboard and REST name it.",
      resolve: (k) => k.wire.token_id,
    }),
    name: t.string({
      nullable: true,
      description: 'The label given to the key; null when OneSignal reports none.',
      resolve: (k) => k.wire.name ?? null,
    }),
    ipAllowlistMode: t.field({
      type: ApiKeyIpAllowlistModeEnum,
      description: 'Whether the key is limited to `ipAllowlist`.',
      resolve: (k) => (k.wire.ip_allowlist_mode === 'explicit' ? 'explicit' : 'disabled'),
    }),
    ipAllowlist: t.stringList({
      description: 'IP addresses and CIDR ranges that may use the key when `ipAllowlistMode` is EXPLICIT.',
      resolve: (k) => k.wire.ip_allowlist ?? [],
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the key was created.',
      resolve: (k) => fromIso(k.wire.created_at),
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the key was last renamed, restricted or rotated.',
      resolve: (k) => fromIso(k.wire.updated_at),
    }),
    app: t.field({
      type: AppRef,
      description: 'The app the key signs calls for.',
      resolve: (k, _args, ctx, info) => belongingApp(ctx, k.appId, info),
    }),
  }),
});

builder.objectFields(AppRef, (t) => ({
  apiKeys: t.field({
    type: [ApiKeyRef],
    skipTypeScopes: true,
    authScopes: READ_SCOPES,
    description:
      "The app's REST API keys, without the keys themselves (view_api_keys; needs the organization key). A short list, not paged.",
    resolve: (app, _args, ctx) => apiKeysOf(ctx, app.id),
  }),
}));

// --- Mutations -------------------------------------------------------------------------------------

/** What create and rotate return: the new key, this once, and a way to the key's metadata. */
interface IssuedKey {
  appId: string;
  issued: WireCreatedApiKey;
}

function issuedPayload(name: 'Create' | 'Rotate') {
  const ref = builder.objectRef<IssuedKey>(`ApiKey${name}Payload`);
  ref.implement({
    description: `The result of \`apiKey${name}\`: the key itself, shown this once, and its metadata.`,
    fields: (t) => ({
      token: t.string({
        description:
          'The key, for `Authorization: Key …`. Shown only in this answer: store it now, it cannot be read again (this API neither keeps nor logs it).',
        resolve: (p) => p.issued.formatted_token,
      }),
      apiKeyId: t.id({
        description:
          'Global id of the key (`ApiKey.id`), for `apiKeyUpdate`, `apiKeyRotate` and `apiKeyDelete`.',
        resolve: (p) => encodeNodeId('ApiKey', { appId: p.appId, id: p.issued.token_id }),
      }),
      apiKey: t.field({
        type: ApiKeyRef,
        nullable: true,
        description:
          'Name, allow-list and times of the key, read afresh (one view_api_keys when selected); null if it was deleted meanwhile.',
        resolve: (p, _args, ctx) => apiKeyOrNull(ctx, { appId: p.appId, id: p.issued.token_id }),
      }),
    }),
  });
  return ref;
}
const ApiKeyCreatePayloadRef = issuedPayload('Create');
const ApiKeyRotatePayloadRef = issuedPayload('Rotate');

const ApiKeyUpdatePayloadRef = builder.objectRef<AppScopedKey>('ApiKeyUpdatePayload').implement({
  description: 'The result of `apiKeyUpdate`.',
  fields: (t) => ({
    apiKey: t.field({
      type: ApiKeyRef,
      nullable: true,
      description: 'The key as OneSignal now lists it (one view_api_keys); null if it was deleted meanwhile.',
      resolve: (key, _args, ctx) => apiKeyOrNull(ctx, key),
    }),
  }),
});

interface KeyFieldsInput {
  name?: string | null;
  ipAllowlistMode?: 'disabled' | 'explicit' | null;
  ipAllowlist?: string[] | null;
}

builder.mutationFields((t) => {
  const keyFields = (nameRequired: boolean) => ({
    name: t.input.string({
      required: nameRequired,
      description: 'A label for the key, 1–128 characters.',
    }),
    ipAllowlistMode: t.input.field({
      type: ApiKeyIpAllowlistModeEnum,
      description: 'Limit the key to `ipAllowlist` (EXPLICIT) or not (DISABLED, the default for a new key).',
    }),
    ipAllowlist: t.input.stringList({
      description: 'IP addresses or CIDR ranges that may use the key; needed with EXPLICIT.',
    }),
  });
  const errors = (name: string, what: string) => {
    const mutation = `${name.charAt(0).toLowerCase()}${name.slice(1)}`;
    return mutationResult(
      mutation,
      UPSTREAM_ERRORS,
      `What \`${mutation}\` returns: ${what}, or a \`ValidationError\`, \`NotFoundError\`, \`RateLimitedError\` or \`UpstreamError\`.`,
    );
  };
  return {
    apiKeyCreate: t.fieldWithInput({
      authScopes: { 'apikeys:write': true },
      description:
        'Creates a REST API key for an app (create_api_key; needs the organization key). The key is in the answer, once.',
      input: {
        appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
        ...keyFields(true),
      },
      type: ApiKeyCreatePayloadRef,
      typeOptions: { description: 'Input of `apiKeyCreate`: the app, a name and an optional IP allow-list.' },
      errors: errors('ApiKeyCreate', 'the new key, shown once'),
      resolve: async (_root, { input }, ctx) => {
        const appId = parseAppRef(input.appId, ['input', 'appId']);
        const body = toApiKeyBody(input, true);
        const issued = await upstream(ctx.client.apiKeys.create(appId, body));
        forgetApiKeys(ctx, appId);
        return { appId, issued };
      },
    }),
    apiKeyUpdate: t.fieldWithInput({
      authScopes: { 'apikeys:write': true },
      description:
        'Renames a key or changes its IP allow-list (update_api_key). Omitted fields stay as they are.',
      input: {
        id: t.input.id({ required: true, description: 'The key to change (`ApiKey.id`).' }),
        ...keyFields(false),
      },
      type: ApiKeyUpdatePayloadRef,
      typeOptions: { description: 'Input of `apiKeyUpdate`: the key and what to change.' },
      errors: errors('ApiKeyUpdate', 'the changed key'),
      resolve: async (_root, { input }, ctx) => {
        const key = parseNodeId(input.id, 'ApiKey', ['input', 'id'], ID_OPTIONS);
        const body = toApiKeyBody(input, false);
        if (Object.keys(body).length === 0)
          throw ValidationError.field(['input'], 'set at least one field to change.');
        await upstream(ctx.client.apiKeys.update(key.appId, key.id, body));
        forgetApiKeys(ctx, key.appId);
        return key;
      },
    }),
    apiKeyRotate: t.fieldWithInput({
      authScopes: { 'apikeys:write': true },
      description:
        'Replaces a key with a new one under the same id (rotate_api_key): the old key stops working at once; the new one is in the answer, once.',
      input: { id: t.input.id({ required: true, description: 'The key to rotate (`ApiKey.id`).' }) },
      type: ApiKeyRotatePayloadRef,
      typeOptions: { description: 'Input of `apiKeyRotate`: the key to replace.' },
      errors: errors('ApiKeyRotate', 'the new key, shown once'),
      resolve: async (_root, { input }, ctx) => {
        const key = parseNodeId(input.id, 'ApiKey', ['input', 'id'], ID_OPTIONS);
        const issued = await upstream(ctx.client.apiKeys.rotate(key.appId, key.id));
        forgetApiKeys(ctx, key.appId);
        return { appId: key.appId, issued };
      },
    }),
    apiKeyDelete: t.fieldWithInput({
      authScopes: { 'apikeys:write': true },
      description: 'Deletes a key (delete_api_key): calls signed with it fail from then on.',
      input: { id: t.input.id({ required: true, description: 'The key to delete (`ApiKey.id`).' }) },
      type: builder.simpleObject('ApiKeyDeletePayload', {
        description: 'The result of `apiKeyDelete`.',
        fields: (f) => ({
          deletedApiKeyId: f.id({
            description: 'Global id of the deleted key, for evicting it from client caches.',
          }),
        }),
      }),
      typeOptions: { description: 'Input of `apiKeyDelete`: the key to delete.' },
      errors: errors('ApiKeyDelete', 'the id of the deleted key'),
      resolve: async (_root, { input }, ctx) => {
        const key = parseNodeId(input.id, 'ApiKey', ['input', 'id'], ID_OPTIONS);
        await upstream(ctx.client.apiKeys.delete(key.appId, key.id));
        forgetApiKeys(ctx, key.appId);
        return { deletedApiKeyId: encodeNodeId('ApiKey', key) };
      },
    }),
  };
});

/** The one place GraphQL names meet create_api_key's and update_api_key's wire names. */
function toApiKeyBody(input: KeyFieldsInput, creating: boolean): WireApiKeyBody {
  const body: WireApiKeyBody = {};
  if (input.name != null || creating) {
    const name = (input.name ?? '').trim();
    if (!name || name.length > 128)
      throw ValidationError.field(['input', 'name'], 'must be 1–128 characters.');
    body.name = name;
  }
  if (input.ipAllowlistMode != null) body.ip_allowlist_mode = input.ipAllowlistMode;
  if (input.ipAllowlist != null) body.ip_allowlist = input.ipAllowlist;
  if (body.ip_allowlist_mode === 'explicit' && creating && !body.ip_allowlist?.length)
    throw ValidationError.field(['input', 'ipAllowlist'], 'list at least one address with EXPLICIT.');
  return body;
}
