import { createHash, randomUUID } from 'node:crypto';
import type { WireCsvExportResult, WireSuccess } from './common.js';
import { appAuth, type OperationRequest, path, type Requester } from './request.js';
import type { WireFilter } from './segments.js';

/** Language code (`en`, `fr`, `zh-Hans`, …) → text. OneSignal requires `en` whenever the map is sent. */
export type WireStringMap = Record<string, string>;

/** An action button (push). */
export interface WireButton {
  id: string;
  text?: string;
  /** Android only. */
  icon?: string;
}

/** Audience of a notification (SegmentNotificationTarget and PlayerNotificationTarget). Combine only as OneSignal allows. */
export interface WireNotificationTargeting {
  /** Segment names to send to. Only combinable with `excluded_segments`. */
  included_segments?: string[];
  /** Segment names whose members never receive it. */
  excluded_segments?: string[];
  /** @deprecated Player (subscription) ids. Max 2,000 per call. */
  include_player_ids?: string[] | null;
  /** @deprecated External user ids. Max 2,000 per call. */
  include_external_user_ids?: string[] | null;
  /** Email addresses. Max 2,000 per call. */
  include_email_tokens?: string[];
  /** E.164 phone numbers of existing SMS subscribers. Max 2,000 per call. */
  include_phone_numbers?: string[];
  include_ios_tokens?: string[];
  include_wp_wns_uris?: string[];
  include_amazon_reg_ids?: string[];
  include_chrome_reg_ids?: string[];
  include_chrome_web_reg_ids?: string[];
  include_android_reg_ids?: string[];
  /** Alias label → alias ids, e.g. `{ external_id: ['u1'] }`. Max 2,000 ids per call. */
  include_aliases?: Record<string, string[]> | null;
  /** Subscription ids (not in v1.2.2; current API). Max 2,000 per call. */
  include_subscription_ids?: string[];
  /** Channel to use with alias / subscription targeting. */
  target_channel?: 'push' | 'email' | 'sms';
  /** Filter expressions (tag, last_session, …); max 200 entries. */
  filters?: WireFilter[] | null;
}

