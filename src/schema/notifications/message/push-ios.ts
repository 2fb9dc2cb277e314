/**
 * iOS push settings: `push.ios` on a send and on a notification (Apple devices through APNs).
 * The badge names keep v1.2.2's `ios_badgeType`/`ios_badgeCount`, which the current API still takes.
 */
import { builder } from '../../builder.js';
import { defineGroup } from './group.js';
import { known } from './push-common.js';

export const IosBadgeTypeEnum = builder.enumType('IosBadgeType', {
  description: "What a notification does to the app icon's badge number, with `badgeCount`.",
  values: {
    NONE: { value: 'None', description: 'Leaves the badge as it is.' },
    SET_TO: { value: 'SetTo', description: 'Sets the badge to `badgeCount`.' },
    INCREASE: {
      value: 'Increase',
      description: 'Adds `badgeCount` to the badge (a negative count lowers it).',
    },
  } as const,
});

export const IosInterruptionLevelEnum = builder.enumType('IosInterruptionLevel', {
  description: 'How urgently iOS 15+ presents the notification, including during Focus modes.',
  values: {
    ACTIVE: {
      value: 'active',
      description: 'Sound and screen wake as usual; held back by Focus (the default).',
    },
    PASSIVE: { value: 'passive', description: 'Silent, straight to the notification list.' },
    TIME_SENSITIVE: {
      value: 'time-sensitive',
      description: 'Breaks through Focus and scheduled summaries; needs the Time Sensitive capability.',
    },
    CRITICAL: {
      value: 'critical',
      description: 'Breaks through Focus and the mute switch; needs Apple’s critical-alerts entitlement.',
    },
  } as const,
});

export const ApnsPushTypeEnum = builder.enumType('ApnsPushType', {
  description:
    "APNs' push type header, when it must be set by hand. OneSignal sets `alert` and `background` itself.",
  values: {
    VOIP: { value: 'voip', description: 'A VoIP call notification (PushKit).' },
  } as const,
});

export const IosPush = defineGroup({
  name: 'IosPush',
  description: 'Settings for Apple iOS devices.',
  leaves: {
    attachments: {
      wire: 'ios_attachments',
      input: 'JSONObject',
      description:
        'Media to attach, iOS 10+: an object of id → image, audio or video URL (or a file bundled with the app). Shown on a long press.',
      toWire: (value, path, problems) => {
        const media = value as Record<string, unknown>;
        if (Object.values(media).some((v) => typeof v !== 'string'))
          problems.push({ path, message: 'each attachment must be a URL or file name (a string).' });
        return media;
      },
      sample: { input: { hero: 'https://cdn.example/hero.jpg' } },
    },
    sound: {
      wire: 'ios_sound',
      input: 'String',
      description: 'A sound file bundled with the app (`ping.wav`) instead of the default sound.',
      sample: { input: 'ping.wav' },
    },
    badgeType: {
      wire: 'ios_badgeType',
      input: IosBadgeTypeEnum,
      description: "What to do to the app icon's badge: nothing, set it, or add to it.",
      fromWire: known('None', 'SetTo', 'Increase'),
      sample: { input: 'SET_TO', wire: 'SetTo' },
    },
    badgeCount: {
      wire: 'ios_badgeCount',
      input: 'Int',
      description:
        'The badge number to set, or to add with `badgeType: INCREASE` (negative to lower it). Needs a `badgeType` other than NONE.',
      sample: { input: 1, with: { badgeType: 'INCREASE' } },
    },
    category: {
      wire: 'ios_category',
      input: 'String',
      description:
        'The notification category the app registered (its action buttons); on iOS 10+ it picks the content extension with that id.',
      sample: { input: 'calendar' },
    },
    threadId: {
      wire: 'thread_id',
      input: 'String',
      description: 'iOS 12+: notifications with the same thread id are grouped together.',
      sample: { input: 'chat-7' },
    },
    summaryArg: {
      wire: 'summary_arg',
      input: 'String',
      description:
        'iOS 12+, with `threadId`: who or what the group is from, shown as "… more notifications from <summaryArg>".',
      sample: { input: 'Ada' },
    },
    summaryArgCount: {
      wire: 'summary_arg_count',
      input: 'NonNegativeInt',
      description:
        'iOS 12+, with `threadId`: how many items this notification adds to the group summary’s count.',
      sample: { input: 2 },
    },
    targetContentIdentifier: {
      wire: 'target_content_identifier',
      input: 'String',
      description: 'iOS 13+: the App Clip experience or app window (scene) the notification is for.',
      sample: { input: 'window-2' },
    },
    interruptionLevel: {
      wire: 'ios_interruption_level',
      input: IosInterruptionLevelEnum,
      description: 'iOS 15+: how urgently it is presented, including during Focus modes.',
      fromWire: known('active', 'passive', 'time-sensitive', 'critical'),
      sample: { input: 'TIME_SENSITIVE', wire: 'time-sensitive' },
    },
    relevanceScore: {
      wire: 'ios_relevance_score',
      input: 'Float',
      description: 'iOS 15+: from 0 to 1, how prominent it is in the notification summary (1 the most).',
      sample: { input: 0.5 },
    },
    apnsAlert: {
      wire: 'apns_alert',
      input: 'JSONObject',
      description:
        "Keys for APNs' `alert` object, such as `loc-key` and `loc-args`, for texts the app localizes itself.",
      sample: { input: { 'loc-key': 'GAME_INVITE', 'loc-args': ['Ada'] } },
    },
    pushType: {
      wire: 'apns_push_type_override',
      input: ApnsPushTypeEnum,
      description: "Sets APNs' push type header; VOIP is the only value OneSignal takes.",
      fromWire: known('voip'),
      sample: { input: 'VOIP', wire: 'voip' },
    },
  },
  validate(value, path, problems) {
    if (value.badgeCount != null && (value.badgeType == null || value.badgeType === 'None'))
      problems.push({
        path: [...path, 'badgeCount'],
        message: 'needs badgeType SET_TO or INCREASE.',
      });
    const score = value.relevanceScore;
    if (typeof score === 'number' && (score < 0 || score > 1))
      problems.push({ path: [...path, 'relevanceScore'], message: 'must be from 0 to 1.' });
  },
});
