/** Windows push settings (WNS): `push.windows` on a send and on a notification. */
import { defineGroup } from './group.js';

export const WindowsPush = defineGroup({
  name: 'WindowsPush',
  description: 'Settings for Windows devices (WNS).',
  leaves: {
    sound: {
      wire: 'wp_wns_sound',
      input: 'String',
      description: 'A sound file bundled with the app (`chime.wav`) instead of the default sound.',
      sample: { input: 'chime.wav' },
    },
  },
});
