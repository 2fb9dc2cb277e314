/**
 * The fields of a create_notification body, as OneSignal documents them: every field of v1.2.2's
 * `Notification` (BasicNotification plus targeting) and the current API's additions (onesignal-node
 * 5.x's model), with its JSON type, its closed set of values, its channel and its limits. message.ts
 * applies them (and the rules between fields). Where OneSignal's reference leaves a figure or a value
 * set open, the choice made here is written next to it.
 */
import { PLATFORM_FLAGS } from './devices.js';
import { isObject } from './util.js';

export type Channel = 'push' | 'email' | 'sms';
export const CHANNELS = new Set<string>(['push', 'email', 'sms']);

type Kind = 'string' | 'boolean' | 'integer' | 'number' | 'object' | 'strings';

/** Plain-typed fields: wire name → JSON type. Fields with further rules are checked below as well. */
export const TYPES: Record<string, Kind> = {
  name: 'string',
  url: 'string',
  web_url: 'string',
  app_url: 'string',
  global_image: 'string',
  idempotency_key: 'string',
  external_id: 'string',
  data: 'object',
  custom_data: 'object',
  ios_attachments: 'object',
  apns_alert: 'object',
  android_background_layout: 'object',
  adm_group_message: 'object',
  content_available: 'boolean',
  mutable_content: 'boolean',
  ttl: 'integer',
  // OneSignal: "Pass 10 for high priority or any other integer for normal priority". So any integer is
  // accepted (10 high, everything else normal); our GraphQL layer only sends 5 or 10.
  priority: 'integer',
  android_visibility: 'integer',
  huawei_visibility: 'integer',
  ios_badgeCount: 'integer',
  summary_arg_count: 'integer',
  // Huawei documents 1–99 / 0–99 for its badge numbers; OneSignal's reference gives no range, so only
  // the type is checked.
  huawei_badge_add_num: 'integer',
  huawei_badge_set_num: 'integer',
  ios_relevance_score: 'number',
  excluded_segments: 'strings',
  sms_media_urls: 'strings',
  email_bcc: 'strings',
  disable_email_click_tracking: 'boolean',
  include_unsubscribed: 'boolean',
};

/** Push options that are plain strings (images, icons, sounds, channels, grouping, ids). */
const PUSH_STRINGS = [
  'big_picture',
  'huawei_big_picture',
  'adm_big_picture',
  'chrome_big_picture',
  'chrome_web_image',
  'chrome_web_icon',
  'chrome_web_badge',
  'firefox_icon',
  'chrome_icon',
  'small_icon',
  'large_icon',
  'huawei_small_icon',
  'huawei_large_icon',
  'adm_small_icon',
  'adm_large_icon',
  'ios_sound',
  'android_sound',
  'huawei_sound',
  'adm_sound',
  'wp_wns_sound',
  'ios_category',
  'android_channel_id',
  'huawei_channel_id',
  'existing_android_channel_id',
  'huawei_existing_channel_id',
  'collapse_id',
  'web_push_topic',
  'thread_id',
  'summary_arg',
  'target_content_identifier',
  'android_group',
  'adm_group',
  'huawei_bi_tag',
  'huawei_badge_class',
  // v1.2.2 names "voip" as its one value, our GraphQL layer sends "alert"/"none": the set is open.
  'apns_push_type_override',
];
for (const key of PUSH_STRINGS) TYPES[key] = 'string';

for (const key of Object.keys(PLATFORM_FLAGS)) TYPES[key] = 'boolean';

/** Closed sets OneSignal lists for a field. */
export const ENUMS: Record<string, readonly (string | number)[]> = {
  channel_for_external_user_ids: ['push', 'email', 'sms'],
  ios_badgeType: ['None', 'SetTo', 'Increase'],
  // As OneSignal's focus-modes page spells them ("time-sensitive" with a hyphen).
  ios_interruption_level: ['active', 'passive', 'time-sensitive', 'critical'],
  android_visibility: [1, 0, -1],
  huawei_visibility: [1, 0, -1],
  huawei_msg_type: ['data', 'message'],
  huawei_category: [
    'IM',
    'VOIP',
    'SUBSCRIPTION',
    'TRAVEL',
    'HEALTH',
    'WORK',
    'ACCOUNT',
    'EXPRESS',
    'FINANCE',
    'DEVICE_REMINDER',
    'MAIL',
    'MARKETING',
  ],
  delayed_option: ['timezone', 'last-active'],
};

/** Fields only an email may carry. email_subject/email_body alone also make a message an email. */
export const EMAIL_FIELDS = [
  'email_subject',
  'email_body',
  'email_preheader',
  'email_from_name',
  'email_from_address',
  'email_reply_to_address',
  'email_sender_domain',
  'email_bcc',
  'disable_email_click_tracking',
  'include_unsubscribed',
];
for (const key of EMAIL_FIELDS) TYPES[key] ??= 'string';
export const SMS_FIELDS = ['sms_from', 'sms_media_urls'];
TYPES.sms_from = 'string';

