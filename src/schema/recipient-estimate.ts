import { type FieldProblem, ValidationError } from '../core/errors.js';
import type { WireEstimateRecipientsBody, WireRecipientEstimate } from '../onesignal/index.js';
import { AppRef } from './apps.js';
import { builder } from './builder.js';
import {
  AliasTargetInput,
  type NotificationTargetingShape,
  TargetChannelEnum,
  targetingBody,
} from './notifications.js';
import { FilterInput } from './segments.js';
import { upstream } from './upstream-errors.js';

/**
 * The recipient estimate is a query field although OneSignal's verb is POST: it changes nothing,
 * answers the same until the audience changes, and belongs beside the other reads of an app (a
 * dashboard asks it with the segments it offers). As a mutation it would run serially and claim
 * a side effect it does not have.
 */

const NotificationTargetingInput = builder.inputType('NotificationTargetingInput', {
  description:
    'Who a notification would reach: the targeting fields of `notificationCreate` that OneSignal can estimate (segments, filters, aliases, channel).',
  fields: (t) => ({
    includedSegments: t.stringList({ description: 'Target the subscribers of these segments (by name).' }),
    excludedSegments: t.stringList({ description: 'Leave out the subscribers of these segments (by name).' }),
    filters: t.field({ type: [FilterInput], description: 'Target subscribers matching these conditions.' }),
    includeAliases: t.field({ type: AliasTargetInput, description: 'Target these users by alias.' }),
    targetChannel: t.field({
      type: TargetChannelEnum,
      description: 'The channel to count; PUSH when omitted.',
    }),
  }),
});

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
        type: NotificationTargetingInput,
        required: true,
        description: 'Who to count, as in `notificationCreate`.',
      }),
    },
    resolve: async (app, { targeting }, ctx) =>
      upstream(
        ctx.client.notifications.estimate(app.id, toEstimateBody(targeting as NotificationTargetingShape)),
      ),
  }),
}));

/** The one place GraphQL names meet estimate_notification_recipients's wire names. */
function toEstimateBody(targeting: NotificationTargetingShape): WireEstimateRecipientsBody {
  const problems: FieldProblem[] = [];
  const body = targetingBody(targeting, problems);
  // Reported under the argument, not `input` as for a send.
  if (problems.length)
    throw new ValidationError(problems.map((p) => ({ ...p, path: ['targeting', ...p.path.slice(1)] })));
  return body as WireEstimateRecipientsBody;
}
