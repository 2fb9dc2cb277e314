import { ValidationError } from '../core/errors.js';
import { APP_REF_DESCRIPTION, isUuid, parseAppRef, parseNodeId } from '../core/ids.js';
import type { WireUpdateLiveActivityBody } from '../onesignal/index.js';
import { builder } from './builder.js';
import { mutationResult, UPSTREAM_ERRORS } from './error-types.js';
import { NotificationRef } from './notifications/types.js';
import { SubscriptionRef } from './subscriptions/types.js';
import { toUnix } from './time.js';
import { orNull, upstream } from './upstream-errors.js';

// ---------------------------------------------------------------------------------------------------
// Enums

export const LiveActivityEventEnum = builder.enumType('LiveActivityEvent', {
  description: 'What an update does to a Live Activity.',
  values: {
    UPDATE: { value: 'update', description: 'Changes the content of the activity.' },
    END: { value: 'end', description: 'Ends the activity; `dismissAt` says when it leaves the lock screen.' },
  } as const,
});

export const LiveActivityUpdateNameEnum = builder.enumType('LiveActivityUpdateName', {
  description: 'Which part of a Live Activity notification an update sets (OneSignal `name`).',
  values: {
    HEADINGS: { value: 'headings', description: 'The headings of the alert shown with the update.' },
    CONTENTS: { value: 'contents', description: 'The contents of the alert shown with the update.' },
    IOS_SOUND: { value: 'ios_sound', description: 'The sound played with the update.' },
    PRIORITY_LEVEL: { value: 'priority_level', description: 'The APNs priority of the update.' },
  } as const,
});

// ---------------------------------------------------------------------------------------------------
// Payloads

interface LiveActivityTokenShape {
  activityId: string;
  appId: string;
  subscriptionId: string;
}

const LiveActivityTokenPayloadRef = builder
  .objectRef<LiveActivityTokenShape>('LiveActivityTokenPayload')
  .implement({
    description:
      'A subscription that joined or left a Live Activity (legacy `liveActivityBegin` and `liveActivityEnd`).',
    fields: (t) => ({
      activityId: t.exposeString('activityId', { description: 'The Live Activity id.' }),
      subscription: t.field({
        type: SubscriptionRef,
        nullable: true,
        description: 'The subscription (two reads, only when selected); null when it no longer exists.',
        resolve: (p, _args, ctx) =>
          orNull(ctx.loaders.subscription.load({ appId: p.appId, id: p.subscriptionId })),
      }),
    }),
  });

interface LiveActivityUpdateShape {
  appId: string;
  activityId: string;
  notificationId: string | null;
}

const LiveActivityUpdatePayloadRef = builder
  .objectRef<LiveActivityUpdateShape>('LiveActivityUpdatePayload')
  .implement({
    description: 'The push OneSignal sent for a Live Activity update.',
    fields: (t) => ({
      activityId: t.exposeString('activityId', { description: 'The Live Activity id.' }),
      notificationId: t.field({
        type: 'UUID',
        nullable: true,
        description:
          'OneSignal id of the notification carrying the update; null when OneSignal sent none (no subscriber).',
        resolve: (p) => p.notificationId,
      }),
      notification: t.field({
        type: NotificationRef,
        nullable: true,
        description: 'The notification carrying the update, when OneSignal can read it back.',
        resolve: (p, _args, ctx) =>
          p.notificationId
            ? orNull(ctx.loaders.notification.load({ appId: p.appId, id: p.notificationId }))
            : null,
      }),
    }),
  });

// ---------------------------------------------------------------------------------------------------
// Mutations

/**
 * begin_live_activity and end_live_activity are v1.2.2 endpoints: neither OneSignal's current
 * reference nor its current Node SDK (onesignal-node-v5, which has only start and update) lists them.
 * They stay for apps on that flow, described as legacy, with what replaced them.
 */
const LEGACY =
  "Legacy: OneSignal API v1.2.2's token endpoint, absent from OneSignal's current reference and SDK. Today OneSignal's iOS SDK registers an activity's token from the app, an activity is started remotely with push-to-start (`liveActivityStart`) and changed or ended with `liveActivityUpdate`; kept for apps still on the older flow.";

const ACTIVITY_ID_DESCRIPTION = 'The Live Activity id your app chose when it started the activity.';

function validateActivityId(activityId: string, path: string[]): string {
  const trimmed = activityId.trim();
  if (!trimmed) throw ValidationError.field(path, 'must not be empty.');
  if (trimmed.length > 256) throw ValidationError.field(path, 'must be at most 256 characters.');
  return trimmed;
}

