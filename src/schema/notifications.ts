import { randomUUID } from 'node:crypto';
import { type FieldProblem, SendOutcomeUnknown, UpstreamError, ValidationError } from '../core/errors.js';
import {
  APP_REF_DESCRIPTION,
  type AppScopedKey,
  appScopedId,
  encodeNodeId,
  parseAppRef,
  parseLocalId,
  parseNodeId,
} from '../core/ids.js';
import type { LoadedNotification } from '../loaders/notifications.js';
import type {
  WireCreateNotificationBody,
  WireCreateNotificationResult,
  WirePlatformDeliveryStats,
} from '../onesignal/index.js';
import { OneSignalError } from '../onesignal/index.js';
import { AppRef, belongingApp, registerAppFieldPrefetch } from './apps.js';
import { builder } from './builder.js';
import { mutationResult, UPSTREAM_ERRORS } from './error-types.js';
import { CsvExportRef } from './exports.js';
import { offsetConnection, offsetPage, timeConnection, timeCursorOf, totalCountOf } from './pagination.js';
import { FilterInput, type FilterInputShape, toWireFilters } from './segments.js';
import { fromUnix } from './time.js';
import { orNull, toApiError, upstream } from './upstream-errors.js';

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

export const TargetChannelEnum = builder.enumType('TargetChannel', {
  description: 'Which channel a notification is sent through.',
  values: {
    PUSH: { value: 'push', description: 'Mobile and web push (the default).' },
    EMAIL: { value: 'email', description: 'Email; needs `emailSubject` and `emailBody` (or a template).' },
    SMS: { value: 'sms', description: 'SMS; uses `contents` as the message text.' },
  } as const,
});

export const DelayedOptionEnum = builder.enumType('DelayedOption', {
  description: 'Per-recipient delivery timing, applied once `sendAfter` has passed.',
  values: {
    TIMEZONE: { value: 'timezone', description: "At `deliveryTimeOfDay` in each recipient's own time zone." },
    LAST_ACTIVE: {
      value: 'last-active',
      description: 'Intelligent delivery: at the time of day each recipient was last active.',
    },
  } as const,
});

export const HistoryEventEnum = builder.enumType('HistoryEvent', {
  description: 'Which recipients a history export lists.',
  values: {
    SENT: {
      value: 'sent',
      description: 'Every recipient the notification was sent to (only recorded above 1000 recipients).',
    },
    CLICKED: { value: 'clicked', description: 'Every recipient that clicked the notification.' },
  } as const,
});

// --- Value objects ---------------------------------------------------------------------------------

export interface LocalizedText {
  language: string;
  text: string;
}

export const LocalizedTextRef = builder.objectRef<LocalizedText>('LocalizedText').implement({
  description: 'A text in one language.',
  fields: (t) => ({
    language: t.exposeString('language', { description: 'Language code, e.g. `en`, `pt`, `zh-Hans`.' }),
    text: t.exposeString('text', { description: 'The text in that language.' }),
  }),
});

export const LocalizedTextInput = builder.inputType('LocalizedTextInput', {
  description: 'A text in one language.',
  fields: (t) => ({
    language: t.string({
      required: true,
      description: 'Language code, e.g. `en`, `pt`, `zh-Hans`. English is required as the fallback.',
    }),
    text: t.string({ required: true, description: 'The text in that language; must not be empty.' }),
  }),
});

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

export function localized(map: Record<string, unknown> | null | undefined): LocalizedText[] {
  if (!map || typeof map !== 'object') return [];
  return Object.entries(map)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([language, text]) => ({ language, text }));
}

/** The text of `map` in one language; null when it has none in that language. */
const localizedIn = (map: Record<string, unknown> | null | undefined, language: string) =>
  localized(map).find((c) => c.language === language)?.text ?? null;

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
      description: 'Names of the segments targeted; empty when the notification targeted otherwise.',
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

export const NotificationConnectionRef = builder.connectionObject(
  {
    type: NotificationRef,
    name: 'NotificationConnection',
    description: 'A page of notifications: newest first, or oldest first when paged by time (`since`).',
    fields: (t) => ({
      totalCount: t.int({
        description: 'Number of notifications matching the arguments.',
        resolve: totalCountOf,
      }),
    }),
  },
  { name: 'NotificationEdge', description: 'A notification with its cursor.' },
);