/** Message content and delivery options (BasicNotification minus targeting). */
export interface WireNotificationContent {
  /** Name for the dashboard; required for SMS. */
  name?: string | null;
  isIos?: boolean | null;
  isAndroid?: boolean | null;
  isHuawei?: boolean | null;
  isAnyWeb?: boolean | null;
  isChromeWeb?: boolean | null;
  isFirefox?: boolean | null;
  isSafari?: boolean | null;
  isWP_WNS?: boolean | null;
  isAdm?: boolean | null;
  isChrome?: boolean | null;
  /** 'push' | 'email' | 'sms' when include_external_user_ids matches several channels. */
  channel_for_external_user_ids?: string;
  /** Correlation and idempotency key (UUID); a repeated value returns the first notification (30 days). */
  external_id?: string | null;
  /** Message body; required unless content_available or template_id. */
  contents?: WireStringMap;
  /** Title. */
  headings?: WireStringMap;
  /** iOS subtitle. */
  subtitle?: WireStringMap;
  /** Custom key/values passed to the app; max 2048 bytes. */
  data?: Record<string, unknown> | null;
  huawei_msg_type?: string | null;
  url?: string | null;
  web_url?: string | null;
  app_url?: string | null;
  ios_attachments?: Record<string, string> | null;
  /** Dashboard template UUID. */
  template_id?: string | null;
  content_available?: boolean | null;
  mutable_content?: boolean;
  target_content_identifier?: string | null;
  big_picture?: string | null;
  huawei_big_picture?: string | null;
  adm_big_picture?: string | null;
  chrome_big_picture?: string | null;
  chrome_web_image?: string | null;
  buttons?: WireButton[] | null;
  web_buttons?: WireButton[] | null;
  ios_category?: string | null;
  android_channel_id?: string;
  huawei_channel_id?: string | null;
  existing_android_channel_id?: string;
  huawei_existing_channel_id?: string | null;
  android_background_layout?: {
    image?: string;
    /** ARGB hex, e.g. "FF0000FF". */
    headings_color?: string;
    /** ARGB hex. */
    contents_color?: string;
  };
  small_icon?: string | null;
  huawei_small_icon?: string | null;
  large_icon?: string | null;
  huawei_large_icon?: string | null;
  adm_small_icon?: string | null;
  adm_large_icon?: string | null;
  chrome_web_icon?: string | null;
  chrome_web_badge?: string | null;
  firefox_icon?: string | null;
  chrome_icon?: string | null;
  ios_sound?: string | null;
  android_sound?: string | null;
  huawei_sound?: string | null;
  adm_sound?: string | null;
  wp_wns_sound?: string | null;
  android_led_color?: string | null;
  huawei_led_color?: string | null;
  android_accent_color?: string | null;
  huawei_accent_color?: string | null;
  android_visibility?: number | null;
  huawei_visibility?: number | null;
  /** 'None' | 'SetTo' | 'Increase'. */
  ios_badgeType?: string | null;
  ios_badgeCount?: number | null;
  collapse_id?: string;
  web_push_topic?: string | null;
  apns_alert?: Record<string, unknown> | null;
  /** 'timezone' | 'last-active'. */
  delayed_option?: string | null;
  /** With delayed_option=timezone, e.g. "9:00AM". */
  delivery_time_of_day?: string | null;
  /** Time to live, seconds. */
  ttl?: number | null;
  priority?: number | null;
  apns_push_type_override?: string;
  /** Per-minute throttle override for apps with throttling enabled; "0" disables throttling. */
  throttle_rate_per_minute?: string | null;
  android_group?: string | null;
  android_group_message?: string | null;
  adm_group?: string | null;
  adm_group_message?: Record<string, unknown> | null;
  thread_id?: string | null;
  summary_arg?: string;
  summary_arg_count?: number;
  email_subject?: string | null;
  /** HTML. */
  email_body?: string;
  email_from_name?: string | null;
  email_from_address?: string | null;
  email_preheader?: string | null;
  include_unsubscribed?: boolean;
  /** E.164. */
  sms_from?: string | null;
  /** Max 10 URLs, 5 MB total. */
  sms_media_urls?: string[] | null;
  custom_data?: Record<string, unknown> | null;
}

/** Body of create_notification (Notification). `app_id` is set by the client from the `appId` argument. */
export interface WireCreateNotificationBody extends WireNotificationTargeting, WireNotificationContent {
  app_id?: string;
  /** Schedule: any date string OneSignal parses, e.g. ISO 8601. */
  send_after?: string | null;
  /**
   * Idempotency key (UUID). The client always sends one: this, else `external_id`, else a random UUID,
   * so a retried create can never send twice.
   */
  idempotency_key?: string;
}

/** Outcome totals of a notification or app. */
export interface WireOutcome {
  /** Outcome name, e.g. `os__click` or `Purchase`. */
  id: string;
  value: number;
  aggregation: 'sum' | 'count';
}

/** DeliveryData. */
export interface WireDeliveryStats {
  /** Delivered to push servers, carriers or email providers. */
  successful?: number | null;
  /** Sent to unsubscribed devices. */
  failed?: number | null;
  errored?: number | null;
  /** Clicked. */
  converted?: number | null;
  /** Confirmed deliveries (paid feature). */
  received?: number | null;
}

/** PlatformDeliveryData: delivery stats per platform. */
export interface WirePlatformDeliveryStats {
  edge_web_push?: WireDeliveryStats;
  chrome_web_push?: WireDeliveryStats;
  firefox_web_push?: WireDeliveryStats;
  safari_web_push?: WireDeliveryStats;
  android?: WireDeliveryStats;
  ios?: WireDeliveryStats;
  sms?: WireDeliveryStats & {
    provider_successful?: number | null;
    provider_failed?: number | null;
    provider_errored?: number | null;
  };
  email?: WireDeliveryStats & {
    opened?: number | null;
    unique_opens?: number | null;
    clicks?: number | null;
    unique_clicks?: number | null;
    bounced?: number | null;
    reported_spam?: number | null;
    unsubscribed?: number | null;
  };
}

