import type { Caller } from '../auth/caller.js';
import type { DeliveryWatch } from '../live/delivery-watch.js';
import type { MessageEventHub } from '../live/event-streams/index.js';
import type { ExportReadiness } from '../live/export-readiness.js';
import type { Loaders } from '../loaders/index.js';
import type { OneSignalClient } from '../onesignal/index.js';
import type { UpstreamScope } from '../upstream/index.js';

/** Built once per GraphQL request by the server's context factory. */
export interface Context {
  /** Who is asking: scope checks read its scopes; `client` already enforces its app allow-list. */
  caller: Caller;
  /**
   * The REST client for this caller: it refuses apps outside the caller's allow-list before any
   * request. Reads go through `loaders`; mutations call it directly.
   */
  client: OneSignalClient;
  /**
   * `client`, its reads skipping the cache (answers from OneSignal, which then refresh it): for polls
   * whose point is news, such as notificationDelivery's.
   */
  freshClient(): OneSignalClient;
  /**
   * Whose `client`'s calls are and what they have cost (src/upstream/callers.ts); the operation's
   * start is set on it once it is known to be a query (src/http/query-deadline.ts).
   */
  upstreamScope: UpstreamScope;
  /** Fresh per request and built on `client`, so batching and caching never leak between callers. */
  loaders: Loaders;
  /** The shared poll behind `notificationDelivery` (one per server, not per request). */
  delivery: DeliveryWatch;
  /** Whether export files are ready (shared by every request). */
  exports: ExportReadiness;
  /** Where OneSignal's Event Streams events arrive, from every replica (one per server). */
  messageEvents: MessageEventHub;
  /**
   * The `X-Request-Id` the client or a balancer in front sent, when valid. A balancer that resends a
   * request to another replica (nginx's `proxy_next_upstream … non_idempotent`) sends the same id, so
   * a send without its own idempotency key derives one from it: the resend is then OneSignal's repeat.
   */
  requestId: string | undefined;
}
