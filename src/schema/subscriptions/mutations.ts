import { NotFoundError, ValidationError } from '../../core/errors.js';
import {
  APP_REF_DESCRIPTION,
  type AppScopedKey,
  appScopedId,
  encodeNodeId,
  parseAppRef,
  parseLocalId,
  parseNodeId,
} from '../../core/ids.js';
import type { AppSubscription, AppUser } from '../../loaders/users.js';
import { ONESIGNAL_ID } from '../../loaders/users.js';
import type { WireInAppMessage, WireSubscription } from '../../onesignal/index.js';
import { AppRef, belongingApp } from '../apps.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { mutationResult, UPSTREAM_ERRORS, UPSTREAM_ERRORS_WITH_CONFLICT } from '../error-types.js';
import { TestTypeEnum, testTypeFromWire } from '../players/attributes.js';
import { orNull, upstream } from '../upstream-errors.js';
// users.ts imports this file too: its bindings are only used inside field thunks and resolvers,
// which run after both modules have loaded.
import { parseUserRef, reloadUser, UserRef, UserRefInput } from '../users/mutations.js';

// ---------------------------------------------------------------------------------------------------
// Enums

const SUBSCRIPTION_TYPES = {
  IOS_PUSH: ['iOSPush', 'iOS push (APNs).'],
  ANDROID_PUSH: ['AndroidPush', 'Android push (FCM).'],
  FIRE_OS_PUSH: ['FireOSPush', 'Amazon Fire OS push (ADM).'],
  CHROME_EXTENSION_PUSH: ['ChromeExtensionPush', 'Chrome extension push.'],
  CHROME_PUSH: ['ChromePush', 'Chrome (and Chromium) web push.'],
  WINDOWS_PUSH: ['WindowsPush', 'Windows (WNS) push.'],
  SAFARI_LEGACY_PUSH: ['SafariLegacyPush', 'Safari web push before Safari 16.4.'],
  FIREFOX_PUSH: ['FirefoxPush', 'Firefox web push.'],
  MACOS_PUSH: ['macOSPush', 'macOS app push.'],
  HUAWEI_PUSH: ['HuaweiPush', 'Huawei (HMS) push.'],
  SAFARI_PUSH: ['SafariPush', 'Safari 16.4+ web push.'],
  EMAIL: ['Email', 'An email address.'],
  SMS: ['SMS', 'A phone number for SMS.'],
} as const;

type SubscriptionTypeName = keyof typeof SUBSCRIPTION_TYPES;
const SUBSCRIPTION_TYPE_BY_WIRE = new Map<string, SubscriptionTypeName>(
  Object.entries(SUBSCRIPTION_TYPES).map(([name, [wire]]) => [wire, name as SubscriptionTypeName]),
);

export const SubscriptionTypeEnum = builder.enumType('SubscriptionType', {
  description: 'The channel and platform of a subscription (v5 `type`).',
  values: {
    ...Object.fromEntries(
      Object.entries(SUBSCRIPTION_TYPES).map(([name, [, description]]) => [name, { description }]),
    ),
    UNKNOWN: { description: 'A type this API does not know yet. Not accepted as input.' },
  } as Record<SubscriptionTypeName | 'UNKNOWN', { description: string }>,
});

export const NetworkTypeEnum = builder.enumType('NetworkType', {
  description: 'How a device was connected when it last reported.',
  values: {
    WIFI: { value: 0, description: 'Wi-Fi.' },
    CELLULAR: { value: 1, description: 'Mobile data.' },
  },
});

// ---------------------------------------------------------------------------------------------------
// In-app messages

export const InAppMessageRef = builder.objectRef<WireInAppMessage>('InAppMessage').implement({
  authScopes: { 'users:read': true },
  description: 'An in-app message a subscription is eligible to display, as the OneSignal SDK receives it.',
  fields: (t) => ({
    oneSignalId: t.string({
      nullable: true,
      description: "OneSignal's id of the in-app message, when the manifest carries one.",
      resolve: (m) => (typeof m.id === 'string' ? m.id : null),
    }),
    name: t.string({
      nullable: true,
      description: 'Name given in the dashboard, when present.',
      resolve: (m) => (typeof m.name === 'string' ? m.name : null),
    }),
    manifest: t.field({
      type: 'JSONObject',
      description:
        'The whole manifest entry (variants, triggers, redisplay rules), whose shape OneSignal does not document.',
      resolve: (m) => m as Record<string, unknown>,
    }),
  }),
});

