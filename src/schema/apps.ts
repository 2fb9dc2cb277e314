import { type GraphQLResolveInfo, getArgumentValues, isObjectType, Kind, type SelectionNode } from 'graphql';
import { assertMayAccessApps } from '../auth/restrict.js';
import { mayResolveField } from '../auth/scope-auth.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { APP_REF_DESCRIPTION, isUuid, parseAppRef } from '../core/ids.js';
import type { WireApp, WireAppBody } from '../onesignal/apps.js';
import { AppCredentialsInput, type AppCredentialsShape, credentialsBody } from './app-credentials.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { mutationResult, UPSTREAM_ERRORS } from './error-types.js';
import { fromIso } from './time.js';
import { orNull, upstream } from './upstream-errors.js';

/** Declared here so other domains (Player.app, App.players, …) can refer to it; implemented below. */
export const AppRef = builder.objectRef<WireApp>('App');

export const ApnsEnvironmentEnum = builder.enumType('ApnsEnvironment', {
  description: 'Which Apple Push Notification service environment an app sends iOS pushes through.',
  values: {
    SANDBOX: { value: 'sandbox', description: 'Development builds (the APNs sandbox).' },
    PRODUCTION: { value: 'production', description: 'App Store and TestFlight builds.' },
  } as const,
});

/** Any one of the read scopes: enough to reach an app and its id; the rest needs its own scope. */
const ANY_READ_SCOPE = {
  'apps:read': true,
  'notifications:read': true,
  'users:read': true,
  'journeys:read': true,
} as const;

/** Validates the local part of an App global id (the app id itself) before any upstream call. */
export function parseAppId(id: string, path: string[] = ['id']): string {
  if (!isUuid(id)) throw ValidationError.field(path, `"${id}" is not an app id (a UUID).`);
  return id.toLowerCase();
}

/** Loads an app that must exist (the parent of something already loaded). */
export async function requireApp(ctx: Context, appId: string): Promise<WireApp> {
  const app = await upstream(ctx.loaders.app.load(appId.toLowerCase()));
  if (!app)
    throw new NotFoundError(`App ${appId} does not exist or is not visible with the configured keys.`);
  return app;
}

/**
 * The `app` field of something that belongs to an app: its id is known already, so the app is read
 * only when one of its settings is selected (`app { id }` costs nothing, as in REST).
 */
export function belongingApp(
  ctx: Context,
  appId: string,
  info: GraphQLResolveInfo,
): WireApp | Promise<WireApp> {
  return selectsAppData(info) ? requireApp(ctx, appId) : ({ id: appId.toLowerCase() } as WireApp);
}

