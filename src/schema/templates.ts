import { assertMayAccessApps } from '../auth/restrict.js';
import { type FieldProblem, ValidationError } from '../core/errors.js';
import {
  APP_REF_DESCRIPTION,
  type AppScopedKey,
  appScopedId,
  encodeNodeId,
  parseAppRef,
  parseLocalId,
  parseNodeId,
} from '../core/ids.js';
import type { LoadedTemplate } from '../loaders/templates.js';
import type { WireStringMap, WireTemplateBody } from '../onesignal/index.js';
import { templateSnapshot } from '../onesignal/templates.js';
import { AppRef, belongingApp, registerAppFieldPrefetch, requireApp } from './apps.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { mutationResult, UPSTREAM_ERRORS } from './error-types.js';
import {
  type LocalizedText,
  LocalizedTextInput,
  LocalizedTextRef,
  localized,
  localizedMap,
} from './notifications/localized-text.js';
import { NotificationRef } from './notifications/types.js';
import { encodeCursor, offsetPage } from './pagination.js';
import { fromIso } from './time.js';
import { orNull, upstream } from './upstream-errors.js';

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

// --- Fields returning templates ---------------------------------------------------------------------

const TemplateConnectionRef = builder.connectionObject(
  { type: TemplateRef, name: 'TemplateConnection', description: 'A page of templates.' },
  { name: 'TemplateEdge', description: 'A template with its cursor.' },
);

/** OneSignal's page size for view_templates. It answers no total, so a page asks for one row more. */
const TEMPLATE_PAGE_SIZE = 50;
const TEMPLATE_FIRST_MAX = TEMPLATE_PAGE_SIZE - 1;

const templatePageKey = (appId: string, args: { first?: number | null; after?: string | null }) => {
  const page = offsetPage(args, { max: TEMPLATE_FIRST_MAX, path: ['templates'] });
  return { appId: appId.toLowerCase(), offset: page.offset, limit: page.limit + 1 };
};

registerAppFieldPrefetch('templates', (appId, args, ctx) => {
  ctx.loaders.templatePage.load(templatePageKey(appId, args)).catch(() => {});
});

