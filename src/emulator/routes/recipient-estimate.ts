import { hasTargeting, resolveAudience } from '../audience.js';
import { type Operation, ok } from '../operation.js';
import { fail } from '../util.js';

const TARGETING = new Set([
  'included_segments',
  'excluded_segments',
  'filters',
  'include_aliases',
  'target_channel',
]);

/** Recipient estimates (current API): the audience a send would resolve to, counted, nothing recorded. */
export const recipientEstimateOperations: Operation[] = [
  {
    id: 'estimate_notification_recipients',
    method: 'POST',
    path: '/notifications/count-unsaved',
    auth: 'app',
    handler: ({ app, body, now }) => {
      const targeting = Object.fromEntries(Object.entries(body).filter(([k]) => TARGETING.has(k)));
      if (!hasTargeting(targeting))
        throw fail(400, 'You must include which segments, filters or aliases you wish to estimate.');
      const channel = targeting.target_channel;
      if (channel !== undefined && channel !== 'push' && channel !== 'email' && channel !== 'sms')
        throw fail(400, "target_channel must be 'push', 'email' or 'sms'");
      const { players } = resolveAudience(app, targeting, now);
      return ok({
        count: players.length,
        uncapped_count: players.length,
        cap_applied: false,
        mobile_suppressed: false,
        mobile_excluded_count: 0,
      });
    },
  },
];
