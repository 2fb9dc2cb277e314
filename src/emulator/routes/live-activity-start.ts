import { resolveAudience } from '../audience.js';
import { type AppOpContext, type Operation, type OpResult, ok } from '../operation.js';
import type { CreateNotificationResult } from '../types.js';
import { fail, isObject, optionalString } from '../util.js';
import { recordNotification } from './notifications.js';

const TARGETS = ['include_aliases', 'include_subscription_ids', 'included_segments', 'filters'] as const;
const REQUIRED = ['activity_id', 'name', 'event_attributes', 'event_updates', 'contents', 'headings'];
/** iOS subscriptions: push-to-start needs ActivityKit (iOS 17.2+). */
const IOS = 0;

/**
 * A push-to-start (start_live_activity). OneSignal documents the body, the 201 `{ notification_id }`
 * and a 400 when the activity type is unknown to the app; the emulator knows no app's activity types,
 * so it accepts any type spelled as a Swift type name and refuses others (docs/emulator.md).
 */
function startLiveActivity({ app, params, body, now }: AppOpContext): OpResult {
  const activityType = params.activity_type ?? '';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(activityType))
    throw fail(400, `Activity type '${activityType}' not found for this app`);
  if (body.event !== 'start') throw fail(400, "event must be 'start'");
  for (const key of REQUIRED)
    if (body[key] === undefined || body[key] === null) throw fail(400, `${key} is required`);
  const activityId = optionalString(body, 'activity_id') ?? '';
  if (!activityId) throw fail(400, 'activity_id must not be empty');
  const name = optionalString(body, 'name') ?? '';
  if (name.length > 128) throw fail(400, 'name must be at most 128 characters');
  for (const key of ['event_attributes', 'event_updates', 'contents', 'headings'])
    if (!isObject(body[key])) throw fail(400, `${key} must be an object`);
  const contents = body.contents as Record<string, unknown>;
  const headings = body.headings as Record<string, unknown>;
  if (typeof contents.en !== 'string') throw fail(400, 'contents.en is required');
  if (typeof headings.en !== 'string') throw fail(400, 'headings.en is required');
  const given = TARGETS.filter((k) => body[k] !== undefined && body[k] !== null);
  if (given.length !== 1) throw fail(400, `Give exactly one targeting mode: ${TARGETS.join(', ')}`);
  if (body.excluded_segments !== undefined && given[0] !== 'included_segments')
    throw fail(400, 'excluded_segments only goes with included_segments');

  const idempotencyKey = optionalString(body, 'idempotency_key');
  const previous = idempotencyKey ? app.idempotency.get(idempotencyKey) : undefined;
  if (previous)
    return { ...ok({ notification_id: previous.id }, 201), headers: { 'Idempotent-Replayed': 'true' } };

  const audience = resolveAudience(app, body, now, 'push').players.filter((p) => p.device_type === IOS);
  const fields: Record<string, unknown> = { ...body, live_activity_type: activityType };
  const n = recordNotification(app, audience, fields, { now });
  // The started activity runs on those devices: update_live_activity reaches them from now on.
  let tokens = app.liveActivities.get(activityId);
  if (!tokens) {
    tokens = new Map();
    app.liveActivities.set(activityId, tokens);
  }
  for (const p of audience) tokens.set(p.id, `push-to-start:${activityType}`);
  if (idempotencyKey) {
    const result: CreateNotificationResult = { id: n.id, recipients: n.recipients, external_id: null };
    app.idempotency.set(idempotencyKey, result);
  }
  return ok({ notification_id: n.id }, 201);
}

export const liveActivityStartOperations: Operation[] = [
  {
    id: 'start_live_activity',
    method: 'POST',
    path: '/apps/:app_id/activities/activity/:activity_type',
    auth: 'app',
    handler: startLiveActivity,
  },
];
