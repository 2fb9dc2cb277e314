/**
 * What `notificationCreate` accepts (`NotificationCreateInput`'s fields) and the one place its
 * GraphQL names meet create_notification's wire names: validation collects every problem before
 * any upstream call. Targeting fields and their checks come from ../targeting.ts, shared with the
 * recipient estimate; texts per language from localized-text.ts, shared with templates.
 */
import { type FieldProblem, ValidationError } from '../../core/errors.js';
import { APP_REF_DESCRIPTION } from '../../core/ids.js';
import type { WireCreateNotificationBody } from '../../onesignal/index.js';
import { builder } from '../builder.js';
import {
  audienceInputFields,
  type NotificationTargetingShape,
  TargetChannelEnum,
  targetingBody,
} from '../targeting.js';
import { type LocalizedText, LocalizedTextInput, localizedMap } from './localized-text.js';

export const DelayedOptionEnum = builder.enumType('DelayedOption', {
  description: 'Per-recipient delivery timing, applied once `sendAfter` has passed.',
  values: {
    TIMEZONE: { value: 'timezone', description: "At `deliveryTimeOfDay` in each recipient's own time zone." },
    LAST_ACTIVE: {
      value: 'last-active',
      description: 'Intelligent delivery: at the time of day each recipient was last active.',
    },
  } as const,
});

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
  ...audienceInputFields(t),
  includeSubscriptionIds: t.field({
    type: ['UUID'],
    description: 'Target these subscriptions, 1–2000.',
  }),
  targetChannel: t.field({
    type: TargetChannelEnum,
    description: 'The channel to send through; PUSH when omitted.',
  }),
  url: t.field({ type: 'URL', description: 'URL opened when the notification is clicked.' }),
  data: t.field({
    type: 'JSONObject',
    description: 'Custom data delivered to the app, up to 2048 bytes as JSON.',
  }),
  sendAfter: t.field({
    type: 'DateTime',
    description: 'Schedule delivery for this time instead of now.',
  }),
  delayedOption: t.field({
    type: DelayedOptionEnum,
    description: 'Per-recipient timing once `sendAfter` has passed.',
  }),
  deliveryTimeOfDay: t.string({
    description: 'With `delayedOption: TIMEZONE`: local time of day, e.g. `9:00AM`.',
  }),
  emailSubject: t.string({ description: 'Subject line, for `targetChannel: EMAIL`.' }),
  emailBody: t.string({ description: 'HTML body, for `targetChannel: EMAIL`.' }),
  idempotencyKey: t.field({
    type: 'UUID',
    description:
      'Retrying with the same key within 30 days returns the first notification instead of sending twice.',
  }),
});

export interface NotificationCreateInputShape extends NotificationTargetingShape {
  appId: string;
  contents?: LocalizedText[] | null;
  headings?: LocalizedText[] | null;
  subtitles?: LocalizedText[] | null;
  templateId?: string | null;
  name?: string | null;
  url?: URL | string | null;
  data?: Record<string, unknown> | null;
  sendAfter?: Date | null;
  delayedOption?: 'timezone' | 'last-active' | null;
  deliveryTimeOfDay?: string | null;
  emailSubject?: string | null;
  emailBody?: string | null;
  idempotencyKey?: string | null;
}

/** Validates the whole input (collecting every problem, before any upstream call) and builds create_notification's body. */
export function toCreateNotificationBody(input: NotificationCreateInputShape): WireCreateNotificationBody {
  const problems: FieldProblem[] = [];
  const body: Record<string, unknown> = {};
  const channel = input.targetChannel ?? 'push';

  if (input.contents) body.contents = localizedMap(input.contents, ['input', 'contents'], problems, true);
  if (input.headings) body.headings = localizedMap(input.headings, ['input', 'headings'], problems, true);
  if (input.subtitles) body.subtitle = localizedMap(input.subtitles, ['input', 'subtitles'], problems, false);
  if (input.templateId) body.template_id = input.templateId;
  if (channel === 'email') {
    if (!input.templateId) {
      if (!input.emailSubject?.trim())
        problems.push({
          path: ['input', 'emailSubject'],
          message: 'required for EMAIL unless templateId is given.',
        });
      if (!input.emailBody?.trim())
        problems.push({
          path: ['input', 'emailBody'],
          message: 'required for EMAIL unless templateId is given.',
        });
    }
  } else if (!input.contents && !input.templateId) {
    problems.push({ path: ['input', 'contents'], message: 'a notification needs contents or a templateId.' });
  }
  if (input.emailSubject != null) body.email_subject = input.emailSubject;
  if (input.emailBody != null) body.email_body = input.emailBody;
  if (input.name != null) {
    if (!input.name.trim()) problems.push({ path: ['input', 'name'], message: 'must not be empty.' });
    body.name = input.name;
  }

  Object.assign(body, targetingBody(input, problems));
  if (input.url) body.url = String(input.url);
  if (input.data) {
    if (Buffer.byteLength(JSON.stringify(input.data)) > 2048)
      problems.push({ path: ['input', 'data'], message: 'must be at most 2048 bytes as JSON.' });
    body.data = input.data;
  }
  if (input.sendAfter) body.send_after = input.sendAfter.toISOString();
  if (input.delayedOption) body.delayed_option = input.delayedOption;
  if (input.deliveryTimeOfDay != null) {
    if (input.delayedOption !== 'timezone')
      problems.push({
        path: ['input', 'deliveryTimeOfDay'],
        message: 'only applies with delayedOption: TIMEZONE.',
      });
    else if (!/^(1[0-2]|0?[1-9]):[0-5]\d\s?(AM|PM)$/i.test(input.deliveryTimeOfDay)) {
      problems.push({ path: ['input', 'deliveryTimeOfDay'], message: 'must be a time like "9:00AM".' });
    }
    body.delivery_time_of_day = input.deliveryTimeOfDay;
  } else if (input.delayedOption === 'timezone') {
    problems.push({
      path: ['input', 'deliveryTimeOfDay'],
      message: 'required with delayedOption: TIMEZONE.',
    });
  }
  if (input.idempotencyKey) body.idempotency_key = input.idempotencyKey;

  if (problems.length) throw new ValidationError(problems);
  return body as WireCreateNotificationBody;
}
