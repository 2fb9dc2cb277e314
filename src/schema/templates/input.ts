/**
 * What `templateCreate` and `templateUpdate` accept, and the one place their GraphQL names meet
 * create_template's and update_template's wire names. A template takes the send's texts per
 * language top-level and its channel's message group (`push`, `email`, `sms`: see TEMPLATE_GROUPS in
 * types.ts) from the send's own tables, so each field has the send's name, wire name and checks.
 * Validation collects every problem, with its path, before any upstream call.
 */
import { type FieldProblem, ValidationError } from '../../core/errors.js';
import { APP_REF_DESCRIPTION } from '../../core/ids.js';
import type { WireStringMap, WireTemplateBody, WireTemplateChannel } from '../../onesignal/index.js';
import type { builder } from '../builder.js';
import { type LocalizedText, LocalizedTextInput, localizedMap } from '../notifications/localized-text.js';
import { TEMPLATE_GROUPS, TemplateChannelEnum } from './types.js';

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type InputBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;

/**
 * OneSignal's CreateTemplateRequest/UpdateTemplateRequest: `email_bcc` takes "maximum 5 addresses"
 * on a template (a send documents no maximum).
 */
const MAX_TEMPLATE_BCC = 5;

/** One input field per template group, described for create or update. */
const groupFields = (t: InputBuilder, creating: boolean) =>
  Object.fromEntries(
    TEMPLATE_GROUPS.map(([name, group]) => [
      name,
      t.field({
        type: group.inputRef,
        description: creating
          ? group.spec.description
          : `${group.spec.description} Only the fields given change; the others stay. Checked against \`channel\` when it is given (OneSignal keeps the template's channel otherwise).`,
      }),
    ]),
  );

/** The fields of `TemplateCreateInput`, in the order the schema lists them. */
export const templateCreateInputFields = (t: InputBuilder) => ({
  appId: t.id({ required: true, description: APP_REF_DESCRIPTION }),
  name: t.string({ required: true, description: 'Name of the template in the dashboard.' }),
  channel: t.field({
    type: TemplateChannelEnum,
    defaultValue: 'push',
    description:
      'The channel the template is for (default PUSH): its group (`push`, `email`, `sms`) goes with it.',
  }),
  contents: t.field({
    type: [LocalizedTextInput],
    required: true,
    description: 'The message body per language; English is required.',
  }),
  headings: t.field({ type: [LocalizedTextInput], description: 'The title per language (push).' }),
  subtitles: t.field({ type: [LocalizedTextInput], description: 'The iOS subtitle per language (push).' }),
  ...groupFields(t, true),
});

/** The fields of `TemplateUpdateInput`, in the order the schema lists them. */
export const templateUpdateInputFields = (t: InputBuilder) => ({
  id: t.id({ required: true, description: 'Global id of the template to change.' }),
  name: t.string({ description: 'New name.' }),
  channel: t.field({ type: TemplateChannelEnum, description: 'Move the template to this channel.' }),
  contents: t.field({
    type: [LocalizedTextInput],
    description: 'New message body per language; English is required.',
  }),
  headings: t.field({ type: [LocalizedTextInput], description: 'The title per language (push).' }),
  subtitles: t.field({ type: [LocalizedTextInput], description: 'The iOS subtitle per language (push).' }),
  ...groupFields(t, false),
});

export interface TemplateInputShape {
  name?: string | null;
  channel?: WireTemplateChannel | null;
  contents?: LocalizedText[] | null;
  headings?: LocalizedText[] | null;
  subtitles?: LocalizedText[] | null;
  /** The template groups (push, email, sms), by field name. */
  [group: string]: unknown;
}

/**
 * Validates a create/update input (every problem at once, before any upstream call) and builds the
 * wire body. On update without `channel` the template keeps its channel, which only a read would
 * tell: its groups are then not checked against it here, and OneSignal gets them as given.
 */
export function toTemplateBody(input: TemplateInputShape, creating: boolean): WireTemplateBody {
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

  const channel = input.channel ?? (creating ? 'push' : null);
  for (const [name, group] of TEMPLATE_GROUPS) {
    const value = input[name];
    if (value == null || typeof value !== 'object') continue;
    group.toWire(value as Record<string, unknown>, ['input', name], problems, body);
    if (channel && name !== channel)
      problems.push({
        path: ['input', name],
        message: `only applies to ${name.toUpperCase()} templates (channel is ${channel.toUpperCase()}).`,
      });
  }
  if (Array.isArray(body.email_bcc) && body.email_bcc.length > MAX_TEMPLATE_BCC)
    problems.push({
      path: ['input', 'email', 'bcc'],
      message: `at most ${MAX_TEMPLATE_BCC} addresses on a template (got ${body.email_bcc.length}).`,
    });

  // The channel is two flags on the wire; a push template is neither (the default on create).
  if (input.channel === 'email') {
    body.isEmail = true;
    if (creating)
      for (const [field, wire] of [
        ['subject', 'email_subject'],
        ['body', 'email_body'],
      ] as const)
        if (!String(body[wire] ?? '').trim())
          problems.push({ path: ['input', 'email', field], message: 'required for EMAIL templates.' });
  } else if (input.channel === 'sms') body.isSMS = true;
  else if (input.channel === 'push' && !creating) Object.assign(body, { isEmail: false, isSMS: false });

  if (!creating && Object.keys(body).length === 0)
    problems.push({ path: ['input'], message: 'give at least one field to change.' });
  if (problems.length) throw new ValidationError(problems);
  return body;
}
