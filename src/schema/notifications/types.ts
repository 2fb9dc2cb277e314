/**
 * The `Notification` object as queries and mutation payloads return it: its enums (how it was
 * created, where it is in its life), per-platform delivery statistics, and the node itself. Fields
 * that return notifications live in queries.ts; what a send accepts lives in input.ts.
 */
import { appScopedId, parseLocalId } from '../../core/ids.js';
import type { LoadedNotification } from '../../loaders/notifications.js';
import type { WirePlatformDeliveryStats } from '../../onesignal/index.js';
import { AppRef, belongingApp } from '../apps.js';
import { builder } from '../builder.js';
import { channelFromWire, NotificationTargetRef, TargetChannelEnum, targetPresent } from '../targeting.js';
import { fromUnix } from '../time.js';
import { orNull } from '../upstream-errors.js';
import { LocalizedTextRef, localized, localizedIn } from './localized-text.js';
import { MESSAGE_GROUPS, type WireRecord } from './message/index.js';

export const NotificationRef = builder.objectRef<LoadedNotification>('Notification');

/** Properties OneSignal returns on notifications beyond the spec's NotificationWithMeta. */
type NotificationExtras = {
  canceled?: boolean | null;
  name?: string | null;
  included_segments?: string[] | null;
  excluded_segments?: string[] | null;
  external_id?: string | null;
  template_id?: string | null;
  url?: string | null;
  data?: Record<string, unknown> | null;
};
const extras = (n: LoadedNotification) => n as unknown as NotificationExtras;

// --- Enums -----------------------------------------------------------------------------------------

export const NotificationKindEnum = builder.enumType('NotificationKind', {
  description: 'How a notification was created.',
  values: {
    DASHBOARD: { value: 0, description: 'Sent from the OneSignal dashboard.' },
    API: { value: 1, description: 'Created through the REST API (including this GraphQL API).' },
    AUTOMATED: { value: 3, description: 'Sent by an automated message (journey or trigger).' },
  } as const,
});

export const NotificationStatusEnum = builder.enumType('NotificationStatus', {
  description: 'Where a notification is in its life, derived from its timestamps and cancel flag.',
  values: {
    SCHEDULED: { description: 'Delivery starts at `sendAfter`, which is in the future.' },
    SENDING: { description: 'Delivery has started and has not completed.' },
    DELIVERED: { description: 'Delivery completed at `completedAt`.' },
    CANCELED: { description: 'Canceled before delivery completed.' },
  } as const,
});

const DELIVERY_PLATFORMS = {
  IOS: { value: 'ios', description: 'Apple iOS push.' },
  ANDROID: { value: 'android', description: 'Android push.' },
  CHROME_WEB_PUSH: { value: 'chrome_web_push', description: 'Chrome web push.' },
  FIREFOX_WEB_PUSH: { value: 'firefox_web_push', description: 'Firefox web push.' },
  SAFARI_WEB_PUSH: { value: 'safari_web_push', description: 'Safari web push.' },
  EDGE_WEB_PUSH: { value: 'edge_web_push', description: 'Microsoft Edge web push.' },
  EMAIL: { value: 'email', description: 'Email.' },
  SMS: { value: 'sms', description: 'SMS.' },
} as const;
const DELIVERY_PLATFORM_KEYS = new Set<string>(Object.values(DELIVERY_PLATFORMS).map((p) => p.value));

export const DeliveryPlatformEnum = builder.enumType('DeliveryPlatform', {
  description: 'A channel/platform delivery statistics are broken out by.',
  values: DELIVERY_PLATFORMS,
});

// --- Delivery statistics per platform -------------------------------------------------------------

/** One platform's stats, with the counts only email and SMS report. */
type PlatformStats = { platform: string } & NonNullable<WirePlatformDeliveryStats['email']> &
  NonNullable<WirePlatformDeliveryStats['sms']>;

const count = (description: string, pick: (s: PlatformStats) => number | null | undefined) => ({
  description,
  pick,
});

