/**
 * Amazon Fire push settings (ADM): `push.amazon` on a send and on a notification. Android-like,
 * with `adm_` wire names.
 */

import type { LocalizedText } from '../localized-text.js';
import { LocalizedTextInput, LocalizedTextRef, localized, localizedMap } from '../localized-text.js';
import { defineGroup } from './group.js';

export const AmazonPush = defineGroup({
  name: 'AmazonPush',
  description: 'Settings for Amazon Fire devices (ADM).',
  leaves: {
    smallIcon: {
      wire: 'adm_small_icon',
      input: 'String',
      description:
        'The status-bar icon: a drawable resource name. A bell, or `ic_stat_onesignal_default` when the app has it, when omitted.',
      sample: { input: 'ic_stat_shop' },
    },
    largeIcon: {
      wire: 'adm_large_icon',
      input: 'String',
      description:
        'The icon beside the text: a drawable resource name or an image URL; `smallIcon` when omitted.',
      sample: { input: 'https://cdn.example/large.png' },
    },
    bigPicture: {
      wire: 'adm_big_picture',
      input: 'String',
      description: 'The image of the expanded notification: a drawable resource name or an image URL.',
      sample: { input: 'https://cdn.example/big.png' },
    },
    sound: {
      wire: 'adm_sound',
      input: 'String',
      description:
        'A sound resource in the app, without extension (`chime`). Fire OS on Android 7 and older.',
      sample: { input: 'chime' },
    },
    group: {
      wire: 'adm_group',
      input: 'String',
      description: 'A key: notifications with the same group are stacked together.',
      sample: { input: 'orders' },
    },
    groupMessage: {
      wire: 'adm_group_message',
      input: [LocalizedTextInput],
      output: [LocalizedTextRef],
      description:
        'The summary of a stack of 2 or more, per language (English required); `$[notif_count]` becomes their number.',
      toWire: (value, path, problems) => localizedMap(value as LocalizedText[], path, problems, true),
      fromWire: (value) =>
        value && typeof value === 'object' ? localized(value as Record<string, unknown>) : null,
      sample: {
        input: [{ language: 'en', text: '$[notif_count] new orders' }],
        wire: { en: '$[notif_count] new orders' },
      },
    },
  },
});