/** A notification as get_notification / get_notifications return it (NotificationWithMeta). */
export interface WireNotification
  extends WireNotificationTargeting,
    Omit<WireNotificationContent, 'throttle_rate_per_minute'> {
  id: string;
  app_id?: string;
  /** Not yet sent (still processing or scheduled). */
  remaining?: number;
  successful?: number;
  failed?: number;
  errored?: number;
  converted?: number;
  received?: number | null;
  /** Unix seconds. */
  queued_at?: number;
  /** Unix seconds; when delivery begins. */
  send_after?: number | null;
  /** Unix seconds; null until delivery completed. */
  completed_at?: number | null;
  platform_delivery_stats?: WirePlatformDeliveryStats;
  /** Sends per minute (paid); null or 0 when not throttled. */
  throttle_rate_per_minute?: number | null;
  outcomes?: WireOutcome[];
  /** Not in v1.2.2; the live API reports cancelled notifications. */
  canceled?: boolean;
  /** Spec artefact of BasicNotification (read-only). */
  value?: number;
  /** Spec artefact of BasicNotification (read-only). */
  aggregation?: 'sum' | 'count';
}

/** One page of get_notifications (NotificationSlice), newest `queued_at` first. */
export interface WireNotificationSlice {
  total_count?: number;
  offset?: number;
  limit?: number;
  /** The `time_offset` the request gave, if any. */
  time_offset?: string;
  /**
   * With `time_offset` paging: an opaque (Base64) cursor to pass as `time_offset` for the next page;
   * absent on the last page.
   */
  next_time_offset?: string;
  notifications?: WireNotification[];
}

/** create_notification's answer. `id: ""` with `errors` means nothing was sent. */
export interface WireCreateNotificationResult {
  id: string;
  /** Estimated subscribers targeted. */
  recipients?: number;
  external_id?: string | null;
  errors?: string[] | { invalid_player_ids?: string[]; invalid_external_user_ids?: string[] };
}

/** get_notification_history's answer: where the CSV of recipients will appear. */
export interface WireNotificationHistoryResult {
  success?: boolean;
  destination_url?: string;
}

/** Body of estimate_notification_recipients (EstimateNotificationRecipientsRequest): a targeting, no content. */
export interface WireEstimateRecipientsBody
  extends Pick<
    WireNotificationTargeting,
    'included_segments' | 'excluded_segments' | 'filters' | 'include_aliases' | 'target_channel'
  > {
  app_id?: string;
}

/** estimate_notification_recipients's answer (EstimateNotificationRecipientsSuccessResponse). */
export interface WireRecipientEstimate {
  /** Subscriptions a send with this targeting would reach now. */
  count?: number;
  /** The count before OneSignal's cap on the estimate. */
  uncapped_count?: number;
  /** Whether `count` was capped. */
  cap_applied?: boolean;
  /** Whether mobile push subscriptions were left out of the count. */
  mobile_suppressed?: boolean;
  /** Mobile push subscriptions left out. */
  mobile_excluded_count?: number;
}

/** Notification kinds for get_notifications: 0 dashboard, 1 API, 3 automated. */
export type WireNotificationKind = 0 | 1 | 3;

export interface NotificationListParams {
  /** Max 50 (default 50). */
  limit?: number;
  offset?: number;
  kind?: WireNotificationKind;
  /**
   * Time-cursor paging, oldest first, past what `offset` reaches: an ISO 8601 time to start from, or a
   * `next_time_offset` from the previous page. `offset` does not apply with it.
   */
  timeOffset?: string;
}

export interface NotificationHistoryParams {
  events: 'sent' | 'clicked';
  /** Where OneSignal emails the report. */
  email?: string;
}

