/**
 * The push group of a message: `NotificationCreateInput.push` / `Notification.push`. Settings for
 * every push platform here, then one group per platform (push-ios.ts, push-android.ts, …). Sent only
 * with `channel: PUSH` (the send checks that, see ../input.ts).
 */
import type { FieldProblem } from '../../../core/errors.js';
import { builder } from '../../builder.js';
import { atMost, defineGroup, inRange, type WireRecord } from './group.js';
import { AmazonPush } from './push-amazon.js';
import { AndroidPush } from './push-android.js';
import { HuaweiPush } from './push-huawei.js';
import { IosPush } from './push-ios.js';
import { WebPush } from './push-web.js';
import { WindowsPush } from './push-windows.js';

/** OneSignal's limits: buttons on mobile, on web, a collapse id's length, TTL (28 days). */
const MAX_BUTTONS = 3;
const MAX_WEB_BUTTONS = 2;
const MAX_COLLAPSE_ID = 64;
const MAX_TTL_SECONDS = 2_419_200;

/** Each platform with the flag OneSignal selects it by (`isIos: true`), in the order the output lists them. */
const PLATFORMS = {
  IOS: { flag: 'isIos', description: 'Apple iOS apps.' },
  ANDROID: { flag: 'isAndroid', description: 'Android apps (Firebase).' },
  HUAWEI: { flag: 'isHuawei', description: 'Android apps on Huawei devices (HMS).' },
  ANY_WEB: {
    flag: 'isAnyWeb',
    description: 'Every browser: the same as CHROME_WEB, FIREFOX and SAFARI together.',
  },
  CHROME_WEB: {
    flag: 'isChromeWeb',
    description: 'Web push in Chrome (desktop and Android) and Chromium browsers.',
  },
  FIREFOX: { flag: 'isFirefox', description: 'Web push in Firefox on the desktop.' },
  SAFARI: { flag: 'isSafari', description: 'Web push in Safari on macOS (not iOS Safari).' },
  WINDOWS: { flag: 'isWP_WNS', description: 'Windows apps (WNS).' },
  AMAZON: { flag: 'isAdm', description: 'Amazon Fire apps (ADM).' },
  CHROME_APP: {
    flag: 'isChrome',
    description: 'Chrome Apps & Extensions (not web push; that is CHROME_WEB).',
  },
} as const;
type Platform = keyof typeof PLATFORMS;
const PLATFORM_FLAGS = Object.values(PLATFORMS).map((p) => p.flag);

export const PushPlatformEnum = builder.enumType('PushPlatform', {
  description: 'A push platform a message can be limited to.',
  values: Object.fromEntries(
    Object.entries(PLATFORMS).map(([name, { description }]) => [name, { description }]),
  ) as Record<Platform, { description: string }>,
});

export const PushPriorityEnum = builder.enumType('PushPriority', {
  description: 'How urgently the push service (FCM, APNs, web push) delivers the message.',
  values: {
    NORMAL: { value: 5, description: 'Normal: may wait while the device saves power.' },
    HIGH: { value: 10, description: 'High: delivered at once, waking an Android 6+ device from doze.' },
  } as const,
});

interface Button {
  id: string;
  text?: string | null;
  icon?: string | URL | null;
  url?: string | URL | null;
}

const PushButtonInput = builder.inputType('PushButtonInput', {
  description: 'An action button on a mobile notification (iOS 8+, Android 4.1+, Huawei, Amazon).',
  fields: (t) => ({
    id: t.string({ required: true, description: 'Which button was pressed, as the app receives it.' }),
    text: t.string({ description: 'The label.' }),
    icon: t.string({ description: 'An Android drawable resource name; iOS shows no button icons.' }),
  }),
});

const WebPushButtonInput = builder.inputType('WebPushButtonInput', {
  description: 'An action button on a web push notification (Chrome 48+ and Chromium browsers).',
  fields: (t) => ({
    id: t.string({ required: true, description: 'Which button was pressed, as the page receives it.' }),
    text: t.string({ description: 'The label.' }),
    icon: t.field({ type: 'URL', description: 'An image URL for the button’s icon.' }),
    url: t.field({ type: 'URL', description: 'The page the button opens.' }),
  }),
});

const textOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

const PushButtonRef = builder.objectRef<Button>('PushButton').implement({
  description: 'An action button on a mobile notification.',
  fields: (t) => ({
    id: t.string({ description: 'Which button was pressed, as the app receives it.', resolve: (b) => b.id }),
    text: t.string({ nullable: true, description: 'The label.', resolve: (b) => textOrNull(b.text) }),
    icon: t.string({
      nullable: true,
      description: 'An Android drawable resource name.',
      resolve: (b) => textOrNull(b.icon),
    }),
  }),
});

const WebPushButtonRef = builder.objectRef<Button>('WebPushButton').implement({
  description: 'An action button on a web push notification.',
  fields: (t) => ({
    id: t.string({ description: 'Which button was pressed, as the page receives it.', resolve: (b) => b.id }),
    text: t.string({ nullable: true, description: 'The label.', resolve: (b) => textOrNull(b.text) }),
    icon: t.field({
      type: 'URL',
      nullable: true,
      description: 'An image URL for the button’s icon.',
      resolve: (b) => textOrNull(b.icon),
    }),
    url: t.field({
      type: 'URL',
      nullable: true,
      description: 'The page the button opens.',
      resolve: (b) => textOrNull(b.url),
    }),
  }),
});

