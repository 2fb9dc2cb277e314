/**
 * How much of OneSignal's message `notificationCreate` can express, measured on the wire: a few
 * sends that together set every field the schema offers (one per channel with every group field, one
 * per targeting mode, one per delivery option), and the fields the emulator received, against the
 * fields OneSignal documents for a send. The ones left out must be exactly the ones the docs say are
 * left out (docs/queries.md, "What a send can say").
 */
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { MESSAGE_GROUPS } from '../../src/schema/notifications/message/index.js';
import { SHOP } from '../helpers/emulator.js';
import { pick, selection, subfields, withLeaf } from '../helpers/message.js';
import { useStack } from '../helpers/stack.js';

const stack = useStack();

/** OneSignal API v1.2.2's create-notification fields (BasicNotification and its targeting, less the read-only `id`, `value`, `aggregation`). */
const V1_2_2 = [
  'name',
  'isIos',
  'isAndroid',
  'isHuawei',
  'isAnyWeb',
  'isChromeWeb',
  'isFirefox',
  'isSafari',
  'isWP_WNS',
  'isAdm',
  'isChrome',
  'channel_for_external_user_ids',
  'app_id',
  'external_id',
  'contents',
  'headings',
  'subtitle',
  'data',
  'huawei_msg_type',
  'url',
  'web_url',
  'app_url',
  'ios_attachments',
  'template_id',
  'content_available',
  'mutable_content',
  'target_content_identifier',
  'big_picture',
  'huawei_big_picture',
  'adm_big_picture',
  'chrome_big_picture',
  'chrome_web_image',
  'buttons',
  'web_buttons',
  'ios_category',
  'android_channel_id',
  'huawei_channel_id',
  'existing_android_channel_id',
  'huawei_existing_channel_id',
  'android_background_layout',
  'small_icon',
  'huawei_small_icon',
  'large_icon',
  'huawei_large_icon',
  'adm_small_icon',
  'adm_large_icon',
  'chrome_web_icon',
  'chrome_web_badge',
  'firefox_icon',
  'chrome_icon',
  'ios_sound',
  'android_sound',
  'huawei_sound',
  'adm_sound',
  'wp_wns_sound',
  'android_led_color',
  'huawei_led_color',
  'android_accent_color',
  'huawei_accent_color',
  'android_visibility',
  'huawei_visibility',
  'ios_badgeType',
  'ios_badgeCount',
  'collapse_id',
  'web_push_topic',
  'apns_alert',
  'delayed_option',
  'delivery_time_of_day',
  'ttl',
  'priority',
  'apns_push_type_override',
  'throttle_rate_per_minute',
  'android_group',
  'android_group_message',
  'adm_group',
  'adm_group_message',
  'thread_id',
  'summary_arg',
  'summary_arg_count',
  'email_subject',
  'email_body',
  'email_from_name',
  'email_from_address',
  'email_preheader',
  'include_unsubscribed',
  'sms_from',
  'sms_media_urls',
  'filters',
  'custom_data',
  'send_after',
  'included_segments',
  'excluded_segments',
  'include_player_ids',
  'include_external_user_ids',
  'include_email_tokens',
  'include_phone_numbers',
  'include_ios_tokens',
  'include_wp_wns_uris',
  'include_amazon_reg_ids',
  'include_chrome_reg_ids',
  'include_chrome_web_reg_ids',
  'include_android_reg_ids',
  'include_aliases',
  'target_channel',
];

/** What today's API adds to a send (`@onesignal/node-onesignal` 5.x's Notification model). */
const CURRENT = [
  'idempotency_key',
  'include_subscription_ids',
  'email_to',
  'global_image',
  'ios_relevance_score',
  'ios_interruption_level',
  'email_reply_to_address',
  'disable_email_click_tracking',
  'email_bcc',
  'email_sender_domain',
  'email_warm_up',
  'huawei_badge_class',
  'huawei_badge_add_num',
  'huawei_badge_set_num',
  'huawei_category',
  'huawei_bi_tag',
];

/**
 * OneSignal's deprecated device-token targeting, replaced by subscription ids and aliases: out on
 * purpose (docs/queries.md says so), and not counted in the share below, as the issue allowed.
 */
const DEPRECATED = [
  'include_player_ids',
  'include_external_user_ids',
  'include_ios_tokens',
  'include_wp_wns_uris',
  'include_amazon_reg_ids',
  'include_chrome_reg_ids',
  'include_chrome_web_reg_ids',
  'include_android_reg_ids',
  'channel_for_external_user_ids',
];

/** Current fields not reached yet, as docs/queries.md says: `email_to` (`target.emails` sends include_email_tokens) and email warm-up. */
const NOT_YET = ['email_to', 'email_warm_up'];

type Input = Record<string, unknown>;

/** The leaves a composite send sets: every leaf of `groups` but `skip`. */
const leavesOf = (groups: string[], skip: string[] = []) =>
  groups
    .flatMap((name) => MESSAGE_GROUPS[name]?.leaves([name]) ?? [])
    .filter(({ path }) => !skip.includes(path.join('.')));

/** Every leaf of the named groups at its sample value (and the siblings it needs). */
function everyLeaf(groups: string[], skip: string[] = []): Input {
  const input: Input = {};
  for (const { path, leaf } of leavesOf(groups, skip)) {
    withLeaf(input, path, leaf.sample.input);
    for (const [sibling, value] of Object.entries(leaf.sample.with ?? {}))
      withLeaf(input, [...path.slice(0, -1), sibling], value);
  }
  return input;
}

