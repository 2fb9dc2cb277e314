import { type FieldProblem, ValidationError } from '../core/errors.js';
import type { WireEstimateRecipientsBody, WireRecipientEstimate } from '../onesignal/index.js';
import { AppRef } from './apps.js';
import { builder } from './builder.js';
import {
  NotificationTargetInput,
  type NotificationTargetShape,
  type TargetChannel,
  TargetChannelEnum,
  targetBody,
} from './targeting.js';
import { upstream } from './upstream-errors.js';

/**
 * The recipient estimate is a query field although OneSignal's verb is POST: it changes nothing,
 * answers the same until the audience changes, and belongs beside the other reads of an app (a
 * dashboard asks it with the segments it offers). As a mutation it would run serially and claim
 * a side effect it does not have.
 */

/**
 * OneSignal estimates segments, filters and aliases (EstimateNotificationRecipientsRequest has no
 * subscription ids, addresses or phone numbers): the other members are refused before any request.
 */
const ESTIMABLE = ['segments', 'filters', 'aliases'] as const;

const RecipientEstimateRef = builder.objectRef<WireRecipientEstimate>('RecipientEstimate').implement({
  description: 'How many subscriptions a send would reach now (estimate_notification_recipients).',
  fields: (t) => ({
    count: t.int({
      description: 'Subscriptions the targeting reaches.',
      resolve: (e) => e.count ?? 0,
    }),
    uncappedCount: t.int({
      nullable: true,
      description: 'The count before OneSignal capped the estimate; null when OneSignal does not say.',
      resolve: (e) => e.uncapped_count ?? null,
    }),
    capApplied: t.boolean({
      nullable: true,
      description: 'Whether `count` is capped.',
      resolve: (e) => e.cap_applied ?? null,
    }),
    mobileSuppressed: t.boolean({
      nullable: true,
      description: 'Whether mobile push subscriptions were left out of the count.',
      resolve: (e) => e.mobile_suppressed ?? null,
    }),
    mobileExcludedCount: t.int({
      nullable: true,
      description: 'Mobile push subscriptions left out of the count.',
      resolve: (e) => e.mobile_excluded_count ?? null,
    }),
  }),
});

builder.objectFields(AppRef, (t) => ({
  recipientEstimate: t.field({
    type: RecipientEstimateRef,
    skipTypeScopes: true,
    authScopes: { 'notifications:send': true },
    description:
      'How many subscriptions a notification with this targeting would reach, before sending it: one upstream request (a POST OneSignal does not cache), never a send.',
    args: {
      targeting: t.arg({
        type: NotificationTargetInput,
        required: true,
        description: `Who to count, as \`notificationCreate\`'s \`target\`: ${ESTIMABLE.join(', ')} (OneSignal estimates no other).`,
      }),
      channel: t.arg({
        type: TargetChannelEnum,
        description: 'The channel to count; PUSH when omitted.',
      }),
    },
    resolve: async (app, { targeting, channel }, ctx) =>
      upstream(
        ctx.client.notifications.estimate(
          app.id,
          toEstimateBody(targeting as NotificationTargetShape, channel as TargetChannel | null),
        ),
      ),
  }),
}));

/** The one place GraphQL names meet estimate_notification_recipients's wire names. */
function toEstimateBody(
  targeting: NotificationTargetShape,
  channel: TargetChannel | null,
): WireEstimateRecipientsBody {
  const problems: FieldProblem[] = [];
  // Reported under the arguments, not `input.target` as for a send.
  const body = targetBody(
    targeting,
    channel,
    { target: ['targeting'], channel: ['channel'] },
    problems,
    ESTIMABLE,
  );
  if (problems.length) throw new ValidationError(problems);
  return body as WireEstimateRecipientsBody;
}