// ---------------------------------------------------------------------------------------------------
// Subscription

export const SubscriptionRef = builder.objectRef<AppSubscription>('Subscription');

builder.node(SubscriptionRef, {
  authScopes: { 'users:read': true },
  description:
    'A push token, email address or phone number owned by a user (v5 model). The same record is a Player in the v1 model.',
  id: {
    resolve: (s) => appScopedId(s.appId, s.wire.id),
    parse: (local) => parseLocalId(local, 'Subscription'),
  },
  // No endpoint reads one subscription: owner via fetch_aliases, then the owner via fetch_user.
  loadOne: (key, ctx) => orNull(ctx.loaders.subscription.load(key)),
  fields: (t) => ({
    oneSignalId: t.field({
      type: 'UUID',
      description: "OneSignal's id of the subscription (equal to the v1 player id).",
      resolve: (s) => s.wire.id,
    }),
    type: t.field({
      type: SubscriptionTypeEnum,
      description: 'Channel and platform.',
      resolve: (s) => SUBSCRIPTION_TYPE_BY_WIRE.get(s.wire.type ?? '') ?? 'UNKNOWN',
    }),
    token: t.string({
      nullable: true,
      description: 'Push token, email address or phone number; null until the device registered one.',
      resolve: (s) => s.wire.token || null,
    }),
    enabled: t.boolean({
      description: 'Whether OneSignal may deliver to this subscription.',
      resolve: (s) => s.wire.enabled ?? (s.wire.notification_types ?? 1) > 0,
    }),
    notificationTypes: t.int({
      nullable: true,
      description: 'Raw status: 1 subscribed, -2 unsubscribed, other negatives are OneSignal error states.',
      resolve: (s) => s.wire.notification_types ?? null,
    }),
    sessionTimeSeconds: t.int({
      nullable: true,
      description: 'Total seconds of sessions.',
      resolve: (s) => s.wire.session_time ?? null,
    }),
    sessionCount: t.int({
      nullable: true,
      description: 'Number of sessions.',
      resolve: (s) => s.wire.session_count ?? null,
    }),
    sdk: t.string({
      nullable: true,
      description: 'OneSignal SDK version.',
      resolve: (s) => s.wire.sdk || null,
    }),
    deviceModel: t.string({
      nullable: true,
      description: 'Device make and model.',
      resolve: (s) => s.wire.device_model || null,
    }),
    deviceOs: t.string({
      nullable: true,
      description: 'Operating system version.',
      resolve: (s) => s.wire.device_os || null,
    }),
    rooted: t.boolean({
      nullable: true,
      description: 'Whether the device is rooted or jailbroken, when reported.',
      resolve: (s) => s.wire.rooted ?? null,
    }),
    testType: t.field({
      type: TestTypeEnum,
      nullable: true,
      description:
        'iOS build type selecting the APNs environment; null for App Store builds and other platforms.',
      resolve: (s) => testTypeFromWire(s.wire.test_type),
    }),
    appVersion: t.string({
      nullable: true,
      description: 'Version of your app on the device.',
      resolve: (s) => s.wire.app_version || null,
    }),
    netType: t.field({
      type: NetworkTypeEnum,
      nullable: true,
      description: 'Network at the last report, when known.',
      resolve: (s) => (s.wire.net_type === 0 || s.wire.net_type === 1 ? s.wire.net_type : null),
    }),
    carrier: t.string({
      nullable: true,
      description: 'Mobile carrier, when known.',
      resolve: (s) => s.wire.carrier || null,
    }),
    user: t.field({
      type: UserRef,
      description: 'The user who owns the subscription.',
      resolve: async (s, _args, ctx) => ownerOf(ctx, s),
    }),
    eligibleInAppMessages: t.field({
      type: [InAppMessageRef],
      description: 'In-app messages the subscription may display now (get_eligible_iams).',
      resolve: (s, _args, ctx) =>
        upstream(ctx.loaders.eligibleInAppMessages.load({ appId: s.appId, id: s.wire.id })),
    }),
    app: t.field({
      type: AppRef,
      description: 'The app of the subscription.',
      resolve: (s, _args, ctx, info) => belongingApp(ctx, s.appId, info),
    }),
  }),
});