builder.node(AppRef, {
  description: 'A OneSignal app: one product with its own subscribers, messages, segments and keys.',
  // The app's settings need apps:read; its id and its child lists (notifications, users, …) only the
  // scope of what they hold, so a caller with notifications:read alone can still reach an app's notifications.
  authScopes: { 'apps:read': true },
  id: {
    resolve: (a) => a.id,
    parse: (id) => parseAppId(id),
    skipTypeScopes: true,
    authScopes: ANY_READ_SCOPE,
  },
  loadMany: (ids, ctx) => ids.map((id) => orNull(ctx.loaders.app.load(id))),
  fields: (t) =>
    recordAppDataFields({
      oneSignalId: t.field({
        type: 'UUID',
        skipTypeScopes: true,
        authScopes: ANY_READ_SCOPE,
        description: 'The app id as OneSignal and its dashboard show it (`app_id` in REST).',
        resolve: (a) => a.id,
      }),
      name: t.exposeString('name', { description: 'Display name of the app.' }),
      playerCount: t.int({
        nullable: true,
        description:
          'Number of players (subscriptions) ever registered with the app; null when OneSignal does not report it.',
        resolve: (a) => a.players ?? null,
      }),
      messageablePlayerCount: t.int({
        nullable: true,
        description:
          'Number of players that can currently receive a message; null when OneSignal does not report it.',
        resolve: (a) => a.messageable_players ?? null,
      }),
      createdAt: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'When the app was created.',
        resolve: (a) => fromIso(a.created_at),
      }),
      updatedAt: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'When the app settings last changed.',
        resolve: (a) => fromIso(a.updated_at),
      }),
      organizationId: t.string({
        nullable: true,
        description: 'Id of the OneSignal organization that owns the app.',
        resolve: (a) => a.organization_id ?? null,
      }),
      apnsEnvironment: t.field({
        type: ApnsEnvironmentEnum,
        nullable: true,
        description: 'APNs environment used for iOS pushes; null when iOS is not configured.',
        resolve: (a) => (a.apns_env === 'sandbox' || a.apns_env === 'production' ? a.apns_env : null),
      }),
      apnsConfigured: t.boolean({
        description:
          'True when an APNs certificate or .p8 key is stored for the app (the credential itself is never exposed).',
        resolve: (a) => Boolean(a.apns_p8 || a.apns_p12 || a.apns_certificates),
      }),
      safariConfigured: t.boolean({
        description:
          'True when a Safari web push certificate is stored for the app (the certificate and its password are never exposed).',
        resolve: (a) => Boolean(a.safari_apns_certificates || a.safari_apns_p12),
      }),
      apnsKeyId: t.string({
        nullable: true,
        description: 'Key id of the APNs .p8 auth key, when token-based auth is used.',
        resolve: (a) => a.apns_key_id ?? null,
      }),
      apnsTeamId: t.string({
        nullable: true,
        description: 'Apple developer team id used with the .p8 auth key.',
        resolve: (a) => a.apns_team_id ?? null,
      }),
      apnsBundleId: t.string({
        nullable: true,
        description: 'Bundle id of the iOS app, used with the .p8 auth key.',
        resolve: (a) => a.apns_bundle_id ?? null,
      }),
      androidGcmSenderId: t.string({
        nullable: true,
        description: 'Firebase Cloud Messaging sender id (project number) for Android.',
        resolve: (a) => a.android_gcm_sender_id || null,
      }),
      chromeWebOrigin: t.string({
        nullable: true,
        description: 'Origin of the website for Chrome web push, e.g. `https://example.com`.',
        resolve: (a) => a.chrome_web_origin ?? null,
      }),
      chromeWebDefaultNotificationIcon: t.string({
        nullable: true,
        description: 'Default icon URL of Chrome web push notifications.',
        resolve: (a) => a.chrome_web_default_notification_icon ?? null,
      }),
      chromeWebSubDomain: t.string({
        nullable: true,
        description: 'OneSignal subdomain used by HTTP (non-HTTPS) sites for web push.',
        resolve: (a) => a.chrome_web_sub_domain ?? null,
      }),
      safariSiteOrigin: t.string({
        nullable: true,
        description: 'Origin of the website for Safari web push.',
        resolve: (a) => a.safari_site_origin ?? null,
      }),
      safariPushId: t.string({
        nullable: true,
        description: 'Website push id Apple issued for Safari web push.',
        resolve: (a) => a.safari_push_id ?? null,
      }),
      siteName: t.string({
        nullable: true,
        description: 'Site name shown in web push prompts.',
        resolve: (a) => a.site_name ?? null,
      }),
      additionalDataIsRootPayload: t.boolean({
        nullable: true,
        description:
          'True when notification `data` is sent at the root of the push payload instead of under `custom.a`.',
        resolve: (a) => a.additional_data_is_root_payload ?? null,
      }),
    }),
});

/**
 * The App fields read from the app's own settings (get_app). The rest (its id, and child lists such as
 * `notifications` that other domains add with reads of their own) need no read of the app, so
 * `app(id:)` skips get_app when the selection holds none of these.
 */
const APP_DATA_FIELDS = new Set<string>();

function recordAppDataFields<F extends Record<string, unknown>>(fields: F): F {
  for (const name of Object.keys(fields)) if (name !== 'oneSignalId') APP_DATA_FIELDS.add(name);
  return fields;
}

