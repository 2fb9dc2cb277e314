/**
 * `templateCreate`, `templateUpdate`, `templateDelete` and `templateCopy`, with their payloads.
 * What create and update accept, and their wire body, live in input.ts.
 */
import { assertMayAccessApps } from '../../auth/restrict.js';
import { ValidationError } from '../../core/errors.js';
import { type AppScopedKey, encodeNodeId, parseAppRef, parseNodeId } from '../../core/ids.js';
import type { LoadedTemplate } from '../../loaders/templates.js';
import { templateSnapshot } from '../../onesignal/templates.js';
import { AppRef, requireApp } from '../apps.js';
import { builder } from '../builder.js';
import { mutationResult, UPSTREAM_ERRORS } from '../error-types.js';
import { upstream } from '../upstream-errors.js';
import {
  type TemplateInputShape,
  templateCreateInputFields,
  templateUpdateInputFields,
  toTemplateBody,
} from './input.js';
import { TemplateRef } from './types.js';

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

const withApp = (appId: string, template: { id: string } & object) =>
  ({ ...template, app_id: appId }) as LoadedTemplate;

builder.mutationFields((t) => ({
  templateCreate: t.fieldWithInput({
    authScopes: { 'templates:write': true },
    description: 'Creates a message template (needs the app REST API key).',
    type: TemplateCreatePayload,
    input: templateCreateInputFields(t.input),
    typeOptions: { description: 'Input of `templateCreate`.' },
    errors: mutationResult('templateCreate', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const body = toTemplateBody(input as TemplateInputShape, true);
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
    input: templateUpdateInputFields(t.input),
    typeOptions: { description: 'Input of `templateUpdate`.' },
    errors: mutationResult('templateUpdate', UPSTREAM_ERRORS),
    resolve: async (_root, { input }, ctx) => {
      const key = parseNodeId(input.id, 'Template', ['input', 'id']);
      const body = toTemplateBody(input as TemplateInputShape, false);
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
