import { UpstreamError, ValidationError } from '../../core/errors.js';
import { APP_REF_DESCRIPTION, appScopedId, parseAppRef, parseLocalId, parseNodeId } from '../../core/ids.js';
import type { AppPlayer } from '../../loaders/players.js';
import type { WirePlayer } from '../../onesignal/index.js';
import { AppRef, belongingApp } from '../apps.js';
import { builder } from '../builder.js';
import { mutationResult, UPSTREAM_ERRORS } from '../error-types.js';
import { CsvExportRef } from '../exports.js';
import { offsetConnection, offsetPage, totalCountOf } from '../pagination.js';
import { fromUnix, toUnix } from '../time.js';
import { orNull, upstream } from '../upstream-errors.js';

// ---------------------------------------------------------------------------------------------------
// Shared enums and small types (also used by users.ts and subscriptions.ts)

/** OneSignal `device_type` integers. */
const DEVICE_TYPES = {
  IOS: { code: 0, description: 'iOS (APNs).' },
  ANDROID: { code: 1, description: 'Android (FCM).' },
  AMAZON: { code: 2, description: 'Amazon Fire OS (ADM).' },
  WINDOWS_PHONE: { code: 3, description: 'Windows Phone (MPNS). Deprecated by OneSignal.' },
  CHROME_APP: { code: 4, description: 'Chrome Apps and Extensions.' },
  CHROME_WEB: { code: 5, description: 'Chrome (and Chromium) web push.' },
  WINDOWS: { code: 6, description: 'Windows (WNS).' },
  SAFARI: { code: 7, description: 'Safari legacy web push (before Safari 16.4).' },
  FIREFOX: { code: 8, description: 'Firefox web push.' },
  MACOS: { code: 9, description: 'macOS apps.' },
  ALEXA: { code: 10, description: 'Amazon Alexa.' },
  EMAIL: { code: 11, description: 'An email address.' },
  EDGE: { code: 12, description: 'Microsoft Edge web push.' },
  HUAWEI: { code: 13, description: 'Huawei App Gallery builds (HMS). Not Huawei devices using FCM.' },
  SMS: { code: 14, description: 'A phone number for SMS.' },
  SAFARI_VAPID: { code: 17, description: 'Safari 16.4+ standard (VAPID) web push.' },
} as const;

export type DeviceTypeName = keyof typeof DEVICE_TYPES | 'UNKNOWN';

const DEVICE_TYPE_BY_CODE = new Map<number, DeviceTypeName>(
  Object.entries(DEVICE_TYPES).map(([name, { code }]) => [code, name as DeviceTypeName]),
);

export const deviceTypeFromWire = (code: number | null | undefined): DeviceTypeName =>
  (code != null && DEVICE_TYPE_BY_CODE.get(code)) || 'UNKNOWN';

export const deviceTypeToWire = (name: Exclude<DeviceTypeName, 'UNKNOWN'>): number => DEVICE_TYPES[name].code;

export const DeviceTypeEnum = builder.enumType('DeviceType', {
  description: "A device's platform (OneSignal's v1 `device_type`).",
  values: {
    ...Object.fromEntries(
      Object.entries(DEVICE_TYPES).map(([name, { description }]) => [name, { description }]),
    ),
    UNKNOWN: {
      description:
        'A platform this API does not know yet; `deviceTypeCode` has the raw value. Not accepted as input.',
    },
  } as Record<DeviceTypeName, { description: string }>,
});

/** Which APNs certificate OneSignal uses for an iOS device (`test_type`). */
export const TestTypeEnum = builder.enumType('TestType', {
  description:
    'The iOS provisioning profile an app was built with; null means an App Store (production) build.',
  values: {
    DEVELOPMENT: { value: 1, description: 'Development build: pushes go through the APNs sandbox.' },
    AD_HOC: { value: 2, description: 'Ad-hoc build.' },
  },
});

export const testTypeFromWire = (value: number | null | undefined): 1 | 2 | null =>
  value === 1 || value === 2 ? value : null;

