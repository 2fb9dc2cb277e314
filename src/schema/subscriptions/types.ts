/**
 * The Subscription object of the v5 user model (a push token, email address or phone number owned by
 * a user), its enums, the in-app messages it may display, and the subscription named by type and
 * token that `subscriptionUpdateByToken` returns.
 */
import { appScopedId, parseLocalId } from '../../core/ids.js';
import { type AppSubscription, type AppUser, ONESIGNAL_ID } from '../../loaders/users.js';
import type { WireInAppMessage, WireSubscription } from '../../onesignal/index.js';
import { AppRef, belongingApp } from '../apps.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { TestTypeEnum, testTypeFromWire } from '../players/attributes.js';
import { orNull, upstream } from '../upstream-errors.js';
import { UserRef } from '../users/refs.js';

export const SUBSCRIPTION_TYPES = {
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

export type SubscriptionTypeName = keyof typeof SUBSCRIPTION_TYPES;
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

export const EligibleInAppMessageRef = builder.objectRef<WireInAppMessage>('EligibleInAppMessage').implement({
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
      type: [EligibleInAppMessageRef],
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

/**
 * A subscription named by its type and token, which is all `subscriptionUpdateByToken` learns. It is
 * an object type rather than a payload wrapper, and it is registered before input.ts's
 * `SubscriptionAttributesInput`, as it always was, so it lives here rather than in mutations.ts.
 */
interface UpdatedByToken {
  appId: string;
  type: SubscriptionTypeName | 'UNKNOWN';
  token: string;
}

export const SubscriptionUpdateByTokenPayloadRef = builder
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
