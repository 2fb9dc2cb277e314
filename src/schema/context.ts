import type { Loaders } from '../loaders/index.js';
import type { OneSignalClient } from '../onesignal/index.js';

/** Built once per GraphQL request by the server's context factory. */
export interface Context {
  /** The REST client. Reads go through `loaders`; mutations call it directly. */
  client: OneSignalClient;
  /** Fresh per request, so batching and caching never leak between callers. */
  loaders: Loaders;
}