export interface TagShape {
  key: string;
  value: string;
}

export const TagRef = builder.objectRef<TagShape>('Tag').implement({
  description: 'A data tag: a key/value pair used for segmentation and personalization.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Tag key.' }),
    value: t.exposeString('value', { description: 'Tag value. OneSignal stores numbers as strings.' }),
  }),
});

/** Wire tags object → sorted, stringified list (OneSignal caps tags per record, so a list is bounded). */
export function tagsFromWire(tags: Record<string, unknown> | null | undefined): TagShape[] {
  if (!tags) return [];
  return Object.entries(tags)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

export const TagInput = builder.inputType('TagInput', {
  description: 'Sets or removes one tag.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'Tag key.' }),
    value: t.string({ description: 'New value; null removes the tag.' }),
  }),
});

/** Tag inputs → the wire object, where an empty string deletes a tag. */
export function tagsToWire(
  tags: readonly { key: string; value?: string | null }[],
  path: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  tags.forEach((tag, i) => {
    if (!tag.key.trim()) throw ValidationError.field([...path, String(i), 'key'], 'must not be empty.');
    if (tag.key in out)
      throw ValidationError.field([...path, String(i), 'key'], `"${tag.key}" appears twice.`);
    out[tag.key] = tag.value ?? '';
  });
  return out;
}

export interface LocationShape {
  latitude: number;
  longitude: number;
}

export const LocationRef = builder.objectRef<LocationShape>('Location').implement({
  description: 'A geographic point reported by the device, used for location-based segments.',
  fields: (t) => ({
    latitude: t.exposeFloat('latitude', { description: 'Latitude in degrees, -90 to 90.' }),
    longitude: t.exposeFloat('longitude', { description: 'Longitude in degrees, -180 to 180.' }),
  }),
});

export const locationFromWire = (
  lat: number | null | undefined,
  long: number | null | undefined,
): LocationShape | null =>
  typeof lat === 'number' && typeof long === 'number' ? { latitude: lat, longitude: long } : null;

export const LocationInput = builder.inputType('LocationInput', {
  description: 'A geographic point.',
  fields: (t) => ({
    latitude: t.float({ required: true, description: 'Latitude in degrees, -90 to 90.' }),
    longitude: t.float({ required: true, description: 'Longitude in degrees, -180 to 180.' }),
  }),
});

export function validateLocation(location: LocationShape | null | undefined, path: string[]): void {
  if (!location) return;
  if (!(location.latitude >= -90 && location.latitude <= 90))
    throw ValidationError.field([...path, 'latitude'], 'must be between -90 and 90.');
  if (!(location.longitude >= -180 && location.longitude <= 180))
    throw ValidationError.field([...path, 'longitude'], 'must be between -180 and 180.');
}

// ---------------------------------------------------------------------------------------------------
// Player

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

builder.objectFields(AppRef, (t) => ({
  players: t.connection(
    {
      type: PlayerRef,
      skipTypeScopes: true,
      authScopes: { 'users:read': true },
      description:
        'Devices registered with the app, in OneSignal order (`first` at most 300). OneSignal does not offer this for apps over 80,000 devices; use `playerExportCsv` there.',
      resolve: async (app, args, ctx) => {
        const page = offsetPage(args, { max: 300, path: ['players'] });
        const result = await upstream(ctx.loaders.playerPage.load({ appId: app.id, ...page }));
        return offsetConnection(result.players, page, result.totalCount);
      },
    },
    PlayerConnectionRef,
  ),
  player: t.field({
    type: PlayerRef,
    nullable: true,
    skipTypeScopes: true,
    authScopes: { 'users:read': true },
    description: 'One device by its OneSignal player id; null when the app has no such device.',
    args: { id: t.arg({ type: 'UUID', required: true, description: "OneSignal's player id." }) },
    resolve: (app, { id }, ctx) => orNull(ctx.loaders.player.load({ appId: app.id, id: id.toLowerCase() })),
  }),
}));

