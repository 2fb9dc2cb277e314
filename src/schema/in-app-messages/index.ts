/**
 * The in-app messages domain (OneSignal's current API), one concern per file:
 *
 *   types.ts      the `InAppMessage` node, its status, trigger kinds and operators, trigger objects
 *   stats.ts      `InAppMessage.stats` (view_in_app_message_stats)
 *   queries.ts    `App.inAppMessages` (connection), `App.inAppMessage(id:)`
 *   mutations.ts  `inAppMessageCreate`, `inAppMessageUpdate`, `inAppMessagePause`/`Resume`, `inAppMessageDelete`
 *   input.ts      what create and update accept, its validation and the wire body
 */
import './types.js';
import './stats.js';
import './queries.js';
import './mutations.js';