const NOTIFICATION_PAGE_MAX = 50;

interface NotificationsArgs {
  first?: number | null;
  after?: string | null;
  kind?: 0 | 1 | 3 | null;
  since?: Date | null;
}

/**
 * The `notificationPage` key of `App.notifications`, shared by its prefetch and its resolver, and the
 * time position it pages from when it pages by time (`since`, or an `after` cursor of that kind).
 */
function notificationPageKey(appId: string, args: NotificationsArgs) {
  const path = ['notifications'];
  const fromCursor = timeCursorOf(args.after, [...path, 'after']);
  if (args.since && args.after != null && !fromCursor)
    throw ValidationError.field([...path, 'since'], 'cannot be combined with an offset cursor in `after`.');
  const from = fromCursor ?? (args.since ? { timeOffset: args.since.toISOString(), skip: 0 } : null);
  const { limit, offset } = offsetPage(
    { ...args, after: from ? null : args.after },
    { max: NOTIFICATION_PAGE_MAX, path },
  );
  const key = { appId: appId.toLowerCase(), kind: args.kind ?? undefined };
  if (!from) return { key: { ...key, limit, offset }, from };
  // The items before the position are fetched again and dropped: one request, at most a page.
  return {
    key: {
      ...key,
      limit: Math.min(NOTIFICATION_PAGE_MAX, from.skip + limit),
      offset: 0,
      timeOffset: from.timeOffset,
    },
    from,
  };
}

registerAppFieldPrefetch('notifications', (appId, args, ctx) => {
  ctx.loaders.notificationPage.load(notificationPageKey(appId, args).key).catch(() => {});
});

builder.objectFields(AppRef, (t) => ({
  notifications: t.field({
    type: NotificationConnectionRef,
    skipTypeScopes: true,
    authScopes: { 'notifications:read': true },
    description: `The app's notifications, newest first, or oldest first from \`since\` (OneSignal's time cursor, which reaches past what offsets do); one page is one upstream request (at most ${NOTIFICATION_PAGE_MAX}). Cursors carry their kind: pass \`endCursor\` as \`after\` either way.`,
    args: {
      first: t.arg.int({
        description: `How many notifications to return, 1–${NOTIFICATION_PAGE_MAX} (default ${NOTIFICATION_PAGE_MAX}).`,
      }),
      after: t.arg.string({ description: 'Return notifications after this cursor.' }),
      kind: t.arg({ type: NotificationKindEnum, description: 'Only notifications created this way.' }),
      since: t.arg({
        type: 'DateTime',
        description:
          "Page oldest first from this time with OneSignal's time cursor (`time_offset`), for history offsets cannot reach. Later pages need only `after`.",
      }),
    },
    resolve: async (app, args, ctx) => {
      const { key, from } = notificationPageKey(app.id, args);
      const slice = await upstream(ctx.loaders.notificationPage.load(key));
      const total = slice.total_count ?? slice.notifications.length;
      if (!from) return offsetConnection(slice.notifications, key, total);
      return timeConnection<LoadedNotification>(
        (slice.notifications as LoadedNotification[]).slice(from.skip),
        from,
        slice.next_time_offset,
        total,
      );
    },
  }),
  notification: t.field({
    type: NotificationRef,
    nullable: true,
    skipTypeScopes: true,
    authScopes: { 'notifications:read': true },
    description:
      'One notification of the app by its OneSignal id; null when it does not exist. Free when a list in the same request holds it.',
    args: { id: t.arg({ type: 'UUID', required: true, description: 'The OneSignal notification id.' }) },
    resolve: (app, { id }, ctx) =>
      orNull(ctx.loaders.notification.load({ appId: app.id.toLowerCase(), id: id.toLowerCase() })),
  }),
}));

// --- Mutations -------------------------------------------------------------------------------------

export const AliasTargetInput = builder.inputType('AliasTargetInput', {
  description: 'Users to target by one alias label, e.g. `{ label: "external_id", ids: ["user-1"] }`.',
  fields: (t) => ({
    label: t.string({
      required: true,
      description: 'The alias label, e.g. `external_id` or `onesignal_id`.',
    }),
    ids: t.stringList({ required: true, description: 'Alias values, 1–2000.' }),
  }),
});

