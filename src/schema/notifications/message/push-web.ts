/**
 * Browser push settings, `push.web` on a send and on a notification, and the two fields of Chrome
 * Apps & Extensions (a separate, older platform: `CHROME_APP`), which OneSignal also prefixes `chrome_`.
 */
import { defineGroup } from './group.js';

export const WebPush = defineGroup({
  name: 'WebPush',
  description: 'Settings for web push (Chrome, Edge, Firefox, Safari, …) and Chrome Apps & Extensions.',
  leaves: {
    icon: {
      wire: 'chrome_web_icon',
      input: 'URL',
      description:
        'The icon of a web push, every browser (Firefox too unless `firefoxIcon` is set): an image URL, 256×256 recommended (80×80 at least); GIFs do not animate.',
      sample: { input: 'https://cdn.example/icon-256.png' },
    },
    badge: {
      wire: 'chrome_web_badge',
      input: 'URL',
      description:
        'The small monochrome icon Chrome on Android shows in the notification shade: an image URL.',
      sample: { input: 'https://cdn.example/badge.png' },
    },
    image: {
      wire: 'chrome_web_image',
      input: 'URL',
      description: 'A large image below the title and text, Chrome 56+ (and Edge): an image URL.',
      sample: { input: 'https://cdn.example/banner.png' },
    },
    firefoxIcon: {
      wire: 'firefox_icon',
      input: 'URL',
      description: 'A Firefox-only icon, when it must differ from `icon` (rarely needed): an image URL.',
      sample: { input: 'https://cdn.example/firefox.png' },
    },
    topic: {
      wire: 'web_push_topic',
      input: 'String',
      description:
        'Web push in every browser: a newer notification replaces an older one only when their topics match, so different topics show side by side.',
      sample: { input: 'order-42' },
    },
    chromeAppIcon: {
      wire: 'chrome_icon',
      input: 'String',
      description:
        'Chrome Apps & Extensions only (not web push): a local path to the icon; the app icon when omitted.',
      sample: { input: 'img/icon.png' },
    },
    chromeAppBigPicture: {
      wire: 'chrome_big_picture',
      input: 'String',
      description:
        'Chrome Apps & Extensions only (not web push): a local path to a large picture below the text.',
      sample: { input: 'img/banner.png' },
    },
  },
});