async function ownerOf(ctx: Context, s: AppSubscription): Promise<AppUser> {
  let ownerId = s.ownerId;
  if (!ownerId) {
    const identity = await upstream(ctx.loaders.subscriptionOwner.load({ appId: s.appId, id: s.wire.id }));
    ownerId = String(identity[ONESIGNAL_ID] ?? '');
  }
  return upstream(ctx.loaders.user.load({ appId: s.appId, label: ONESIGNAL_ID, id: ownerId }));
}

/** `User.subscriptions`: the owner's list, wrapped with the app and owner. */
export function subscriptionsOfUser(u: AppUser): AppSubscription[] {
  return (u.wire.subscriptions ?? [])
    .filter((s): s is WireSubscription & { id: string } => typeof s.id === 'string')
    .map((wire) => ({ appId: u.appId, ownerId: u.onesignalId, wire }));
}

// ---------------------------------------------------------------------------------------------------
// Mutations

export interface SubscriptionAttributesShape {
  type?: SubscriptionTypeName | 'UNKNOWN' | null;
  token?: string | null;
  enabled?: boolean | null;
  notificationTypes?: number | null;
  sessionTimeSeconds?: number | null;
  sessionCount?: number | null;
  sdk?: string | null;
  deviceModel?: string | null;
  deviceOs?: string | null;
  rooted?: boolean | null;
  testType?: 1 | 2 | null;
  appVersion?: string | null;
  netType?: 0 | 1 | null;
  carrier?: string | null;
}

const ATTRIBUTE_DESCRIPTIONS = {
  type: 'Channel and platform.',
  token: 'Push token, email address (EMAIL) or E.164 phone number (SMS).',
  enabled: 'Whether OneSignal may deliver to it.',
  notificationTypes: 'Raw status: 1 subscribed, -2 unsubscribed.',
  sessionTimeSeconds: 'Total seconds of sessions.',
  sessionCount: 'Number of sessions.',
  sdk: 'OneSignal SDK version.',
  deviceModel: 'Device make and model.',
  deviceOs: 'Operating system version.',
  rooted: 'Whether the device is rooted or jailbroken.',
  testType: 'iOS build type; omit for App Store builds.',
  appVersion: 'Version of your app.',
  netType: 'Network type.',
  carrier: 'Mobile carrier.',
} as const;

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type AttrBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;

/** The subscription attribute input fields, shared by `SubscriptionAttributesInput` and the subscription mutations. */
function attributeFields(t: AttrBuilder, { typeRequired }: { typeRequired: boolean }) {
  return {
    type: t.field({
      type: SubscriptionTypeEnum,
      required: typeRequired,
      description: ATTRIBUTE_DESCRIPTIONS.type,
    }),
    token: t.string({ description: ATTRIBUTE_DESCRIPTIONS.token }),
    enabled: t.boolean({ description: ATTRIBUTE_DESCRIPTIONS.enabled }),
    notificationTypes: t.int({ description: ATTRIBUTE_DESCRIPTIONS.notificationTypes }),
    sessionTimeSeconds: t.int({ description: ATTRIBUTE_DESCRIPTIONS.sessionTimeSeconds }),
    sessionCount: t.int({ description: ATTRIBUTE_DESCRIPTIONS.sessionCount }),
    sdk: t.string({ description: ATTRIBUTE_DESCRIPTIONS.sdk }),
    deviceModel: t.string({ description: ATTRIBUTE_DESCRIPTIONS.deviceModel }),
    deviceOs: t.string({ description: ATTRIBUTE_DESCRIPTIONS.deviceOs }),
    rooted: t.boolean({ description: ATTRIBUTE_DESCRIPTIONS.rooted }),
    testType: t.field({ type: TestTypeEnum, description: ATTRIBUTE_DESCRIPTIONS.testType }),
    appVersion: t.string({ description: ATTRIBUTE_DESCRIPTIONS.appVersion }),
    netType: t.field({ type: NetworkTypeEnum, description: ATTRIBUTE_DESCRIPTIONS.netType }),
    carrier: t.string({ description: ATTRIBUTE_DESCRIPTIONS.carrier }),
  };
}