interface CreateOutcome {
  appId: string;
  id: string;
  idempotencyKey: string;
  recipientCount: number | null;
  invalidIds: string[];
  warnings: string[];
}

const NotificationCreatePayload = builder.objectRef<CreateOutcome>('NotificationCreatePayload').implement({
  description:
    "The notification was created and will be (or was) sent to at least one recipient. OneSignal's answer to the create alone makes this payload; only `notification` reads more.",
  fields: (t) => ({
    notification: t.field({
      type: NotificationRef,
      nullable: true,
      // Checked before the read, so a caller without the scope costs no upstream request.
      skipTypeScopes: true,
      authScopes: { 'notifications:read': true },
      description:
        'The new notification, read from OneSignal when selected. Null, with an error at this field only, when that read fails or the caller may not read notifications: the send itself succeeded.',
      resolve: (o, _a, ctx) => upstream(ctx.loaders.notification.load({ appId: o.appId, id: o.id })),
    }),
    // Not `id`: a payload is not the notification, and clients that key records by `id` (Relay,
    // Apollo) would merge the two.
    notificationId: t.id({
      description: 'Global id of the new notification (for `node` and `notificationCancel`).',
      resolve: (o) => encodeNodeId('Notification', { appId: o.appId, id: o.id }),
    }),
    idempotencyKey: t.field({
      type: 'UUID',
      description:
        'The idempotency key the send carried (yours, or a fresh one): sending again with it returns this notification.',
      resolve: (o) => o.idempotencyKey,
    }),
    oneSignalId: t.field({
      type: 'UUID',
      description: 'The new notification id as OneSignal shows it.',
      resolve: (o) => o.id,
    }),
    recipientCount: t.int({
      nullable: true,
      description:
        'Estimated recipients; null for scheduled or delayed notifications OneSignal has not counted yet.',
      resolve: (o) => o.recipientCount,
    }),
    invalidIds: t.stringList({
      description: 'Given subscription ids or alias values that matched nobody; the others were targeted.',
      resolve: (o) => o.invalidIds,
    }),
    warnings: t.stringList({
      description: 'Other remarks OneSignal returned with the notification.',
      resolve: (o) => o.warnings,
    }),
  }),
});

/** OneSignal accepted the request but sent nothing: no subscribed recipient matched. */
export class NotificationNotSent extends Error {
  constructor(
    readonly reasons: string[],
    readonly invalidIds: string[],
  ) {
    super(`Nothing was sent: ${reasons.join('; ') || 'no subscribed recipient matched the targeting.'}`);
  }
}

builder.objectType(NotificationNotSent, {
  name: 'NotificationNotSent',
  description:
    'OneSignal accepted the request but created no notification because no subscribed recipient matched. Not a success: nothing was sent.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'Why nothing was sent.' }),
    reasons: t.stringList({
      description: "OneSignal's reasons, e.g. `All included players are not subscribed`.",
      resolve: (e) => e.reasons,
    }),
    invalidIds: t.stringList({
      description: 'Given subscription ids or alias values that matched nobody.',
      resolve: (e) => e.invalidIds,
    }),
  }),
});

const NotificationCancelPayload = builder.objectRef<AppScopedKey>('NotificationCancelPayload').implement({
  description: 'The result of `notificationCancel`: OneSignal canceled the notification.',
  fields: (t) => ({
    notificationId: t.id({
      description: 'Global id of the canceled notification.',
      resolve: (key) => encodeNodeId('Notification', key),
    }),
    notification: t.field({
      type: NotificationRef,
      nullable: true,
      // Checked before the read, so a caller without the scope costs no upstream request.
      skipTypeScopes: true,
      authScopes: { 'notifications:read': true },
      description:
        'The canceled notification, read again from OneSignal. Null, with an error at this field only, when that read fails or the caller may not read notifications: the cancel itself succeeded.',
      resolve: (key, _a, ctx) => upstream(ctx.loaders.notification.load(key)),
    }),
  }),
});