builder.objectFields(AppRef, (t) => ({
  templates: t.field({
    type: TemplateConnectionRef,
    skipTypeScopes: true,
    authScopes: { 'notifications:read': true },
    description: `The app's message templates, oldest first; one page is one upstream request (at most ${TEMPLATE_FIRST_MAX} templates: OneSignal pages hold ${TEMPLATE_PAGE_SIZE} and report no total, so one more is read to learn whether another page follows).`,
    args: {
      first: t.arg.int({
        description: `How many templates to return, 1–${TEMPLATE_FIRST_MAX} (default ${TEMPLATE_FIRST_MAX}).`,
      }),
      after: t.arg.string({ description: 'Return templates after this cursor.' }),
    },
    resolve: async (app, args, ctx) => {
      const key = templatePageKey(app.id, args);
      const rows = await upstream(ctx.loaders.templatePage.load(key));
      const first = key.limit - 1;
      const edges = rows.slice(0, first).map((node, i) => ({ node, cursor: encodeCursor(key.offset + i) }));
      return {
        edges,
        pageInfo: {
          hasNextPage: rows.length > first,
          hasPreviousPage: key.offset > 0,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  }),
  template: t.field({
    type: TemplateRef,
    nullable: true,
    skipTypeScopes: true,
    authScopes: { 'notifications:read': true },
    description: 'One template of the app by its OneSignal id; null when it does not exist.',
    args: { id: t.arg({ type: 'UUID', required: true, description: 'The OneSignal template id.' }) },
    resolve: (app, { id }, ctx) =>
      orNull(ctx.loaders.template.load({ appId: app.id.toLowerCase(), id: id.toLowerCase() })),
  }),
}));

builder.objectField(NotificationRef, 'template', (t) =>
  t.field({
    type: TemplateRef,
    nullable: true,
    description:
      'The template the notification was sent with; null when it named none, or the template no longer exists.',
    resolve: (n, _a, ctx) => {
      const id = (n as { template_id?: unknown }).template_id;
      if (typeof id !== 'string' || !id) return null;
      return orNull(ctx.loaders.template.load({ appId: n.app_id.toLowerCase(), id: id.toLowerCase() }));
    },
  }),
);

// --- Mutations -------------------------------------------------------------------------------------

const TemplatePayload = (name: string, description: string, what: string) =>
  builder.simpleObject(name, {
    description,
    fields: (t) => ({ template: t.field({ type: TemplateRef, description: what }) }),
  });

/** What a create or update payload's `template` holds, and how long later reads are answered from it. */
const OWN_WRITE =
  "It is OneSignal's answer to the write (the whole template: name, channel, content, times; for a create answered without content, the content sent), with no read of OneSignal. Reads of it in the next few seconds are answered from it too; after that, from OneSignal's own view.";

const TemplateCreatePayload = TemplatePayload(
  'TemplateCreatePayload',
  `The result of \`templateCreate\`: the new template. ${OWN_WRITE}`,
  `The new template. ${OWN_WRITE}`,
);
const TemplateUpdatePayload = TemplatePayload(
  'TemplateUpdatePayload',
  `The result of \`templateUpdate\`: the template as it is now. ${OWN_WRITE}`,
  `The template as it is now. ${OWN_WRITE}`,
);
const TemplateCopyPayload = TemplatePayload(
  'TemplateCopyPayload',
  'The result of `templateCopy`.',
  'The copy: a new template, with its own id, in the target app.',
);

const TemplateDeletePayload = builder.simpleObject('TemplateDeletePayload', {
  description: 'The result of `templateDelete`.',
  fields: (t) => ({
    deletedTemplateId: t.id({
      description: 'Global id of the deleted template, to evict it from client caches.',
    }),
    app: t.field({ type: AppRef, description: 'The app the template belonged to.' }),
  }),
});

interface TemplateContentInput {
  name?: string | null;
  contents?: LocalizedText[] | null;
  headings?: LocalizedText[] | null;
  subtitles?: LocalizedText[] | null;
  emailSubject?: string | null;
  emailBody?: string | null;
  channel?: 'push' | 'email' | 'sms' | null;
}

/** Validates a create/update input (every problem at once, before any upstream call) and builds the wire body. */
function toTemplateBody(input: TemplateContentInput, creating: boolean): WireTemplateBody {
  const problems: FieldProblem[] = [];
  const body: WireTemplateBody = {};
  if (input.name != null) {
    if (!input.name.trim()) problems.push({ path: ['input', 'name'], message: 'must not be empty.' });
    body.name = input.name;
  }
  const maps = [
    ['contents', 'contents', true],
    ['headings', 'headings', false],
    ['subtitles', 'subtitle', false],
  ] as const;
  for (const [field, wire, english] of maps) {
    const list = input[field];
    if (list != null) body[wire] = localizedMap(list, ['input', field], problems, english) as WireStringMap;
  }
  if (input.emailSubject != null) body.email_subject = input.emailSubject;
  if (input.emailBody != null) body.email_body = input.emailBody;
  if (input.channel === 'email') {
    body.is_email = true;
    if (creating && !input.emailSubject?.trim())
      problems.push({ path: ['input', 'emailSubject'], message: 'required for EMAIL templates.' });
    if (creating && !input.emailBody?.trim())
      problems.push({ path: ['input', 'emailBody'], message: 'required for EMAIL templates.' });
  } else if (input.channel === 'sms') body.is_sms = true;
  if (!creating && Object.keys(body).length === 0)
    problems.push({ path: ['input'], message: 'give at least one field to change.' });
  if (problems.length) throw new ValidationError(problems);
  return body;
}

const withApp = (appId: string, template: { id: string } & object) =>
  ({ ...template, app_id: appId }) as LoadedTemplate;

builder.mutationFields((t) => ({
  templateCreate: t.fieldWithInput({
    authScopes: { 'templates:write': true },
    description: 'Creates a message template (needs the app REST API key).',
    type: TemplateCreatePayload,
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      name: t.input.string({ required: true, description: 'Name of the template in the dashboard.' }),
      channel: t.input.field({
        type: TemplateChannelEnum,
        defaultValue: 'push',
        description: 'The channel the template is for (default PUSH).',
      }),
      contents: t.input.field({
        type: [LocalizedTextInput],
        required: true,
        description: 'The message body per language; English is required.',
      }),
      headings: t.input.field({ type: [LocalizedTextInput], description: 'The title per language (push).' }),
      subtitles: t.input.field({
        type: [LocalizedTextInput],
        description: 'The iOS subtitle per language (push).',
      }),
      emailSubject: t.input.string({ description: 'Subject line (required for EMAIL templates).' }),
      emailBody: t.input.string({ description: 'HTML body (required for EMAIL templates).' }),
    },
    typeOptions: { description: 'Input of `templateCreate`.' },
    errors: mutationResult('templateCreate', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const body = toTemplateBody(input, true);
      const created = await upstream(
        ctx.client.templates.create(appId, { ...body, name: input.name, contents: body.contents ?? {} }),
      );
      ctx.loaders.templatePage.clearAll();
      // The answer, or the content sent where it leaves it out: no view_template to read it back.
      const template = withApp(appId, templateSnapshot(body, created, true) ?? created);
      ctx.loaders.template.prime({ appId, id: template.id.toLowerCase() }, template);
      return { template };
    },
  }),
  templateUpdate: t.fieldWithInput({
    authScopes: { 'templates:write': true },
    description:
      'Changes a template (needs the app REST API key): the given fields replace the stored ones, the others stay.',
    type: TemplateUpdatePayload,
    input: {
      id: t.input.id({ required: true, description: 'Global id of the template to change.' }),
      name: t.input.string({ description: 'New name.' }),
      channel: t.input.field({
        type: TemplateChannelEnum,
        description: 'Move the template to this channel.',
      }),
      contents: t.input.field({
        type: [LocalizedTextInput],
        description: 'New message body per language; English is required.',
      }),
      headings: t.input.field({ type: [LocalizedTextInput], description: 'The title per language (push).' }),
      subtitles: t.input.field({
        type: [LocalizedTextInput],
        description: 'The iOS subtitle per language (push).',
      }),
      emailSubject: t.input.string({ description: 'Subject line (EMAIL templates).' }),
      emailBody: t.input.string({ description: 'HTML body (EMAIL templates).' }),
    },
    typeOptions: { description: 'Input of `templateUpdate`.' },
    errors: mutationResult('templateUpdate', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Template', ['input', 'id']);
      const body = toTemplateBody(input, false);
      const updated = await upstream(ctx.client.templates.update(key.appId, key.id, body));
      ctx.loaders.templatePage.clearAll();
      const template = withApp(key.appId, templateSnapshot(body, updated, false) ?? updated);
      ctx.loaders.template.clear(key).prime(key, template);
      return { template };
    },
  }),
  templateDelete: t.fieldWithInput({
    authScopes: { 'templates:write': true },
    description: 'Deletes a template (needs the app REST API key).',
    type: TemplateDeletePayload,
    input: { id: t.input.id({ required: true, description: 'Global id of the template to delete.' }) },
    typeOptions: { description: 'Input of `templateDelete`.' },
    errors: mutationResult('templateDelete', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Template', ['input', 'id']);
      await upstream(ctx.client.templates.delete(key.appId, key.id));
      ctx.loaders.templatePage.clearAll();
      ctx.loaders.template.clear(key);
      const app = await requireApp(ctx, key.appId);
      return { deletedTemplateId: encodeNodeId('Template', key), app };
    },
  }),
  templateCopy: t.fieldWithInput({
    authScopes: { 'templates:write': true },
    description:
      'Copies a template into another app of the same organization: a new template with the same content (needs the user auth key, and access to both apps).',
    type: TemplateCopyPayload,
    input: {
      id: t.input.id({ required: true, description: 'Global id of the template to copy.' }),
      targetAppId: t.input.id({
        required: true,
        description: 'The app to copy it into: its `App.id` or its OneSignal app id.',
      }),
    },
    typeOptions: { description: 'Input of `templateCopy`.' },
    errors: mutationResult('templateCopy', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const key: AppScopedKey = parseNodeId(input.id, 'Template', ['input', 'id']);
      const target = parseAppRef(input.targetAppId, ['input', 'targetAppId']);
      if (target === key.appId)
        throw ValidationError.field(['input', 'targetAppId'], 'is the app the template is in already.');
      assertMayAccessApps(ctx.caller, [key.appId, target]);
      const copied = await upstream(ctx.client.templates.copy(key.appId, key.id, target));
      ctx.loaders.templatePage.clearAll();
      return { template: withApp(target, copied) };
    },
  }),
}));
