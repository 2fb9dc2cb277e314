/**
 * The whole create-notification body over HTTP: a push with every platform option, an email and an
 * SMS each read back field for field (by id and in the list), fields not sent absent; then each
 * documented rule answered with a 400 naming its field.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { ENUMS, TYPES } from '../../src/emulator/message-fields.js';
import { caller, SHOP } from '../helpers/emulator.js';
import { email, push, SMS_NUMBER, sms } from './messages.js';

let emulator: RunningEmulator;
let call: ReturnType<typeof caller>;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  call = caller(emulator);
});
beforeEach(() => emulator.reset());
afterAll(async () => {
  await emulator.close();
});

/** Every send field the emulator knows (TYPES and ENUMS cover them, plus the ones with own rules). */
const KNOWN = new Set([
  ...Object.keys(TYPES),
  ...Object.keys(ENUMS),
  'contents',
  'buttons',
  'web_buttons',
  'android_group_message',
  'headings',
  'subtitle',
  'template_id',
  'target_channel',
  'filters',
  'include_aliases',
  'delivery_time_of_day',
  'throttle_rate_per_minute',
]);

async function sendAndRead(body: Record<string, unknown>) {
  const created = await call('POST', '/notifications', { body });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  expect(created.body.recipients).toBeGreaterThan(0);
  const id = created.body.id as string;
  const read = await call('GET', `/notifications/${id}?app_id=${SHOP.id}`);
  expect(read.status).toBe(200);
  const list = await call('GET', `/notifications?app_id=${SHOP.id}&limit=5`);
  const listed = (list.body.notifications as Record<string, unknown>[]).find((n) => n.id === id);
  return { id, read: read.body as Record<string, unknown>, listed };
}

function expectAsSent(read: Record<string, unknown>, sent: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(sent)) {
    if (key === 'app_id') expect(read.app_id).toBe(value);
    // OneSignal reads send_after back as unix seconds.
    else if (key === 'send_after') expect(read.send_after).toBe(Date.parse(value as string) / 1000);
    else expect(read[key], key).toEqual(value);
  }
  for (const key of KNOWN) if (!(key in sent)) expect(read, `${key} was not sent`).not.toHaveProperty(key);
}

describe('every field of a send reads back exactly as sent', () => {
  it('a push with every platform option, by id and in the list', async () => {
    const sent = push(SHOP.id);
    const { read, listed } = await sendAndRead(sent);
    expectAsSent(read, sent);
    expect(listed).toEqual(read);
    // It carries every field but the other channels', the other targeting modes' and the
    // fields that contradict its own (template, external_id, delayed delivery with throttling).
    expect([...KNOWN].filter((k) => !(k in sent)).sort()).toEqual([
      ...['channel_for_external_user_ids', 'delayed_option', 'delivery_time_of_day'],
      ...['disable_email_click_tracking', 'email_bcc', 'email_body', 'email_from_address'],
      ...['email_from_name', 'email_preheader', 'email_reply_to_address', 'email_sender_domain'],
      ...['email_subject', 'email_to', 'external_id', 'filters', 'include_aliases'],
      ...['include_amazon_reg_ids', 'include_android_reg_ids', 'include_chrome_reg_ids'],
      ...['include_chrome_web_reg_ids', 'include_email_tokens', 'include_external_user_ids'],
      ...['include_ios_tokens', 'include_phone_numbers', 'include_player_ids', 'include_subscription_ids'],
      ...['include_unsubscribed', 'include_wp_wns_uris', 'sms_from', 'sms_media_urls', 'template_id'],
    ]);
  });

  it('an email with every email option (custom_data up to 10,000 bytes)', async () => {
    const sent = email(SHOP.id);
    const { read, listed } = await sendAndRead(sent);
    expectAsSent(read, sent);
    expect(listed).toEqual(read);
    expect(read).not.toHaveProperty('contents');
  });

  it('an SMS with every SMS option', async () => {
    const player = await call('POST', '/players', {
      body: { app_id: SHOP.id, device_type: 14, identifier: SMS_NUMBER },
    });
    expect(player.status).toBe(200);
    const sent = sms(SHOP.id);
    const { read, listed } = await sendAndRead(sent);
    expectAsSent(read, sent);
    expect(listed).toEqual(read);
  });

  it('a send with filters (location, hours_ago, time tags) keeps the filters as sent', async () => {
    const filters = [
      { field: 'location', radius: '1000', lat: '37.77', long: '-122.43' },
      { operator: 'OR' },
      { field: 'last_session', relation: '<', hours_ago: '1.5' },
      { operator: 'OR' },
      { field: 'tag', key: 'level', relation: 'exists' },
    ];
    const sent = { app_id: SHOP.id, contents: { en: 'x' }, filters };
    const { read } = await sendAndRead(sent);
    expectAsSent(read, sent);
  });
});