builder.mutationFields((t) => ({
  liveActivityBegin: t.fieldWithInput({
    authScopes: { 'notifications:send': true },
    description: `Registers a subscription's Live Activity push token so updates reach it (begin_live_activity). ${LEGACY}`,
    input: {
      activityId: t.input.string({ required: true, description: ACTIVITY_ID_DESCRIPTION }),
      subscriptionId: t.input.id({
        required: true,
        description: 'The iOS subscription running the activity (`Subscription.id`).',
      }),
      pushToken: t.input.string({
        required: true,
        description: 'The APNs push token of the activity (hex), from ActivityKit.',
      }),
    },
    type: LiveActivityTokenPayloadRef,
    typeOptions: {
      description:
        'Input of `liveActivityBegin` (legacy): the activity id, the subscription and its push token.',
    },
    errors: mutationResult(
      'liveActivityBegin',
      UPSTREAM_ERRORS,
      'What `liveActivityBegin` returns: the activity and the registered subscription, or a `ValidationError`, `NotFoundError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const activityId = validateActivityId(input.activityId, ['input', 'activityId']);
      const sub = parseNodeId(input.subscriptionId, 'Subscription', ['input', 'subscriptionId']);
      const pushToken = input.pushToken.trim();
      if (!/^[0-9a-fA-F]{16,}$/.test(pushToken))
        throw ValidationError.field(
          ['input', 'pushToken'],
          'must be the hexadecimal APNs token of the activity.',
        );
      await upstream(
        ctx.client.liveActivities.begin(sub.appId, activityId, {
          push_token: pushToken,
          subscription_id: sub.id,
        }),
      );
      return { activityId, appId: sub.appId, subscriptionId: sub.id };
    },
  }),
  liveActivityUpdate: t.fieldWithInput({
    authScopes: { 'notifications:send': true },
    description:
      'Updates or ends a Live Activity on every subscription registered for it (update_live_activity).',
    input: {
      appId: t.input.id({ required: true, description: APP_REF_DESCRIPTION }),
      activityId: t.input.string({ required: true, description: ACTIVITY_ID_DESCRIPTION }),
      event: t.input.field({
        type: LiveActivityEventEnum,
        required: true,
        description: 'Update the activity or end it.',
      }),
      name: t.input.field({
        type: LiveActivityUpdateNameEnum,
        required: true,
        description: 'Which part of the notification the update sets.',
      }),
      eventUpdates: t.input.field({
        type: 'JSONObject',
        required: true,
        description: "The activity's new content state, matching your app's ActivityAttributes.ContentState.",
      }),
      dismissAt: t.input.field({
        type: 'DateTime',
        description: 'With END: when the ended activity leaves the lock screen.',
      }),
    },
    type: LiveActivityUpdatePayloadRef,
    typeOptions: {
      description:
        'Input of `liveActivityUpdate`: the app, the activity id, the event and the new content state.',
    },
    errors: mutationResult(
      'liveActivityUpdate',
      UPSTREAM_ERRORS,
      'What `liveActivityUpdate` returns: the activity and the notification carrying the update, or a `ValidationError`, `NotFoundError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const appId = parseAppRef(input.appId, ['input', 'appId']);
      const activityId = validateActivityId(input.activityId, ['input', 'activityId']);
      const body = toUpdateBody(input);
      const result = await upstream(ctx.client.liveActivities.update(appId, activityId, body));
      const notificationId =
        typeof result?.notification_id === 'string' && isUuid(result.notification_id)
          ? result.notification_id
          : null;
      return { appId, activityId, notificationId };
    },
  }),
  liveActivityEnd: t.fieldWithInput({
    authScopes: { 'notifications:send': true },
    description: `Unregisters a subscription from a Live Activity so it gets no more updates (end_live_activity). ${LEGACY}`,
    input: {
      activityId: t.input.string({ required: true, description: ACTIVITY_ID_DESCRIPTION }),
      subscriptionId: t.input.id({
        required: true,
        description: 'The subscription to unregister (`Subscription.id`).',
      }),
    },
    type: LiveActivityTokenPayloadRef,
    typeOptions: {
      description: 'Input of `liveActivityEnd` (legacy): the activity id and the subscription to unregister.',
    },
    errors: mutationResult(
      'liveActivityEnd',
      UPSTREAM_ERRORS,
      'What `liveActivityEnd` returns: the activity and the unregistered subscription, or a `ValidationError`, `NotFoundError`, `RateLimitedError` or `UpstreamError`.',
    ),
    resolve: async (_root, { input }, ctx) => {
      const activityId = validateActivityId(input.activityId, ['input', 'activityId']);
      const sub = parseNodeId(input.subscriptionId, 'Subscription', ['input', 'subscriptionId']);
      await upstream(ctx.client.liveActivities.end(sub.appId, activityId, sub.id));
      return { activityId, appId: sub.appId, subscriptionId: sub.id };
    },
  }),
}));

// ---------------------------------------------------------------------------------------------------
// Input → wire body mappers

function toUpdateBody(input: {
  event: 'update' | 'end';
  name: WireUpdateLiveActivityBody['name'];
  eventUpdates: Record<string, unknown>;
  dismissAt?: Date | null;
}): WireUpdateLiveActivityBody {
  if (input.dismissAt && input.event !== 'end')
    throw ValidationError.field(['input', 'dismissAt'], 'is only allowed with event END.');
  if (Object.keys(input.eventUpdates).length === 0 && input.event === 'update') {
    throw ValidationError.field(['input', 'eventUpdates'], 'an UPDATE needs the new content state.');
  }
  return {
    name: input.name,
    event: input.event,
    event_updates: input.eventUpdates,
    ...(input.dismissAt ? { dismiss_at: toUnix(input.dismissAt) } : {}),
  };
}