/**
 * The targeting modes; a message uses exactly one. Segments may carry excluded_segments; the
 * deprecated device-token lists are each a mode of their own.
 */
export const TARGET_MODES: readonly (readonly string[])[] = [
  ['included_segments'],
  ['filters'],
  ['include_aliases'],
  ['include_subscription_ids'],
  ['include_player_ids'],
  ['include_external_user_ids'],
  ['include_email_tokens', 'email_to'],
  ['include_phone_numbers'],
  ['include_ios_tokens'],
  ['include_wp_wns_uris'],
  ['include_amazon_reg_ids'],
  ['include_chrome_reg_ids'],
  ['include_chrome_web_reg_ids'],
  ['include_android_reg_ids'],
];
/** Every id list OneSignal caps at 2,000 entries per call. */
export const ID_LISTS = TARGET_MODES.flat().filter((k) => k.startsWith('include_') || k === 'email_to');
for (const key of ID_LISTS) if (key !== 'include_aliases') TYPES[key] = 'strings';
TYPES.included_segments = 'strings';

export const LIMITS = {
  /** `data`: "up to 2048 bytes" (v1.2.2). */
  dataBytes: 2048,
  /** `custom_data`: 2,048 bytes for push and SMS; email: "10 kilobytes" in the guide, 10000 bytes in v1.2.2 (we take 10,000). */
  customDataBytes: { push: 2048, sms: 2048, email: 10_000 } as Record<Channel, number>,
  /** Mobile action buttons: OneSignal's current docs allow 3 (v1.2.2 gives no figure). */
  buttons: 3,
  /** Chrome web push buttons: 2 (Chrome shows at most two; v1.2.2 gives no figure). */
  webButtons: 2,
  /** `ttl`: at most 2,419,200 seconds (28 days). */
  ttlSeconds: 2_419_200,
  /** `collapse_id`: "Limit of 64 characters". */
  collapseIdChars: 64,
  /** `filters`: 200 entries, operators included. */
  filters: 200,
  /** Each include_* list (and include_aliases' ids together): 2,000 per call. */
  ids: 2000,
  /** `sms_media_urls`: "Limit: 10 media urls". */
  smsMediaUrls: 10,
};

export const present = (body: Record<string, unknown>, key: string) =>
  body[key] !== undefined && body[key] !== null;
export const jsonBytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

export function typeProblem(key: string, v: unknown, kind: Kind): string | undefined {
  switch (kind) {
    case 'string':
      return typeof v === 'string' ? undefined : `${key} must be a string`;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `${key} must be a boolean`;
    case 'integer':
      return Number.isInteger(v) ? undefined : `${key} must be an integer`;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : `${key} must be a number`;
    case 'object':
      return isObject(v) ? undefined : `${key} must be a JSON object`;
    case 'strings':
      return Array.isArray(v) && v.every((x) => typeof x === 'string')
        ? undefined
        : `${key} must be an array of strings`;
  }
}

/** ARGB hex, 8 digits ("FF0000FF"), as documented for the Android colors. */
export const ARGB = /^[0-9a-f]{8}$/i;
/** Huawei's colors are documented as RGB ("0000FF", "#9900FF"); ARGB is taken too (we send FFRRGGBB). */
export const HUAWEI_COLOR = /^#?([0-9a-f]{6}|[0-9a-f]{8})$/i;
export const ARGB_COLORS = ['android_led_color', 'android_accent_color'];
export const HUAWEI_COLORS = ['huawei_led_color', 'huawei_accent_color'];
for (const key of [...ARGB_COLORS, ...HUAWEI_COLORS]) TYPES[key] = 'string';
/** E.164: "+", then up to 15 digits, no leading 0. */
export const E164 = /^\+[1-9]\d{1,14}$/;
/** Syntax only, as OneSignal checks sender and BCC addresses. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * delivery_time_of_day, in the three forms OneSignal shows: "9:00AM" (12-hour), "21:45" (24-hour) and
 * "9:45:30" (with seconds). A space before AM/PM is tolerated.
 */
export function isTimeOfDay(v: string): boolean {
  const m = /^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?\s?([AaPp][Mm])?$/.exec(v);
  if (!m) return false;
  const hour = Number(m[1]);
  return m[4] ? hour >= 1 && hour <= 12 : hour <= 23;
}

/**
 * throttle_rate_per_minute: v1.2.2 and the 5.x send model type it a string, the read model a number;
 * both are taken when they hold a non-negative integer. OneSignal: incompatible with delayed_option
 * unless 0 (which disables throttling).
 */
export function throttleRate(v: unknown): number | undefined {
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}
