import { randomUUID } from 'node:crypto';
import { CHANNELS, EMAIL_FIELDS, SMS_FIELDS } from '../message-fields.js';
import { type Operation, ok } from '../operation.js';
import type { AppState } from '../store.js';
import type { TemplateRecord } from '../types.js';
import { fail, isObject, isUuid, paging } from '../util.js';

/**
 * What a template's `content` keeps, and a send naming the template takes from it when the send
 * does not set the field itself. OneSignal's create-template reference accepts every push channel
 * property in a push template, every email property in an email template and the SMS ones in an SMS
 * template, under create_notification's names; it is silent on whether a field of another channel
 * is kept, so they are kept as given (a send only uses its own channel's). Targeting, scheduling
 * and `data`/`custom_data` are per send: the reference does not list them, and they are not kept.
 */
const PUSH_FIELDS = [
  // Platforms: given flags restrict the template to those (all platforms when none is given).
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
  'web_url',
  'app_url',
  'global_image',
  'buttons',
  'web_buttons',
  'collapse_id',
  'ttl',
  'priority',
  'content_available',
  'mutable_content',
  'ios_attachments',
  'ios_sound',
  'ios_badgeType',
  'ios_badgeCount',
  'ios_category',
  'thread_id',
  'summary_arg',
  'summary_arg_count',
  'target_content_identifier',
  'ios_interruption_level',
  'ios_relevance_score',
  'apns_alert',
  'apns_push_type_override',
  'android_channel_id',
  'existing_android_channel_id',
  'small_icon',
  'large_icon',
  'big_picture',
  'android_sound',
  'android_led_color',
  'android_accent_color',
  'android_visibility',
  'android_group',
  'android_group_message',
  'android_background_layout',
  'huawei_channel_id',
  'huawei_existing_channel_id',
  'huawei_small_icon',
  'huawei_large_icon',
  'huawei_big_picture',
  'huawei_sound',
  'huawei_led_color',
  'huawei_accent_color',
  'huawei_visibility',
  'huawei_msg_type',
  'huawei_category',
  'huawei_bi_tag',
  'huawei_badge_class',
  'huawei_badge_add_num',
  'huawei_badge_set_num',
  'chrome_web_icon',
  'chrome_web_badge',
  'chrome_web_image',
  'firefox_icon',
  'web_push_topic',
  'chrome_icon',
  'chrome_big_picture',
  'adm_small_icon',
  'adm_large_icon',
  'adm_big_picture',
  'adm_sound',
  'adm_group',
  'adm_group_message',
  'wp_wns_sound',
] as const;
const CONTENT_FIELDS = [
  'contents',
  'headings',
  'subtitle',
  ...PUSH_FIELDS,
  ...EMAIL_FIELDS,
  ...SMS_FIELDS,
] as const;

function templateOf(app: AppState, id: string | undefined): TemplateRecord {
  if (!isUuid(id)) throw fail(400, `Template id '${String(id)}' is not a valid UUID`);
  const template = app.templates.get(id);
  if (!template) throw fail(404, `Template '${id}' not found`);
  return template;
}

const summary = (t: TemplateRecord) => ({
  id: t.id,
  name: t.name,
  created_at: t.created_at,
  updated_at: t.updated_at,
  channel: t.channel,
});

const whole = (t: TemplateRecord) => ({ ...summary(t), content: t.content });

function languageMap(body: Record<string, unknown>, key: string, required: boolean): void {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw fail(400, `${key} is required`);
    return;
  }
  if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string'))
    throw fail(400, `${key} must be an object of language code to string`);
  if (key === 'contents' && typeof v.en !== 'string') throw fail(400, 'contents must include English (en)');
}

/** Validates a create/update body and returns the template fields it sets. */
function parseTemplateBody(body: Record<string, unknown>, creating: boolean): Partial<TemplateRecord> {
  const out: Partial<TemplateRecord> = {};
  if (creating || body.name !== undefined) {
    if (typeof body.name !== 'string' || body.name.trim() === '') throw fail(400, 'name is required');
    out.name = body.name;
  }
  languageMap(body, 'contents', creating);
  languageMap(body, 'headings', false);
  languageMap(body, 'subtitle', false);
  for (const key of ['email_subject', 'email_body'])
    if (body[key] !== undefined && typeof body[key] !== 'string') throw fail(400, `${key} must be a string`);
  // OneSignal's reference and node-onesignal 5.x spell the channel flags `isEmail` and `isSMS`.
  if (body.isEmail === true && body.isSMS === true) throw fail(400, 'isEmail and isSMS cannot both be true');
  if (body.isEmail === true) {
    if (typeof body.email_subject !== 'string' || typeof body.email_body !== 'string')
      throw fail(400, 'email templates need email_subject and email_body');
    out.channel = 'email';
  } else if (body.isSMS === true) out.channel = 'sms';
  else if (creating || body.isEmail === false || body.isSMS === false) out.channel = 'push';
  return out;
}

