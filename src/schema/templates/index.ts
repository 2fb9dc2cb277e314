/**
 * The templates domain (OneSignal's current API), one concern per file:
 *
 *   types.ts      the `Template` object, its channel enum and the message groups it holds
 *   queries.ts    `App.templates` (connection), `App.template(id:)`, `Notification.template`
 *   mutations.ts  `templateCreate`, `templateUpdate`, `templateDelete`, `templateCopy`
 *   input.ts      what create and update accept, its validation and the wire body
 */
import './types.js';
import './queries.js';
import './mutations.js';
