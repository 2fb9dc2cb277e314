/**
 * The templates domain (OneSignal's current API), one concern per file:
 *
 *   types.ts      the `Template` object and its channel enum
 *   queries.ts    `App.templates` (connection), `App.template(id:)`, `Notification.template`
 *   mutations.ts  `templateCreate`, `templateUpdate`, `templateDelete`, `templateCopy`
 */
import './types.js';
import './queries.js';
import './mutations.js';
