/**
 * Android push settings: `push.android` on a send and on a notification. Firebase-delivered Android
 * only (Huawei and Amazon devices have their own groups). Several of these (sound, LED color,
 * visibility) are ignored from Android 8 on, where the notification channel decides them.
 */
import type { FieldProblem } from '../../../core/errors.js';
import { builder } from '../../builder.js';
import { argbColor, defineGroup, type WireRecord } from './group.js';
import { known, PushVisibilityEnum } from './push-common.js';

interface BackgroundLayout {
  image?: string | null;
  headingsColor?: string | null;
  contentsColor?: string | null;
}

const BackgroundLayoutInput = builder.inputType('AndroidBackgroundLayoutInput', {
  description: 'A background image behind the notification, with the colors of its title and text.',
  fields: (t) => ({
    image: t.string({ description: 'The image: a URL, an app asset or an Android resource name.' }),
    headingsColor: t.string({
      description: 'Title color: ARGB hex (`FFFF0000`); `#RRGGBB` and `RRGGBB` are taken as opaque.',
    }),
    contentsColor: t.string({
      description: 'Text color: ARGB hex (`FFFF0000`); `#RRGGBB` and `RRGGBB` are taken as opaque.',
    }),
  }),
});

const BackgroundLayoutRef = builder.objectRef<BackgroundLayout>('AndroidBackgroundLayout').implement({
  description: 'A background image behind the notification, with the colors of its title and text.',
  fields: (t) => ({
    image: t.string({
      nullable: true,
      description: 'The image: a URL, an app asset or an Android resource name.',
      resolve: (l) => l.image ?? null,
    }),
    headingsColor: t.string({
      nullable: true,
      description: 'Title color, ARGB hex as OneSignal returns it.',
      resolve: (l) => l.headingsColor ?? null,
    }),
    contentsColor: t.string({
      nullable: true,
      description: 'Text color, ARGB hex as OneSignal returns it.',
      resolve: (l) => l.contentsColor ?? null,
    }),
  }),
});

function backgroundLayoutToWire(value: unknown, path: string[], problems: FieldProblem[]) {
  const layout = value as BackgroundLayout;
  const wire: WireRecord = {};
  if (layout.image != null) wire.image = layout.image;
  if (layout.headingsColor != null)
    wire.headings_color = argbColor(layout.headingsColor, [...path, 'headingsColor'], problems);
  if (layout.contentsColor != null)
    wire.contents_color = argbColor(layout.contentsColor, [...path, 'contentsColor'], problems);
  return wire;
}

function backgroundLayoutFromWire(value: unknown): BackgroundLayout | null {
  if (!value || typeof value !== 'object') return null;
  const wire = value as WireRecord;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    image: text(wire.image),
    headingsColor: text(wire.headings_color),
    contentsColor: text(wire.contents_color),
  };
}

const COLOR_FORMAT = 'ARGB hex (`FFFF0000`); `#RRGGBB` and `RRGGBB` are sent as opaque (`FF` alpha).';

export const AndroidPush = defineGroup({
  name: 'AndroidPush',
  description: 'Settings for Android devices (Firebase).',
  leaves: {
    channelId: {
      wire: 'android_channel_id',
      input: 'String',
      description:
        'The id of a notification channel (category) created in OneSignal’s dashboard, Android 8+; it sets sound, vibration and importance.',
      sample: { input: 'e8d3c1a0-0000-4000-8000-000000000001' },
    },
    existingChannelId: {
      wire: 'existing_android_channel_id',
      input: 'String',
      description: 'The id of a notification channel the app itself created in code, Android 8+.',
      sample: { input: 'orders' },
    },
    smallIcon: {
      wire: 'small_icon',
      input: 'String',
      description:
        'The status-bar icon: a drawable resource name in the app. A bell, or `ic_stat_onesignal_default` when the app has it, when omitted.',
      sample: { input: 'ic_stat_shop' },
    },
    largeIcon: {
      wire: 'large_icon',
      input: 'String',
      description: 'The icon beside the text: a drawable resource name or an image URL.',
      sample: { input: 'https://cdn.example/large.png' },
    },
    bigPicture: {
      wire: 'big_picture',
      input: 'String',
      description: 'The image of the expanded notification: a drawable resource name or an image URL.',
      sample: { input: 'https://cdn.example/big.png' },
    },
    sound: {
      wire: 'android_sound',
      input: 'String',
      description:
        'A sound resource in the app, without extension (`chime`). Android 7 and older; from Android 8 on the channel decides.',
      sample: { input: 'chime' },
    },
    ledColor: {
      wire: 'android_led_color',
      input: 'String',
      description: `The LED color, on devices that have one: ${COLOR_FORMAT} Android 7 and older.`,
      toWire: argbColor,
      sample: { input: 'FF0000FF' },
    },
    accentColor: {
      wire: 'android_accent_color',
      input: 'String',
      description: `The color of the small-icon circle, Android 5+: ${COLOR_FORMAT}`,
      toWire: argbColor,
      sample: { input: 'FFFF0000' },
    },
    visibility: {
      wire: 'android_visibility',
      input: PushVisibilityEnum,
      description: 'What shows on a locked screen. Android 5–7; from Android 8 on the channel decides.',
      fromWire: known(1, 0, -1),
      sample: { input: 'PRIVATE', wire: 0 },
    },
    group: {
      wire: 'android_group',
      input: 'String',
      description: 'A key: notifications with the same group are stacked together.',
      sample: { input: 'orders' },
    },
    groupMessage: {
      wire: 'android_group_message',
      input: 'String',
      description:
        'The summary of a stack of 2 or more, Android 6 and older; `$[notif_count]` becomes their number. "# new messages" when omitted.',
      sample: { input: 'You have $[notif_count] new orders' },
    },
    backgroundLayout: {
      wire: 'android_background_layout',
      input: BackgroundLayoutInput,
      output: BackgroundLayoutRef,
      description: 'A background image with title and text colors.',
      toWire: backgroundLayoutToWire,
      fromWire: backgroundLayoutFromWire,
      sample: {
        input: { image: 'https://cdn.example/bg.png', headingsColor: 'FF000000', contentsColor: 'FFFFFFFF' },
        wire: { image: 'https://cdn.example/bg.png', headings_color: 'FF000000', contents_color: 'FFFFFFFF' },
      },
    },
  },
});
