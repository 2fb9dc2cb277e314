import type { FieldProblem } from '../core/errors.js';
import { ValidationError } from '../core/errors.js';
import { APP_REF_DESCRIPTION, isUuid, parseAppRef } from '../core/ids.js';
import type { WireStartLiveActivityBody } from '../onesignal/index.js';
import { builder } from './builder.js';
import { mutationResult, UPSTREAM_ERRORS } from './error-types.js';
import { type LocalizedText, LocalizedTextInput, localizedMap } from './notifications/localized-text.js';
import { NotificationRef } from './notifications/types.js';
import { type NotificationTargetShape, pushTargetModes, targetBody } from './targeting.js';
import { toUnix } from './time.js';
import { orNull, upstream } from './upstream-errors.js';

/** Push-to-start (iOS 17.2+): OneSignal starts a Live Activity on the targeted devices (start_live_activity). */

export const LiveActivityTargetInput = builder.inputType('LiveActivityTargetInput', {
  description:
    'Which devices a push-to-start reaches: exactly one targeting mode. Only iOS push subscriptions can run a Live Activity.',
  isOneOf: true,
  fields: (t) => pushTargetModes(t),
});

const LiveActivityPriorityEnum = builder.enumType('LiveActivityPriority', {
  description: 'The APNs priority of a Live Activity push. Apple budgets HIGH pushes per hour; mix both.',
  values: {
    NORMAL: { value: 5, description: 'Priority 5: delivered when the device sees fit.' },
    HIGH: {
      value: 10,
      description: 'Priority 10: delivered at once, counted against Apple’s hourly budget.',
    },
  } as const,
});

interface StartedShape {
  appId: string;
  activityId: string;
  notificationId: string | null;
}

const LiveActivityStartPayloadRef = builder.objectRef<StartedShape>('LiveActivityStartPayload').implement({
  description: 'The push-to-start OneSignal sent: the new activity and the notification that carried it.',
  fields: (t) => ({
    activityId: t.exposeString('activityId', {
      description: 'The id you gave the activity; `liveActivityUpdate` names it to update or end it.',
    }),
    notificationId: t.field({
      type: 'UUID',
      nullable: true,
      description:
        'OneSignal id of the notification carrying the push-to-start; null when OneSignal returned none.',
      resolve: (p) => p.notificationId,
    }),
    notification: t.field({
      type: NotificationRef,
      nullable: true,
      description: 'The notification carrying the push-to-start (one read, only when selected).',
      resolve: (p, _args, ctx) =>
        p.notificationId
          ? orNull(ctx.loaders.notification.load({ appId: p.appId, id: p.notificationId }))
          : null,
    }),
  }),
});

/** Swift type names: what `activityType` must match (the app's ActivityAttributes struct). */
const ACTIVITY_TYPE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const MAX_NAME_CHARS = 128;

interface StartInput {
  appId: string | number;
  activityType: string;
  activityId: string;
  name: string;
  attributes: Record<string, unknown>;
  contentState: Record<string, unknown>;
  contents: LocalizedText[];
  headings: LocalizedText[];
  target: NotificationTargetShape;
  staleAt?: Date | null;
  priority?: 5 | 10 | null;
  relevanceScore?: number | null;
  idempotencyKey?: string | null;
}

