/**
 * Validation of the player mutations' input and its mapping to OneSignal's bodies (create_player,
 * update_player, export_players). GraphQL names stop here; the wire's snake_case starts here.
 */
import { ValidationError } from '../../core/errors.js';
import type { WirePlayer } from '../../onesignal/index.js';
import { toUnix } from '../time.js';
import { type LocationShape, tagsToWire, validateLocation } from './attributes.js';

/** The device attributes `playerCreate` and `playerUpdate` share, as their resolvers receive them. */
export interface PlayerAttributesInput {
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

/** Optional export columns: GraphQL value → [wire column, description]. */
export const EXPORT_FIELDS = {
  LOCATION: ['location', 'Latitude and longitude.'],
  COUNTRY: ['country', 'Country code.'],
  ROOTED: ['rooted', 'Whether the device is rooted or jailbroken.'],
  NOTIFICATION_TYPES: ['notification_types', 'Raw subscription status.'],
  IP: ['ip', 'Last IP address.'],
  EXTERNAL_USER_ID: ['external_user_id', 'Your user id.'],
  WEB_AUTH: ['web_auth', 'Web push auth key.'],
  WEB_P256: ['web_p256', 'Web push p256 key.'],
} as const;

/** Checks the attributes and builds the create_player / update_player body (unset fields left out). */
export function toPlayerBody(input: PlayerAttributesInput, path: string[]): Partial<WirePlayer> {
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

/** The export_players body. */
export function toExportBody(input: {
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
