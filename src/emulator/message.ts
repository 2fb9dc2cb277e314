/**
 * Whether a create_notification body is one OneSignal takes: message-fields.ts' types and limits,
 * then the rules between fields (one targeting mode, email fields only on emails, SMS fields only on
 * SMS, `name` for SMS, subject and body for email, delivery_time_of_day only with "timezone", …).
 * `messageProblems` returns every problem at once, each naming its field; the route answers them in
 * OneSignal's `{"errors": [...]}` body, as a 400. Where OneSignal's reference leaves a rule open, the
 * choice made here is written next to it.
 */
import { parseFilters } from './audience.js';
import {
  ARGB,
  ARGB_COLORS,
  CHANNELS,
  type Channel,
  E164,
  EMAIL,
  EMAIL_FIELDS,
  ENUMS,
  HUAWEI_COLOR,
  HUAWEI_COLORS,
  ID_LISTS,
  isTimeOfDay,
  jsonBytes,
  LIMITS,
  present,
  SMS_FIELDS,
  TARGET_MODES,
  TYPES,
  throttleRate,
  typeProblem,
} from './message-fields.js';
import { isObject, isUuid } from './util.js';

export type { Channel } from './message-fields.js';
export { throttleRate } from './message-fields.js';

/** The channel the targeting implies, if any (email tokens → email, phone numbers → SMS). */
function impliedChannel(body: Record<string, unknown>): Channel | undefined {
  if (present(body, 'include_email_tokens') || present(body, 'email_to')) return 'email';
  if (present(body, 'include_phone_numbers')) return 'sms';
  const forExternal = body.channel_for_external_user_ids;
  if (
    present(body, 'include_external_user_ids') &&
    typeof forExternal === 'string' &&
    CHANNELS.has(forExternal)
  )
    return forExternal as Channel;
  return undefined;
}

/**
 * The channel a message goes out on: `target_channel`, else what its targeting implies, else (as
 * v1.2.2, which had no target_channel for segments, told emails apart) email when it carries
 * email_subject/email_body, SMS when it carries sms_from/sms_media_urls, else push.
 */
export function messageChannel(body: Record<string, unknown>): { channel: Channel; explicit: boolean } {
  const given = body.target_channel;
  if (typeof given === 'string' && CHANNELS.has(given)) return { channel: given as Channel, explicit: true };
  const implied = impliedChannel(body);
  if (implied) return { channel: implied, explicit: false };
  if (present(body, 'email_subject') || present(body, 'email_body'))
    return { channel: 'email', explicit: false };
  if (SMS_FIELDS.some((k) => present(body, k))) return { channel: 'sms', explicit: false };
  return { channel: 'push', explicit: false };
}

function targetingProblems(body: Record<string, unknown>, problems: string[]): void {
  const modes = TARGET_MODES.map((keys) => keys.filter((k) => present(body, k))).filter((k) => k.length > 0);
  if (modes.length > 1)
    problems.push(
      `Use one targeting mode per message: ${modes.map((m) => m.join('/')).join(', ')} cannot be combined`,
    );
  if (present(body, 'excluded_segments') && !present(body, 'included_segments'))
    problems.push('excluded_segments can only be used with included_segments');
  const implied = impliedChannel(body);
  if (implied && present(body, 'target_channel') && body.target_channel !== implied) {
    const by = implied === 'email' ? 'include_email_tokens/email_to' : 'include_phone_numbers';
    problems.push(
      `target_channel '${String(body.target_channel)}' does not match ${by}, which send ${implied}`,
    );
  }
  for (const key of ID_LISTS) {
    const v = body[key];
    if (Array.isArray(v) && v.length > LIMITS.ids)
      problems.push(`${key} can list at most ${LIMITS.ids} entries (got ${v.length})`);
  }
  const aliases = body.include_aliases;
  if (isObject(aliases)) {
    const total = Object.values(aliases).reduce<number>(
      (n, ids) => n + (Array.isArray(ids) ? ids.length : 0),
      0,
    );
    if (total > LIMITS.ids)
      problems.push(`include_aliases can list at most ${LIMITS.ids} ids (got ${total})`);
  }
  const phones = body.include_phone_numbers;
  if (Array.isArray(phones))
    for (const p of phones)
      if (typeof p === 'string' && !E164.test(p))
        problems.push(`include_phone_numbers: '${p}' is not an E.164 phone number`);
  if (present(body, 'filters')) {
    if (Array.isArray(body.filters) && body.filters.length > LIMITS.filters)
      problems.push(
        `filters can have at most ${LIMITS.filters} entries, operators included (got ${body.filters.length})`,
      );
    try {
      parseFilters(body.filters);
    } catch (error) {
      problems.push(error instanceof Error ? messageOf(error) : String(error));
    }
  }
  // Platform flags (isIos, …) on an email or SMS are not refused: OneSignal documents no rule. They
  // narrow the audience to push devices, so such a send reaches nobody.
}

