/**
 * OneSignal Event Streams as live events: `ingest.ts` validates, de-duplicates and publishes what
 * OneSignal POSTs to the route (src/http/event-streams.ts); `hub.ts` carries it to every replica's
 * subscribers (`messageEvents`) and to the delivery watch, which refreshes a watched notification
 * early when one of its events arrives.
 */
import type { StreamEvent } from '../../onesignal/event-streams.js';
import { type RedisConnection, redisClient } from '../../upstream/redis-connection.js';
import type { DeliveryWatch } from '../delivery-watch.js';
import { type MessageEventHub, memoryHub, redisHub } from './hub.js';
import { EventStreamIngest } from './ingest.js';
import { MemorySeenEvents, RedisSeenEvents } from './seen.js';

export { type MessageEventHub, memoryHub } from './hub.js';
export {
  type Accepted,
  EventStreamIngest,
  IngestUnavailableError,
  StreamEventError,
} from './ingest.js';
export { MemorySeenEvents, RedisSeenEvents, type SeenEvents } from './seen.js';

export interface EventStreams {
  ingest: EventStreamIngest;
  hub: MessageEventHub;
  close(): Promise<void>;
}

export interface EventStreamsOptions {
  /** Shared by every replica when set: one de-duplication store and one channel. */
  redisUrl?: string | undefined;
  /** How long an event id is remembered (default one day, longer than OneSignal retries). */
  dedupTtlMs?: number;
  /** Nudged by every event of a message: its watchers get the new counts before the next poll. */
  deliveryWatch?: DeliveryWatch;
  onError?: (error: unknown) => void;
}

export const DEFAULT_DEDUP_TTL_MS = 24 * 3600_000;

/** Kinds that change a notification's delivery counts (sent, received, clicked, failed). */
const COUNTED = new Set(['sent', 'received', 'delivered', 'clicked', 'failed', 'opened']);

export function createEventStreams(options: EventStreamsOptions = {}): EventStreams {
  const ttl = options.dedupTtlMs ?? DEFAULT_DEDUP_TTL_MS;
  let hub: MessageEventHub;
  let seenRedis: RedisConnection | undefined;
  if (options.redisUrl) {
    hub = redisHub(options.redisUrl);
    seenRedis = redisClient(options.redisUrl, {
      maxRetriesPerRequest: 1,
      connectTimeout: 1_000,
      commandTimeout: 1_000,
    });
    seenRedis.on('error', () => {});
  } else hub = memoryHub();
  const seen = seenRedis ? new RedisSeenEvents(seenRedis, ttl) : new MemorySeenEvents(ttl);
  const ingest = new EventStreamIngest({
    hub,
    seen,
    ...(options.onError && { onError: options.onError }),
  });
  const watch = options.deliveryWatch;
  const stop = watch
    ? hub.follow((event: StreamEvent) => {
        if (event.messageId && COUNTED.has(event.action)) watch.nudge(event.appId, event.messageId);
      })
    : () => {};
  return {
    ingest,
    hub,
    async close() {
      stop();
      await hub.close();
      seenRedis?.disconnect();
    },
  };
}