interface UpdatedByToken {
  appId: string;
  type: SubscriptionTypeName | 'UNKNOWN';
  token: string;
}

const SubscriptionUpdateByTokenPayloadRef = builder
  .objectRef<UpdatedByToken>('SubscriptionUpdateByTokenPayload')
  .implement({
    description:
      'The result of `subscriptionUpdateByToken`: which subscription was changed. OneSignal answers with no subscription, and no read finds one by token, so its id is not known here.',
    fields: (t) => ({
      app: t.field({
        type: AppRef,
        description: 'The app of the subscription (read when selected).',
        resolve: (p, _args, ctx, info) => belongingApp(ctx, p.appId, info),
      }),
      type: t.field({ type: SubscriptionTypeEnum, description: 'Its type.', resolve: (p) => p.type }),
      token: t.exposeString('token', { description: 'Its push token, email address or phone number.' }),
    }),
  });

/** The attributes `subscriptionUpdateByToken` may change: all but `type` and `token`, which name the subscription. */
function changeFields(t: AttrBuilder) {
  const { type: _type, token: _token, ...changes } = attributeFields(t, { typeRequired: false });
  return changes;
}

export const SubscriptionAttributesInput = builder.inputType('SubscriptionAttributesInput', {
  description: 'A subscription to create along with its user.',
  fields: (t) => attributeFields(t, { typeRequired: true }),
});

const SubscriptionPayloadRef = builder.simpleObject('SubscriptionPayload', {
  description: 'The subscription after the change, and its owner.',
  fields: (t) => ({
    subscription: t.field({
      type: SubscriptionRef,
      description: 'The subscription, read back from OneSignal.',
    }),
    user: t.field({ type: UserRef, description: 'The user who owns it now.' }),
  }),
});