/** Whether the selection of `app(id:)` (fragments included) asks for any of `APP_DATA_FIELDS`. */
function selectsAppData(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some(
    (node) => !node.selectionSet || selectionReadsAppData(node.selectionSet.selections, info, 0),
  );
}

function selectionReadsAppData(
  selections: readonly SelectionNode[],
  info: GraphQLResolveInfo,
  depth: number,
): boolean {
  return selections.some((sel) => {
    if (sel.kind === Kind.FIELD) return APP_DATA_FIELDS.has(sel.name.value);
    const fragment = sel.kind === Kind.INLINE_FRAGMENT ? sel : info.fragments[sel.name.value];
    // Deeper than any real query nests fragments: load, to be safe.
    return !fragment || depth > 8 || selectionReadsAppData(fragment.selectionSet.selections, info, depth + 1);
  });
}

/**
 * Whether something inside `app(id:)` reads that same app's settings through a nested `app` field,
 * as in `notifications { nodes { app { name } } }`: everything under an app belongs to it. Then
 * get_app starts with the lists instead of after them, as a hand-written client would send both
 * (measured by bench/run.ts: +25 ms over direct REST at 20 ms upstream before, one round trip less
 * now). An empty list then costs a read it did not need; app settings are cached for minutes.
 */
function readsAppDataFurtherDown(info: GraphQLResolveInfo): boolean {
  const visit = (selections: readonly SelectionNode[], depth: number): boolean =>
    depth <= 8 &&
    selections.some((sel) => {
      if (sel.kind === Kind.FIELD) {
        if (!sel.selectionSet) return false;
        if (
          sel.name.value === 'app' &&
          depth > 0 &&
          selectionReadsAppData(sel.selectionSet.selections, info, 0)
        )
          return true;
        return visit(sel.selectionSet.selections, depth + 1);
      }
      const fragment = sel.kind === Kind.INLINE_FRAGMENT ? sel : info.fragments[sel.name.value];
      return !!fragment && visit(fragment.selectionSet.selections, depth + 1);
    });
  return info.fieldNodes.some((node) => !!node.selectionSet && visit(node.selectionSet.selections, 0));
}

builder.queryFields((t) => ({
  apps: t.field({
    type: [AppRef],
    authScopes: { 'apps:read': true },
    description: 'Every app of the organization (needs the user auth key).',
    resolve: (_root, _args, ctx) => upstream(ctx.loaders.allApps.load('all')),
  }),
  app: t.field({
    type: AppRef,
    nullable: true,
    // The entry to everything in an app; what the caller may read inside it is checked field by field.
    authScopes: ANY_READ_SCOPE,
    description: 'One app by its OneSignal app id; null when it does not exist.',
    args: { id: t.arg({ type: 'UUID', required: true, description: 'The OneSignal app id.' }) },
    resolve: async (_root, { id }, ctx, info) => {
      const appId = id.toLowerCase();
      // Checked here, not only in the client: two `app` fields in one request share one get_apps,
      // whose answer is filtered to the caller's apps, which would turn a refusal into a quiet null.
      assertMayAccessApps(ctx.caller, [appId]);
      prefetchAppFields(appId, ctx, info);
      if (selectsAppData(info)) return orNull(ctx.loaders.app.load(appId));
      // Started now and shared through the loader with the nested field that needs it; that field
      // reports a failure (and the scopes it needs) itself.
      if (ctx.caller.scopes.has('apps:read') && readsAppDataFurtherDown(info))
        ctx.loaders.app.load(appId).catch(() => {});
      // Only the id and child lists: a hand-written client would not read the app either. Whether it
      // exists is known from its configured key, or from the key look-up its children need anyway.
      return (await upstream(ctx.client.apps.known(appId))) ? ({ id: appId } as WireApp) : null;
    },
  }),
}));

/**
 * Starts a list read of an app's child field (e.g. `notifications`) together with get_app instead of
 * after it. Registered by the domain that owns the field; it must load through the same loader key
 * the field's resolver uses, so the read is shared, never doubled.
 */
