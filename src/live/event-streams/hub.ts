import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { PubSubEventTarget } from 'graphql-yoga';
import type { StreamEvent } from '../../onesignal/event-streams.js';
import { redisClient } from '../../upstream/redis-connection.js';

/**
 * Where accepted events go: every subscriber on every replica. In one process an EventTarget; with
 * REDIS_URL one Redis channel through `@graphql-yoga/redis-event-target`, the pub/sub live delivery
 * uses. Publishing is awaited (ioredis' PUBLISH on the target's own publish connection, in the
 * target's JSON format), so the ingest route answers 2xx only for events Redis took.
 */
export interface MessageEventHub {
  publish(event: StreamEvent): Promise<void>;
  /** Calls `listener` with every event published from now on, on any replica, until the returned function is called. */
  follow(listener: (event: StreamEvent) => void): () => void;
  /** Resolves once this replica receives what any replica publishes (its SUBSCRIBE is confirmed). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export const TOPIC = 'onesignal-graphql:message-events';
type Topics = Record<string, [StreamEvent]>;

class TargetHub implements MessageEventHub {
  private readonly listeners = new Set<(event: StreamEvent) => void>();
  private readonly onEvent = (event: Event) => {
    const detail = (event as CustomEvent<StreamEvent>).detail;
    // One listener's failure must not keep the event from the others.
    for (const l of this.listeners) {
      try {
        l(detail);
      } catch {}
    }
  };

  constructor(
    private readonly target: PubSubEventTarget<Topics>,
    private readonly send: (event: StreamEvent) => Promise<void>,
    private readonly onClose: () => Promise<void> = async () => {},
    private readonly subscribed: () => Promise<unknown> = async () => {},
  ) {
    // One listener (one SUBSCRIBE) per replica, fanned out here.
    this.target.addEventListener(TOPIC, this.onEvent);
  }

  publish(event: StreamEvent): Promise<void> {
    return this.send(event);
  }

  follow(listener: (event: StreamEvent) => void): () => void {
    const own = (e: StreamEvent) => listener(e);
    this.listeners.add(own);
    return () => void this.listeners.delete(own);
  }

  async ready(): Promise<void> {
    await this.subscribed();
  }

  async close(): Promise<void> {
    this.target.removeEventListener(TOPIC, this.onEvent);
    this.listeners.clear();
    await this.onClose();
  }
}

export function memoryHub(): MessageEventHub {
  const target = new EventTarget() as PubSubEventTarget<Topics>;
  return new TargetHub(target, async (event) => {
    target.dispatchEvent(new CustomEvent(TOPIC, { detail: event }));
  });
}

/** Two connections of its own (publish, subscribe), so pub/sub never waits behind the cache's commands. */
export function redisHub(redisUrl: string): MessageEventHub {
  // Publishes fail fast (the route answers 503 and OneSignal retries); the subscriber reconnects and
  // resubscribes on its own.
  const publishClient = redisClient(redisUrl, {
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
  });
  const subscribeClient = redisClient(redisUrl, { maxRetriesPerRequest: null, connectTimeout: 1_000 });
  // Reported by the shared stores' own connection; these retry quietly.
  for (const c of [publishClient, subscribeClient]) c.on('error', () => {});
  // The event target fires SUBSCRIBE and UNSUBSCRIBE and forgets them: a shutdown's disconnect
  // rejects what is still queued, which nothing would handle. Kept here, settled, for `ready()`.
  let subscribed: Promise<unknown> = Promise.resolve();
  for (const method of ['subscribe', 'unsubscribe'] as const) {
    const send = subscribeClient[method].bind(subscribeClient) as (...args: unknown[]) => Promise<unknown>;
    Object.assign(subscribeClient, {
      [method]: (...args: unknown[]) => {
        const sent = send(...args);
        sent.catch(() => {});
        if (method === 'subscribe') subscribed = sent;
        return sent;
      },
    });
  }
  const target = createRedisEventTarget({ publishClient, subscribeClient }) as PubSubEventTarget<Topics>;
  return new TargetHub(
    target,
    async (event) => {
      await publishClient.publish(TOPIC, JSON.stringify(event));
    },
    async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
    () => subscribed,
  );
}