function contentPatch(body: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of CONTENT_FIELDS) if (body[key] !== undefined && body[key] !== null) patch[key] = body[key];
  return patch;
}

/**
 * A send naming a template: the template must belong to the app, and fills the content the send
 * leaves out (as OneSignal renders it from the dashboard template).
 */
export function fillFromTemplate(app: AppState, body: Record<string, unknown>): void {
  const id = body.template_id;
  if (typeof id !== 'string') return;
  const template = app.templates.get(id);
  if (!template) throw fail(400, `template_id '${id}' not found in app ${app.id}`);
  for (const key of CONTENT_FIELDS) {
    const value = template.content[key];
    if (value !== undefined && (body[key] === undefined || body[key] === null)) body[key] = value;
  }
}

export const templateOperations: Operation[] = [
  {
    id: 'view_templates',
    method: 'GET',
    path: '/templates',
    auth: 'app',
    handler: ({ app, query }) => {
      const { limit, offset } = paging(query, 50, 'templates');
      const channel = query.get('channel');
      if (channel !== null && !CHANNELS.has(channel))
        throw fail(400, "channel must be 'push', 'email' or 'sms'");
      const all = [...app.templates.values()].filter((t) => channel === null || t.channel === channel);
      return ok({ templates: all.slice(offset, offset + limit).map(summary) });
    },
  },
  {
    id: 'view_template',
    method: 'GET',
    path: '/templates/:template_id',
    auth: 'app',
    handler: ({ app, params }) => ok(whole(templateOf(app, params.template_id))),
  },
  {
    id: 'create_template',
    method: 'POST',
    path: '/templates',
    auth: 'app',
    handler: ({ app, body }) => {
      const fields = parseTemplateBody(body, true);
      const now = new Date().toISOString();
      const template: TemplateRecord = {
        id: randomUUID(),
        app_id: app.id,
        name: fields.name as string,
        channel: fields.channel ?? 'push',
        content: contentPatch(body),
        created_at: now,
        updated_at: now,
      };
      app.templates.set(template.id, template);
      return ok(whole(template));
    },
  },
  {
    id: 'update_template',
    method: 'PATCH',
    path: '/templates/:template_id',
    auth: 'app',
    handler: ({ app, params, body }) => {
      const template = templateOf(app, params.template_id);
      const fields = parseTemplateBody(body, false);
      if (fields.name !== undefined) template.name = fields.name;
      if (fields.channel !== undefined) template.channel = fields.channel;
      template.content = { ...template.content, ...contentPatch(body) };
      template.updated_at = new Date().toISOString();
      return ok(whole(template));
    },
  },
  {
    id: 'delete_template',
    method: 'DELETE',
    path: '/templates/:template_id',
    auth: 'app',
    handler: ({ app, params }) => {
      const template = templateOf(app, params.template_id);
      app.templates.delete(template.id);
      return ok({ success: true });
    },
  },
  {
    id: 'copy_template_to_app',
    method: 'POST',
    path: '/templates/:template_id/copy_to_app',
    // The organization API key (user auth key): the copy spans two apps.
    auth: 'user',
    handler: ({ store, params, query, body }) => {
      const appOf = (id: unknown, what: string) => {
        if (typeof id !== 'string' || id === '') throw fail(400, `${what} is required`);
        if (!isUuid(id)) throw fail(400, `${what} '${id}' is not a valid UUID`);
        const app = store.apps.get(id);
        if (!app) throw fail(400, `${what} not found: no app with id '${id}'`);
        return app;
      };
      const source = appOf(query.get('app_id') ?? undefined, 'app_id');
      const target = appOf(body.target_app_id, 'target_app_id');
      const original = templateOf(source, params.template_id);
      const now = new Date().toISOString();
      const copy: TemplateRecord = {
        ...original,
        id: randomUUID(),
        app_id: target.id,
        content: structuredClone(original.content),
        created_at: now,
        updated_at: now,
      };
      target.templates.set(copy.id, copy);
      return ok(whole(copy));
    },
  },
];