/** Sending and reading notifications. Every call is signed with the app's REST API key. */
export function notificationsApi(http: Requester) {
  return {
    /** GET /notifications (get_notifications). */
    list: (appId: string, params: NotificationListParams = {}) =>
      http.request<WireNotificationSlice>({
        operation: 'get_notifications',
        method: 'GET',
        path: '/notifications',
        query: {
          app_id: appId,
          limit: params.limit,
          offset: params.offset,
          kind: params.kind,
          time_offset: params.timeOffset,
        },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** GET /notifications/{notification_id} (get_notification). */
    get: (appId: string, notificationId: string) =>
      http.request<WireNotification>(viewNotification(appId, notificationId)),

    /**
     * POST /notifications (create_notification). Always carries an idempotency key (the given one,
     * else `external_id`, else a fresh UUID), so it is safe to retry: OneSignal answers a repeated key
     * with the first result instead of sending again. The key also goes out as `external_id`, the
     * field v1.2.2 dedupes on and returns on the notification, unless the caller set one.
     */
    create: async (appId: string, body: WireCreateNotificationBody) => {
      const idempotency_key = body.idempotency_key ?? body.external_id ?? randomUUID();
      const sent = {
        ...body,
        app_id: appId,
        idempotency_key,
        external_id: body.external_id ?? idempotency_key,
      };
      const answer = await http.request<WireCreateNotificationResult>({
        operation: 'create_notification',
        method: 'POST',
        path: '/notifications',
        body: sent,
        auth: appAuth(appId),
        retry: 'idempotent',
      });
      // Read your own writes: the new notification's view is answered from the send for a few seconds
      // (OneSignal allows about one view per second per app). A retry with the same key carries the
      // same body, as keys are meant to be used, so the snapshot holds; a key sent before with another
      // body is answered with that earlier notification, which only OneSignal's view can show.
      const sameBody = http.claimIdempotencyKey(idempotency_key, digestOf(sent));
      const snapshot = sameBody ? notificationSnapshot(appId, sent, answer) : undefined;
      if (snapshot) {
        snapshots.set(answer, snapshot);
        // A template fills the content the send left out, which only a read of it tells: such a send
        // is answered from its snapshot and the template within the request (`withTemplateContent`),
        // and read from OneSignal after.
        if (!snapshot.template_id) await http.seed(viewNotification(appId, snapshot.id), snapshot);
      }
      return answer;
    },

    /**
     * POST /notifications/count-unsaved (estimate_notification_recipients): how many subscriptions a
     * targeting reaches, without sending. A POST that changes nothing, so it is retried like a read.
     */
    estimate: (appId: string, body: WireEstimateRecipientsBody) =>
      http.request<WireRecipientEstimate>({
        operation: 'estimate_notification_recipients',
        method: 'POST',
        path: '/notifications/count-unsaved',
        body: { ...body, app_id: appId },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** DELETE /notifications/{notification_id} (cancel_notification): stops a scheduled or sending one. */
    cancel: (appId: string, notificationId: string) =>
      http.request<WireSuccess>({
        operation: 'cancel_notification',
        method: 'DELETE',
        path: path`/notifications/${notificationId}`,
        query: { app_id: appId },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** POST /notifications/{notification_id}/history (get_notification_history): starts a CSV of recipients (7 days). */
    history: (appId: string, notificationId: string, params: NotificationHistoryParams) =>
      http.request<WireNotificationHistoryResult>({
        operation: 'get_notification_history',
        method: 'POST',
        path: path`/notifications/${notificationId}/history`,
        body: {
          app_id: appId,
          events: params.events,
          ...(params.email !== undefined ? { email: params.email } : {}),
        },
        auth: appAuth(appId),
        retry: 'unsafe',
      }),

    /** POST /notifications/{notification_id}/export_events?app_id= (export_events): starts a CSV of events. */
    exportEvents: (appId: string, notificationId: string) =>
      http.request<WireCsvExportResult>({
        operation: 'export_events',
        method: 'POST',
        path: path`/notifications/${notificationId}/export_events`,
        query: { app_id: appId },
        auth: appAuth(appId),
        retry: 'unsafe',
      }),
  };
}

/** What a send asked for, apart from the keys that name it: equal for a retry of the same send. */
function digestOf(sent: WireCreateNotificationBody): string {
  const { idempotency_key: _key, external_id: _id, ...asked } = sent;
  return createHash('sha256').update(JSON.stringify(asked)).digest('hex');
}

/** get_notification, one request description for the read and for the snapshot a send seeds for it. */
const viewNotification = (appId: string, notificationId: string): OperationRequest => ({
  operation: 'get_notification',
  method: 'GET',
  path: path`/notifications/${notificationId}`,
  query: { app_id: appId },
  auth: appAuth(appId),
  retry: 'idempotent',
});

/** The snapshot `create` seeded, per answer object, for `sentNotification`. */
const snapshots = new WeakMap<WireCreateNotificationResult, SentNotification>();

/** A notification as a send made it known: the fields a view would answer that the send can tell. */
export type SentNotification = WireNotification & { id: string; app_id: string };

/**
 * The notification `create` answered `answer` for, as the send made it known (the snapshot it seeded
 * for the next view); undefined when nothing was sent (`id: ""`) or the answer is not `create`'s.
 */
export const sentNotification = (answer: WireCreateNotificationResult): SentNotification | undefined =>
  snapshots.get(answer);

/**
 * What get_notification would answer right after a send, from the body sent and OneSignal's answer:
 * every field sent (content, targeting, platform and channel options, `external_id`), the id, `remaining`
 * the recipients OneSignal counted, delivery counts 0, `queued_at` now, `send_after` when given (else
 * now), nothing completed or canceled. What OneSignal adds later (delivery counts and per-platform
 * stats, outcomes, a named template's content) only its own view tells. Undefined when nothing was sent.
 */
export function notificationSnapshot(
  appId: string,
  sent: WireCreateNotificationBody,
  answer: WireCreateNotificationResult,
  now = Date.now(),
): SentNotification | undefined {
  if (!answer?.id) return undefined;
  // The idempotency key is a request header's twin, not a field of the notification.
  const { idempotency_key: _key, send_after, throttle_rate_per_minute, app_id: _app, ...fields } = sent;
  const queuedAt = Math.floor(now / 1000);
  const scheduled = unixSeconds(send_after);
  const throttle = throttle_rate_per_minute == null ? null : Number(throttle_rate_per_minute);
  return {
    ...fields,
    id: answer.id,
    app_id: appId,
    external_id: answer.external_id ?? sent.external_id ?? null,
    successful: 0,
    failed: 0,
    errored: 0,
    converted: 0,
    received: 0,
    remaining: answer.recipients ?? 0,
    queued_at: queuedAt,
    // A time already past sends at once, as OneSignal does.
    send_after: scheduled !== undefined && scheduled > queuedAt ? scheduled : queuedAt,
    completed_at: null,
    canceled: false,
    platform_delivery_stats: {},
    outcomes: [],
    throttle_rate_per_minute: Number.isFinite(throttle) ? throttle : null,
  };
}

/** `send_after` as sent (a date string OneSignal parses, or Unix seconds) in Unix seconds. */
function unixSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.floor(value);
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** The content a send takes from its template (`template_id`) where it sets none itself. */
const TEMPLATE_CONTENT = ['contents', 'headings', 'subtitle', 'email_subject', 'email_body'] as const;

/**
 * A snapshot of a send that named a template, with the template's content (view_template's `content`)
 * where the send set none, as OneSignal fills it.
 */
export function withTemplateContent(
  snapshot: SentNotification,
  content: Record<string, unknown> | undefined,
): SentNotification {
  const filled: Record<string, unknown> = { ...snapshot };
  for (const field of TEMPLATE_CONTENT)
    if (filled[field] == null && content?.[field] != null) filled[field] = content[field];
  return filled as unknown as SentNotification;
}