/** A valid push to a segment, to break one rule at a time. */
const base = { app_id: SHOP.id, contents: { en: 'x' }, included_segments: ['VIP Customers'] };
const emailBase = {
  app_id: SHOP.id,
  target_channel: 'email',
  included_segments: ['VIP Customers'],
  email_subject: 's',
  email_body: '<p>b</p>',
};
const smsBase = {
  app_id: SHOP.id,
  name: 'n',
  contents: { en: 'x' },
  target_channel: 'sms',
  included_segments: ['VIP Customers'],
};
const many = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
const bytes = (n: number) => ({ pad: 'x'.repeat(n - 10) }); // {"pad":"…"} is n bytes

const RULES: [string, Record<string, unknown>, RegExp][] = [
  ['data over 2,048 bytes', { ...base, data: bytes(2049) }, /^data must be at most 2048 bytes/],
  [
    'custom_data over 2,048 bytes on push',
    { ...base, custom_data: bytes(2049) },
    /^custom_data .*2048 .*push/,
  ],
  [
    'custom_data over 2,048 bytes on SMS',
    { ...smsBase, custom_data: bytes(2049) },
    /^custom_data .*2048 .*sms/,
  ],
  [
    'custom_data over 10,000 bytes on email',
    { ...emailBase, custom_data: bytes(10_001) },
    /^custom_data .*10000 .*email/,
  ],
  ['4 buttons', { ...base, buttons: many(4, (i) => `b${i}`).map((id) => ({ id })) }, /^buttons .*at most 3/],
  ['a button without id', { ...base, buttons: [{ text: 'x' }] }, /^buttons\[0\] needs an id/],
  [
    '3 web buttons',
    { ...base, web_buttons: many(3, (i) => `w${i}`).map((id) => ({ id })) },
    /^web_buttons .*at most 2/,
  ],
  ['ttl over 28 days', { ...base, ttl: 2_419_201 }, /^ttl must be between 0 and 2419200/],
  ['a negative ttl', { ...base, ttl: -1 }, /^ttl must be between/],
  ['a non-integer priority', { ...base, priority: 'high' }, /^priority must be an integer/],
  [
    'an RGB android_led_color',
    { ...base, android_led_color: 'FF0000' },
    /^android_led_color must be an ARGB/,
  ],
  [
    'a named android_accent_color',
    { ...base, android_accent_color: 'red' },
    /^android_accent_color must be an ARGB/,
  ],
  [
    'a short background layout color',
    { ...base, android_background_layout: { headings_color: '#FFF' } },
    /^android_background_layout.headings_color must be an ARGB/,
  ],
  [
    'a bad huawei_accent_color',
    { ...base, huawei_accent_color: '#99' },
    /^huawei_accent_color must be an RGB/,
  ],
  [
    '201 filter entries',
    {
      ...base,
      included_segments: undefined,
      filters: Array.from({ length: 201 }, () => ({ field: 'tag', key: 'k', relation: 'exists' })),
    },
    /^filters can have at most 200 entries/,
  ],
  [
    '2,001 subscription ids',
    {
      ...base,
      included_segments: undefined,
      include_subscription_ids: many(2001, () => crypto.randomUUID()),
    },
    /^include_subscription_ids can list at most 2000/,
  ],
  [
    '2,001 alias ids',
    { ...base, included_segments: undefined, include_aliases: { external_id: many(2001, (i) => `u${i}`) } },
    /^include_aliases can list at most 2000/,
  ],
  [
    '2,001 email tokens',
    { ...emailBase, included_segments: undefined, include_email_tokens: many(2001, (i) => `u${i}@x.co`) },
    /^include_email_tokens can list at most 2000/,
  ],
  [
    '2,001 phone numbers',
    {
      ...smsBase,
      included_segments: undefined,
      include_phone_numbers: many(2001, (i) => `+1555${1_000_000 + i}`),
    },
    /^include_phone_numbers can list at most 2000/,
  ],
  [
    'a bcc that is not an address',
    { ...emailBase, email_bcc: ['nobody'] },
    /^email_bcc: 'nobody' is not an email/,
  ],
  [
    '11 SMS media URLs',
    { ...smsBase, sms_media_urls: many(11, (i) => `https://m.example/${i}.png`) },
    /^sms_media_urls .*at most 10/,
  ],
  ['an sms_from not in E.164', { ...smsBase, sms_from: '555-1234' }, /^sms_from '555-1234' is not an E.164/],
  [
    'delivery_time_of_day without delayed_option',
    { ...base, delivery_time_of_day: '9:00AM' },
    /^delivery_time_of_day only applies with delayed_option "timezone"/,
  ],
  [
    'delivery_time_of_day with last-active',
    { ...base, delayed_option: 'last-active', delivery_time_of_day: '21:45' },
    /^delivery_time_of_day only applies/,
  ],
  [
    'a delivery_time_of_day in no documented form',
    { ...base, delayed_option: 'timezone', delivery_time_of_day: '25:00' },
    /^delivery_time_of_day '25:00' must be a time of day/,
  ],
  ['an unknown delayed_option', { ...base, delayed_option: 'tomorrow' }, /^delayed_option must be one of/],
  [
    'throttling with delayed_option',
    { ...base, delayed_option: 'last-active', throttle_rate_per_minute: 50 },
    /^throttle_rate_per_minute cannot be used with delayed_option/,
  ],
  [
    'segments and filters',
    { ...base, filters: [{ field: 'tag', key: 'vip', relation: 'exists' }] },
    /one targeting mode.*included_segments, filters/,
  ],
  [
    'segments and aliases',
    { ...base, include_aliases: { external_id: ['u1'] } },
    /one targeting mode.*included_segments, include_aliases/,
  ],
  [
    'subscription ids and phone numbers',
    {
      ...smsBase,
      included_segments: undefined,
      include_subscription_ids: [crypto.randomUUID()],
      include_phone_numbers: ['+15550001111'],
    },
    /one targeting mode.*include_subscription_ids, include_phone_numbers/,
  ],
  [
    'email tokens and aliases',
    {
      ...emailBase,
      included_segments: undefined,
      include_email_tokens: ['a@b.co'],
      include_aliases: { external_id: ['u1'] },
    },
    /one targeting mode.*include_aliases, include_email_tokens/,
  ],
  [
    'excluded_segments with filters',
    {
      ...base,
      included_segments: undefined,
      excluded_segments: ['German Speakers'],
      filters: [{ field: 'tag', key: 'vip', relation: 'exists' }],
    },
    /^excluded_segments can only be used with included_segments/,
  ],
  [
    'push channel with email tokens',
    { ...base, included_segments: undefined, target_channel: 'push', include_email_tokens: ['a@b.co'] },
    /^target_channel 'push' does not match include_email_tokens/,
  ],
  [
    'email fields on a push',
    { ...base, target_channel: 'push', email_preheader: 'p' },
    /^email_preheader is only for email messages/,
  ],
  [
    'bcc on an SMS',
    { ...smsBase, email_bcc: ['a@b.co'] },
    /^email_bcc is only for email messages \(this one is sms\)/,
  ],
  [
    'SMS fields on a push',
    { ...base, sms_media_urls: ['https://m.example/1.png'], target_channel: 'push' },
    /^sms_media_urls is only for SMS messages/,
  ],
  [
    'SMS fields on an email',
    { ...emailBase, sms_from: '+15550001111' },
    /^sms_from is only for SMS messages \(this one is email\)/,
  ],
  ['an SMS without name', { ...smsBase, name: undefined }, /^name is required for SMS messages/],
  [
    'an email without subject',
    { ...emailBase, email_subject: undefined },
    /^email_subject is required for email messages unless template_id/,
  ],
  [
    'an email without body',
    { ...emailBase, email_body: undefined },
    /^email_body is required for email messages unless template_id/,
  ],
  [
    'collapse_id over 64 characters',
    { ...base, collapse_id: 'c'.repeat(65) },
    /^collapse_id can be at most 64/,
  ],
  [
    'an unknown ios_badgeType',
    { ...base, ios_badgeType: 'Double' },
    /^ios_badgeType must be one of "None", "SetTo", "Increase"/,
  ],
  [
    'an unknown interruption level',
    { ...base, ios_interruption_level: 'loud' },
    /^ios_interruption_level must be one of/,
  ],
  [
    'a relevance score over 1',
    { ...base, ios_relevance_score: 1.5 },
    /^ios_relevance_score must be between 0 and 1/,
  ],
  ['an unknown huawei_category', { ...base, huawei_category: 'GAMES' }, /^huawei_category must be one of/],
  ['a visibility of 2', { ...base, android_visibility: 2 }, /^android_visibility must be one of 1, 0, -1/],
  ['a string ttl', { ...base, ttl: '60' }, /^ttl must be an integer/],
  [
    'a location filter without lat',
    { ...base, included_segments: undefined, filters: [{ field: 'location', radius: '10', long: '1' }] },
    /^filters\[0\].lat must be a latitude/,
  ],
  [
    'a last_session filter with "="',
    {
      ...base,
      included_segments: undefined,
      filters: [{ field: 'last_session', relation: '=', hours_ago: '1' }],
    },
    /^filters\[0\]: last_session filters take the relation ">" or "<"/,
  ],
];

