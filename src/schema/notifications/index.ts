/**
 * The notifications domain, one concern per file:
 *
 *   localized-text.ts  texts per language (`LocalizedText`), shared with templates
 *   types.ts           the `Notification` object, its enums and per-platform delivery statistics
 *   queries.ts         `App.notifications` (connection) and `App.notification(id:)`
 *   input.ts           what `notificationCreate` accepts, its validation and create_notification's body
 *   mutations.ts       `notificationCreate`, `notificationCancel`, the CSV exports, their payloads
 *   ../targeting.ts    who a send reaches, shared with `App.recipientEstimate`
 *
 * Pothos registers a type when its builder call runs, and the unsorted schema (the order GraphiQL
 * and introspection list) keeps that order. These imports run the builder calls in the order the
 * domain has always run them, so reordering them reorders the published schema: CsvExport and the
 * segment and filter types came first, then the notification types; targeting (through input.ts)
 * runs after types.ts, so `TargetChannel` stays between `DeliveryPlatform` and `DelayedOption`.
 */
import '../exports.js';
import '../segments/index.js';
import './types.js';
import './queries.js';
import './mutations.js';