// ---------------------------------------------------------------------------------------------------
// Mutations

const PlayerAttributesFields = {
  identifier: 'Push token, email address (EMAIL) or phone number in E.164 (SMS).',
  language: 'Language code, e.g. `en`.',
  timezoneOffset: 'Offset from UTC in seconds.',
  gameVersion: 'Version of your app.',
  deviceModel: 'Device make and model.',
  deviceOs: 'Operating system version.',
  adId: 'Advertising id.',
  sdk: 'SDK name and version.',
  sessionCount: 'Number of sessions.',
  tags: 'Tags to set; a null value removes a tag.',
  amountSpent: 'Amount spent in USD.',
  createdAt: 'When the device was first registered.',
  playtimeSeconds: 'Total seconds the app has been open.',
  badgeCount: 'Current iOS badge count.',
  lastActive: 'When the device was last active.',
  notificationTypes: '1 to subscribe, -2 to unsubscribe.',
  testType: 'iOS build type; omit for App Store builds.',
  location: 'Location for geo segments.',
  country: 'ISO 3166-1 alpha-2 country code.',
  externalUserId: 'Your user id for this device.',
} as const;

interface PlayerAttributesInput {
  identifier?: string | null;
  language?: string | null;
  timezoneOffset?: number | null;
  gameVersion?: string | null;
  deviceModel?: string | null;
  deviceOs?: string | null;
  adId?: string | null;
  sdk?: string | null;
  sessionCount?: number | null;
  tags?: { key: string; value?: string | null }[] | null;
  amountSpent?: number | null;
  createdAt?: Date | null;
  playtimeSeconds?: number | null;
  badgeCount?: number | null;
  lastActive?: Date | null;
  notificationTypes?: number | null;
  testType?: 1 | 2 | null;
  location?: LocationShape | null;
  country?: string | null;
  externalUserId?: string | null;
}

const TagChangeRef = builder.simpleObject('TagChange', {
  description: 'One tag set or removed.',
  fields: (t) => ({
    key: t.string({ description: 'Tag key.' }),
    value: t.string({ nullable: true, description: 'New value; null when the tag was removed.' }),
  }),
});

const EXPORT_FIELDS = {
  LOCATION: ['location', 'Latitude and longitude.'],
  COUNTRY: ['country', 'Country code.'],
  ROOTED: ['rooted', 'Whether the device is rooted or jailbroken.'],
  NOTIFICATION_TYPES: ['notification_types', 'Raw subscription status.'],
  IP: ['ip', 'Last IP address.'],
  EXTERNAL_USER_ID: ['external_user_id', 'Your user id.'],
  WEB_AUTH: ['web_auth', 'Web push auth key.'],
  WEB_P256: ['web_p256', 'Web push p256 key.'],
} as const;

const PlayerExportFieldEnum = builder.enumType('PlayerExportField', {
  description: 'Optional columns of a player CSV export.',
  values: Object.fromEntries(
    Object.entries(EXPORT_FIELDS).map(([name, [, description]]) => [name, { description }]),
  ) as Record<keyof typeof EXPORT_FIELDS, { description: string }>,
});

const PlayerPayloadRef = builder.simpleObject('PlayerPayload', {
  description: 'The player after the change.',
  fields: (t) => ({
    player: t.field({
      type: PlayerRef,
      description: 'The created or updated player, read back from OneSignal.',
    }),
  }),
});