const SUBSCRIBED = { segments: { include: ['Subscribed Users'], exclude: ['VIP Customers'] } };
const text = (t: string) => [{ language: 'en', text: t }];

/** The first three sends set every field of their channel's groups (and delivery's, on the push). */
const COMPOSITES: { groups: string[]; skip?: string[] }[] = [
  { groups: ['push', 'delivery'], skip: ['delivery.throttleRatePerMinute', 'delivery.delayedOption'] },
  { groups: ['email'] },
  { groups: ['sms'] },
];

/** Sends that together set every field the schema offers. */
const SENDS: Input[] = [
  {
    ...everyLeaf(COMPOSITES[0]?.groups ?? [], COMPOSITES[0]?.skip),
    name: 'Everything push',
    contents: text('Hello'),
    headings: text('Title'),
    subtitles: text('Subtitle'),
    url: 'https://shop.example/sale',
    data: { order: 7 },
    customData: { coupon: 'TEN' },
    idempotencyKey: '2b0c8f5e-6a51-4c8e-9b0f-3f2a8d7c1e55',
    templateId: DEMO.templates[SHOP.id]?.Welcome,
    target: SUBSCRIBED,
  },
  { ...everyLeaf(['email']), channel: 'EMAIL', target: SUBSCRIBED },
  {
    ...everyLeaf(['sms']),
    channel: 'SMS',
    name: 'Everything SMS',
    contents: text('Hi'),
    target: SUBSCRIBED,
  },
  { channel: 'EMAIL', email: { subject: 'Hi', body: '<p>Hi</p>' }, target: { emails: ['ada@example.com'] } },
  { contents: text('Hi'), name: 'By number', target: { phoneNumbers: ['+15551234567'] } },
  { contents: text('Throttled'), delivery: { throttleRatePerMinute: 100 }, target: SUBSCRIBED },
  {
    contents: text('Nearby and recent'),
    target: {
      filters: [
        { location: { radiusMeters: 1000, latitude: 37.77, longitude: -122.43 } },
        { operator: 'OR' },
        { condition: { field: 'LAST_SESSION', relation: 'LESS_THAN', hoursAgo: 24 } },
      ],
    },
  },
  {
    contents: text('By alias'),
    channel: 'PUSH',
    target: { aliases: { label: 'external_id', ids: ['user-1'] } },
  },
  {
    contents: text('By subscription'),
    channel: 'PUSH',
    target: { subscriptionIds: ['00000000-0000-4000-8000-000000000001'] },
  },
];

describe('what notificationCreate can say, measured on the wire', () => {
  it("reaches at least 95 % of OneSignal's documented send fields, missing exactly what the docs say", async () => {
    const received = new Set<string>();
    for (const extra of SENDS) {
      const input = { appId: SHOP.id, ...extra };
      const { notificationCreate } = await stack.gql<{ notificationCreate: Record<string, unknown> }>(
        `mutation($input: NotificationCreateInput!) { notificationCreate(input: $input) {
           __typename ... on Error { code message } } }`,
        { input },
      );
      // Made-up recipients may match nobody (NotificationNotSent): the body reached OneSignal all the same.
      expect(
        ['NotificationCreatePayload', 'NotificationNotSent'],
        JSON.stringify(notificationCreate),
      ).toContain(notificationCreate.__typename);
      const body = stack.emulator.received('create_notification').at(-1) as Record<string, unknown>;
      for (const key of Object.keys(body)) received.add(key);
    }
    const documented = [...new Set([...V1_2_2, ...CURRENT])].filter((field) => !DEPRECATED.includes(field));
    const reached = documented.filter((field) => received.has(field));
    const missing = documented.filter((field) => !received.has(field));
    console.log(
      `notificationCreate reaches ${reached.length} of ${documented.length} documented send fields (${((100 * reached.length) / documented.length).toFixed(1)} %; deprecated device-token targeting not counted); not reached: ${missing.join(', ')}`,
    );
    expect(missing.sort()).toEqual([...NOT_YET].sort());
    expect(DEPRECATED.filter((field) => received.has(field))).toEqual([]);
    expect(reached.length / documented.length).toBeGreaterThanOrEqual(0.95);
  });

  it.each(COMPOSITES.map((c, i) => [c.groups.join(' + '), i] as const))(
    'reads back every field of a %s message sent with all of them set, from OneSignal itself',
    async (_, i) => {
      const input = { appId: SHOP.id, ...SENDS[i] };
      const { notificationCreate } = await stack.gql<{ notificationCreate: { notificationId?: string } }>(
        `mutation($input: NotificationCreateInput!) { notificationCreate(input: $input) {
           ... on NotificationCreatePayload { notificationId } } }`,
        { input },
      );
      const leaves = leavesOf(COMPOSITES[i]?.groups ?? [], COMPOSITES[i]?.skip);
      const fields = leaves.map(({ path, leaf }) => selection(path, subfields(leaf))).join(' ');
      const { node } = await stack.gql<{ node: Record<string, unknown> }>(
        `query($id: ID!) { node(id: $id) { ... on Notification { ${fields} } } }`,
        { id: notificationCreate.notificationId },
        // OneSignal's own view, not the snapshot of the send.
        { 'cache-control': 'no-cache' },
      );
      // A leaf whose value another leaf's needs changed (a badge type set for a badge count) is
      // compared with what was sent in the end.
      for (const { path } of leaves) expect(pick(node, path), path.join('.')).toEqual(pick(input, path));
      expect(leaves.length).toBeGreaterThan(0);
    },
  );
});