const PLATFORM_COUNTS = {
  successfulCount: count(
    'Messages handed to the push service, carrier or email provider.',
    (s) => s.successful,
  ),
  failedCount: count('Messages to unsubscribed devices or addresses.', (s) => s.failed),
  erroredCount: count('Messages that failed with an error.', (s) => s.errored),
  convertedCount: count('Messages clicked or opened.', (s) => s.converted),
  receivedCount: count(
    'Messages confirmed received by the device (paid feature; 0 on free plans).',
    (s) => s.received,
  ),
  openedCount: count('Email: times opened.', (s) => s.opened),
  uniqueOpenCount: count('Email: recipients who opened.', (s) => s.unique_opens),
  clickCount: count('Email: link clicks.', (s) => s.clicks),
  uniqueClickCount: count('Email: recipients who clicked a link.', (s) => s.unique_clicks),
  bouncedCount: count('Email: hard or soft bounces.', (s) => s.bounced),
  reportedSpamCount: count('Email: recipients who reported spam.', (s) => s.reported_spam),
  unsubscribedCount: count('Email: recipients who unsubscribed through this email.', (s) => s.unsubscribed),
  providerSuccessfulCount: count(
    'SMS: messages the provider reported delivered.',
    (s) => s.provider_successful,
  ),
  providerFailedCount: count('SMS: messages the provider reported not delivered.', (s) => s.provider_failed),
  providerErroredCount: count('SMS: errors the provider reported.', (s) => s.provider_errored),
};

export const PlatformDeliveryStatsRef = builder.objectRef<PlatformStats>('PlatformDeliveryStats').implement({
  description:
    'Delivery statistics of one notification on one platform. Counts a platform does not report are null.',
  fields: (t) => ({
    platform: t.field({
      type: DeliveryPlatformEnum,
      description: 'The platform these counts are for.',
      resolve: (s) => s.platform as (typeof DELIVERY_PLATFORMS)[keyof typeof DELIVERY_PLATFORMS]['value'],
    }),
    ...Object.fromEntries(
      Object.entries(PLATFORM_COUNTS).map(([name, c]) => [
        name,
        t.int({ nullable: true, description: c.description, resolve: (s) => c.pick(s) ?? null }),
      ]),
    ),
  }),
});

// --- Notification ----------------------------------------------------------------------------------

function statusOf(n: LoadedNotification): 'SCHEDULED' | 'SENDING' | 'DELIVERED' | 'CANCELED' {
  if (extras(n).canceled) return 'CANCELED';
  if (n.completed_at) return 'DELIVERED';
  if (n.send_after && n.send_after * 1000 > Date.now()) return 'SCHEDULED';
  return 'SENDING';
}