export type AppFieldPrefetch = (appId: string, args: Record<string, unknown>, ctx: Context) => void;
const appFieldPrefetches = new Map<string, AppFieldPrefetch>();

export function registerAppFieldPrefetch(fieldName: string, prefetch: AppFieldPrefetch) {
  appFieldPrefetches.set(fieldName, prefetch);
}

/** Looks one level into `app(id:) { … }` for fields with a prefetch and starts them. */
function prefetchAppFields(appId: string, ctx: Context, info: GraphQLResolveInfo) {
  const appType = info.schema.getType('App');
  if (!isObjectType(appType)) return;
  const fields = appType.getFields();
  const visit = (selections: readonly SelectionNode[], depth: number) => {
    for (const sel of selections) {
      if (sel.kind === Kind.FIELD) {
        const prefetch = appFieldPrefetches.get(sel.name.value);
        const def = fields[sel.name.value];
        if (!prefetch || !def || !mayResolveField(ctx.caller, appType, def)) continue;
        try {
          prefetch(appId, getArgumentValues(def, sel, info.variableValues), ctx);
        } catch {
          // Invalid arguments: the field itself reports them.
        }
      } else if (depth < 3) {
        const fragment = sel.kind === Kind.INLINE_FRAGMENT ? sel : info.fragments[sel.name.value];
        if (fragment) visit(fragment.selectionSet.selections, depth + 1);
      }
    }
  };
  for (const node of info.fieldNodes) if (node.selectionSet) visit(node.selectionSet.selections, 0);
}

const appPayload = (name: string, description: string) =>
  builder.simpleObject(name, {
    description,
    fields: (t) => ({ app: t.field({ type: AppRef, description: 'The app as OneSignal stored it.' }) }),
  });

const AppCreatePayload = appPayload('AppCreatePayload', 'The result of `appCreate`.');
const AppUpdatePayload = appPayload('AppUpdatePayload', 'The result of `appUpdate`.');

builder.mutationFields((t) => {
  // Writable settings shared by both mutations. Secrets are write-only: no field returns them.
  const settings = {
    apnsEnvironment: t.input.field({
      type: ApnsEnvironmentEnum,
      description: 'APNs environment for iOS pushes.',
    }),
    apnsP8: t.input.string({ description: 'APNs .p8 auth key (write-only: never returned).' }),
    apnsKeyId: t.input.string({ description: 'Key id of the .p8 auth key.' }),
    apnsTeamId: t.input.string({ description: 'Apple developer team id.' }),
    apnsBundleId: t.input.string({ description: 'Bundle id of the iOS app.' }),
    gcmKey: t.input.string({ description: 'Firebase server key for Android (write-only: never returned).' }),
    androidGcmSenderId: t.input.string({ description: 'Firebase sender id (project number).' }),
    chromeWebOrigin: t.input.string({ description: 'Origin of the website for Chrome web push.' }),
    chromeWebDefaultNotificationIcon: t.input.string({
      description: 'Default icon URL for Chrome web push.',
    }),
    chromeWebSubDomain: t.input.string({ description: 'OneSignal subdomain for HTTP sites.' }),
    safariSiteOrigin: t.input.string({ description: 'Origin of the website for Safari web push.' }),
    siteName: t.input.string({ description: 'Site name shown in web push prompts.' }),
    organizationId: t.input.string({ description: 'Organization to create the app in.' }),
    additionalDataIsRootPayload: t.input.boolean({
      description: 'Send notification `data` at the root of the push payload.',
    }),
    credentials: t.input.field({
      type: AppCredentialsInput,
      description:
        'APNs and Safari push credentials, validated before anything is sent. Write-only: never returned or logged.',
    }),
  };
  return {
    appCreate: t.fieldWithInput({
      authScopes: { 'apps:write': true },
      description: 'Creates an app (needs the user auth key).',
      type: AppCreatePayload,
      input: {
        name: t.input.string({ required: true, description: 'Display name of the new app.' }),
        ...settings,
      },
      typeOptions: { description: 'Input of `appCreate`.' },
      errors: mutationResult('appCreate', UPSTREAM_ERRORS),
      resolve: async (_root, { input }, ctx) => {
        if (!input.name.trim()) throw ValidationError.field(['input', 'name'], 'must not be empty.');
        const app = await upstream(
          ctx.client.apps.create({ ...toAppBody(input), ...credentialsOf(input), name: input.name }),
        );
        ctx.loaders.app.clear(app.id).prime(app.id, app);
        ctx.loaders.allApps.clearAll();
        return { app };
      },
    }),
    appUpdate: t.fieldWithInput({
      authScopes: { 'apps:write': true },
      description:
        'Changes the given settings of an app; omitted fields stay as they are (needs the user auth key).',
      type: AppUpdatePayload,
      input: {
        id: t.input.id({ required: true, description: `The app to change. ${APP_REF_DESCRIPTION}` }),
        name: t.input.string({ description: 'New display name.' }),
        ...settings,
      },
      typeOptions: { description: 'Input of `appUpdate`.' },
      errors: mutationResult('appUpdate', UPSTREAM_ERRORS),
      resolve: async (_root, { input }, ctx) => {
        if (input.name != null && !input.name.trim())
          throw ValidationError.field(['input', 'name'], 'must not be empty.');
        const id = parseAppRef(String(input.id), ['input', 'id']);
        const body = { ...toAppBody(input), ...credentialsOf(input) };
        if (input.name != null) body.name = input.name;
        if (Object.keys(body).length === 0)
          throw ValidationError.field(['input'], 'give at least one setting to change.');
        const app = await upstream(ctx.client.apps.update(id, body));
        ctx.loaders.app.clear(id).prime(id, app);
        ctx.loaders.allApps.clearAll();
        return { app };
      },
    }),
  };
});

