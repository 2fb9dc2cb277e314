/**
 * The `Template` object: a message template of an app (OneSignal's current API), read whole with
 * view_template when a list only gave its summary, with the message groups a template can hold.
 * Fields returning templates live in queries.ts, what create and update accept in input.ts.
 */
import { appScopedId, parseLocalId } from '../../core/ids.js';
import type { LoadedTemplate } from '../../loaders/templates.js';
import type { WireTemplateChannel } from '../../onesignal/index.js';
import { AppRef, belongingApp } from '../apps.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { LocalizedTextRef, localized } from '../notifications/localized-text.js';
import { type Group, MESSAGE_GROUPS, type WireRecord } from '../notifications/message/index.js';
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

/**
 * The message groups a template holds, by field name (the same on `Template` and on the create and
 * update inputs), each named after the one channel it goes with. OneSignal's create-template
 * reference takes every push property in a push template, every email property in an email template
 * and the SMS ones in an SMS template; it lists no scheduling and no audience, which a send chooses:
 * so `delivery` (when and how fast) and targeting (who) stay on `NotificationCreateInput` only.
 * Taken from the send's own table, so a group added there under one of these names shows up here.
 */
export const TEMPLATE_GROUPS: readonly (readonly [WireTemplateChannel, Group])[] = (
  ['push', 'email', 'sms'] as const
).flatMap((name) => {
  const group = MESSAGE_GROUPS[name];
  return group ? [[name, group] as const] : [];
});

/** The template with its content: list answers carry summaries only, so those read `view_template`. */
async function whole(t: LoadedTemplate, ctx: Context): Promise<LoadedTemplate> {
  if (t.content) return t;
  return upstream(ctx.loaders.template.load({ appId: t.app_id.toLowerCase(), id: t.id.toLowerCase() }));
}

const contentOf = async (t: LoadedTemplate, ctx: Context) => (await whole(t, ctx)).content ?? {};

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
    ...Object.fromEntries(
      TEMPLATE_GROUPS.map(([name, group]) => [
        name,
        t.field({
          type: group.outputRef,
          nullable: true,
          description: `${group.spec.description} As view_template returns it; null when it returned none of these fields.`,
          resolve: async (tpl, _a, ctx) => {
            const content = (await contentOf(tpl, ctx)) as WireRecord;
            return (group.present(content) ? content : null) as never;
          },
        }),
      ]),
    ),
    app: t.field({
      type: AppRef,
      description: 'The app the template belongs to.',
      resolve: (tpl, _a, ctx, info) => belongingApp(ctx, tpl.app_id, info),
    }),
  }),
});
