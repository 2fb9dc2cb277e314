import { parseCallerShares } from './upstream/callers.js';
import type { OneSignalClientOptions } from './upstream/client.js';
import { DEFAULT_CACHE_MAX_BYTES } from './upstream/memory-cache.js';
import { isClusterUrl, parseClusterUrl } from './upstream/redis-connection.js';
import { type LimitClass, ONESIGNAL_RATE_LIMITS, type Rate, type RateLimits } from './upstream/scheduler.js';
import type { CacheTtls } from './upstream/shared-reads.js';

export type OneSignalConfig = OneSignalClientOptions & {
  /** Whether any OneSignal key is configured (otherwise `npm start` uses the embedded emulator). */
  configured: boolean;
};

/**
 * Reads the OneSignal client options from the environment:
 *
 * - `ONESIGNAL_API_URL`: base URL (default `https://api.onesignal.com`)
 * - `ONESIGNAL_USER_AUTH_KEY`: organization user auth key (`/apps` management, app key look-ups)
 * - `ONESIGNAL_APP_KEYS`: JSON object, app id → that app's REST API key
 * - `ONESIGNAL_TIMEOUT_MS`, `ONESIGNAL_MAX_ATTEMPTS`, `ONESIGNAL_RETRY_BUDGET_MS`, `ONESIGNAL_READ_DEADLINE_MS`,
 *   `ONESIGNAL_MAX_CONCURRENCY_PER_APP`, `ONESIGNAL_QUEUE_MAX`: positive integers
 * - `ONESIGNAL_RATE_LIMITS`: `onesignal` (default: OneSignal's documented free-plan limits) or `off`
 * - `ONESIGNAL_LIMIT_VIEWS`, `ONESIGNAL_LIMIT_MESSAGES`, `ONESIGNAL_LIMIT_USER_WRITES`,
 *   `ONESIGNAL_LIMIT_SUBJECT_WRITES`: `<requests per second>[:<burst>]` per app (subject: per user or
 *   subscription), e.g. `ONESIGNAL_LIMIT_MESSAGES=6000` on a paid plan
 * - `ONESIGNAL_CALLER_SHARES`: `name:weight,...`, calls per turn for named callers waiting for one budget
 *
 * Empty values count as unset. Errors name the variable but never repeat a key.
 */
export function loadOneSignalConfig(env: NodeJS.ProcessEnv = process.env): OneSignalConfig {
  const apiUrl = readUrl(env, 'ONESIGNAL_API_URL');
  const userAuthKey = read(env, 'ONESIGNAL_USER_AUTH_KEY');
  const appKeys = readAppKeys(env, 'ONESIGNAL_APP_KEYS');
  const timeoutMs = readPositiveInt(env, 'ONESIGNAL_TIMEOUT_MS');
  const maxAttempts = readPositiveInt(env, 'ONESIGNAL_MAX_ATTEMPTS');
  const retryBudgetMs = readPositiveInt(env, 'ONESIGNAL_RETRY_BUDGET_MS');
  const readDeadlineMs = readPositiveInt(env, 'ONESIGNAL_READ_DEADLINE_MS');
  const maxConcurrentPerApp = readPositiveInt(env, 'ONESIGNAL_MAX_CONCURRENCY_PER_APP');
  const maxQueuedPerBucket = readPositiveInt(env, 'ONESIGNAL_QUEUE_MAX');
  const rateLimits = readRateLimits(env);
  const shares = read(env, 'ONESIGNAL_CALLER_SHARES');
  const callerShares = shares === undefined ? undefined : parseCallerShares(shares);
  return {
    ...(apiUrl !== undefined && { apiUrl }),
    ...(userAuthKey !== undefined && { userAuthKey }),
    ...(appKeys !== undefined && { appKeys }),
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(maxAttempts !== undefined && { maxAttempts }),
    ...(retryBudgetMs !== undefined && { retryBudgetMs }),
    ...(readDeadlineMs !== undefined && { readDeadlineMs }),
    ...(maxConcurrentPerApp !== undefined && { maxConcurrentPerApp }),
    ...(maxQueuedPerBucket !== undefined && { maxQueuedPerBucket }),
    ...(rateLimits !== undefined && { rateLimits }),
    ...(callerShares !== undefined && { callerShares }),
    configured: userAuthKey !== undefined || (appKeys !== undefined && Object.keys(appKeys).length > 0),
  };
}

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function readUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL, such as https://api.onesignal.com.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${name} must be an http(s) URL, such as https://api.onesignal.com.`);
  }
  return value.replace(/\/+$/, '');
}

function readPositiveInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
    throw new Error(`${name} must be a positive integer, got "${value}".`);
  }
  return n;
}

/** Which classes each limit variable sets. */
const LIMIT_VARIABLES: Record<string, LimitClass[]> = {
  ONESIGNAL_LIMIT_VIEWS: [
    'view_notifications',
    'view_notification',
    'view_user',
    'view_in_app_messages',
    // Email analytics and audit log reads: OneSignal lists no limit for them; paced as views.
    'view_email_analytics',
    'view_audit_logs',
    // Journeys (beta) reads: no documented limit either.
    'view_journeys',
  ],
  ONESIGNAL_LIMIT_MESSAGES: ['create_message'],
  ONESIGNAL_LIMIT_USER_WRITES: ['user_write'],
  ONESIGNAL_LIMIT_SUBJECT_WRITES: ['user_write_per_subject'],
};

/** Undefined: OneSignal's documented limits (the client's default). */
function readRateLimits(env: NodeJS.ProcessEnv): Partial<RateLimits> | false | undefined {
  const mode = read(env, 'ONESIGNAL_RATE_LIMITS')?.toLowerCase();
  if (mode !== undefined && mode !== 'onesignal' && mode !== 'off')
    throw new Error(`ONESIGNAL_RATE_LIMITS must be "onesignal" or "off", got "${mode}".`);
  if (mode === 'off') return false;
  const limits: Partial<RateLimits> = {};
  for (const [name, classes] of Object.entries(LIMIT_VARIABLES)) {
    const value = read(env, name);
    if (value === undefined) continue;
    const match = /^(\d+(?:\.\d+)?)(?::(\d+))?$/.exec(value);
    const perSecond = Number(match?.[1]);
    if (!match || !(perSecond > 0)) {
      throw new Error(
        `${name} must be <requests per second>[:<burst>], e.g. "150" or "1:3", got "${value}".`,
      );
    }
    for (const cls of classes) {
      const rate: Rate = {
        perSecond,
        burst: match[2]
          ? Math.max(1, Number(match[2]))
          : Math.max(ONESIGNAL_RATE_LIMITS[cls].burst, Math.ceil(perSecond)),
      };
      limits[cls] = rate;
    }
  }
  return Object.keys(limits).length > 0 ? limits : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const APP_KEYS_SHAPE =
  'a JSON object mapping each app id to its REST API key, e.g. {"<app id>":"<rest api key>"}';

/** Parses the app key map. The value holds secrets, so no message (or cause) ever includes any of it. */
function readAppKeys(env: NodeJS.ProcessEnv, name: string): Record<string, string> | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // The parser's message quotes the input: drop it.
    throw new Error(`${name} is not valid JSON; it must be ${APP_KEYS_SHAPE}.`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${name} must be ${APP_KEYS_SHAPE}.`);
  }
  const keys: Record<string, string> = {};
  for (const [appId, key] of Object.entries(parsed)) {
    const id = appId.trim().toLowerCase();
    if (!id) throw new Error(`${name} has an empty app id; it must be ${APP_KEYS_SHAPE}.`);
    if (typeof key !== 'string' || !key.trim()) {
      // Name the app only when it looks like an app id, in case the map was written the wrong way round.
      const which = UUID.test(id) ? `app ${id}` : 'an app';
      throw new Error(`${name}: the key for ${which} must be a non-empty string.`);
    }
    keys[id] = key.trim();
  }
  return keys;
}

/** What replicas share and how long reads stay fresh (`src/upstream/stores.ts`). */
export interface SharedStateConfig {
  /** `redis://…` (or `redis+cluster://host:port,…`): cache and rate budgets live in Redis, shared by every replica; memory otherwise. */
  redisUrl: string | undefined;
  /** Whether upstream reads are cached at all (in-flight sharing always happens). */
  cache: boolean;
  /** Memory cache size cap (the Redis store is bounded by Redis' own maxmemory). */
  cacheMaxBytes: number;
  ttls: Partial<CacheTtls>;
}

const TTL_ENV: Record<keyof CacheTtls, string> = {
  apps: 'CACHE_TTL_APPS_MS',
  lists: 'CACHE_TTL_LISTS_MS',
  sending: 'CACHE_TTL_SENDING_MS',
  delivered: 'CACHE_TTL_DELIVERED_MS',
  users: 'CACHE_TTL_USERS_MS',
  outcomes: 'CACHE_TTL_OUTCOMES_MS',
  notFound: 'CACHE_TTL_NOT_FOUND_MS',
};

/**
 * `REDIS_URL`, `CACHE` (`on`, the default, or `off`), `CACHE_MAX_BYTES` (default 16 MiB) and one
 * `CACHE_TTL_*_MS` per kind of answer (0: never cache that kind). Errors name the variable; a Redis
 * URL's password is never repeated.
 */
export function loadSharedStateConfig(env: NodeJS.ProcessEnv = process.env): SharedStateConfig {
  const redisUrl = read(env, 'REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?(\+cluster)?:\/\//.test(redisUrl))
    throw new Error(
      'REDIS_URL must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379, or name a Redis Cluster: redis+cluster://host:port,host:port.',
    );
  if (redisUrl !== undefined && isClusterUrl(redisUrl)) {
    try {
      parseClusterUrl(redisUrl);
    } catch (error) {
      throw new Error(`REDIS_URL: ${(error as Error).message}.`);
    }
  }
  const cache = read(env, 'CACHE')?.toLowerCase() ?? 'on';
  if (cache !== 'on' && cache !== 'off') throw new Error('CACHE must be on or off.');
  const ttls: Partial<CacheTtls> = {};
  for (const [kind, name] of Object.entries(TTL_ENV) as [keyof CacheTtls, string][]) {
    const value = read(env, name);
    if (value === undefined) continue;
    if (!/^\d+$/.test(value))
      throw new Error(`${name} must be a whole number of milliseconds (0: never cache).`);
    ttls[kind] = Number(value);
  }
  return {
    redisUrl,
    cache: cache === 'on',
    cacheMaxBytes: readPositiveInt(env, 'CACHE_MAX_BYTES') ?? DEFAULT_CACHE_MAX_BYTES,
    ttls,
  };
}

/** Event Streams ingest settings (src/http/event-streams.ts); undefined when no secret is set (no route). */
export interface EventStreamsSettings {
  path: string;
  header: string;
  secrets: string[];
  maxBodyBytes: number;
  maxInFlight: number;
  dedupTtlMs: number;
}

/**
 * `EVENT_STREAMS_SECRET` turns the route on (`EVENT_STREAMS_SECRET_PREVIOUS` is accepted too, for a
 * rotation); `EVENT_STREAMS_PATH` (default `/onesignal/events`), `EVENT_STREAMS_HEADER` (default
 * `authorization`, where `Bearer <secret>` is accepted as well as the bare secret),
 * `EVENT_STREAMS_MAX_BODY_BYTES` (64 KiB), `EVENT_STREAMS_MAX_IN_FLIGHT` (64) and
 * `EVENT_STREAMS_DEDUP_TTL_MS` (one day). Errors never repeat a secret.
 */
export function loadEventStreamsConfig(
  env: NodeJS.ProcessEnv = process.env,
): EventStreamsSettings | undefined {
  const secret = read(env, 'EVENT_STREAMS_SECRET');
  const previous = read(env, 'EVENT_STREAMS_SECRET_PREVIOUS');
  if (secret === undefined) {
    if (previous !== undefined)
      throw new Error(
        'EVENT_STREAMS_SECRET_PREVIOUS is set without EVENT_STREAMS_SECRET: set the current secret too.',
      );
    return undefined;
  }
  if (secret.length < 16) throw new Error('EVENT_STREAMS_SECRET must be at least 16 characters long.');
  const path = read(env, 'EVENT_STREAMS_PATH') ?? '/onesignal/events';
  if (!/^\/[\w\-./]*$/.test(path) || path === '/graphql')
    throw new Error('EVENT_STREAMS_PATH must be a path such as /onesignal/events (not /graphql).');
  const header = (read(env, 'EVENT_STREAMS_HEADER') ?? 'authorization').toLowerCase();
  if (!/^[a-z0-9-]+$/.test(header)) throw new Error('EVENT_STREAMS_HEADER must be an HTTP header name.');
  const dedupTtlMs = read(env, 'EVENT_STREAMS_DEDUP_TTL_MS');
  if (dedupTtlMs !== undefined && !/^[1-9]\d*$/.test(dedupTtlMs))
    throw new Error('EVENT_STREAMS_DEDUP_TTL_MS must be a positive whole number of milliseconds.');
  return {
    path,
    header,
    secrets: previous !== undefined && previous !== secret ? [secret, previous] : [secret],
    maxBodyBytes: readPositiveInt(env, 'EVENT_STREAMS_MAX_BODY_BYTES') ?? 64 * 1024,
    maxInFlight: readPositiveInt(env, 'EVENT_STREAMS_MAX_IN_FLIGHT') ?? 64,
    dedupTtlMs: dedupTtlMs === undefined ? 24 * 3600_000 : Number(dedupTtlMs),
  };
}