/** The first message of an ApiError body (`{"errors": [message]}`), else the error's own. */
function messageOf(error: Error): string {
  const body = (error as { body?: unknown }).body;
  if (isObject(body) && Array.isArray(body.errors) && typeof body.errors[0] === 'string')
    return body.errors[0];
  return error.message;
}

function buttonProblems(body: Record<string, unknown>, key: string, max: number, problems: string[]): void {
  const v = body[key];
  if (!present(body, key)) return;
  if (!Array.isArray(v)) {
    problems.push(`${key} must be an array of buttons`);
    return;
  }
  if (v.length > max) problems.push(`${key} can have at most ${max} buttons (got ${v.length})`);
  const fields = key === 'web_buttons' ? ['text', 'icon', 'url'] : ['text', 'icon'];
  v.forEach((b, i) => {
    if (!isObject(b) || typeof b.id !== 'string' || b.id === '')
      problems.push(`${key}[${i}] needs an id (a string)`);
    else
      for (const f of fields)
        if (b[f] !== undefined && b[f] !== null && typeof b[f] !== 'string')
          problems.push(`${key}[${i}].${f} must be a string`);
  });
}

function languageMapProblem(key: string, v: unknown): string | undefined {
  if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string'))
    return `${key} must be an object of language code to string`;
  return undefined;
}

function pushProblems(body: Record<string, unknown>, problems: string[]): void {
  buttonProblems(body, 'buttons', LIMITS.buttons, problems);
  buttonProblems(body, 'web_buttons', LIMITS.webButtons, problems);
  const ttl = body.ttl;
  if (Number.isInteger(ttl) && ((ttl as number) < 0 || (ttl as number) > LIMITS.ttlSeconds))
    problems.push(`ttl must be between 0 and ${LIMITS.ttlSeconds} seconds (28 days)`);
  const collapse = body.collapse_id;
  if (typeof collapse === 'string' && collapse.length > LIMITS.collapseIdChars)
    problems.push(`collapse_id can be at most ${LIMITS.collapseIdChars} characters`);
  const score = body.ios_relevance_score;
  if (typeof score === 'number' && (score < 0 || score > 1))
    problems.push('ios_relevance_score must be between 0 and 1');
  for (const key of ARGB_COLORS) {
    const v = body[key];
    if (typeof v === 'string' && !ARGB.test(v))
      problems.push(`${key} must be an ARGB hex color of 8 digits, e.g. FFFF0000`);
  }
  for (const key of HUAWEI_COLORS) {
    const v = body[key];
    if (typeof v === 'string' && !HUAWEI_COLOR.test(v))
      problems.push(`${key} must be an RGB or ARGB hex color, e.g. #FF0000 or FFFF0000`);
  }
  const layout = body.android_background_layout;
  if (isObject(layout)) {
    if (layout.image !== undefined && typeof layout.image !== 'string')
      problems.push('android_background_layout.image must be a string');
    for (const c of ['headings_color', 'contents_color']) {
      const v = layout[c];
      if (v !== undefined && (typeof v !== 'string' || !ARGB.test(v)))
        problems.push(`android_background_layout.${c} must be an ARGB hex color of 8 digits, e.g. FF000000`);
    }
  }
  const attachments = body.ios_attachments;
  if (isObject(attachments) && Object.values(attachments).some((x) => typeof x !== 'string'))
    problems.push('ios_attachments must map each attachment id to a URL string');
  // android_group_message: v1.2.2 describes a per-language map, the 5.x model types it a string.
  const group = body.android_group_message;
  if (present(body, 'android_group_message') && typeof group !== 'string') {
    const p = languageMapProblem('android_group_message', group);
    if (p) problems.push(`${p} (or a string)`);
  }
  if (present(body, 'adm_group_message') && isObject(body.adm_group_message)) {
    const p = languageMapProblem('adm_group_message', body.adm_group_message);
    if (p) problems.push(p);
  }
}

