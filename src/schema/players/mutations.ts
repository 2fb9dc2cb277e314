/**
 * The player mutations (`playerCreate`, `playerUpdate`, `playerDelete`, `playerTagsUpdate`,
 * `playerExportCsv`) with their payloads. Input checks and wire bodies are in input.ts.
 */
import { UpstreamError, ValidationError } from '../../core/errors.js';
import { APP_REF_DESCRIPTION, parseAppRef, parseNodeId } from '../../core/ids.js';
import { builder } from '../builder.js';
import { mutationResult, UPSTREAM_ERRORS } from '../error-types.js';
import { CsvExportRef } from '../exports.js';
import { upstream } from '../upstream-errors.js';
import {
  DeviceTypeEnum,
  deviceTypeToWire,
  LocationInput,
  TagInput,
  TestTypeEnum,
  tagsToWire,
} from './attributes.js';
import { EXPORT_FIELDS, toExportBody, toPlayerBody } from './input.js';
import { PlayerRef } from './types.js';

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

const TagChangeRef = builder.simpleObject('TagChange', {
  description: 'One tag set or removed.',
  fields: (t) => ({
    key: t.string({ description: 'Tag key.' }),
    value: t.string({ nullable: true, description: 'New value; null when the tag was removed.' }),
  }),
});

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
