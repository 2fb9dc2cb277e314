/**
 * What `notificationCreate` accepts (`NotificationCreateInput`'s fields) and the one place its
 * GraphQL names meet create_notification's wire names: validation collects every problem before
 * any upstream call. The target, the channel and their checks come from ../targeting.ts, shared
 * with the recipient estimate; texts per language from localized-text.ts, shared with templates.
 */
import { type FieldProblem, ValidationError } from '../../core/errors.js';
import { APP_REF_DESCRIPTION } from '../../core/ids.js';
import type { WireCreateNotificationBody } from '../../onesignal/index.js';
import type { builder } from '../builder.js';
import {
  NotificationTargetInput,
  type NotificationTargetShape,
  resolveChannel,
  type TargetChannel,
  TargetChannelEnum,
  targetBody,
} from '../targeting.js';
import { type LocalizedText, LocalizedTextInput, localizedMap } from './localized-text.js';
import { jsonBytes } from './message/group.js';
import { CHANNEL_GROUPS, MESSAGE_GROUPS } from './message/index.js';

/** OneSignal: `data` "can use up to 2048 bytes". */
const MAX_DATA_BYTES = 2048;
/** OneSignal: `custom_data` takes up to 2,048 bytes of JSON for push and SMS, 10,000 for email. */
const MAX_CUSTOM_DATA_BYTES = { push: 2048, email: 10_000 } as const;

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type InputBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;

/** The fields of `NotificationCreateInput`, in the order the schema lists them. */
export const notificationCreateInputFields = (t: InputBuilder) => ({
  appId: t.id({ required: true, description: APP_REF_DESCRIPTION }),
  contents: t.field({
    type: [LocalizedTextInput],
    description: 'The message body per language; English is required. Needed unless `templateId` is given.',
  }),
  headings: t.field({
    type: [LocalizedTextInput],
    description: 'The title per language; English is required when given.',
  }),
  subtitles: t.field({ type: [LocalizedTextInput], description: 'The iOS subtitle per language.' }),
  templateId: t.field({ type: 'UUID', description: 'A dashboard template to use for content.' }),
  name: t.string({
    description: 'Internal name, shown in the dashboard and exports (required by OneSignal for SMS).',
  }),
  channel: t.field({
    type: TargetChannelEnum,
    description:
      'The channel to send through: EMAIL with `target.emails`, SMS with `target.phoneNumbers`, PUSH otherwise when omitted.',
  }),
  target: t.field({
    type: NotificationTargetInput,
    required: true,
    description: 'Who receives the message: exactly one targeting mode.',
  }),
  url: t.field({ type: 'URL', description: 'URL opened when the notification is clicked.' }),
  data: t.field({
    type: 'JSONObject',
    description: `Custom data delivered to the app (push), up to ${MAX_DATA_BYTES} bytes as JSON.`,
  }),
  customData: t.field({
    type: 'JSONObject',
    description: `Personalization data for the message's Liquid tags (\`{{ message.custom_data.order_id }}\`): up to ${MAX_CUSTOM_DATA_BYTES.push} bytes as JSON for push and SMS, ${MAX_CUSTOM_DATA_BYTES.email} for email.`,
  }),
  ...Object.fromEntries(
    Object.entries(MESSAGE_GROUPS).map(([name, group]) => [
      name,
      t.field({ type: group.inputRef, description: group.spec.description }),
    ]),
  ),
  idempotencyKey: t.field({
    type: 'UUID',
    description:
      'Retrying with the same key within 30 days returns the first notification instead of sending twice.',
  }),
});

export interface NotificationCreateInputShape {
  appId: string;
  channel?: TargetChannel | null;
  target: NotificationTargetShape;
  contents?: LocalizedText[] | null;
  headings?: LocalizedText[] | null;
  subtitles?: LocalizedText[] | null;
  templateId?: string | null;
  name?: string | null;
  url?: URL | string | null;
  data?: Record<string, unknown> | null;
  customData?: Record<string, unknown> | null;
  idempotencyKey?: string | null;
  /** The message groups (push, email, sms, delivery), by field name. */
  [group: string]: unknown;
}

/** Validates the whole input (collecting every problem, before any upstream call) and builds create_notification's body. */
export function toCreateNotificationBody(input: NotificationCreateInputShape): WireCreateNotificationBody {
  const problems: FieldProblem[] = [];
  const body: Record<string, unknown> = {};
  const channel = resolveChannel(input.target, input.channel);

  if (input.contents) body.contents = localizedMap(input.contents, ['input', 'contents'], problems, true);
  if (input.headings) body.headings = localizedMap(input.headings, ['input', 'headings'], problems, true);
  if (input.subtitles) body.subtitle = localizedMap(input.subtitles, ['input', 'subtitles'], problems, false);
  if (input.templateId) body.template_id = input.templateId;
  if (input.name != null) {
    if (!input.name.trim()) problems.push({ path: ['input', 'name'], message: 'must not be empty.' });
    body.name = input.name;
  }
  Object.assign(
    body,
    targetBody(
      input.target,
      input.channel,
      { target: ['input', 'target'], channel: ['input', 'channel'] },
      problems,
    ),
  );
  if (input.url) body.url = String(input.url);
  if (input.data) {
    if (jsonBytes(input.data) > MAX_DATA_BYTES)
      problems.push({ path: ['input', 'data'], message: `must be at most ${MAX_DATA_BYTES} bytes as JSON.` });
    body.data = input.data;
  }
  if (input.customData) {
    const max = MAX_CUSTOM_DATA_BYTES[channel === 'email' ? 'email' : 'push'];
    if (jsonBytes(input.customData) > max)
      problems.push({
        path: ['input', 'customData'],
        message: `must be at most ${max} bytes as JSON for ${channel === 'email' ? 'email' : 'push and SMS'}.`,
      });
    body.custom_data = input.customData;
  }
  for (const [name, group] of Object.entries(MESSAGE_GROUPS)) {
    const value = input[name];
    if (value && typeof value === 'object')
      group.toWire(value as Record<string, unknown>, ['input', name], problems, body);
  }
  for (const [name, { channel: only }] of Object.entries(CHANNEL_GROUPS)) {
    if (input[name] != null && only !== channel)
      problems.push({
        path: ['input', name],
        message: `only applies to ${only.toUpperCase()} messages (channel is ${channel.toUpperCase()}).`,
      });
  }
  checkContent(input, channel, body, problems);
  if (input.idempotencyKey) body.idempotency_key = input.idempotencyKey;

  if (problems.length) throw new ValidationError(problems);
  return body as WireCreateNotificationBody;
}

/** What each channel needs to have something to send. */
function checkContent(
  input: NotificationCreateInputShape,
  channel: string,
  body: Record<string, unknown>,
  problems: FieldProblem[],
) {
  if (input.templateId) return;
  if (channel === 'email') {
    for (const [field, wire] of [
      ['subject', 'email_subject'],
      ['body', 'email_body'],
    ] as const) {
      if (!String(body[wire] ?? '').trim())
        problems.push({
          path: ['input', 'email', field],
          message: 'required for EMAIL unless templateId is given.',
        });
    }
    return;
  }
  if (!input.contents)
    problems.push({ path: ['input', 'contents'], message: 'a notification needs contents or a templateId.' });
  if (channel === 'sms' && !input.name?.trim())
    problems.push({
      path: ['input', 'name'],
      message: 'required for SMS (OneSignal shows it in the dashboard).',
    });
}
