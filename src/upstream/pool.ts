import { createHash } from 'node:crypto';
import type { OneSignalClient } from '../onesignal/index.js';
import type { KeySource } from '../onesignal/request.js';
import { createOneSignalClient, type OneSignalClientOptions } from './client.js';

export interface CallerKeys {
  userAuthKey?: string | undefined;
  appKeys?: Record<string, string> | undefined;
}

/**
 * Clients for callers who bring their own keys (passthrough), kept across requests so each key set's
 * rate budgets, Retry-After pauses and looked-up app keys outlive one request. Bounded, least
 * recently used first out; indexed by a SHA-256 of the keys, never the keys themselves.
 */
export class ClientPool {
  private readonly clients = new Map<string, OneSignalClient>();

  constructor(
    private readonly options: OneSignalClientOptions,
    private readonly keySource: KeySource,
    readonly maxClients = 1000,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  get(keys: CallerKeys): OneSignalClient {
    const id = fingerprint(keys);
    let client = this.clients.get(id);
    if (client) {
      // Most recently used last: Map keeps insertion order.
      this.clients.delete(id);
    } else {
      client = createOneSignalClient({
        ...this.options,
        userAuthKey: keys.userAuthKey,
        appKeys: keys.appKeys ?? {},
        keySource: this.keySource,
      });
      if (this.clients.size >= this.maxClients) {
        const oldest = this.clients.keys().next().value;
        if (oldest !== undefined) this.clients.delete(oldest);
      }
    }
    this.clients.set(id, client);
    return client;
  }
}

/** One pool per server (per options object), so the context factory needs no state of its own. */
const pools = new WeakMap<OneSignalClientOptions, ClientPool>();

/** The pooled client for a passthrough caller's keys. */
export function passthroughClient(
  options: OneSignalClientOptions,
  keys: CallerKeys,
  keySource: KeySource,
): OneSignalClient {
  let pool = pools.get(options);
  if (!pool) {
    pool = new ClientPool(options, keySource);
    pools.set(options, pool);
  }
  return pool.get(keys);
}

/** A stable digest of a key set: order-independent, and no key can be read back from it. */
export function fingerprint(keys: CallerKeys): string {
  const apps = Object.entries(keys.appKeys ?? {})
    .map(([app, key]) => [app.toLowerCase(), key] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([keys.userAuthKey ?? null, apps]))
    .digest('hex');
}
