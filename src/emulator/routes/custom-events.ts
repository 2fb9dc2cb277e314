import { randomUUID } from 'node:crypto';
import { type Operation, ok } from '../operation.js';
import type { Store } from '../store.js';
import type { RecordedEvent } from '../types.js';
import { fail, isObject } from '../util.js';

/** The events recorded for `app`, oldest first (for tests and the emulator's own checks). */
export function recordedEvents(store: Store, appId: string): RecordedEvent[] {
  return store.apps.get(appId)?.customEvents ?? [];
}

const MAX_NAME = 128;

/** Custom events (current API): a batch is checked whole (400), then each event alone (202 with `errors`). */
export const customEventOperations: Operation[] = [
  {
    id: 'create_custom_events',
    method: 'POST',
    path: '/apps/:app_id/custom_events',
    auth: 'app',
    handler: ({ app, body, now }) => {
      const events = body.events;
      if (!Array.isArray(events) || events.length === 0) throw fail(400, 'events must be a non-empty array');
      events.forEach((e, i) => {
        if (!isObject(e)) throw fail(400, `events[${i}] must be an object`);
        if (typeof e.name !== 'string' || e.name === '' || e.name.length > MAX_NAME)
          throw fail(400, `events[${i}].name must be a string of 1-${MAX_NAME} characters`);
        if (typeof e.external_id !== 'string' && typeof e.onesignal_id !== 'string')
          throw fail(400, `events[${i}] must have an external_id or a onesignal_id`);
        if (
          e.timestamp !== undefined &&
          (typeof e.timestamp !== 'string' || Number.isNaN(Date.parse(e.timestamp)))
        )
          throw fail(400, `events[${i}].timestamp must be an ISO 8601 date`);
        const props = e.payload ?? e.properties;
        if (props !== undefined && !isObject(props))
          throw fail(400, `events[${i}].payload must be an object`);
      });
      const log = app.customEvents;
      const errors: unknown[] = [];
      for (const e of events as Record<string, unknown>[]) {
        const userId = (typeof e.onesignal_id === 'string' ? e.onesignal_id : e.external_id) as string;
        const user =
          typeof e.onesignal_id === 'string'
            ? app.userByAlias('onesignal_id', e.onesignal_id)
            : app.userByAlias('external_id', e.external_id as string);
        const id = typeof e.idempotency_key === 'string' ? e.idempotency_key : randomUUID();
        if (!user) {
          errors.push({
            event_user_id: userId,
            event_id: id,
            error: { code: 'not found', title: `failed to find a onesignal_id for user_id ${userId}` },
          });
          continue;
        }
        const timestamp = new Date(
          typeof e.timestamp === 'string' ? Date.parse(e.timestamp) : now * 1000,
        ).toISOString();
        log.push({
          id,
          name: e.name as string,
          onesignal_id: user.onesignal_id,
          timestamp,
          payload: (e.payload ?? e.properties ?? {}) as Record<string, unknown>,
        });
      }
      return errors.length ? ok({ errors }, 202) : ok({});
    },
  },
];