const NotificationExportHistoryPayload = builder.simpleObject('NotificationExportHistoryPayload', {
  description: 'The result of `notificationExportHistory`: a CSV being prepared.',
  fields: (t) => ({
    destinationUrl: t.field({
      type: 'URL',
      description: 'Where the CSV will be available once OneSignal has built it (poll until it answers 200).',
    }),
    event: t.field({ type: HistoryEventEnum, description: 'Which recipients it lists.' }),
    export: t.field({ type: CsvExportRef, description: 'The file and whether it is ready yet.' }),
  }),
});

const NotificationExportEventsPayload = builder.simpleObject('NotificationExportEventsPayload', {
  description: 'The result of `notificationExportEvents`: a CSV of per-recipient events being prepared.',
  fields: (t) => ({
    csvFileUrl: t.field({
      type: 'URL',
      description: 'Where the CSV will be available once OneSignal has built it.',
    }),
    export: t.field({ type: CsvExportRef, description: 'The file and whether it is ready yet.' }),
  }),
});

builder.mutationFields((t) => ({
  notificationCreate: t.fieldWithInput({
    authScopes: { 'notifications:send': true },
    description:
      'Creates and sends (or schedules) a notification (needs the app REST API key). Returns `NotificationNotSent` when nobody matched the targeting.',
    type: NotificationCreatePayload,
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      contents: t.input.field({
        type: [LocalizedTextInput],
        description:
          'The message body per language; English is required. Needed unless `templateId` is given.',
      }),
      headings: t.input.field({
        type: [LocalizedTextInput],
        description: 'The title per language; English is required when given.',
      }),
      subtitles: t.input.field({ type: [LocalizedTextInput], description: 'The iOS subtitle per language.' }),
      templateId: t.input.field({ type: 'UUID', description: 'A dashboard template to use for content.' }),
      name: t.input.string({
        description: 'Internal name, shown in the dashboard and exports (required by OneSignal for SMS).',
      }),
      includedSegments: t.input.stringList({
        description: 'Target the subscribers of these segments (by name).',
      }),
      excludedSegments: t.input.stringList({
        description: 'Leave out the subscribers of these segments (by name).',
      }),
      filters: t.input.field({
        type: [FilterInput],
        description: 'Target subscribers matching these conditions.',
      }),
      includeAliases: t.input.field({ type: AliasTargetInput, description: 'Target these users by alias.' }),
      includeSubscriptionIds: t.input.field({
        type: ['UUID'],
        description: 'Target these subscriptions, 1–2000.',
      }),
      targetChannel: t.input.field({
        type: TargetChannelEnum,
        description: 'The channel to send through; PUSH when omitted.',
      }),
      url: t.input.field({ type: 'URL', description: 'URL opened when the notification is clicked.' }),
      data: t.input.field({
        type: 'JSONObject',
        description: 'Custom data delivered to the app, up to 2048 bytes as JSON.',
      }),
      sendAfter: t.input.field({
        type: 'DateTime',
        description: 'Schedule delivery for this time instead of now.',
      }),
      delayedOption: t.input.field({
        type: DelayedOptionEnum,
        description: 'Per-recipient timing once `sendAfter` has passed.',
      }),
      deliveryTimeOfDay: t.input.string({
        description: 'With `delayedOption: TIMEZONE`: local time of day, e.g. `9:00AM`.',
      }),
      emailSubject: t.input.string({ description: 'Subject line, for `targetChannel: EMAIL`.' }),
      emailBody: t.input.string({ description: 'HTML body, for `targetChannel: EMAIL`.' }),
      idempotencyKey: t.input.field({
        type: 'UUID',
        description:
          'Retrying with the same key within 30 days returns the first notification instead of sending twice.',
      }),
    },
    typeOptions: { description: 'Input of `notificationCreate`.' },
    errors: mutationResult('notificationCreate', [
      ...UPSTREAM_ERRORS,
      NotificationNotSent,
      SendOutcomeUnknown,
    ]),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      // Chosen here, not in the client, so an unknown outcome can hand it back for a safe resend.
      const idempotencyKey = input.idempotencyKey ?? randomUUID();
      const body = {
        ...toCreateNotificationBody(input as NotificationCreateInputShape),
        idempotency_key: idempotencyKey,
      };
      let result: WireCreateNotificationResult;
      try {
        result = await ctx.client.notifications.create(appId, body);
      } catch (error) {
        // Retries reuse the key, so a lost answer is replayed when one gets through; when none did,
        // only the key can tell what happened.
        if (error instanceof OneSignalError && error.mayHaveActed)
          throw new SendOutcomeUnknown(idempotencyKey, error.operation, error.message);
        throw toApiError(error);
      }
      const { reasons, invalidIds } = readCreateErrors(result);
      if (!result.id) throw new NotificationNotSent(reasons, invalidIds);
      return {
        appId,
        id: result.id,
        idempotencyKey,
        recipientCount: result.recipients ?? null,
        invalidIds,
        warnings: reasons,
      };
    },
  }),
  notificationCancel: t.fieldWithInput({
    authScopes: { 'notifications:send': true },
    description: 'Stops a scheduled or sending notification (needs the app REST API key).',
    type: NotificationCancelPayload,
    input: { id: t.input.id({ required: true, description: 'Global id of the notification.' }) },
    typeOptions: { description: 'Input of `notificationCancel`.' },
    errors: mutationResult('notificationCancel', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Notification', ['input', 'id']);
      try {
        await ctx.client.notifications.cancel(key.appId, key.id);
      } catch (error) {
        if (!cancelledByLostAttempt(error)) throw toApiError(error);
      }
      ctx.loaders.notification.clear(key);
      ctx.loaders.notificationPage.clearAll();
      return key;
    },
  }),
  notificationExportHistory: t.fieldWithInput({
    authScopes: { exports: true },
    description:
      'Starts a CSV export of who was sent or clicked a notification (needs the app REST API key).',
    type: NotificationExportHistoryPayload,
    input: {
      id: t.input.id({ required: true, description: 'Global id of the notification.' }),
      event: t.input.field({
        type: HistoryEventEnum,
        required: true,
        description: 'Which recipients to list.',
      }),
      email: t.input.field({
        type: 'EmailAddress',
        description: 'Also email the CSV link to this address when ready.',
      }),
    },
    typeOptions: { description: 'Input of `notificationExportHistory`.' },
    errors: mutationResult('notificationExportHistory', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Notification', ['input', 'id']);
      const result = await upstream(
        ctx.client.notifications.history(key.appId, key.id, {
          events: input.event,
          ...(input.email ? { email: input.email } : {}),
        }),
      );
      const url = exportUrl(result.destination_url, 'get_notification_history');
      return { destinationUrl: url, event: input.event, export: { url } };
    },
  }),
  notificationExportEvents: t.fieldWithInput({
    authScopes: { exports: true },
    description:
      'Starts a CSV export of every per-recipient event of a notification (needs the app REST API key).',
    type: NotificationExportEventsPayload,
    input: { id: t.input.id({ required: true, description: 'Global id of the notification.' }) },
    typeOptions: { description: 'Input of `notificationExportEvents`.' },
    errors: mutationResult('notificationExportEvents', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Notification', ['input', 'id']);
      const result = await upstream(ctx.client.notifications.exportEvents(key.appId, key.id));
      const url = exportUrl(result.csv_file_url, 'export_events');
      return { csvFileUrl: url, export: { url } };
    },
  }),
}));