builder.mutationFields((t) => {
  const attributes = {
    identifier: t.input.string({ description: PlayerAttributesFields.identifier }),
    language: t.input.string({ description: PlayerAttributesFields.language }),
    timezoneOffset: t.input.int({ description: PlayerAttributesFields.timezoneOffset }),
    gameVersion: t.input.string({ description: PlayerAttributesFields.gameVersion }),
    deviceModel: t.input.string({ description: PlayerAttributesFields.deviceModel }),
    deviceOs: t.input.string({ description: PlayerAttributesFields.deviceOs }),
    adId: t.input.string({ description: PlayerAttributesFields.adId }),
    sdk: t.input.string({ description: PlayerAttributesFields.sdk }),
    sessionCount: t.input.int({ description: PlayerAttributesFields.sessionCount }),
    tags: t.input.field({ type: [TagInput], description: PlayerAttributesFields.tags }),
    amountSpent: t.input.float({ description: PlayerAttributesFields.amountSpent }),
    createdAt: t.input.field({ type: 'DateTime', description: PlayerAttributesFields.createdAt }),
    playtimeSeconds: t.input.int({ description: PlayerAttributesFields.playtimeSeconds }),
    badgeCount: t.input.int({ description: PlayerAttributesFields.badgeCount }),
    lastActive: t.input.field({ type: 'DateTime', description: PlayerAttributesFields.lastActive }),
    notificationTypes: t.input.int({ description: PlayerAttributesFields.notificationTypes }),
    testType: t.input.field({ type: TestTypeEnum, description: PlayerAttributesFields.testType }),
    location: t.input.field({ type: LocationInput, description: PlayerAttributesFields.location }),
    country: t.input.field({ type: 'CountryCode', description: PlayerAttributesFields.country }),
    externalUserId: t.input.string({ description: PlayerAttributesFields.externalUserId }),
  };
  return {
    playerCreate: t.fieldWithInput({
      authScopes: { 'users:write': true },
      description:
        'Registers a device (create_player). OneSignal updates the existing record when the identifier is already registered.',
      input: {
        appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
        deviceType: t.input.field({ type: DeviceTypeEnum, required: true, description: 'The platform.' }),
        ...attributes,
      },
      type: PlayerPayloadRef,
      typeOptions: {
        description: 'Input of `playerCreate`: the app, the platform and the initial device attributes.',
      },
      errors: mutationResult(
        'playerCreate',
        UPSTREAM_ERRORS,
        'What `playerCreate` returns: the registered player, or a `ValidationError`, `NotFoundError`, `RateLimitedError` or `UpstreamError`.',
      ),
      resolve: async (_root, { input }, ctx) => {
        const appId = parseAppRef(input.appId, ['input', 'appId']);
        if (input.deviceType === 'UNKNOWN')
          throw ValidationError.field(
            ['input', 'deviceType'],
            'UNKNOWN cannot be registered; name the platform.',
          );
        const body = { device_type: deviceTypeToWire(input.deviceType), ...toPlayerBody(input, ['input']) };
        const created = await upstream(ctx.client.players.create(appId, body));
        const player = await upstream(ctx.loaders.player.load({ appId, id: created.id as string }));
        return { player };
      },
    }),
    playerUpdate: t.fieldWithInput({
      authScopes: { 'users:write': true },
      description: 'Changes a device record (update_player). Omitted fields stay as they are.',
      input: {
        id: t.input.id({ required: true, description: 'The player to change (`Player.id`).' }),
        deviceType: t.input.field({ type: DeviceTypeEnum, description: 'The platform.' }),
        ...attributes,
      },
      type: PlayerPayloadRef,
      typeOptions: {
        description: 'Input of `playerUpdate`: the player and the device attributes to change.',
      },
      errors: mutationResult(
        'playerUpdate',
        UPSTREAM_ERRORS,
        'What `playerUpdate` returns: the changed player, or a `ValidationError`, `NotFoundError` (no such player), `RateLimitedError` or `UpstreamError`.',
      ),
      resolve: async (_root, { input }, ctx) => {
        const key = parseNodeId(input.id, 'Player', ['input', 'id']);
        if (input.deviceType === 'UNKNOWN')
          throw ValidationError.field(['input', 'deviceType'], 'UNKNOWN cannot be set; name the platform.');
        const body = {
          ...(input.deviceType ? { device_type: deviceTypeToWire(input.deviceType) } : {}),
          ...toPlayerBody(input, ['input']),
        };
        await upstream(ctx.client.players.update(key.appId, key.id, body));
        ctx.loaders.player.clear(key);
        return { player: await upstream(ctx.loaders.player.load(key)) };
      },
    }),
    playerDelete: t.fieldWithInput({
      authScopes: { 'users:write': true },
      description: 'Deletes a device record (delete_player).',
      input: { id: t.input.id({ required: true, description: 'The player to delete (`Player.id`).' }) },
      type: builder.simpleObject('PlayerDeletePayload', {
        description: 'What was deleted.',
        fields: (f) => ({
          deletedPlayerId: f.id({
            description: 'Global id of the deleted player, for evicting it from client caches.',
          }),
        }),
      }),
      typeOptions: { description: 'Input of `playerDelete`: the player to delete.' },
      errors: mutationResult(
        'playerDelete',
        UPSTREAM_ERRORS,
        'What `playerDelete` returns: the id of the deleted player, or a `ValidationError`, `NotFoundError` (no such player), `RateLimitedError` or `UpstreamError`.',
      ),
      resolve: async (_root, { input }, ctx) => {
        const key = parseNodeId(input.id, 'Player', ['input', 'id']);
        await upstream(ctx.client.players.delete(key.appId, key.id));
        ctx.loaders.player.clear(key);
        return { deletedPlayerId: input.id };
      },
    }),
    playerTagsUpdate: t.fieldWithInput({
      authScopes: { 'users:write': true },
      description:
        'Sets and removes tags on the devices of one external user id (update_player_tags). Tags not listed stay as they are.',
      input: {
        appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
        externalUserId: t.input.string({
          required: true,
          description: 'Your user id, as set on the devices.',
        }),
        tags: t.input.field({
          type: [TagInput],
          required: true,
          description: 'Tags to set; a null value removes a tag. At most 100.',
        }),
      },
      type: builder.simpleObject('PlayerTagsUpdatePayload', {
        description: 'The result of a tag update.',
        fields: (f) => ({
          externalUserId: f.string({ description: 'The external user id whose devices were tagged.' }),
          changedTags: f.field({
            type: [TagChangeRef],
            description: 'The changes sent to OneSignal, in input order.',
          }),
        }),
      }),
      typeOptions: {
        description:
          'Input of `playerTagsUpdate`: the app, an external user id and the tags to set or remove.',
      },
      errors: mutationResult(
        'playerTagsUpdate',
        UPSTREAM_ERRORS,
        'What `playerTagsUpdate` returns: the tag changes sent to OneSignal, or a `ValidationError`, `NotFoundError`, `RateLimitedError` or `UpstreamError`.',
      ),
      resolve: async (_root, { input }, ctx) => {
        const appId = parseAppRef(input.appId, ['input', 'appId']);
        if (!input.externalUserId.trim())
          throw ValidationError.field(['input', 'externalUserId'], 'must not be empty.');
        if (input.tags.length === 0)
          throw ValidationError.field(['input', 'tags'], 'must contain at least one tag.');
        if (input.tags.length > 100)
          throw ValidationError.field(['input', 'tags'], 'OneSignal accepts at most 100 tags per call.');
        const tags = tagsToWire(input.tags, ['input', 'tags']);
        await upstream(ctx.client.players.updateTags(appId, input.externalUserId, tags));
        ctx.loaders.player.clearAll();
        return {
          externalUserId: input.externalUserId,
          changedTags: input.tags.map((tag) => ({ key: tag.key, value: tag.value ?? null })),
        };
      },
    }),
    playerExportCsv: t.fieldWithInput({
      authScopes: { exports: true },
      description:
        'Starts a gzip-compressed CSV export of the devices of an app (export_players). The file can take minutes to appear; until then its URL answers 403. It stays available for 3 days.',
      input: {
        appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
        extraFields: t.input.field({
          type: [PlayerExportFieldEnum],
          description: 'Columns to add to the default ones.',
        }),
        lastActiveSince: t.input.field({
          type: 'DateTime',
          description: 'Only devices active after this time.',
        }),
        segmentName: t.input.string({ description: 'Only devices in this segment.' }),
      },
      type: builder.simpleObject('PlayerExportCsvPayload', {
        description: 'Where the export will appear.',
        fields: (f) => ({
          csvFileUrl: f.field({ type: 'URL', description: 'Download URL of the `.csv.gz` file.' }),
          export: f.field({ type: CsvExportRef, description: 'The file and whether it is ready yet.' }),
        }),
      }),
      typeOptions: {
        description: 'Input of `playerExportCsv`: the app, extra columns and which devices to include.',
      },
      errors: mutationResult(
        'playerExportCsv',
        UPSTREAM_ERRORS,
        'What `playerExportCsv` returns: the URL the CSV file will appear at, or a `ValidationError`, `NotFoundError`, `RateLimitedError` or `UpstreamError`.',
      ),
      resolve: async (_root, { input }, ctx) => {
        const appId = parseAppRef(input.appId, ['input', 'appId']);
        if (input.segmentName !== undefined && input.segmentName !== null && !input.segmentName.trim()) {
          throw ValidationError.field(['input', 'segmentName'], 'must not be empty.');
        }
        const result = await upstream(ctx.client.players.exportCsv(appId, toExportBody(input)));
        const url = result.csv_file_url;
        if (!url || !URL.canParse(url))
          throw new UpstreamError(
            'UPSTREAM_UNAVAILABLE',
            'export_players: OneSignal answered without a download URL.',
            'export_players',
          );
        return { csvFileUrl: url, export: { url: new URL(url) } };
      },
    }),
  };
});