describe('each documented rule answers 400 naming the field, and records nothing', () => {
  it.each(RULES)('%s', async (_name, body, message) => {
    const before = (await call('GET', `/notifications?app_id=${SHOP.id}&limit=1`)).body.total_count;
    const res = await call('POST', '/notifications', { body });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    expect((await call('GET', `/notifications?app_id=${SHOP.id}&limit=1`)).body.total_count).toBe(before);
  });

  it('lists every problem of a body at once', async () => {
    const res = await call('POST', '/notifications', {
      body: {
        ...base,
        ttl: -5,
        buttons: many(4, (i) => `b${i}`).map((id) => ({ id })),
        email_subject: 's',
        target_channel: 'push',
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(3);
  });

  it('accepts what OneSignal accepts at the edges: any integer priority, 28 days of ttl, three time forms', async () => {
    for (const extra of [
      { priority: 5 },
      { priority: 7 },
      { ttl: 0 },
      { ttl: 2_419_200 },
      { delayed_option: 'timezone', delivery_time_of_day: '9:00AM' },
      { delayed_option: 'timezone', delivery_time_of_day: '21:45' },
      { delayed_option: 'timezone', delivery_time_of_day: '9:45:30' },
      { delayed_option: 'timezone', throttle_rate_per_minute: 0 },
      { data: bytes(2048) },
      { custom_data: bytes(2048) },
      { buttons: many(3, (i) => `b${i}`).map((id) => ({ id })) },
      { huawei_led_color: '0000FF' },
    ]) {
      const res = await call('POST', '/notifications', { body: { ...base, ...extra } });
      expect(res.status, JSON.stringify(extra)).toBe(200);
    }
  });

  it('accepts any number of BCC addresses on an email: OneSignal documents no maximum for a message', async () => {
    const res = await call('POST', '/notifications', {
      body: { ...emailBase, email_bcc: many(6, (i) => `b${i}@x.co`) },
    });
    expect(res.status).toBe(200);
  });
});