// --- Input → wire ----------------------------------------------------------------------------------

interface NotificationCreateInputShape extends NotificationTargetingShape {
  appId: string;
  contents?: LocalizedText[] | null;
  headings?: LocalizedText[] | null;
  subtitles?: LocalizedText[] | null;
  templateId?: string | null;
  name?: string | null;
  url?: URL | string | null;
  data?: Record<string, unknown> | null;
  sendAfter?: Date | null;
  delayedOption?: 'timezone' | 'last-active' | null;
  deliveryTimeOfDay?: string | null;
  emailSubject?: string | null;
  emailBody?: string | null;
  idempotencyKey?: string | null;
}

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;
const MAX_TARGET_IDS = 2000;

export function localizedMap(
  list: LocalizedText[],
  path: string[],
  problems: FieldProblem[],
  requireEnglish: boolean,
) {
  const map: Record<string, string> = {};
  list.forEach((item, i) => {
    if (!LANGUAGE.test(item.language))
      problems.push({
        path: [...path, String(i), 'language'],
        message: `"${item.language}" is not a language code like "en" or "zh-Hans".`,
      });
    else if (map[item.language] !== undefined)
      problems.push({
        path: [...path, String(i), 'language'],
        message: `"${item.language}" is given twice.`,
      });
    if (!item.text.trim())
      problems.push({ path: [...path, String(i), 'text'], message: 'must not be empty.' });
    map[item.language] = item.text;
  });
  if (list.length === 0)
    problems.push({ path, message: 'give at least one language, or leave the field out.' });
  else if (requireEnglish && map.en === undefined)
    problems.push({ path, message: 'needs an English ("en") entry, the fallback for other languages.' });
  return map;
}

