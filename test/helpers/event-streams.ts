/** Event Streams bodies and posts for the tests of the ingest route. */
import { randomUUID } from 'node:crypto';
import { SHOP } from './emulator.js';

/** One event body as docs/event-streams.md configures it, with `overrides` merged into `event`. */
export function eventBody(overrides: Record<string, unknown> = {}, rest: Record<string, unknown> = {}) {
  return {
    event: {
      id: randomUUID(),
      kind: 'message.push.clicked',
      timestamp: 1_765_000_000,
      datetime: '2025-12-06T05:46:40.000Z',
      app_id: SHOP.id,
      subscription_device_type: 'iOS',
      ...overrides,
    },
    message: { id: randomUUID(), name: '', template_id: '' },
    user: { onesignal_id: '', external_id: '' },
    subscription: { id: '' },
    ...rest,
  };
}

/** POSTs `body` (JSON unless a string) to an Event Streams route with `Authorization: Bearer <secret>`. */
export const postEvent = (url: string, secret: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