function emailProblems(body: Record<string, unknown>, channel: Channel, problems: string[]): void {
  if (channel !== 'email') {
    for (const key of EMAIL_FIELDS)
      if (present(body, key)) problems.push(`${key} is only for email messages (this one is ${channel})`);
    return;
  }
  if (!present(body, 'template_id'))
    for (const key of ['email_subject', 'email_body'])
      if (typeof body[key] !== 'string' || (body[key] as string).trim() === '')
        problems.push(`${key} is required for email messages unless template_id is set`);
  for (const key of ['email_from_address', 'email_reply_to_address']) {
    const v = body[key];
    if (typeof v === 'string' && !EMAIL.test(v)) problems.push(`${key} '${v}' is not an email address`);
  }
  const bcc = body.email_bcc;
  if (Array.isArray(bcc)) {
    // OneSignal documents no maximum for a message's BCC (its BCC page: addresses are checked for
    // syntax only), so none is enforced; only templates document one (5).
    for (const a of bcc)
      if (typeof a === 'string' && !EMAIL.test(a)) problems.push(`email_bcc: '${a}' is not an email address`);
  }
}

function smsProblems(body: Record<string, unknown>, channel: Channel, problems: string[]): void {
  if (channel !== 'sms') {
    for (const key of SMS_FIELDS)
      if (present(body, key)) problems.push(`${key} is only for SMS messages (this one is ${channel})`);
    return;
  }
  if (typeof body.name !== 'string' || body.name.trim() === '')
    problems.push('name is required for SMS messages');
  const from = body.sms_from;
  if (typeof from === 'string' && !E164.test(from))
    problems.push(`sms_from '${from}' is not an E.164 phone number`);
  const media = body.sms_media_urls;
  if (Array.isArray(media) && media.length > LIMITS.smsMediaUrls)
    problems.push(`sms_media_urls can list at most ${LIMITS.smsMediaUrls} URLs (got ${media.length})`);
}

function deliveryProblems(body: Record<string, unknown>, problems: string[]): void {
  const time = body.delivery_time_of_day;
  if (present(body, 'delivery_time_of_day')) {
    if (typeof time !== 'string' || !isTimeOfDay(time))
      problems.push(
        `delivery_time_of_day '${String(time)}' must be a time of day like "9:00AM", "21:45" or "9:45:30"`,
      );
    if (body.delayed_option !== 'timezone')
      problems.push('delivery_time_of_day only applies with delayed_option "timezone"');
  }
  if (present(body, 'throttle_rate_per_minute')) {
    const rate = throttleRate(body.throttle_rate_per_minute);
    if (rate === undefined) problems.push('throttle_rate_per_minute must be a non-negative integer');
    else if (rate > 0 && present(body, 'delayed_option'))
      problems.push(
        'throttle_rate_per_minute cannot be used with delayed_option (set it to 0 to disable throttling)',
      );
  }
}

/** Every problem with a create_notification body (empty: valid), each naming its field. */
export function messageProblems(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [key, kind] of Object.entries(TYPES)) {
    if (!present(body, key)) continue;
    const p = typeProblem(key, body[key], kind);
    if (p) problems.push(p);
  }
  if (present(body, 'target_channel') && !CHANNELS.has(body.target_channel as string))
    problems.push("target_channel must be 'push', 'email' or 'sms'");
  for (const [key, values] of Object.entries(ENUMS)) {
    const v = body[key];
    if (present(body, key) && !values.includes(v as string | number))
      problems.push(`${key} must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
  }
  // The content checks the emulator made before this module, with the same messages.
  for (const key of ['contents', 'headings', 'subtitle']) {
    if (!present(body, key)) continue;
    const p = languageMapProblem(key, body[key]);
    if (p) problems.push(p);
  }
  const template = body.template_id;
  if (present(body, 'template_id') && !isUuid(template))
    problems.push(`template_id '${String(template)}' is not a valid UUID`);
  const { channel } = messageChannel(body);
  const contents = body.contents;
  const hasContents = isObject(contents) && Object.keys(contents).length > 0;
  if (hasContents && typeof contents.en !== 'string')
    problems.push('Notifications must have English language content');
  const dataOnly = body.content_available === true;
  if (!hasContents && !present(body, 'template_id') && !dataOnly && channel !== 'email')
    problems.push(
      'Notifications must have English language content: set contents, template_id or content_available',
    );

  if (isObject(body.data) && jsonBytes(body.data) > LIMITS.dataBytes)
    problems.push(`data must be at most ${LIMITS.dataBytes} bytes as JSON (got ${jsonBytes(body.data)})`);
  if (isObject(body.custom_data)) {
    const max = LIMITS.customDataBytes[channel];
    if (jsonBytes(body.custom_data) > max)
      problems.push(
        `custom_data must be at most ${max} bytes as JSON for ${channel} messages (got ${jsonBytes(body.custom_data)})`,
      );
  }
  targetingProblems(body, problems);
  pushProblems(body, problems);
  emailProblems(body, channel, problems);
  smsProblems(body, channel, problems);
  deliveryProblems(body, problems);
  return problems;
}