/** Buttons → OneSignal's list: at most `max`, URLs as strings, unset fields left out. */
const buttonsToWire = (max: number) => (value: unknown, path: string[], problems: FieldProblem[]) =>
  (atMost(max, 'buttons')(value, path, problems) as Button[]).map((button) =>
    Object.fromEntries(
      Object.entries(button)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [k, String(v)]),
    ),
  );

/** OneSignal's buttons, keeping those with an id (the only field it requires). */
const buttonsFromWire = (value: unknown) =>
  Array.isArray(value)
    ? value.filter((b): b is Button => !!b && typeof b === 'object' && typeof (b as Button).id === 'string')
    : null;

export const PushOptions = defineGroup({
  name: 'PushOptions',
  description: 'Push settings: for every platform, then per platform. Only with `channel: PUSH`.',
  leaves: {
    platforms: {
      wire: PLATFORM_FLAGS,
      input: [PushPlatformEnum],
      description:
        'Send only to these platforms (OneSignal’s `isIos`, `isAndroid`, … flags: the listed ones true, the rest false). Every platform when omitted; null on a notification that was not limited.',
      toWire: (value, path, problems) => {
        const chosen = new Set(value as Platform[]);
        if (chosen.size === 0)
          problems.push({
            path,
            message: 'name at least one platform, or leave the field out for all of them.',
          });
        return Object.fromEntries(
          Object.entries(PLATFORMS).map(([name, { flag }]) => [flag, chosen.has(name as Platform)]),
        );
      },
      fromWire: (value) => {
        const flags = value as WireRecord;
        const on = Object.entries(PLATFORMS).filter(([, { flag }]) => flags[flag] === true);
        return on.length ? on.map(([name]) => name) : null;
      },
      sample: {
        input: ['IOS', 'ANDROID'],
        wire: Object.fromEntries(
          PLATFORM_FLAGS.map((flag) => [flag, flag === 'isIos' || flag === 'isAndroid']),
        ),
      },
    },
    webUrl: {
      wire: 'web_url',
      input: 'URL',
      description: 'Web push only: the URL opened on click, instead of `url`.',
      sample: { input: 'https://shop.example/orders/42' },
    },
    appUrl: {
      wire: 'app_url',
      input: 'URL',
      description:
        'Apps only (iOS, Android, Huawei, Amazon, Windows): the URL or deep link opened on click, instead of `url`.',
      sample: { input: 'shop://orders/42' },
    },
    image: {
      wire: 'global_image',
      input: 'URL',
      description:
        'An image for every platform that shows one (current API); the per-platform images override it.',
      sample: { input: 'https://cdn.example/hero.png' },
    },
    buttons: {
      wire: 'buttons',
      input: [PushButtonInput],
      output: [PushButtonRef],
      description: `Action buttons on mobile (iOS 8+, Android 4.1+, Huawei, Amazon), at most ${MAX_BUTTONS}. Devices show them in reverse order: the last one first.`,
      toWire: buttonsToWire(MAX_BUTTONS),
      fromWire: buttonsFromWire,
      sample: { input: [{ id: 'track', text: 'Track', icon: 'ic_menu_send' }] },
    },
    webButtons: {
      wire: 'web_buttons',
      input: [WebPushButtonInput],
      output: [WebPushButtonRef],
      description: `Action buttons on web push (Chrome 48+ and Chromium browsers), at most ${MAX_WEB_BUTTONS}.`,
      toWire: buttonsToWire(MAX_WEB_BUTTONS),
      fromWire: buttonsFromWire,
      sample: {
        input: [
          {
            id: 'track',
            text: 'Track',
            icon: 'https://cdn.example/track.png',
            url: 'https://shop.example/track',
          },
        ],
      },
    },
    collapseId: {
      wire: 'collapse_id',
      input: 'String',
      description: `iOS 10+ and Android: a newer notification with the same id replaces this one on the device, at most ${MAX_COLLAPSE_ID} characters.`,
      toWire: (value, path, problems) => {
        if (String(value).length > MAX_COLLAPSE_ID)
          problems.push({ path, message: `at most ${MAX_COLLAPSE_ID} characters.` });
        return value;
      },
      sample: { input: 'order-42-status' },
    },
    ttl: {
      wire: 'ttl',
      input: 'NonNegativeInt',
      description: `Seconds a device may be offline and still get it, at most ${MAX_TTL_SECONDS.toLocaleString('en-US')} (28 days); 3 days when omitted. iOS, Android and web push.`,
      toWire: inRange(0, MAX_TTL_SECONDS, ' seconds (28 days)'),
      sample: { input: 3600 },
    },
    priority: {
      wire: 'priority',
      input: PushPriorityEnum,
      description:
        'Delivery urgency through the push service: normal by default on Android and web, high on iOS.',
      // OneSignal treats anything but 10 as normal.
      fromWire: (value) => (typeof value === 'number' ? (value === 10 ? 10 : 5) : null),
      sample: { input: 'HIGH', wire: 10 },
    },
    contentAvailable: {
      wire: 'content_available',
      input: 'Boolean',
      description:
        'iOS: wakes the app in the background to run its code; without `contents` nothing is shown. Not for an app the user force-quit.',
      sample: { input: true },
    },
    mutableContent: {
      wire: 'mutable_content',
      input: 'Boolean',
      description:
        'iOS 10+: lets the app’s notification service extension change the content before it shows. OneSignal’s SDK needs it on, and sets it itself for attachments.',
      sample: { input: true },
    },
  },
  groups: {
    ios: IosPush,
    android: AndroidPush,
    huawei: HuaweiPush,
    web: WebPush,
    amazon: AmazonPush,
    windows: WindowsPush,
  },
});
