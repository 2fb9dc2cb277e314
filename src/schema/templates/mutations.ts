/**
 * `templateCreate`, `templateUpdate`, `templateDelete` and `templateCopy`, with their payloads.
 * What create and update accept, and their wire body, live in input.ts.
 */
import { assertMayAccessApps } from '../../auth/restrict.js';
import { type FieldProblem, ValidationError } from '../../core/errors.js';
import {
  APP_REF_DESCRIPTION,
  type AppScopedKey,
  encodeNodeId,
  parseAppRef,
  parseNodeId,
} from '../../core/ids.js';
import type { LoadedTemplate } from '../../loaders/templates.js';
import type { WireStringMap, WireTemplateBody } from '../../onesignal/index.js';
import { AppRef, requireApp } from '../apps.js';
import { builder } from '../builder.js';
import { mutationResult, UPSTREAM_ERRORS } from '../error-types.js';
import { type LocalizedText, LocalizedTextInput, localizedMap } from '../notifications/localized-text.js';
import { upstream } from '../upstream-errors.js';
import { TemplateChannelEnum, TemplateRef } from './types.js';

const TemplatePayload = (name: string, description: string, what: string) =>
  builder.simpleObject(name, {
    description,
    fields: (t) => ({ template: t.field({ type: TemplateRef, description: what }) }),
  });

const TemplateCreatePayload = TemplatePayload(
  'TemplateCreatePayload',
  'The result of `templateCreate`.',
  'The new template.',
);
const TemplateUpdatePayload = TemplatePayload(
  'TemplateUpdatePayload',
  'The result of `templateUpdate`.',
  'The template as it is now.',
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
      const template = withApp(appId, created);
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
      const template = withApp(key.appId, updated);
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
