/**
 * The closed sets of OneSignal's Journeys API (beta), each value mapped to its wire name. Outputs
 * resolve a value this API does not know yet (a beta API may add some) to null instead of failing.
 */
import { builder } from '../builder.js';

const BETA = 'OneSignal marks the Journeys API as beta: new values may appear.';

export const JourneyStateEnum = builder.enumType('JourneyState', {
  description: `Where a journey is in its life. ${BETA}`,
  values: {
    DRAFT: {
      value: 'draft',
      description: 'Being edited; nobody enters. Every journey is created as a draft.',
    },
    SCHEDULED: { value: 'scheduled', description: 'Activates at `schedule.startAt`.' },
    PROCESSING: { value: 'processing', description: 'Activation in progress (transient).' },
    ACTIVE: { value: 'active', description: 'Running: users enter and move through it.' },
    ARCHIVED: {
      value: 'archived',
      description: 'Stopped for good: readable, never editable or resumable again.',
    },
  } as const,
});

export const JourneyTargetStateEnum = builder.enumType('JourneyTargetState', {
  description: 'A state `journeyUpdate` can move a journey to.',
  values: {
    DRAFT: {
      value: 'draft',
      description: 'Back to draft: only scheduled or processing journeys can return.',
    },
    SCHEDULED: { value: 'scheduled', description: 'Activate later, at a future `schedule.startAt`.' },
    ACTIVE: { value: 'active', description: 'Activate now (OneSignal enqueues it; `startedAt` follows).' },
    ARCHIVED: { value: 'archived', description: 'Stop it permanently; its data stays readable.' },
  } as const,
});

export const JourneyNodeKindEnum = builder.enumType('JourneyNodeKind', {
  description: `What a journey node does; it selects which of the node's fields apply. ${BETA}`,
  values: {
    WAIT: { value: 'wait', description: 'Holds users for `durationSeconds`.' },
    TIME_WINDOW: { value: 'time_window', description: 'Holds users until one of its `windows` opens.' },
    SEND_PUSH: { value: 'send_push', description: 'Sends a push from a template (`templateId`).' },
    SEND_EMAIL: { value: 'send_email', description: 'Sends an email from a template (`templateId`).' },
    SEND_SMS: { value: 'send_sms', description: 'Sends an SMS from a template (`templateId`).' },
    SEND_IAM: { value: 'send_iam', description: 'Shows an in-app message (`inAppMessageId`).' },
    SEND_WEBHOOK: { value: 'send_webhook', description: 'Calls a webhook (`webhookId`).' },
    TAG: { value: 'tag', description: 'Sets or removes tags (`tagAssignments`).' },
    SPLIT_RANGE: {
      value: 'split_range',
      description: 'Splits users over 2–20 weighted branches (weights sum to 100).',
    },
    YES_NO: {
      value: 'yes_no',
      description: 'Two branches: users matching the first branch’s condition, and the rest.',
    },
    WAIT_UNTIL: {
      value: 'wait_until',
      description: 'Waits until a branch condition holds (1–10 branches), or `expiration`.',
    },
  } as const,
});

export const JourneyAudienceKindEnum = builder.enumType('JourneyAudienceKind', {
  description: 'How users enter a journey.',
  values: {
    SEGMENT: { value: 'segment', description: 'Users of the included segments, minus the excluded ones.' },
    EVENT_TRIGGER: { value: 'event_trigger', description: 'Users who send the custom event `eventName`.' },
  } as const,
});

export const JourneyConditionKindEnum = builder.enumType('JourneyConditionKind', {
  description: 'What a branch condition checks.',
  values: {
    SEGMENT_MEMBERSHIP: { value: 'segment_membership', description: 'Membership of segments.' },
    ON_NOTIFICATION_ACTION: {
      value: 'on_notification_action',
      description: 'What the user did with a message an earlier node sent.',
    },
    EVENT_TRIGGER: { value: 'event_trigger', description: 'A custom event the user sends.' },
  } as const,
});

export const JourneyNotificationActionEnum = builder.enumType('JourneyNotificationAction', {
  description: "A user's action on a message a journey sent; which apply depends on its channel.",
  values: {
    RECEIVED: { value: 'received', description: 'The message was received.' },
    CLICKED: { value: 'clicked', description: 'The message was clicked.' },
    OPENED: { value: 'opened', description: 'The message was opened.' },
  } as const,
});

export const JourneyTimeAnchorEnum = builder.enumType('JourneyTimeAnchor', {
  description: 'What a TIME_WINDOW node times its hold by.',
  values: {
    SCHEDULE_IN_TIMEZONE: {
      value: 'schedule_in_timezone',
      description: 'The node’s `windows`, in the user’s or the node’s time zone.',
    },
    LAST_ACTIVE_TIME: { value: 'last_active_time', description: 'The user’s last active time (no windows).' },
  } as const,
});

export const JourneyEventOperatorEnum = builder.enumType('JourneyEventOperator', {
  description: 'How an event property is compared.',
  values: {
    EQUAL: { value: 'equal', description: 'Equals `value`.' },
    NOT_EQUAL: { value: 'not_equal', description: 'Differs from `value`.' },
    LESS: { value: 'less', description: 'Less than `value`.' },
    LESS_OR_EQUAL: { value: 'less_or_equal', description: 'At most `value`.' },
    GREATER_OR_EQUAL: { value: 'greater_or_equal', description: 'At least `value`.' },
    GREATER: { value: 'greater', description: 'Greater than `value`.' },
    IS: { value: 'is', description: 'Is `value` (booleans).' },
    IS_NOT: { value: 'is_not', description: 'Is not `value` (booleans).' },
    EXISTS: { value: 'exists', description: 'The property is present (no `value`).' },
    NOT_EXISTS: { value: 'not_exists', description: 'The property is absent (no `value`).' },
    BEFORE: { value: 'before', description: 'A time before `value`.' },
    AFTER: { value: 'after', description: 'A time after `value`.' },
  } as const,
});

/** A wire value if `known` lists it, else null (a value a beta API added since). */
export function known<T extends string>(known: readonly T[], value: unknown): T | null {
  return typeof value === 'string' && (known as readonly string[]).includes(value) ? (value as T) : null;
}

export const NODE_KINDS = [
  'wait',
  'time_window',
  'send_push',
  'send_email',
  'send_sms',
  'send_iam',
  'send_webhook',
  'tag',
  'split_range',
  'yes_no',
  'wait_until',
] as const;
export const STATES = ['draft', 'scheduled', 'processing', 'active', 'archived'] as const;
export const OPERATORS = [
  'equal',
  'not_equal',
  'less',
  'less_or_equal',
  'greater_or_equal',
  'greater',
  'is',
  'is_not',
  'exists',
  'not_exists',
  'before',
  'after',
] as const;

/** The fields of a wire object a type leaves untyped, handed on as JSON; null when there are none. */
export function extraOf(wire: object, typed: readonly string[]): Record<string, unknown> | null {
  const rest = Object.entries(wire).filter(([k, v]) => !typed.includes(k) && v !== undefined);
  return rest.length ? Object.fromEntries(rest) : null;
}
