import { createHash } from 'node:crypto';
import { OneSignalError } from '../onesignal/errors.js';
import type { OperationRequest } from '../onesignal/request.js';
import { SERVER_SCOPE, type UpstreamScope } from './callers.js';
import { Handoff } from './handoff.js';
import { type Leased, leasedRead, type ReadLeases } from './read-leases.js';

/**
 * Reads shared across requests, one floor below the per-request loaders: a read goes cache →
 * in-flight map → (scheduler → fetch). At about one view per second per app, the reads that scale
 * to a team of dashboards are the ones not sent.
 *
 * Keys are the resource (path and query) and a hash of the credential that read it, never the key,
 * so no caller sees data fetched with someone else's key. Entries carry tags (an app's notification
 * lists, one notification, an app's audience, …); a write bumps the versions of the tags it touches,
 * and an entry read back under an older version is stale. Versions live in the store, so with Redis a
 * write through one replica invalidates every replica's reads. With leases (Redis), a miss takes the
 * key's lease before it fetches, and a replica that finds the lease taken waits for the holder's
 * answer in the shared cache: one upstream read per resource across replicas, not one per replica.
 */

/** What the cache holds for one read: the answer, or OneSignal's "not found" (negative caching). */
export interface CachedRead {
  found: boolean;
  data?: unknown;
  /** When OneSignal answered (ms since the epoch). */
  fetchedAt: number;
}

/** Where cached reads and tag versions live: memory (one process) or Redis (replicas). */
export interface CacheStore {
  /** The entry under `key`, unless it expired or one of `tags` changed since it was stored. */
  get(key: string, tags: readonly string[]): Promise<CachedRead | undefined>;
  set(key: string, tags: readonly string[], entry: CachedRead, ttlMs: number): Promise<void>;
  /** Makes every entry tagged with one of `tags` stale. */
  invalidate(tags: readonly string[]): Promise<void>;
  /**
   * Forgets the versions the last miss of `key` saw: that miss was answered without a `set` (another
   * replica's answer arrived in the cache), and the next miss must compare against its own.
   */
  forget?(key: string): void;
}

/** How long each kind of answer stays fresh, in ms. */
export interface CacheTtls {
  /** App settings and the app list: change rarely, and only through app management. */
  apps: number;
  /** Pages of notifications, players and segments. */
  lists: number;
  /** A notification still scheduled or sending: its counts move. */
  sending: number;
  /** A delivered or canceled notification: final. */
  delivered: number;
  /** Users, their aliases and subscriptions, and players. */
  users: number;
  /** Outcome aggregates. */
  outcomes: number;
  /** "Not found": unknown ids cost one request, then are remembered this long. */
  notFound: number;
}

export const DEFAULT_CACHE_TTLS: CacheTtls = {
  apps: 300_000,
  lists: 10_000,
  sending: 5_000,
  delivered: 600_000,
  users: 10_000,
  outcomes: 60_000,
  notFound: 30_000,
};

/** What happened to one read, for logs, metrics and the response's freshness. */
export interface ReadEvent {
  operation: string;
  /** `hit`: from the cache; `shared`: joined a read in flight; `miss`: sent upstream. */
  source: 'hit' | 'shared' | 'miss';
  /** How old the data is. */
  ageMs: number;
  /** The scope the read was made in, for the layer above to attribute it. */
  scope: UpstreamScope;
}

export interface SharedReadsOptions {
  /** Where answers are cached; none: reads are only shared while in flight. */
  store?: CacheStore;
  ttls?: Partial<CacheTtls>;
  onRead?: (event: ReadEvent) => void;
  /** Cross-replica leases on cacheable reads (with a Redis store); none: each process fetches its own. */
  leases?: ReadLeases;
  /** The longest a read waits for another replica's answer before it fetches by itself (ms). */
  leaseWaitMs?: number;
}

export class SharedReads {
  private readonly store: CacheStore | undefined;
  private readonly ttls: CacheTtls;
  private readonly onRead: ((event: ReadEvent) => void) | undefined;
  private readonly inFlight = new Map<string, Promise<Leased<CachedRead>>>();
  /** Readers that joined a read in flight resume a group per turn of the event loop (handoff.ts). */
  private readonly handoff = new Handoff();
  private readonly leases: ReadLeases | undefined;
  private readonly leaseWaitMs: number;

