import { parseStreamEvent, type StreamEvent } from '../../onesignal/event-streams.js';
import type { MessageEventHub } from './hub.js';
import type { SeenEvents } from './seen.js';

export { StreamEventError } from '../../onesignal/event-streams.js';

/** How one received event ended: published to subscribers, or already published before. */
export type Accepted = { outcome: 'published' | 'duplicate'; event: StreamEvent };

/** Redis (the de-duplication store or the channel) could not take the event: OneSignal should retry. */
export class IngestUnavailableError extends Error {}

export interface EventStreamIngestOptions {
  hub: MessageEventHub;
  seen: SeenEvents;
  /** Called when Redis fails an ingest (the event is answered 503 and retried by OneSignal). */
  onError?: (error: unknown) => void;
}

/**
 * Validates an event, de-duplicates it by `event.id` and publishes it once to every replica's
 * subscribers. An event counts as accepted (so the route answers 2xx) only once it is published or
 * known to have been: a failure to claim or publish releases the claim and is answered 503, which
 * OneSignal retries. The route bounds how many events are in flight (EVENT_STREAMS_MAX_IN_FLIGHT).
 */
export class EventStreamIngest {
  private readonly onError: (error: unknown) => void;

  constructor(private readonly options: EventStreamIngestOptions) {
    this.onError = options.onError ?? (() => {});
  }

  async accept(body: unknown): Promise<Accepted> {
    // Throws StreamEventError (400) before anything is claimed or published.
    const event = parseStreamEvent(body);
    let first: boolean;
    try {
      first = await this.options.seen.claim(event.id);
    } catch (error) {
      this.onError(error);
      throw new IngestUnavailableError('The de-duplication store is unreachable.');
    }
    if (!first) return { outcome: 'duplicate', event };
    try {
      await this.options.hub.publish(event);
    } catch (error) {
      this.onError(error);
      await this.options.seen.release(event.id).catch(this.onError);
      throw new IngestUnavailableError('The event could not be published.');
    }
    return { outcome: 'published', event };
  }
}