builder.mutationFields((t) => ({
  subscriptionCreate: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description:
      'Adds a subscription to a user (create_subscription). A token already registered elsewhere moves to this user unless `retainPreviousOwner`.',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      user: t.input.field({
        type: UserRefInput,
        required: true,
        description: 'The user who will own the subscription.',
      }),
      ...attributeFields(t.input as AttrBuilder, { typeRequired: true }),
      retainPreviousOwner: t.input.boolean({
        description:
          'When the token belongs to another user: true leaves it there and fails, false (default) moves it.',
      }),
    },
    type: SubscriptionPayloadRef,
    typeOptions: {
      description: 'Input of `subscriptionCreate`: the user and the attributes of the new subscription.',
    },
    errors: mutationResult(
      'subscriptionCreate',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `subscriptionCreate` returns: the subscription and its owner, or a `ValidationError`, `NotFoundError`, `ConflictError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const key = parseUserRef(appId, input.user, ['input', 'user']);
      const subscription = toSubscriptionBody(input as SubscriptionAttributesShape, ['input'], {
        requireType: true,
      });
      const result = await upstream(
        ctx.client.subscriptions.create(
          appId,
          { label: key.label, id: key.id },
          {
            subscription,
            ...(input.retainPreviousOwner != null
              ? { retain_previous_owner: input.retainPreviousOwner }
              : {}),
          },
        ),
      );
      const created = result?.subscription;
      if (!created?.id)
        throw new NotFoundError('OneSignal accepted the subscription but did not return its id.');
      ctx.loaders.forgetSubscription({ appId, id: created.id });
      const user = await reloadUser(ctx, key);
      const found = subscriptionsOfUser(user).find((s) => s.wire.id === created.id);
      return {
        subscription: found ?? { appId, ownerId: user.onesignalId, wire: created as AppSubscription['wire'] },
        user,
      };
    },
  }),
  subscriptionUpdate: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description: 'Changes a subscription (update_subscription). Omitted fields stay as they are.',
    input: {
      id: t.input.id({ required: true, description: 'The subscription to change (`Subscription.id`).' }),
      ...attributeFields(t.input as AttrBuilder, { typeRequired: false }),
    },
    type: SubscriptionPayloadRef,
    typeOptions: {
      description: 'Input of `subscriptionUpdate`: the subscription and the attributes to change.',
    },
    errors: mutationResult(
      'subscriptionUpdate',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `subscriptionUpdate` returns: the changed subscription and its owner, or a `ValidationError`, `NotFoundError` (no such subscription), `ConflictError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Subscription', ['input', 'id']);
      const subscription = toSubscriptionBody(input as SubscriptionAttributesShape, ['input'], {
        requireType: false,
      });
      if (Object.keys(subscription).length === 0)
        throw ValidationError.field(['input'], 'set at least one field to change.');
      await upstream(ctx.client.subscriptions.update(key.appId, key.id, { subscription }));
      return reloadSubscription(ctx, key);
    },
  }),
  subscriptionDelete: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description: 'Deletes a subscription (delete_subscription). Its user stays.',
    input: {
      id: t.input.id({ required: true, description: 'The subscription to delete (`Subscription.id`).' }),
    },
    type: builder.simpleObject('SubscriptionDeletePayload', {
      description: 'What was deleted.',
      fields: (f) => ({
        deletedSubscriptionId: f.id({
          description: 'Global id of the deleted subscription, for evicting it from client caches.',
        }),
      }),
    }),
    typeOptions: { description: 'Input of `subscriptionDelete`: the subscription to delete.' },
    errors: mutationResult(
      'subscriptionDelete',
      UPSTREAM_ERRORS,
      'What `subscriptionDelete` returns: the id of the deleted subscription, or a `ValidationError`, `NotFoundError` (no such subscription), `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Subscription', ['input', 'id']);
      await upstream(ctx.client.subscriptions.delete(key.appId, key.id));
      ctx.loaders.forgetSubscription(key);
      ctx.loaders.user.clearAll();
      ctx.loaders.player.clear(key);
      return { deletedSubscriptionId: encodeNodeId('Subscription', key) };
    },
  }),
  subscriptionTransfer: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description: 'Moves a subscription to another user (transfer_subscription) and returns its new owner.',
    input: {
      id: t.input.id({ required: true, description: 'The subscription to move (`Subscription.id`).' }),
      to: t.input.field({ type: UserRefInput, required: true, description: 'The user who will own it.' }),
    },
    type: SubscriptionPayloadRef,
    typeOptions: {
      description: 'Input of `subscriptionTransfer`: the subscription and the user to move it to.',
    },
    errors: mutationResult(
      'subscriptionTransfer',
      UPSTREAM_ERRORS_WITH_CONFLICT,
      'What `subscriptionTransfer` returns: the subscription and its new owner, or a `ValidationError`, `NotFoundError`, `ConflictError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Subscription', ['input', 'id']);
      const to = parseUserRef(key.appId, input.to, ['input', 'to']);
      await upstream(ctx.client.subscriptions.transfer(key.appId, key.id, { [to.label]: to.id }));
      // Both the old and the new owner changed.
      ctx.loaders.user.clearAll();
      return reloadSubscription(ctx, key);
    },
  }),
  subscriptionUpdateByToken: t.fieldWithInput({
    authScopes: { 'users:write': true },
    description:
      'Changes the subscription with a given push token, email address or phone number (update_subscription_by_token), for when its id is unknown, e.g. an unsubscribe page. Omitted fields stay as they are.',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      type: t.input.field({
        type: SubscriptionTypeEnum,
        required: true,
        description: 'The type of the subscription to change (part of its identity with `token`).',
      }),
      token: t.input.string({
        required: true,
        description: 'Its push token, email address (EMAIL) or E.164 phone number (SMS).',
      }),
      ...changeFields(t.input as AttrBuilder),
    },
    type: SubscriptionUpdateByTokenPayloadRef,
    typeOptions: {
      description:
        'Input of `subscriptionUpdateByToken`: the app, the type and token naming the subscription, and the attributes to change.',
    },
    errors: mutationResult(
      'subscriptionUpdateByToken',
      UPSTREAM_ERRORS,
      'What `subscriptionUpdateByToken` returns: the subscription changed, or a `ValidationError`, `NotFoundError` (no subscription with that type and token), `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      // The identity is checked like a token being set (email and phone formats).
      const identity = toSubscriptionBody({ type: input.type, token: input.token }, ['input'], {
        requireType: true,
      });
      const { type: _type, token: _token, appId: _appId, ...changes } = input;
      const subscription = toSubscriptionBody(changes as SubscriptionAttributesShape, ['input'], {
        requireType: false,
      });
      if (Object.keys(subscription).length === 0)
        throw ValidationError.field(['input'], 'set at least one field to change.');
      await upstream(
        ctx.client.subscriptions.updateByToken(appId, identity.type as string, identity.token as string, {
          subscription,
        }),
      );
      // Whose subscription it was is unknown: no user or player read in this request is current any more.
      ctx.loaders.user.clearAll();
      ctx.loaders.player.clearAll();
      return { appId, type: input.type, token: input.token };
    },
  }),
}));

