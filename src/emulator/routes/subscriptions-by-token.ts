import { deviceTypeOf } from '../devices.js';
import { type Operation, ok } from '../operation.js';
import { failCode, isObject } from '../util.js';
import { applySubscriptionFields } from './users.js';

/** Subscriptions named by their push token, email address or phone number (current API). */
export const subscriptionByTokenOperations: Operation[] = [
  {
    id: 'update_subscription_by_token',
    method: 'PATCH',
    path: '/apps/:app_id/subscriptions_by_token/:token_type/:token',
    auth: 'app',
    handler: ({ app, params, body }) => {
      const deviceType = deviceTypeOf(params.token_type ?? '');
      if (deviceType === undefined)
        throw failCode(400, 'invalid_value', `token_type '${params.token_type}' is not a subscription type`);
      const p = app.playerByToken(params.token ?? '');
      if (!p || p.device_type !== deviceType) throw failCode(404, 'subscription-0', 'Subscription not found');
      const raw = body.subscription;
      if (!isObject(raw)) throw failCode(400, 'invalid_value', 'subscription must be an object');
      if (raw.type !== undefined && raw.type !== params.token_type)
        throw failCode(400, 'invalid_value', 'subscription.type cannot differ from token_type');
      applySubscriptionFields(app, p, raw);
      return ok({}, 202);
    },
  },
];
