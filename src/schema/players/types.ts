/** The Player object (a v1 device record) and its connection. */
import { appScopedId, parseLocalId } from '../../core/ids.js';
import type { AppPlayer } from '../../loaders/players.js';
import { AppRef, belongingApp } from '../apps.js';
import { builder } from '../builder.js';
import { totalCountOf } from '../pagination.js';
import { fromUnix } from '../time.js';
import { orNull } from '../upstream-errors.js';
import {
  DeviceTypeEnum,
  deviceTypeFromWire,
  LocationRef,
  locationFromWire,
  TagRef,
  TestTypeEnum,
  tagsFromWire,
  testTypeFromWire,
} from './attributes.js';

export const PlayerRef = builder.objectRef<AppPlayer>('Player');

builder.node(PlayerRef, {
  authScopes: { 'users:read': true },
  description:
    'A device record of the v1 player model: one push token, email address or phone number registered with an app. In the v5 user model the same record is a Subscription.',
  id: { resolve: (p) => appScopedId(p.app_id, p.id), parse: (local) => parseLocalId(local, 'Player') },
  loadOne: (key, ctx) => orNull(ctx.loaders.player.load(key)),
  fields: (t) => ({
    oneSignalId: t.field({
      type: 'UUID',
      description: "OneSignal's player id, as in the dashboard and REST API.",
      resolve: (p) => p.id,
    }),
    app: t.field({
      type: AppRef,
      description: 'The app the device is registered with.',
      resolve: (p, _args, ctx, info) => belongingApp(ctx, p.app_id, info),
    }),
    deviceType: t.field({
      type: DeviceTypeEnum,
      description: 'The platform.',
      resolve: (p) => deviceTypeFromWire(p.device_type),
    }),
    deviceTypeCode: t.int({
      description: "OneSignal's raw `device_type` integer.",
      resolve: (p) => p.device_type,
    }),
    identifier: t.string({
      nullable: true,
      description:
        'Push token, email address or phone number, depending on `deviceType`; null when the device has none yet.',
      resolve: (p) => p.identifier ?? null,
    }),
    externalUserId: t.string({
      nullable: true,
      description: "Your user id for this device's user, if set.",
      resolve: (p) => p.external_user_id ?? null,
    }),
    language: t.string({
      nullable: true,
      description: 'Language code, e.g. `en` or `zh-Hans`.',
      resolve: (p) => p.language ?? null,
    }),
    timezoneOffset: t.int({
      nullable: true,
      description: 'Offset from UTC in seconds, e.g. -28800.',
      resolve: (p) => p.timezone ?? null,
    }),
    gameVersion: t.string({
      nullable: true,
      description: 'Version of your app on the device.',
      resolve: (p) => p.game_version ?? null,
    }),
    deviceModel: t.string({
      nullable: true,
      description: 'Device make and model, e.g. `iPhone5,1`.',
      resolve: (p) => p.device_model ?? null,
    }),
    deviceOs: t.string({
      nullable: true,
      description: 'Operating system version, e.g. `17.2`.',
      resolve: (p) => p.device_os ?? null,
    }),
    adId: t.string({
      nullable: true,
      description: 'Advertising id or identifierForVendor, when reported.',
      resolve: (p) => p.ad_id ?? null,
    }),
    sdk: t.string({
      nullable: true,
      description: 'Version of the OneSignal SDK that registered the device.',
      resolve: (p) => p.sdk ?? null,
    }),
    sessionCount: t.int({
      description: 'Number of sessions (app opens or site visits).',
      resolve: (p) => p.session_count ?? 0,
    }),
    tags: t.field({
      type: [TagRef],
      description: 'Data tags, sorted by key. OneSignal bounds tags per device, so this is a plain list.',
      resolve: (p) => tagsFromWire(p.tags),
    }),
    amountSpent: t.float({
      description: 'Amount spent in USD on in-app purchases.',
      resolve: (p) => Number(p.amount_spent ?? 0),
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the device was first registered.',
      resolve: (p) => fromUnix(p.created_at),
    }),
    lastActive: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the device was last active.',
      resolve: (p) => fromUnix(p.last_active),
    }),
    playtimeSeconds: t.int({
      description: 'Total seconds the app has been open on this device.',
      resolve: (p) => p.playtime ?? 0,
    }),
    badgeCount: t.int({
      description: 'Current iOS badge count (only for apps created before June 2018).',
      resolve: (p) => p.badge_count ?? 0,
    }),
    subscribed: t.boolean({
      description:
        'Whether the device can receive notifications: `notificationTypes` is positive and the identifier is valid.',
      resolve: (p) => (p.notification_types ?? 1) > 0 && !p.invalid_identifier,
    }),
    notificationTypes: t.int({
      nullable: true,
      description:
        'Raw subscription status: 1 subscribed, -2 unsubscribed, other negative values are OneSignal error states (e.g. -3 … -99 for missing permissions or invalid tokens).',
      resolve: (p) => p.notification_types ?? null,
    }),
    invalidIdentifier: t.boolean({
      description: 'True when OneSignal found the identifier invalid (equivalent to unsubscribed).',
      resolve: (p) => p.invalid_identifier ?? false,
    }),
    testType: t.field({
      type: TestTypeEnum,
      nullable: true,
      description:
        'iOS build type that selects the APNs environment; null for App Store builds and other platforms.',
      resolve: (p) => testTypeFromWire(p.test_type),
    }),
    location: t.field({
      type: LocationRef,
      nullable: true,
      description: 'Last reported location; null when the device never reported one.',
      resolve: (p) => locationFromWire(p.lat, p.long),
    }),
    country: t.field({
      type: 'CountryCode',
      nullable: true,
      description: 'ISO 3166-1 alpha-2 country code, when known.',
      resolve: (p) => p.country || null,
    }),
  }),
});

export const PlayerConnectionRef = builder.connectionObject(
  {
    type: PlayerRef,
    name: 'PlayerConnection',
    description: 'A page of players.',
    fields: (t) => ({
      totalCount: t.int({
        description: 'Players in the app, across all pages.',
        resolve: totalCountOf,
      }),
    }),
  },
  { name: 'PlayerEdge', description: 'A player and its cursor.' },
);