  constructor(options: SharedReadsOptions = {}) {
    this.store = options.store;
    this.leases = options.leases;
    this.leaseWaitMs = options.leaseWaitMs ?? 10_000;
    this.ttls = { ...DEFAULT_CACHE_TTLS, ...options.ttls };
    this.onRead = options.onRead;
  }

  /**
   * One GET: from the cache when fresh, joined when the same read is in flight, else `fetch`. A
   * "not found" is an answer like any other (cached briefly, thrown as NOT_FOUND to every reader).
   */
  async read<T>(
    req: OperationRequest,
    credential: string,
    fetch: () => Promise<T>,
    { keyLookup = false, scope = SERVER_SCOPE }: { keyLookup?: boolean; scope?: UpstreamScope } = {},
  ): Promise<T> {
    const key = cacheKey(req, credential);
    const tags = tagsOf(req);
    // `Cache-Control: no-cache` on the request: answers from OneSignal, which then refresh the cache.
    const bypass = scope.bypassCache === true;
    if (this.store && !bypass) {
      const cached = await this.store.get(key, tags);
      // A key look-up needs the key, which the cache never stores: only a remembered "not found"
      // answers it. It still joins a read in flight, which has the whole answer.
      if (cached && (!keyLookup || !cached.found)) {
        this.onRead?.({
          operation: req.operation,
          source: 'hit',
          ageMs: Date.now() - cached.fetchedAt,
          scope,
        });
        return unwrap<T>(cached, req);
      }
    }
    const joined = this.inFlight.get(key);
    if (joined) {
      const { entry, cached } = await joined;
      await this.handoff.turn();
      // An answer another replica cached has no key in it: a key look-up fetches its own.
      if (!(keyLookup && cached && entry.found)) {
        this.onRead?.({
          operation: req.operation,
          source: 'shared',
          ageMs: Date.now() - entry.fetchedAt,
          scope,
        });
        return unwrap<T>(entry, req);
      }
      return unwrap<T>(await this.fetchEntry(req, key, tags, fetch), req);
    }
    // A key look-up needs OneSignal's own answer, and a no-cache read a fresh one: neither waits for
    // another replica's. Nor does a read never cached (there would be nothing to wait for).
    const leased = this.leases && this.store && !bypass && !keyLookup && resourceOf(req.operation) !== 'none';
    const pending = leased
      ? leasedRead(this.leases as ReadLeases, this.store as CacheStore, key, tags, this.leaseWaitMs, () =>
          this.fetchEntry(req, key, tags, fetch),
        )
      : this.fetchEntry(req, key, tags, fetch).then((entry) => ({ entry, cached: false }));
    this.inFlight.set(key, pending);
    try {
      const { entry, cached } = await pending;
      this.onRead?.({
        operation: req.operation,
        source: cached ? 'shared' : 'miss',
        ageMs: cached ? Date.now() - entry.fetchedAt : 0,
        scope,
      });
      return unwrap<T>(entry, req);
    } finally {
      this.inFlight.delete(key);
    }
  }

  /**
   * Holds `data` as the answer to the read `req` under `credential`, keyed and tagged as `read` would
   * store OneSignal's answer, secrets stripped alike: a snapshot a write has just made known (the
   * notification a send created). It lives no longer than a sending notification's view (`sending`),
   * so the read after it asks OneSignal, whose answer then replaces it. A later write to one of its
   * tags makes it stale like any entry. Without a store there is nowhere to hold it: the per-request
   * loaders still answer the request that wrote.
   */
  async seed(req: OperationRequest, credential: string, data: unknown): Promise<void> {
    if (!this.store || req.method !== 'GET') return;
    const entry: CachedRead = { found: true, data, fetchedAt: Date.now() };
    const ttl = Math.min(this.ttlOf(req, entry), this.ttls.sending);
    if (ttl > 0) await this.store.set(cacheKey(req, credential), tagsOf(req), withoutSecrets(entry), ttl);
  }

  /** After a write (whatever its outcome): what it may have changed is read afresh. */
  async wrote(req: OperationRequest): Promise<void> {
    const tags = tagsOf(req);
    if (this.store && tags.length) await this.store.invalidate(tags);
  }

