import { createHash } from 'node:crypto';
import { type AppOpContext, type Operation, type OpResult, ok } from '../operation.js';
import type { AppState } from '../store.js';
import type { PlayerRecord } from '../types.js';
import { fail, failCode, isUuid } from '../util.js';

const EMAIL = 11;
/** notification_types of an email subscription its owner unsubscribed (OneSignal: -2, unsubscribed). */
const UNSUBSCRIBED = -2;

/**
 * The token OneSignal renders for `{{subscription.unsubscribe_token}}` in an email. The emulator derives
 * it from the app and the subscription, so it needs no state and survives `--data` snapshots; tests and
 * a custom unsubscribe page under test get it from `emailUnsubscribeToken`.
 */
export function emailUnsubscribeToken(appId: string, subscriptionId: string): string {
  return createHash('sha256')
    .update(`unsubscribe:${appId}:${subscriptionId}`)
    .digest('base64url')
    .slice(0, 32);
}

function subscriptionOfToken(app: AppState, token: string): PlayerRecord | undefined {
  for (const p of app.players.values())
    if (p.device_type === EMAIL && emailUnsubscribeToken(app.id, p.id) === token) return p;
  return undefined;
}

/**
 * unsubscribe_email_with_token: OneSignal answers 202 `{ "success": "true" }`, and 404 "Subscription not
 * found" for a token that names none. Its page is silent on an unknown message id; the emulator answers
 * 404 too, as for an unknown notification elsewhere.
 */
function unsubscribe({ app, params, query }: AppOpContext): OpResult {
  const notificationId = params.notification_id ?? '';
  if (!isUuid(notificationId) || !app.notifications.has(notificationId.toLowerCase()))
    throw fail(404, `Notification with id '${notificationId}' not found`);
  const token = query.get('token') ?? '';
  if (!token) throw fail(400, 'token is required');
  const player = subscriptionOfToken(app, token);
  if (!player) throw failCode(404, 'subscription-0', 'Subscription not found');
  player.notification_types = UNSUBSCRIBED;
  return ok({ success: 'true' }, 202);
}

const DAY = 86_400;
const WINDOWS = [
  ['last_24_hours', DAY],
  ['last_7_days', 7 * DAY],
  ['last_30_days', 30 * DAY],
] as const;

/**
 * get_email_reputation, derived from the app's email sends: a send counts in a window when it completed
 * within it; bounce rate = failed / attempted emails, complaint rate = spam complaints / delivered
 * emails (rounded to 4 places; 0 when nothing was sent). OneSignal does not say how it rounds.
 */
function reputation({ app, now }: AppOpContext): OpResult {
  const out: Record<string, { bounce_rate: number; complaint_rate: number }> = {};
  for (const [name, seconds] of WINDOWS) {
    let attempted = 0;
    let failed = 0;
    let delivered = 0;
    let complaints = 0;
    for (const n of app.notifications.values()) {
      const email = n.platform_stats.email;
      const at = n.completed_at ?? n.queued_at;
      if (!email || at < now - seconds || at > now) continue;
      attempted += email.successful + email.failed + email.errored;
      failed += email.failed;
      delivered += email.successful;
      complaints += app.emailComplaints.get(n.id) ?? 0;
    }
    const rate = (part: number, whole: number) =>
      whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0;
    out[name] = { bounce_rate: rate(failed, attempted), complaint_rate: rate(complaints, delivered) };
  }
  return ok(out);
}

export const emailOperations: Operation[] = [
  {
    id: 'unsubscribe_email_with_token',
    method: 'POST',
    path: '/apps/:app_id/notifications/:notification_id/unsubscribe',
    auth: 'app',
    handler: unsubscribe,
  },
  {
    id: 'get_email_reputation',
    method: 'GET',
    path: '/apps/:app_id/email_analytics/delivery_metrics',
    auth: 'app',
    handler: reputation,
  },
];