builder.mutationFields((t) => ({
  liveActivityStart: t.fieldWithInput({
    authScopes: { 'notifications:send': true },
    description:
      'Starts a Live Activity remotely (push-to-start, iOS 17.2+) on the devices the target reaches (start_live_activity). Then update or end it with `liveActivityUpdate`.',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      activityType: t.input.string({
        required: true,
        description:
          'The activity type: the name of the ActivityAttributes struct in your app, e.g. `OrderStatusAttributes`.',
      }),
      activityId: t.input.string({
        required: true,
        description:
          'Your id for the new activity (a UUID is a good choice); `liveActivityUpdate` names it later.',
      }),
      name: t.input.string({
        required: true,
        description: `Internal name of the message, never shown to recipients (at most ${MAX_NAME_CHARS} characters).`,
      }),
      attributes: t.input.field({
        type: 'JSONObject',
        required: true,
        description: "The activity's static attributes, matching your app's ActivityAttributes.",
      }),
      contentState: t.input.field({
        type: 'JSONObject',
        required: true,
        description: "The activity's initial content, matching your app's ActivityAttributes.ContentState.",
      }),
      contents: t.input.field({
        type: [LocalizedTextInput],
        required: true,
        description: 'The alert text shown as the activity starts, per language; English required.',
      }),
      headings: t.input.field({
        type: [LocalizedTextInput],
        required: true,
        description: 'The alert title, per language: the same languages as `contents`.',
      }),
      target: t.input.field({
        type: LiveActivityTargetInput,
        required: true,
        description: 'Who gets the activity: exactly one targeting mode.',
      }),
      staleAt: t.input.field({
        type: 'DateTime',
        description: 'When the activity turns stale if no update arrived (ActivityState.stale).',
      }),
      priority: t.input.field({
        type: LiveActivityPriorityEnum,
        description: 'APNs priority; OneSignal’s default when left out.',
      }),
      relevanceScore: t.input.float({
        description: 'From 0 to 1: with several activities, the highest shows in the Dynamic Island.',
      }),
      idempotencyKey: t.input.field({
        type: 'UUID',
        description: 'Makes a repeat within 30 days answer with the first start instead of starting again.',
      }),
    },
    type: LiveActivityStartPayloadRef,
    typeOptions: {
      description:
        'Input of `liveActivityStart`: the app, the activity type and id, its attributes and content, the alert and the target.',
    },
    errors: mutationResult(
      'liveActivityStart',
      UPSTREAM_ERRORS,
      'What `liveActivityStart` returns: the started activity, or a `ValidationError`, `NotFoundError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(String(input.appId), ['input', 'appId']);
      const body = toStartBody(input as StartInput);
      const result = await upstream(ctx.client.liveActivities.start(appId, input.activityType, body));
      const id = result?.notification_id;
      return {
        appId,
        activityId: body.activity_id,
        notificationId: typeof id === 'string' && isUuid(id) ? id.toLowerCase() : null,
      };
    },
  }),
}));

/** Validates the whole input (every problem, with its path, at once) into the start body. */
function toStartBody(input: StartInput): WireStartLiveActivityBody {
  const problems: FieldProblem[] = [];
  const at = (...path: string[]) => ['input', ...path];
  if (!ACTIVITY_TYPE.test(input.activityType))
    problems.push({
      path: at('activityType'),
      message: 'must be the Swift name of your ActivityAttributes type.',
    });
  const activityId = input.activityId.trim();
  if (!activityId || activityId.length > 256)
    problems.push({ path: at('activityId'), message: 'must be 1–256 characters.' });
  if (!input.name.trim() || input.name.length > MAX_NAME_CHARS)
    problems.push({ path: at('name'), message: `must be 1–${MAX_NAME_CHARS} characters.` });
  if (Object.keys(input.contentState).length === 0)
    problems.push({ path: at('contentState'), message: 'give the initial content state.' });
  const contents = localizedMap(input.contents, at('contents'), problems, true);
  const headings = localizedMap(input.headings, at('headings'), problems, true);
  const missing = Object.keys(contents).filter((l) => headings[l] === undefined);
  if (input.headings.length && missing.length)
    problems.push({
      path: at('headings'),
      message: `give the same languages as contents (missing: ${missing.join(', ')}).`,
    });
  if (input.relevanceScore != null && !(input.relevanceScore >= 0 && input.relevanceScore <= 1))
    problems.push({ path: at('relevanceScore'), message: 'must be between 0 and 1.' });
  if (input.staleAt && input.staleAt.getTime() <= Date.now())
    problems.push({ path: at('staleAt'), message: 'must be in the future.' });
  const target = targetBody(input.target, null, { target: at('target'), channel: at('target') }, problems, [
    'segments',
    'filters',
    'aliases',
    'subscriptionIds',
  ]);
  // Push-to-start reaches iOS push subscriptions only; OneSignal's start body has no channel field.
  delete target.target_channel;
  if (problems.length) throw new ValidationError(problems);
  return {
    event: 'start',
    activity_id: activityId,
    name: input.name,
    event_attributes: input.attributes,
    event_updates: input.contentState,
    contents,
    headings,
    ...target,
    ...(input.staleAt ? { stale_date: toUnix(input.staleAt) } : {}),
    ...(input.priority != null ? { priority: input.priority } : {}),
    ...(input.relevanceScore != null ? { ios_relevance_score: input.relevanceScore } : {}),
    ...(input.idempotencyKey ? { idempotency_key: input.idempotencyKey.toLowerCase() } : {}),
  };
}