/** Validates the whole input (collecting every problem, before any upstream call) and builds create_notification's body. */
/**
 * A retried cancel whose earlier answer was lost finds the notification already canceled: that was
 * this cancel, so it succeeded.
 */
function cancelledByLostAttempt(error: unknown): boolean {
  return (
    error instanceof OneSignalError &&
    error.mayHaveActed &&
    error.code === 'BAD_REQUEST' &&
    error.errors.some((m) => /already been canceled/i.test(m))
  );
}

function toCreateNotificationBody(input: NotificationCreateInputShape): WireCreateNotificationBody {
  const problems: FieldProblem[] = [];
  const body: Record<string, unknown> = {};
  const channel = input.targetChannel ?? 'push';

  if (input.contents) body.contents = localizedMap(input.contents, ['input', 'contents'], problems, true);
  if (input.headings) body.headings = localizedMap(input.headings, ['input', 'headings'], problems, true);
  if (input.subtitles) body.subtitle = localizedMap(input.subtitles, ['input', 'subtitles'], problems, false);
  if (input.templateId) body.template_id = input.templateId;
  if (channel === 'email') {
    if (!input.templateId) {
      if (!input.emailSubject?.trim())
        problems.push({
          path: ['input', 'emailSubject'],
          message: 'required for EMAIL unless templateId is given.',
        });
      if (!input.emailBody?.trim())
        problems.push({
          path: ['input', 'emailBody'],
          message: 'required for EMAIL unless templateId is given.',
        });
    }
  } else if (!input.contents && !input.templateId) {
    problems.push({ path: ['input', 'contents'], message: 'a notification needs contents or a templateId.' });
  }
  if (input.emailSubject != null) body.email_subject = input.emailSubject;
  if (input.emailBody != null) body.email_body = input.emailBody;
  if (input.name != null) {
    if (!input.name.trim()) problems.push({ path: ['input', 'name'], message: 'must not be empty.' });
    body.name = input.name;
  }

  Object.assign(body, targetingBody(input, problems));
  if (input.url) body.url = String(input.url);
  if (input.data) {
    if (Buffer.byteLength(JSON.stringify(input.data)) > 2048)
      problems.push({ path: ['input', 'data'], message: 'must be at most 2048 bytes as JSON.' });
    body.data = input.data;
  }
  if (input.sendAfter) body.send_after = input.sendAfter.toISOString();
  if (input.delayedOption) body.delayed_option = input.delayedOption;
  if (input.deliveryTimeOfDay != null) {
    if (input.delayedOption !== 'timezone')
      problems.push({
        path: ['input', 'deliveryTimeOfDay'],
        message: 'only applies with delayedOption: TIMEZONE.',
      });
    else if (!/^(1[0-2]|0?[1-9]):[0-5]\d\s?(AM|PM)$/i.test(input.deliveryTimeOfDay)) {
      problems.push({ path: ['input', 'deliveryTimeOfDay'], message: 'must be a time like "9:00AM".' });
    }
    body.delivery_time_of_day = input.deliveryTimeOfDay;
  } else if (input.delayedOption === 'timezone') {
    problems.push({
      path: ['input', 'deliveryTimeOfDay'],
      message: 'required with delayedOption: TIMEZONE.',
    });
  }
  if (input.idempotencyKey) body.idempotency_key = input.idempotencyKey;

  if (problems.length) throw new ValidationError(problems);
  return body as WireCreateNotificationBody;
}