// ---------------------------------------------------------------------------------------------------
// Input → wire body mappers

function toPlayerBody(input: PlayerAttributesInput, path: string[]): Partial<WirePlayer> {
  validateLocation(input.location, [...path, 'location']);
  const nonNegative = (value: number | null | undefined, field: string) => {
    if (value != null && value < 0) throw ValidationError.field([...path, field], 'must not be negative.');
  };
  nonNegative(input.sessionCount, 'sessionCount');
  nonNegative(input.amountSpent, 'amountSpent');
  nonNegative(input.playtimeSeconds, 'playtimeSeconds');
  nonNegative(input.badgeCount, 'badgeCount');
  if (input.timezoneOffset != null && Math.abs(input.timezoneOffset) > 14 * 3600) {
    throw ValidationError.field([...path, 'timezoneOffset'], 'must be within ±50400 seconds (±14 h).');
  }
  const body: Record<string, unknown> = {
    identifier: input.identifier,
    language: input.language,
    timezone: input.timezoneOffset,
    game_version: input.gameVersion,
    device_model: input.deviceModel,
    device_os: input.deviceOs,
    ad_id: input.adId,
    sdk: input.sdk,
    session_count: input.sessionCount,
    tags: input.tags ? tagsToWire(input.tags, [...path, 'tags']) : undefined,
    amount_spent: input.amountSpent,
    created_at: input.createdAt ? toUnix(input.createdAt) : undefined,
    playtime: input.playtimeSeconds,
    badge_count: input.badgeCount,
    last_active: input.lastActive ? toUnix(input.lastActive) : undefined,
    notification_types: input.notificationTypes,
    test_type: input.testType,
    lat: input.location?.latitude,
    long: input.location?.longitude,
    country: input.country,
    external_user_id: input.externalUserId,
  };
  return Object.fromEntries(
    Object.entries(body).filter(([, v]) => v !== undefined && v !== null),
  ) as Partial<WirePlayer>;
}

function toExportBody(input: {
  extraFields?: (keyof typeof EXPORT_FIELDS)[] | null;
  lastActiveSince?: Date | null;
  segmentName?: string | null;
}) {
  return {
    ...(input.extraFields?.length
      ? { extra_fields: [...new Set(input.extraFields.map((f) => EXPORT_FIELDS[f][0]))] }
      : {}),
    ...(input.lastActiveSince ? { last_active_since: String(toUnix(input.lastActiveSince)) } : {}),
    ...(input.segmentName ? { segment_name: input.segmentName } : {}),
  };
}