/** Drops every cached view of a subscription and its owner, then reads both again (fetch_aliases + fetch_user). */
async function reloadSubscription(ctx: Context, key: AppScopedKey) {
  ctx.loaders.forgetSubscription(key);
  ctx.loaders.player.clear(key);
  const identity = await upstream(ctx.loaders.subscriptionOwner.load(key));
  const ownerId = String(identity[ONESIGNAL_ID] ?? '');
  const user = await reloadUser(ctx, { appId: key.appId, label: ONESIGNAL_ID, id: ownerId });
  const subscription = subscriptionsOfUser(user).find((s) => s.wire.id === key.id);
  if (!subscription)
    throw new NotFoundError(`Subscription ${key.id} is not among the subscriptions of its owner ${ownerId}.`);
  return { subscription, user };
}

// ---------------------------------------------------------------------------------------------------
// Input → wire body mappers

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export function toSubscriptionBody(
  input: SubscriptionAttributesShape,
  path: string[],
  { requireType }: { requireType: boolean },
): WireSubscription {
  if (input.type === 'UNKNOWN')
    throw ValidationError.field([...path, 'type'], 'UNKNOWN cannot be set; name the subscription type.');
  if (requireType && !input.type) throw ValidationError.field([...path, 'type'], 'is required.');
  if (input.token != null) {
    if (input.type === 'EMAIL' && !EMAIL.test(input.token))
      throw ValidationError.field([...path, 'token'], 'an EMAIL subscription needs an email address.');
    if (input.type === 'SMS' && !E164.test(input.token))
      throw ValidationError.field(
        [...path, 'token'],
        'an SMS subscription needs an E.164 phone number, e.g. +15551234567.',
      );
    if (!input.token.trim()) throw ValidationError.field([...path, 'token'], 'must not be empty.');
  }
  for (const field of ['sessionTimeSeconds', 'sessionCount'] as const) {
    const value = input[field];
    if (value != null && value < 0) throw ValidationError.field([...path, field], 'must not be negative.');
  }
  const body: Record<string, unknown> = {
    type: input.type ? SUBSCRIPTION_TYPES[input.type][0] : undefined,
    token: input.token,
    enabled: input.enabled,
    notification_types: input.notificationTypes,
    session_time: input.sessionTimeSeconds,
    session_count: input.sessionCount,
    sdk: input.sdk,
    device_model: input.deviceModel,
    device_os: input.deviceOs,
    rooted: input.rooted,
    test_type: input.testType,
    app_version: input.appVersion,
    net_type: input.netType,
    carrier: input.carrier,
  };
  return Object.fromEntries(
    Object.entries(body).filter(([, v]) => v !== undefined && v !== null),
  ) as WireSubscription;
}