/** The targeting fields shared by `notificationCreate` and `App.recipientEstimate`, as wire fields. */
export interface NotificationTargetingShape {
  includedSegments?: string[] | null;
  excludedSegments?: string[] | null;
  filters?: FilterInputShape[] | null;
  includeAliases?: { label: string; ids: string[] } | null;
  includeSubscriptionIds?: string[] | null;
  targetChannel?: 'push' | 'email' | 'sms' | null;
}

/** Validates a targeting (problems under `input`) into its wire fields. */
export function targetingBody(
  input: NotificationTargetingShape,
  problems: FieldProblem[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const bySegments = Boolean(input.includedSegments?.length || input.filters?.length);
  const byIds = Boolean(input.includeAliases || input.includeSubscriptionIds);
  if (!bySegments && !byIds) {
    problems.push({
      path: ['input', 'includedSegments'],
      message: 'give a target: includedSegments, filters, includeAliases or includeSubscriptionIds.',
    });
  }
  if (bySegments && byIds) {
    problems.push({
      path: ['input', input.includeAliases ? 'includeAliases' : 'includeSubscriptionIds'],
      message: 'cannot be combined with includedSegments or filters.',
    });
  }
  if (input.includedSegments) {
    input.includedSegments.forEach((s, i) => {
      if (!s.trim())
        problems.push({
          path: ['input', 'includedSegments', String(i)],
          message: 'segment names must not be empty.',
        });
    });
    if (input.includedSegments.length) body.included_segments = input.includedSegments;
  }
  if (input.excludedSegments?.length) {
    if (!bySegments)
      problems.push({
        path: ['input', 'excludedSegments'],
        message: 'only applies with includedSegments or filters.',
      });
    body.excluded_segments = input.excludedSegments;
  }
  if (input.filters?.length) {
    try {
      body.filters = toWireFilters(input.filters, ['input', 'filters']);
    } catch (error) {
      if (error instanceof ValidationError) problems.push(...error.fields);
      else throw error;
    }
  }
  if (input.includeAliases) {
    const { label, ids } = input.includeAliases;
    if (!label.trim())
      problems.push({ path: ['input', 'includeAliases', 'label'], message: 'must not be empty.' });
    if (ids.length === 0 || ids.length > MAX_TARGET_IDS)
      problems.push({ path: ['input', 'includeAliases', 'ids'], message: `give 1–${MAX_TARGET_IDS} ids.` });
    if (ids.some((id) => !id.trim()))
      problems.push({ path: ['input', 'includeAliases', 'ids'], message: 'ids must not be empty.' });
    body.include_aliases = { [label]: ids };
  }
  if (input.includeSubscriptionIds) {
    const ids = input.includeSubscriptionIds;
    if (ids.length === 0 || ids.length > MAX_TARGET_IDS)
      problems.push({ path: ['input', 'includeSubscriptionIds'], message: `give 1–${MAX_TARGET_IDS} ids.` });
    body.include_subscription_ids = ids;
  }
  body.target_channel = input.targetChannel ?? 'push';
  return body;
}

/** Flattens create_notification's `errors`, which is a list of reasons or an object of invalid-id lists. */
function readCreateErrors(result: WireCreateNotificationResult): { reasons: string[]; invalidIds: string[] } {
  const errors = (result as { errors?: unknown }).errors;
  const reasons: string[] = [];
  const invalidIds: string[] = [];
  if (Array.isArray(errors)) reasons.push(...errors.map(String));
  else if (errors && typeof errors === 'object') {
    for (const [key, value] of Object.entries(errors)) {
      if (Array.isArray(value)) {
        invalidIds.push(...value.map(String));
      } else if (value && typeof value === 'object') {
        for (const ids of Object.values(value)) if (Array.isArray(ids)) invalidIds.push(...ids.map(String));
      } else if (typeof value === 'string') {
        reasons.push(`${key}: ${value}`);
      }
    }
  } else if (typeof errors === 'string') reasons.push(errors);
  return { reasons, invalidIds };
}

/** OneSignal promises a download link; without a usable one the export failed upstream, not here. */
function exportUrl(url: string | undefined, operation: string): URL {
  if (url && URL.canParse(url)) return new URL(url);
  throw new UpstreamError(
    'UPSTREAM_UNAVAILABLE',
    `${operation}: OneSignal answered without a download URL.`,
    operation,
  );
}
