import { isSubscribed } from './audience.js';
import { platformKeyOf, subscriptionTypeOf } from './devices.js';
import type { AppState } from './store.js';
import type { DeliveryStats, NotificationRecord, PlayerRecord, UserRecord } from './types.js';

/** App fields echoed back (write-only ones such as apns_p12 are stored but never returned). */
const APP_READABLE = [
  'android_gcm_sender_id',
  'organization_id',
  'additional_data_is_root_payload',
  'gcm_key',
  'chrome_web_origin',
  'chrome_key',
  'chrome_web_default_notification_icon',
  'chrome_web_sub_domain',
  'apns_env',
  'apns_key_id',
  'apns_team_id',
  'apns_bundle_id',
  'apns_p8',
  'safari_site_origin',
  'safari_icon_256_256',
  'site_name',
];

export function presentApp(state: AppState): Record<string, unknown> {
  const { app } = state;
  let messageable = 0;
  for (const p of state.players.values()) if (isSubscribed(p)) messageable++;
  const out: Record<string, unknown> = {
    id: app.id,
    name: app.name,
    players: state.players.size,
    messageable_players: messageable,
    updated_at: app.updated_at,
    created_at: app.created_at,
  };
  for (const key of APP_READABLE) out[key] = app.settings[key] ?? null;
  out.apns_certificates = app.settings.apns_p12 ? 'emulator-apns-certificate' : null;
  out.safari_apns_certificates = app.settings.safari_apns_p12 ? 'emulator-safari-certificate' : null;
  out.safari_push_id = app.settings.safari_site_origin ? `web.onesignal.auto.${app.id}` : null;
  out.basic_auth_key = app.basic_auth_key;
  return out;
}

export function presentPlayer(state: AppState, p: PlayerRecord): Record<string, unknown> {
  return {
    id: p.id,
    invalid_identifier: p.invalid_identifier,
    app_id: p.app_id,
    device_type: p.device_type,
    external_user_id: state.externalIdOf(p),
    identifier: p.identifier,
    language: p.language,
    timezone: p.timezone,
    game_version: p.game_version,
    device_model: p.device_model,
    device_os: p.device_os,
    ad_id: p.ad_id,
    sdk: p.sdk,
    session_count: p.session_count,
    tags: { ...state.tagsOf(p) },
    amount_spent: p.amount_spent,
    created_at: p.created_at,
    playtime: p.playtime,
    badge_count: p.badge_count,
    last_active: p.last_active,
    notification_types: p.notification_types,
    test_type: p.test_type,
    long: p.long,
    lat: p.lat,
    country: p.country,
  };
}

export function presentSubscription(p: PlayerRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: p.id,
    type: subscriptionTypeOf(p.device_type),
    token: p.identifier ?? '',
    enabled: isSubscribed(p),
    notification_types: p.notification_types,
    session_time: p.playtime,
    session_count: p.session_count,
  };
  const optional: [string, unknown][] = [
    ['sdk', p.sdk],
    ['device_model', p.device_model],
    ['device_os', p.device_os],
    ['rooted', p.rooted],
    ['test_type', p.test_type],
    ['app_version', p.game_version],
    ['net_type', p.net_type],
    ['carrier', p.carrier],
    ['web_auth', p.web_auth],
    ['web_p256', p.web_p256],
  ];
  for (const [k, v] of optional) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

export const identityOf = (user: UserRecord): Record<string, string> => ({
  onesignal_id: user.onesignal_id,
  ...user.aliases,
});

export function presentUser(state: AppState, user: UserRecord): Record<string, unknown> {
  const subscriptions: Record<string, unknown>[] = [];
  for (const id of user.subscriptions) {
    const p = state.players.get(id);
    if (p) subscriptions.push(presentSubscription(p));
  }
  return {
    properties: { ...user.properties, tags: { ...user.properties.tags } },
    identity: identityOf(user),
    subscriptions,
  };
}

/**
 * Delivers a notification once its send_after has passed (lazily, on read): at once, or with pacing
 * (`delivery_ms`) progressively, each platform's count growing with the time since delivery began.
 */
export function settle(n: NotificationRecord, now: number): void {
  if (n.canceled || n.completed_at !== null || n.send_after === null || n.send_after > now) return;
  let share = 1;
  if (n.delivery_ms) {
    const start = n.delivery_start_ms ?? n.send_after * 1000;
    share = Math.min(1, Math.max(0, (Date.now() - start) / n.delivery_ms));
    if (share >= 1) n.completed_at = Math.floor((start + n.delivery_ms) / 1000);
  } else {
    n.completed_at = n.send_after;
  }
  const stats: DeliveryStats = { successful: 0, failed: 0, errored: 0, converted: 0, received: 0 };
  const platform: Record<string, DeliveryStats> = {};
  for (const [key, total] of Object.entries(n.platform_counts)) {
    const count = Math.floor(total * share);
    platform[key] = { successful: count, failed: 0, errored: 0, converted: 0, received: count };
    stats.successful += count;
    stats.received += count;
  }
  n.stats = stats;
  n.platform_stats = platform;
}

/**
 * A notification as OneSignal reads it back: the fields as sent (absent when not sent; nothing is
 * filled in but what a template supplied), then the delivery meta data.
 */
export function presentNotification(n: NotificationRecord, now: number): Record<string, unknown> {
  settle(n, now);
  const pending = !n.canceled && n.completed_at === null;
  return {
    ...n.fields,
    id: n.id,
    app_id: n.app_id,
    // Only when the send carried one: a field not sent is absent, not null.
    ...(n.external_id === null ? {} : { external_id: n.external_id }),
    successful: n.stats.successful,
    failed: n.stats.failed,
    errored: n.stats.errored,
    converted: n.stats.converted,
    received: n.stats.received,
    remaining: pending ? n.recipients - n.stats.successful - n.stats.failed - n.stats.errored : 0,
    queued_at: n.queued_at,
    send_after: n.send_after,
    completed_at: n.completed_at,
    canceled: n.canceled,
    platform_delivery_stats: { ...n.platform_stats },
    outcomes: n.outcomes,
  };
}

export const platformCounts = (players: PlayerRecord[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const p of players) {
    const key = platformKeyOf(p.device_type);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};
