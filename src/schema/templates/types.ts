/**
 * The `Template` object: a message template of an app (OneSignal's current API), read whole with
 * view_template when a list only gave its summary. Fields returning templates live in queries.ts,
 * what create and update accept in mutations.ts.
 */
import { appScopedId, parseLocalId } from '../../core/ids.js';
import type { LoadedTemplate } from '../../loaders/templates.js';
import { AppRef, belongingApp } from '../apps.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { LocalizedTextRef, localized } from '../notifications/localized-text.js';
import { fromIso } from '../time.js';
import { orNull, upstream } from '../upstream-errors.js';

export const TemplateRef = builder.objectRef<LoadedTemplate>('Template');

export const TemplateChannelEnum = builder.enumType('TemplateChannel', {
  description: 'The channel a template writes messages for.',
  values: {
    PUSH: { value: 'push', description: 'Push notifications.' },
    EMAIL: { value: 'email', description: 'Email; the template has a subject and an HTML body.' },
    SMS: { value: 'sms', description: 'SMS.' },
  } as const,
});

/** The template with its content: list answers carry summaries only, so those read `view_template`. */
async function whole(t: LoadedTemplate, ctx: Context): Promise<LoadedTemplate> {
  if (t.content) return t;
  return upstream(ctx.loaders.template.load({ appId: t.app_id.toLowerCase(), id: t.id.toLowerCase() }));
}

const contentOf = async (t: LoadedTemplate, ctx: Context) => (await whole(t, ctx)).content ?? {};
const textOf = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

builder.node(TemplateRef, {
  description:
    'A message template of an app: content a send can name instead of its own (`NotificationCreateInput.templateId`).',
  authScopes: { 'notifications:read': true },
  id: { resolve: (t) => appScopedId(t.app_id, t.id), parse: (local) => parseLocalId(local, 'Template') },
  loadMany: (keys, ctx) => keys.map((key) => orNull(ctx.loaders.template.load(key))),
  fields: (t) => ({
    oneSignalId: t.field({
      type: 'UUID',
      description: 'The template id as OneSignal shows it (the `template_id` of a send).',
      resolve: (tpl) => tpl.id,
    }),
    name: t.exposeString('name', { description: 'Name of the template in the dashboard.' }),
    channel: t.field({
      type: TemplateChannelEnum,
      nullable: true,
      description: 'The channel the template is for; null when OneSignal does not say.',
      resolve: async (tpl, _a, ctx) => tpl.channel ?? (await whole(tpl, ctx)).channel ?? null,
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the template was created.',
      resolve: (tpl) => fromIso(tpl.created_at),
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the template last changed.',
      resolve: (tpl) => fromIso(tpl.updated_at),
    }),
    contents: t.field({
      type: [LocalizedTextRef],
      description:
        'The message body in each language. Read with `view_template` when the template came from a list.',
      resolve: async (tpl, _a, ctx) => localized((await contentOf(tpl, ctx)).contents),
    }),
    headings: t.field({
      type: [LocalizedTextRef],
      description: 'The title in each language (push).',
      resolve: async (tpl, _a, ctx) => localized((await contentOf(tpl, ctx)).headings),
    }),
    subtitles: t.field({
      type: [LocalizedTextRef],
      description: 'The iOS subtitle in each language (push).',
      resolve: async (tpl, _a, ctx) => localized((await contentOf(tpl, ctx)).subtitle),
    }),
    emailSubject: t.string({
      nullable: true,
      description: 'Subject line of an email template; null for other channels.',
      resolve: async (tpl, _a, ctx) => textOf((await contentOf(tpl, ctx)).email_subject),
    }),
    emailBody: t.string({
      nullable: true,
      description: 'HTML body of an email template; null for other channels.',
      resolve: async (tpl, _a, ctx) => textOf((await contentOf(tpl, ctx)).email_body),
    }),
    app: t.field({
      type: AppRef,
      description: 'The app the template belongs to.',
      resolve: (tpl, _a, ctx, info) => belongingApp(ctx, tpl.app_id, info),
    }),
  }),
});