  private async fetchEntry(
    req: OperationRequest,
    key: string,
    tags: readonly string[],
    fetch: () => Promise<unknown>,
  ): Promise<CachedRead> {
    let entry: CachedRead;
    try {
      entry = { found: true, data: await fetch(), fetchedAt: Date.now() };
    } catch (error) {
      // Only OneSignal's "not found" is an answer worth keeping; every other failure is retried anew.
      if (!(error instanceof OneSignalError) || error.code !== 'NOT_FOUND') throw error;
      entry = { found: false, fetchedAt: Date.now() };
    }
    if (this.store) {
      const ttl = this.ttlOf(req, entry);
      if (ttl > 0) await this.store.set(key, tags, withoutSecrets(entry), ttl);
    }
    return entry;
  }

  private ttlOf(req: OperationRequest, entry: CachedRead): number {
    if (!entry.found) return this.ttls.notFound;
    switch (resourceOf(req.operation)) {
      case 'apps':
        return this.ttls.apps;
      case 'lists':
        return this.ttls.lists;
      case 'notification': {
        const n = entry.data as { completed_at?: unknown; canceled?: unknown } | undefined;
        return n?.completed_at || n?.canceled ? this.ttls.delivered : this.ttls.sending;
      }
      case 'users':
        return this.ttls.users;
      case 'outcomes':
        return this.ttls.outcomes;
      default:
        return 0;
    }
  }
}

/**
 * App settings carry credentials (the REST API key, push certificates and keys). The cache, which
 * Redis may hold, stores a marker in their place: the schema only asks whether they are set.
 */
const SECRET_FIELDS = [
  'basic_auth_key',
  'apns_p12',
  'apns_p12_password',
  'apns_p8',
  'safari_apns_p12',
  'safari_apns_p12_password',
  'gcm_key',
  'fcm_v1_service_account_json',
  // An API key itself (create_api_key/rotate_api_key answer with it; no read should, but none is kept).
  'formatted_token',
];

function withoutSecrets(entry: CachedRead): CachedRead {
  const redact = (value: unknown): unknown => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const field of SECRET_FIELDS) if (copy[field]) copy[field] = '[redacted]';
    return copy;
  };
  if (!entry.found) return entry;
  return { ...entry, data: Array.isArray(entry.data) ? entry.data.map(redact) : redact(entry.data) };
}

function unwrap<T>(entry: CachedRead, req: OperationRequest): T {
  if (entry.found) return entry.data as T;
  const appId = req.auth.kind === 'app' ? req.auth.appId : undefined;
  throw new OneSignalError({
    code: 'NOT_FOUND',
    operation: req.operation,
    keyKind: req.auth.kind,
    appId,
    status: 404,
    message: `${req.operation}: not found${appId ? ` for app ${appId}` : ''} (HTTP 404)`,
  });
}

type Resource = 'apps' | 'lists' | 'notification' | 'users' | 'outcomes' | 'none';

function resourceOf(operation: string): Resource {
  switch (operation) {
    case 'get_apps':
    case 'get_app':
      return 'apps';
    case 'get_notifications':
    case 'get_players':
    case 'get_segments':
    case 'view_api_keys':
    case 'get_segment':
    case 'view_templates':
    case 'view_template':
    case 'view_in_app_messages':
    case 'view_in_app_message':
    case 'view_in_app_message_stats':
    case 'view_journeys':
    case 'view_journey':
    case 'view_journey_stats':
      return 'lists';
    case 'get_notification':
      return 'notification';
    case 'get_player':
    case 'fetch_user':
    case 'fetch_user_identity':
    case 'fetch_aliases':
    case 'get_eligible_iams':
      return 'users';
    case 'get_outcomes':
    // Rates over 24 h to 30 d: they move slowly, like outcome aggregates.
    case 'get_email_reputation':
      return 'outcomes';
    // list_audit_logs is not cached: any write anywhere in the organization (the dashboard's too)
    // adds to it, which no tag here can follow, and a compliance view must not lag. Concurrent
    // identical reads still share one request.
    default:
      return 'none';
  }
}

/**
 * The tags of a read or a write, from its operation and path. Reads and writes of the same thing
 * share a tag: `notifications:<app>` (an app's notification lists), `notification:<app>/<id>`,
 * `audience:<app>` (players, users, aliases and subscriptions are one record upstream), `segments:<app>`,
 * `templates:<app>`, `inappmessages:<app>`, `journeys:<app>`, `app:<app>`, `apps`.
 */
