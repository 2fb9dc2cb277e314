/**
 * Huawei push settings: `push.huawei` on a send and on a notification (Huawei devices through HMS
 * Push Kit). Like Android's, with Huawei's own message type, category and badge fields. Its colors
 * are RGB, not Android's ARGB: OneSignal documents `0000FF` for the LED and `#9900FF` for the accent.
 */
import type { FieldProblem } from '../../../core/errors.js';
import { builder } from '../../builder.js';
import { defineGroup } from './group.js';
import { known, PushVisibilityEnum } from './push-common.js';

export const HuaweiMessageTypeEnum = builder.enumType('HuaweiMessageType', {
  description: 'Whether Huawei shows the notification itself or hands it to the app.',
  values: {
    MESSAGE: { value: 'message', description: 'A notification the system displays.' },
    DATA: { value: 'data', description: 'A data message the app handles itself.' },
  } as const,
});

/** Huawei's message classes (OneSignal's SDK names them so); each class has its own quota rules. */
const HUAWEI_CATEGORIES = {
  IM: 'Instant messages between people.',
  VOIP: 'Voice and video calls.',
  SUBSCRIPTION: 'Content the user subscribed to.',
  TRAVEL: 'Travel updates such as flights and bookings.',
  HEALTH: 'Health and fitness reminders.',
  WORK: 'Work items such as tasks and schedules.',
  ACCOUNT: 'Account changes and security notices.',
  EXPRESS: 'Parcel and delivery updates.',
  FINANCE: 'Payments and transactions.',
  DEVICE_REMINDER: 'Reminders about the device itself.',
  MAIL: 'New email.',
  MARKETING: 'Promotions and other marketing.',
} as const;

export const HuaweiCategoryEnum = builder.enumType('HuaweiCategory', {
  description:
    'The class Huawei files the message under, which decides how it may be shown and how many a day get through.',
  values: Object.fromEntries(
    Object.entries(HUAWEI_CATEGORIES).map(([name, description]) => [name, { value: name, description }]),
  ) as Record<keyof typeof HUAWEI_CATEGORIES, { value: keyof typeof HUAWEI_CATEGORIES; description: string }>,
});

/** An RGB color as OneSignal documents it for Huawei: `RRGGBB`, or `#RRGGBB` when `hash`. */
const rgbColor = (hash: boolean) => (value: unknown, path: string[], problems: FieldProblem[]) => {
  const hex = String(value).replace(/^#/, '');
  if (/^[0-9a-f]{6}$/i.test(hex)) return `${hash ? '#' : ''}${hex.toUpperCase()}`;
  problems.push({ path, message: 'must be an RGB hex color, e.g. "0000FF" or "#0000FF".' });
  return undefined;
};

export const HuaweiPush = defineGroup({
  name: 'HuaweiPush',
  description: 'Settings for Huawei devices (HMS Push Kit).',
  leaves: {
    channelId: {
      wire: 'huawei_channel_id',
      input: 'String',
      description: 'The id of a notification channel (category) created in OneSignal’s dashboard.',
      sample: { input: 'e8d3c1a0-0000-4000-8000-000000000002' },
    },
    existingChannelId: {
      wire: 'huawei_existing_channel_id',
      input: 'String',
      description: 'The id of a notification channel the app itself created in code.',
      sample: { input: 'orders' },
    },
    smallIcon: {
      wire: 'huawei_small_icon',
      input: 'String',
      description:
        'The status-bar icon, as an Android resource path (`/drawable/small_icon`); the app icon when omitted.',
      sample: { input: '/drawable/ic_stat_shop' },
    },
    largeIcon: {
      wire: 'huawei_large_icon',
      input: 'String',
      description: 'The icon beside the text: a drawable resource name or an image URL.',
      sample: { input: 'https://cdn.example/large.png' },
    },
    bigPicture: {
      wire: 'huawei_big_picture',
      input: 'String',
      description: 'The image of the expanded notification: a drawable resource name or an image URL.',
      sample: { input: 'https://cdn.example/big.png' },
    },
    sound: {
      wire: 'huawei_sound',
      input: 'String',
      description:
        'A sound resource’s full path, without extension (`/res/raw/chime`). EMUI 5 and older; newer ones use the channel’s.',
      sample: { input: '/res/raw/chime' },
    },
    ledColor: {
      wire: 'huawei_led_color',
      input: 'String',
      description: 'The LED color as RGB hex (`0000FF`; `#` optional). EMUI 5 and older.',
      toWire: rgbColor(false),
      sample: { input: '0000FF' },
    },
    accentColor: {
      wire: 'huawei_accent_color',
      input: 'String',
      description:
        'The color of action buttons and the group count, as RGB hex (`#9900FF`; `#` optional); the theme’s when omitted.',
      toWire: rgbColor(true),
      sample: { input: '#9900FF' },
    },
    visibility: {
      wire: 'huawei_visibility',
      input: PushVisibilityEnum,
      description: 'What shows on a locked screen. EMUI 5 and older.',
      fromWire: known(1, 0, -1),
      sample: { input: 'SECRET', wire: -1 },
    },
    messageType: {
      wire: 'huawei_msg_type',
      input: HuaweiMessageTypeEnum,
      description: 'A notification Huawei displays (MESSAGE) or a data message for the app (DATA).',
      fromWire: known('message', 'data'),
      sample: { input: 'DATA', wire: 'data' },
    },
    category: {
      wire: 'huawei_category',
      input: HuaweiCategoryEnum,
      description: 'The class Huawei files the message under; it decides display and daily quotas.',
      fromWire: known(...Object.keys(HUAWEI_CATEGORIES)),
      sample: { input: 'MARKETING' },
    },
    biTag: {
      wire: 'huawei_bi_tag',
      input: 'String',
      description: 'A tag Huawei’s delivery receipts and statistics report the message under.',
      sample: { input: 'spring-sale' },
    },
    badgeClass: {
      wire: 'huawei_badge_class',
      input: 'String',
      description:
        'The app’s launcher activity, fully qualified (`com.shop.MainActivity`): whose icon badge `badgeAddNum`/`badgeSetNum` change.',
      sample: { input: 'com.shop.MainActivity' },
    },
    badgeAddNum: {
      wire: 'huawei_badge_add_num',
      input: 'NonNegativeInt',
      description: 'With `badgeClass`: how much to add to the app icon’s badge.',
      sample: { input: 1 },
    },
    badgeSetNum: {
      wire: 'huawei_badge_set_num',
      input: 'NonNegativeInt',
      description: 'With `badgeClass`: the number to set the app icon’s badge to.',
      sample: { input: 5 },
    },
  },
});