builder.node(NotificationRef, {
  description: 'A message an app sent or scheduled, with its content, targeting and delivery statistics.',
  authScopes: { 'notifications:read': true },
  id: { resolve: (n) => appScopedId(n.app_id, n.id), parse: (local) => parseLocalId(local, 'Notification') },
  loadMany: (keys, ctx) => keys.map((key) => orNull(ctx.loaders.notification.load(key))),
  fields: (t) => ({
    oneSignalId: t.field({
      type: 'UUID',
      description: 'The notification id as OneSignal shows it.',
      resolve: (n) => n.id,
    }),
    app: t.field({
      type: AppRef,
      description: 'The app that sent the notification.',
      resolve: (n, _a, ctx, info) => belongingApp(ctx, n.app_id, info),
    }),
    name: t.string({
      nullable: true,
      description: 'Internal name (not shown to recipients).',
      resolve: (n) => extras(n).name ?? null,
    }),
    status: t.field({
      type: NotificationStatusEnum,
      description: 'Derived from `canceled`, `completedAt` and `sendAfter`.',
      resolve: statusOf,
    }),
    contents: t.field({
      type: [LocalizedTextRef],
      description: 'The message body in each language it was written in.',
      resolve: (n) => localized(n.contents),
    }),
    content: t.string({
      nullable: true,
      description: 'The message body in one language; null when it has none in that language.',
      args: { language: t.arg.string({ defaultValue: 'en', required: true, description: 'Language code.' }) },
      resolve: (n, { language }) => localizedIn(n.contents, language),
    }),
    headings: t.field({
      type: [LocalizedTextRef],
      description: 'The title in each language.',
      resolve: (n) => localized(n.headings),
    }),
    heading: t.string({
      nullable: true,
      description: 'The title in one language; null when it has none in that language.',
      args: { language: t.arg.string({ defaultValue: 'en', required: true, description: 'Language code.' }) },
      resolve: (n, { language }) => localizedIn(n.headings, language),
    }),
    subtitles: t.field({
      type: [LocalizedTextRef],
      description: 'The iOS subtitle in each language.',
      resolve: (n) => localized(n.subtitle),
    }),
    url: t.field({
      type: 'URL',
      nullable: true,
      description: 'The URL opened when the notification is clicked.',
      resolve: (n) => {
        const url = extras(n).url;
        return url && URL.canParse(url) ? url : null;
      },
    }),
    data: t.field({
      type: 'JSONObject',
      nullable: true,
      description: 'Custom data delivered to the app with the notification.',
      resolve: (n) => {
        const data = extras(n).data;
        return data && typeof data === 'object' && !Array.isArray(data) ? data : null;
      },
    }),
    customData: t.field({
      type: 'JSONObject',
      nullable: true,
      description: "The personalization data the message's Liquid tags read, as sent.",
      resolve: (n) => {
        const data = (n as unknown as WireRecord).custom_data;
        return data && typeof data === 'object' && !Array.isArray(data)
          ? (data as Record<string, unknown>)
          : null;
      },
    }),
    channel: t.field({
      type: TargetChannelEnum,
      nullable: true,
      description: 'The channel it was sent through (`target_channel`); null when OneSignal did not say.',
      resolve: (n) => channelFromWire(n as unknown as WireRecord),
    }),
    target: t.field({
      type: NotificationTargetRef,
      nullable: true,
      description:
        'Who it was sent to, as OneSignal returns it; null when it returned none of the targeting fields.',
      resolve: (n) => (targetPresent(n as unknown as WireRecord) ? (n as unknown as WireRecord) : null),
    }),
    ...Object.fromEntries(
      Object.entries(MESSAGE_GROUPS).map(([name, group]) => [
        name,
        t.field({
          type: group.outputRef,
          nullable: true,
          description: `${group.spec.description} As OneSignal returns it; null when it returned none of these fields.`,
          resolve: (n) => (group.present(n as unknown as WireRecord) ? n : null) as never,
        }),
      ]),
    ),
    templateId: t.string({
      nullable: true,
      description: 'Id of the dashboard template used, if any.',
      resolve: (n) => extras(n).template_id ?? null,
    }),
    idempotencyKey: t.string({
      nullable: true,
      description: 'The idempotency key given at creation (`external_id` in REST).',
      resolve: (n) => extras(n).external_id ?? null,
    }),
    includedSegments: t.stringList({
      description:
        'Names of the segments targeted; empty when the notification targeted otherwise (`target.segments` reads the same, null instead of empty).',
      resolve: (n) => extras(n).included_segments ?? [],
    }),
    excludedSegments: t.stringList({
      description: 'Names of the segments excluded.',
      resolve: (n) => extras(n).excluded_segments ?? [],
    }),
    queuedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When OneSignal accepted the notification.',
      resolve: (n) => fromUnix(n.queued_at),
    }),
    sendAfter: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When delivery starts (or started).',
      resolve: (n) => fromUnix(n.send_after),
    }),
    completedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When delivery completed; null until then.',
      resolve: (n) => fromUnix(n.completed_at),
    }),
    successfulCount: t.int({
      description: 'Messages handed to push services, carriers or email providers.',
      resolve: (n) => n.successful ?? 0,
    }),
    failedCount: t.int({
      description: 'Messages to unsubscribed devices or addresses.',
      resolve: (n) => n.failed ?? 0,
    }),
    erroredCount: t.int({
      description: 'Messages that failed with an error.',
      resolve: (n) => n.errored ?? 0,
    }),
    convertedCount: t.int({
      description: 'Recipients who clicked or opened the notification.',
      resolve: (n) => n.converted ?? 0,
    }),
    receivedCount: t.int({
      nullable: true,
      description: 'Confirmed deliveries (paid feature; null or 0 otherwise).',
      resolve: (n) => n.received ?? null,
    }),
    remainingCount: t.int({
      description: 'Messages not sent yet (still processing or delayed).',
      resolve: (n) => n.remaining ?? 0,
    }),
    throttleRatePerMinute: t.int({
      nullable: true,
      description: 'Messages sent per minute when throttling applies; null otherwise.',
      resolve: (n) => n.throttle_rate_per_minute ?? null,
    }),
    platformDeliveryStats: t.field({
      type: [PlatformDeliveryStatsRef],
      description: 'Delivery statistics per platform, for the platforms the notification reached.',
      resolve: (n) =>
        Object.entries((n.platform_delivery_stats ?? {}) as Record<string, object | null>)
          .filter(([platform, stats]) => DELIVERY_PLATFORM_KEYS.has(platform) && stats)
          .map(([platform, stats]) => ({ ...(stats as object), platform })),
    }),
  }),
});