/** The credential fields of the body, validated; the flat `apnsP8` and `credentials.apns` exclude each other. */
function credentialsOf(input: {
  apnsP8?: string | null;
  credentials?: AppCredentialsShape | null;
}): WireAppBody {
  if (!input.credentials) return {};
  if (input.apnsP8 != null && input.credentials.apns)
    throw ValidationError.field(
      ['input', 'apnsP8'],
      'give the APNs key once: in credentials.apns.p8 or here.',
    );
  return credentialsBody(input.credentials, ['input', 'credentials']);
}

interface AppSettingsInput {
  apnsEnvironment?: 'sandbox' | 'production' | null;
  apnsP8?: string | null;
  apnsKeyId?: string | null;
  apnsTeamId?: string | null;
  apnsBundleId?: string | null;
  gcmKey?: string | null;
  androidGcmSenderId?: string | null;
  chromeWebOrigin?: string | null;
  chromeWebDefaultNotificationIcon?: string | null;
  chromeWebSubDomain?: string | null;
  safariSiteOrigin?: string | null;
  siteName?: string | null;
  organizationId?: string | null;
  additionalDataIsRootPayload?: boolean | null;
}

/** Input → create_app / update_app body; only the fields the caller gave. */
function toAppBody(input: AppSettingsInput): WireAppBody {
  const body: WireAppBody = {};
  const set = <K extends keyof WireAppBody>(key: K, value: WireAppBody[K] | null | undefined) => {
    if (value != null) body[key] = value;
  };
  set('apns_env', input.apnsEnvironment);
  set('apns_p8', input.apnsP8);
  set('apns_key_id', input.apnsKeyId);
  set('apns_team_id', input.apnsTeamId);
  set('apns_bundle_id', input.apnsBundleId);
  set('gcm_key', input.gcmKey);
  set('android_gcm_sender_id', input.androidGcmSenderId);
  set('chrome_web_origin', input.chromeWebOrigin);
  set('chrome_web_default_notification_icon', input.chromeWebDefaultNotificationIcon);
  set('chrome_web_sub_domain', input.chromeWebSubDomain);
  set('safari_site_origin', input.safariSiteOrigin);
  set('site_name', input.siteName);
  set('organization_id', input.organizationId);
  set('additional_data_is_root_payload', input.additionalDataIsRootPayload);
  return body;
}