export function tagsOf(req: OperationRequest): string[] {
  const app = (req.auth.kind === 'app' ? req.auth.appId : appFromPath(req.path))?.toLowerCase();
  const notificationId = /^\/notifications\/([^/?]+)/.exec(req.path)?.[1];
  switch (req.operation) {
    case 'get_apps':
      return ['apps'];
    case 'get_app':
    case 'update_app':
      return app ? ['apps', `app:${app}`] : ['apps'];
    case 'create_app':
      return ['apps'];
    case 'get_notifications':
    case 'create_notification':
      return app ? [`notifications:${app}`] : [];
    case 'get_notification':
      return app && notificationId ? [`notification:${app}/${notificationId.toLowerCase()}`] : [];
    case 'cancel_notification':
      return app && notificationId
        ? [`notifications:${app}`, `notification:${app}/${notificationId.toLowerCase()}`]
        : [];
    case 'get_segments':
    case 'create_segments':
    case 'delete_segments':
    case 'get_segment':
    case 'update_segment':
      return app ? [`segments:${app}`] : [];
    // Any template write makes the app's template pages and templates stale; a copy, the target app's.
    case 'view_templates':
    case 'view_template':
    case 'create_template':
    case 'update_template':
    case 'delete_template':
      return app ? [`templates:${app}`] : [];
    case 'copy_template_to_app': {
      const target = (req.body as { target_app_id?: unknown } | undefined)?.target_app_id;
      return typeof target === 'string' ? [`templates:${target.toLowerCase()}`] : [];
    }
    case 'get_outcomes':
      return app ? [`outcomes:${app}`] : [];
    // Any in-app message write makes the app's pages, messages and stats stale.
    case 'view_in_app_messages':
    case 'view_in_app_message':
    case 'view_in_app_message_stats':
    case 'create_in_app_message':
    case 'update_in_app_message':
    case 'set_in_app_message_enabled':
    case 'delete_in_app_message':
      return app ? [`inappmessages:${app}`] : [];
    // Any journey write makes the app's journey pages, journeys and stats stale.
    case 'view_journeys':
    case 'view_journey':
    case 'view_journey_stats':
    case 'create_journey':
    case 'update_journey':
    case 'delete_journey':
    case 'update_journey_node':
      return app ? [`journeys:${app}`] : [];
    case 'view_api_keys':
    case 'create_api_key':
    case 'update_api_key':
    case 'delete_api_key':
    case 'rotate_api_key':
      return app ? [`apikeys:${app}`] : [];
    case 'get_email_reputation':
      return app ? [`email-analytics:${app}`] : [];
    // A push-to-start creates a notification: the app's notification lists are stale.
    case 'start_live_activity':
      return app ? [`notifications:${app}`] : [];
    case 'estimate_notification_recipients':
    // A POST that only counts: it must make nothing stale.
    case 'create_custom_events':
      // Events feed Journeys; no read of this API shows them.
      return [];
    default:
      // Players, users, aliases, subscriptions, tags and live activities: the app's audience.
      return app && AUDIENCE.has(req.operation) ? [`audience:${app}`] : [];
  }
}

const AUDIENCE = new Set([
  'update_subscription_by_token',
  // Disables the email subscription the token names.
  'unsubscribe_email_with_token',
  'get_players',
  'get_player',
  'create_player',
  'update_player',
  'delete_player',
  'update_player_tags',
  'create_user',
  'fetch_user',
  'update_user',
  'delete_user',
  'fetch_user_identity',
  'fetch_aliases',
  'identify_user_by_alias',
  'identify_user_by_subscription_id',
  'delete_alias',
  'create_subscription',
  'update_subscription',
  'delete_subscription',
  'transfer_subscription',
  'get_eligible_iams',
]);

const appFromPath = (path: string) => /^\/apps\/([^/?]+)/.exec(path)?.[1];

/** The resource and the credential's identity: a SHA-256 of the key, never the key. */
function cacheKey(req: OperationRequest, credential: string): string {
  const query = req.query
    ? Object.entries(req.query)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .flatMap(([k, v]) =>
          (Array.isArray(v) ? v : [v]).map(
            (one) => `${encodeURIComponent(k)}=${encodeURIComponent(String(one))}`,
          ),
        )
        .join('&')
    : '';
  return `${credential}|${req.path}?${query}`;
}

/** The identity of a key in cache keys: a SHA-256 prefix long enough never to collide in practice. */
export const credentialId = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 32);
