import { type Operation, ok } from '../operation.js';
import type { PlayerRecord } from '../types.js';
import { fail, isObject, isUuid } from '../util.js';
import { recordNotification } from './notifications.js';

export const liveActivityOperations: Operation[] = [
  {
    id: 'update_live_activity',
    method: 'POST',
    path: '/apps/:app_id/live_activities/:activity_id/notifications',
    auth: 'app',
    handler: ({ app, params, body, now }) => {
      const { name, event, event_updates: updates, dismiss_at: dismissAt } = body;
      if (typeof name !== 'string' || name === '') throw fail(400, 'name is required');
      if (event !== 'update' && event !== 'end') throw fail(400, "event must be 'update' or 'end'");
      if (!isObject(updates)) throw fail(400, 'event_updates is required and must be an object');
      if (dismissAt !== undefined && typeof dismissAt !== 'number')
        throw fail(400, 'dismiss_at must be a number');
      const activityId = params.activity_id ?? '';
      const tokens = app.liveActivities.get(activityId);
      const players = [...(tokens?.keys() ?? [])]
        .map((id) => app.players.get(id))
        .filter((p): p is PlayerRecord => !!p);
      const fields: Record<string, unknown> = {
        name,
        event,
        event_updates: updates,
        live_activity_id: activityId,
      };
      if (dismissAt !== undefined) fields.dismiss_at = dismissAt;
      const n = recordNotification(app, players, fields, { now });
      if (event === 'end') app.liveActivities.delete(activityId);
      return ok({ notification_id: n.id });
    },
  },
  {
    id: 'begin_live_activity',
    method: 'POST',
    path: '/apps/:app_id/live_activities/:activity_id/token',
    auth: 'app',
    handler: ({ app, params, body }) => {
      const { push_token: token, subscription_id: subscriptionId } = body;
      if (typeof token !== 'string' || token === '') throw fail(400, 'push_token is required');
      if (!isUuid(subscriptionId)) throw fail(400, 'subscription_id is required and must be a UUID');
      if (!app.players.has(subscriptionId)) throw fail(400, `Subscription '${subscriptionId}' not found`);
      const activityId = params.activity_id ?? '';
      let tokens = app.liveActivities.get(activityId);
      if (!tokens) {
        tokens = new Map();
        app.liveActivities.set(activityId, tokens);
      }
      tokens.set(subscriptionId, token);
      return ok(undefined, 204);
    },
  },
  {
    id: 'end_live_activity',
    method: 'DELETE',
    path: '/apps/:app_id/live_activities/:activity_id/token/:subscription_id',
    auth: 'app',
    handler: ({ app, params }) => {
      const activityId = params.activity_id ?? '';
      const subscriptionId = params.subscription_id ?? '';
      const tokens = app.liveActivities.get(activityId);
      if (!tokens?.delete(subscriptionId))
        throw fail(404, `No live activity '${activityId}' token for subscription '${subscriptionId}'`);
      if (tokens.size === 0) app.liveActivities.delete(activityId);
      return ok(undefined, 204);
    },
  },
];
