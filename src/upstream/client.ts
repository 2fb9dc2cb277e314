import { LRUCache } from 'lru-cache';
import pLimit, { type LimitFunction } from 'p-limit';
import { OneSignalError } from '../onesignal/errors.js';
import { createOneSignalApi, type OneSignalClient } from '../onesignal/index.js';
import {
  appAuth,
  type HttpMethod,
  type KeySource,
  type OperationRequest,
  path,
  type Requester,
  userAuth,
} from '../onesignal/request.js';
import { type Failure, forApp, OneSignalTransport, type TransportOptions } from '../onesignal/transport.js';
import { SERVER_SCOPE, type UpstreamScope } from './callers.js';
import { type BucketRef, type BucketStore, BudgetRefused, type RateLimits, Scheduler } from './scheduler.js';
import { credentialId, SharedReads } from './shared-reads.js';

export interface OneSignalClientOptions extends TransportOptions {
  /** Org-level user auth key: signs `/apps` management and looks up app keys missing from `appKeys`. */
  userAuthKey?: string | undefined;
  /** App id → that app's REST API key. */
  appKeys?: Record<string, string>;
  /**
   * Attempts per call that end in a 5xx, a timeout or a dropped connection, the first included. 429s
   * do not count: they are waits, bounded by `retryBudgetMs`.
   */
  maxAttempts?: number;
  /**
   * The call's deadline: total time one call may spend waiting for its rate budget, on attempts and
   * on back-off. When the budget cannot be had in time the call fails at once with RATE_LIMITED.
   */
  retryBudgetMs?: number;
  /**
   * Reads end by this long after the GraphQL query that makes them began (or after they are made,
   * outside a query), below common client timeouts (10 s): a read that cannot get its budget, its
   * answer or its retries in time fails with RATE_LIMITED (and retryAfterSeconds) or its last error,
   * instead of outliving the client's patience. Attempts are cut at it too. Default 8,000 ms;
   * `ONESIGNAL_READ_DEADLINE_MS`. The shorter of this and `retryBudgetMs` applies.
   */
  readDeadlineMs?: number;
  /** First back-off step after a 5xx or dropped connection; doubles per attempt, with full jitter. */
  retryBaseDelayMs?: number;
  /**
   * Optional cap on HTTP requests in flight per app (and for `/apps` management). Off by default:
   * the rate scheduler bounds what is sent, and a fixed cap would bind below OneSignal's own limits
   * (16 in flight at 100 ms is 160 requests/s, under the 1,000/s user writes allow).
   */
  maxConcurrentPerApp?: number;
  /**
   * Per-class rate limits (OneSignal's free-plan defaults for any not given); `false` for none, only
   * the pauses 429s ask for (a server without OneSignal's limits, such as the emulator by default).
   */
  rateLimits?: Partial<RateLimits> | false;
  /** Where rate budgets live; in memory when omitted. */
  bucketStore?: BucketStore;
  /** Calls that may wait for one app's class budget before more fail at once (default 1000). */
  maxQueuedPerBucket?: number;
  /**
   * Calls per turn for named callers while several wait for the same budget (1 for any other):
   * `ONESIGNAL_CALLER_SHARES`. Callers are served in turns either way.
   */
  callerShares?: ReadonlyMap<string, number>;
  /** Called once per HTTP attempt, for logs and metrics. Carries no URL, header or body. */
  onAttempt?: (event: AttemptEvent) => void;
  /**
   * Reads shared across requests (and across the clients given the same instance): the cache and
   * in-flight sharing. When omitted, identical reads are shared only while in flight, per client.
   */
  sharedReads?: SharedReads;
}

export interface AttemptEvent {
  operation: string;
  method: HttpMethod;
  appId: string | undefined;
  attempt: number;
  status: number | undefined;
  durationMs: number;
  outcome: 'ok' | 'retry' | 'error';
  /** Time this attempt waited for its rate-limit budget before it was sent. */
  queuedMs?: number;
  /** The limit a 429 named (OneSignal's body), when it named one. */
  limit?: string;
  /**
   * The scope the call was made in (the request's, or the server's): whose call it was (`caller`, a
   * name or a hash, never a key) and where to count it, for the layer above.
   */
  scope: UpstreamScope;
}

/** The requester behind each client createOneSignalClient made, so `scopedClient` can bind it to a scope. */
const requesters = new WeakMap<OneSignalClient, UpstreamRequester>();

/**
 * The typed OneSignal REST client with the shared upstream layer in front of every call. Its calls
 * are the server's own (SERVER_SCOPE); `scopedClient` gives one whose calls are a request's.
 */
export function createOneSignalClient(options: OneSignalClientOptions = {}): OneSignalClient {
  const requester = new UpstreamRequester(options);
  const client = createOneSignalApi(requester);
  requesters.set(client, requester);
  return client;
}

/**
 * `client`, with its calls made in `scope`: the same requester (its cache, budgets and key look-ups
 * shared), each call waiting in the scope's caller's lane and counted in its tally. A client made
 * some other way (over a test's own requester) is returned as it is.
 */
export function scopedClient(client: OneSignalClient, scope: UpstreamScope): OneSignalClient {
  const requester = requesters.get(client);
  return requester ? createOneSignalApi(requester.scoped(scope)) : client;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const RETRY_AFTER_MARGIN_MS = 25;

/** Below the 10 s most HTTP clients and proxies wait, with room for the response to travel. */
export const DEFAULT_READ_DEADLINE_MS = 8_000;

/**
 * Carries out every REST operation for the layers above: picks the key (looking up app keys with the
 * user auth key, once), waits for the app's and endpoint class's rate budget, sends through the
 * transport under the optional in-flight cap, retries within the call's deadline, and shares reads
 * (cache and in flight) through `SharedReads`.
 */
export class UpstreamRequester implements Requester {
  private readonly transport: OneSignalTransport;
  private readonly userAuthKey: string | undefined;
  private readonly configuredAppKeys: ReadonlyMap<string, string>;
  /** Keys looked up with the user auth key, cached as promises so concurrent callers share one lookup. */
  private readonly lookedUpAppKeys = new Map<string, Promise<string>>();
  private readonly limiters = new Map<string, LimitFunction>();
  /** Every upstream call waits here for its app's and endpoint class's budget. */
  readonly scheduler: Scheduler;
  private readonly maxAttempts: number;
  private readonly retryBudgetMs: number;
  private readonly readDeadlineMs: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxConcurrentPerApp: number | undefined;
  private readonly onAttempt: ((event: AttemptEvent) => void) | undefined;
  private readonly sharedReads: SharedReads;
  private readonly credentialIds = new Map<string, string>();
  /**
   * Idempotency keys sent lately and a digest of the body each went with (claimIdempotencyKey):
   * 10,000 keys, about 1 MB. A key reused past them, or first sent by another process, is not caught.
   */
  private readonly sentKeys = new LRUCache<string, string>({ max: 10_000 });
  private readonly keySource: KeySource;

  constructor(options: OneSignalClientOptions = {}) {
    this.transport = new OneSignalTransport(options);
    this.keySource = this.transport.keySource;
    this.userAuthKey = options.userAuthKey || undefined;
    // App ids are UUIDs; match them case-insensitively so a differently cased id still finds its key.
    this.configuredAppKeys = new Map(
      Object.entries(options.appKeys ?? {}).map(([id, key]) => [id.toLowerCase(), key]),
    );
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.retryBudgetMs = options.retryBudgetMs ?? 20_000;
    this.readDeadlineMs = options.readDeadlineMs ?? DEFAULT_READ_DEADLINE_MS;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 250;
    this.maxConcurrentPerApp =
      options.maxConcurrentPerApp === undefined ? undefined : Math.max(1, options.maxConcurrentPerApp);
    this.scheduler = new Scheduler({
      ...(options.rateLimits !== undefined && { limits: options.rateLimits }),
      ...(options.bucketStore && { store: options.bucketStore }),
      ...(options.maxQueuedPerBucket !== undefined && { maxQueuedPerBucket: options.maxQueuedPerBucket }),
      ...(options.callerShares && { callerShares: options.callerShares }),
    });
    this.onAttempt = options.onAttempt;
    this.sharedReads = options.sharedReads ?? new SharedReads();
    if (this.userAuthKey) this.transport.rememberSecret(this.userAuthKey);
    for (const key of this.configuredAppKeys.values()) this.transport.rememberSecret(key);
  }

  /** Adds a key seen in an answer (an app's `basic_auth_key`) to those redacted from messages. */
  rememberSecret(key: string | null | undefined): void {
    this.transport.rememberSecret(key);
  }

  /** This requester, its calls made in `scope` (see scopedClient). */
  scoped(scope: UpstreamScope): Requester {
    return {
      request: (req, options) => this.request(req, { ...options, scope }),
      rememberSecret: (key) => this.rememberSecret(key),
      appKnown: (appId) => this.appKnown(appId, scope),
      seed: (read, data) => this.seed(read, data),
      claimIdempotencyKey: (key, digest) => this.claimIdempotencyKey(key, digest),
    };
  }

  /** Performs one OneSignal operation and returns its parsed body (undefined for empty answers). */
  async request<T>(
    req: OperationRequest,
    { keyLookup = false, scope = SERVER_SCOPE }: { keyLookup?: boolean; scope?: UpstreamScope } = {},
  ): Promise<T> {
    const appId = req.auth.kind === 'app' ? req.auth.appId : undefined;
    const now = Date.now();
    // A read's deadline runs from its query's start, so reads made one after another share it.
    const deadline =
      req.method === 'GET'
        ? Math.min(now + this.retryBudgetMs, (scope.startedAt ?? now) + this.readDeadlineMs)
        : now + this.retryBudgetMs;
    const key = await this.keyFor(req, scope);
    const send = () => this.attemptWithRetries<T>(req, key, appId, deadline, scope);
    if (req.method === 'GET')
      return this.sharedReads.read(req, this.credentialOf(key), send, { keyLookup, scope });
    try {
      return await send();
    } finally {
      // Whatever became of the write, what it may have changed is read afresh.
      await this.sharedReads.wrote(req);
    }
  }

  /**
   * Holds a snapshot a write made known as the answer to `read` (SharedReads.seed), under the identity
   * of the key that would sign that read. Only a key already in hand: a seed never costs a request.
   */
  async seed(read: OperationRequest, data: unknown): Promise<void> {
    if (read.method !== 'GET') return;
    try {
      const key = await this.keyInHand(read);
      if (key) await this.sharedReads.seed(read, this.credentialOf(key), data);
    } catch {
      // Without the snapshot the read asks OneSignal, as it would have.
    }
  }

  claimIdempotencyKey(key: string, digest: string): boolean {
    const earlier = this.sentKeys.get(key);
    if (earlier !== undefined && earlier !== digest) return false;
    this.sentKeys.set(key, digest);
    return true;
  }

  /** The key `req` would be signed with, when known without asking OneSignal for it. */
  private async keyInHand(req: OperationRequest): Promise<string | undefined> {
    if (req.auth.kind === 'user') return this.userAuthKey;
    return (
      this.configuredAppKeys.get(req.auth.appId.toLowerCase()) ??
      (await this.lookedUpAppKeys.get(req.auth.appId)?.catch(() => undefined))
    );
  }

  /** The key's identity in shared-read keys: a hash, computed once per key. */
  private credentialOf(key: string): string {
    let id = this.credentialIds.get(key);
    if (!id) {
      id = credentialId(key);
      this.credentialIds.set(key, id);
    }
    return id;
  }

  /** One HTTP attempt, under the optional in-flight cap (which never holds a slot while waiting). */
  private inFlight<T>(scope: string, run: () => Promise<T>): Promise<T> {
    if (this.maxConcurrentPerApp === undefined) return run();
    let limiter = this.limiters.get(scope);
    if (!limiter) {
      limiter = pLimit(this.maxConcurrentPerApp);
      this.limiters.set(scope, limiter);
    }
    return limiter(run);
  }

  /**
   * Whether calls for `appId` can be made, known without reading the app when possible: its key is
   * configured (it exists), or looked up with the user auth key (false when OneSignal knows no such
   * app). Without either key there is nothing to ask; calls will say which key is missing.
   */
  async appKnown(appId: string, scope: UpstreamScope = SERVER_SCOPE): Promise<boolean> {
    if (this.configuredAppKeys.has(appId.toLowerCase()) || !this.userAuthKey) return true;
    try {
      await this.keyFor(
        {
          operation: 'get_app',
          method: 'GET',
          path: path`/apps/${appId}`,
          auth: appAuth(appId),
          retry: 'idempotent',
        },
        scope,
      );
      return true;
    } catch (error) {
      if (error instanceof OneSignalError && error.code === 'NOT_FOUND') return false;
      throw error;
    }
  }

  private async keyFor(req: OperationRequest, scope: UpstreamScope): Promise<string> {
    if (req.auth.kind === 'user') {
      if (this.userAuthKey) return this.userAuthKey;
      const organization = /^\/organizations\/([^/?]+)/.exec(req.path)?.[1];
      if (organization)
        throw new OneSignalError({
          code: 'MISSING_KEY',
          operation: req.operation,
          keyKind: 'user',
          message: `${req.operation} reads organization ${decodeURIComponent(organization)} and needs that organization's API key (${this.keySource.userAuthKey}); app API keys are not accepted, and only app keys were given.`,
        });
      throw new OneSignalError({
        code: 'MISSING_KEY',
        operation: req.operation,
        keyKind: 'user',
        message: `${req.operation} manages apps and needs the organization user auth key, but no user auth key was given (${this.keySource.userAuthKey}).`,
      });
    }
    const { appId } = req.auth;
    const configured = this.configuredAppKeys.get(appId.toLowerCase());
    if (configured) return configured;
    if (!this.userAuthKey) {
      throw new OneSignalError({
        code: 'MISSING_KEY',
        operation: req.operation,
        keyKind: 'app',
        appId,
        message: `${req.operation} needs the REST API key of app ${appId}: add it to ${this.keySource.appKeys}, or give the user auth key (${this.keySource.userAuthKey}) so it can be looked up.`,
      });
    }
    let lookup = this.lookedUpAppKeys.get(appId);
    if (!lookup) {
      // Shared by every caller that needs it meanwhile; its call is counted in the first one's scope.
      lookup = this.lookUpAppKey(appId, req.operation, scope);
      this.lookedUpAppKeys.set(appId, lookup);
      // A failed lookup must not poison the cache: the next call tries again.
      lookup.catch(() => this.lookedUpAppKeys.delete(appId));
    }
    return lookup;
  }

  private async lookUpAppKey(appId: string, operation: string, scope: UpstreamScope): Promise<string> {
    // Shared with a concurrent read of the same app's fields, but never answered from the cache,
    // which stores no key.
    const app = await this.request<{ basic_auth_key?: string | null }>(
      {
        operation: 'get_app',
        method: 'GET',
        path: path`/apps/${appId}`,
        auth: userAuth,
        retry: 'idempotent',
      },
      { keyLookup: true, scope },
    );
    const key = app?.basic_auth_key;
    if (!key) {
      throw new OneSignalError({
        code: 'MISSING_KEY',
        operation,
        keyKind: 'app',
        appId,
        message: `${operation} needs the REST API key of app ${appId}; OneSignal did not return it for the user auth key, so add it to ${this.keySource.appKeys}.`,
      });
    }
    this.transport.rememberSecret(key);
    return key;
  }

  /**
   * Waits for the rate budget, sends, and retries until the call succeeds or its deadline passes.
   * A 429 is a wait, not a failure: it pauses the bucket it names for Retry-After and the call queues
   * again. 5xx, timeouts and dropped connections count against `maxAttempts` and back off with jitter.
   */
  private async attemptWithRetries<T>(
    req: OperationRequest,
    key: string,
    appId: string | undefined,
    deadline: number,
    scope: UpstreamScope,
  ): Promise<T> {
    const buckets = this.scheduler.bucketsFor(req.operation, appId, req.path);
    let failures = 0;
    let mayHaveActed = false;
    for (let attempt = 1; ; attempt++) {
      const queued = performance.now();
      try {
        await this.scheduler.acquire(buckets, deadline, scope.caller);
      } catch (error) {
        if (!(error instanceof BudgetRefused)) throw error;
        throw this.refused(req, appId, error, attempt - 1, mayHaveActed);
      }

      // The verdict (and its event) is reached inside the in-flight slot, so events mark true spans.
      const { result, verdict } = await this.inFlight(appId ?? '/apps', async () => {
        const started = performance.now();
        // Cut at the deadline: an answer arriving after it would come after the client gave up.
        const answer = await this.transport.attempt(req, key, appId, deadline - Date.now());
        const durationMs = performance.now() - started;
        const judged = this.judge(answer, failures, deadline);
        const named = answer.ok ? undefined : answer.limit?.name;
        const limit = typeof named === 'string' ? named : undefined;
        this.onAttempt?.({
          ...this.event(req, appId, attempt, durationMs, answer.ok ? answer.status : answer.error.status),
          outcome: judged.outcome,
          // From asking for the budget to being sent: the rate-limit wait and the in-flight cap's.
          queuedMs: started - queued,
          scope,
          ...(limit !== undefined && { limit }),
        });
        return { result: answer, verdict: judged };
      });
      if (result.ok) {
        this.scheduler.answered(buckets);
        return result.data as T;
      }

      const error = result.error;
      // A read changes nothing, whatever became of its answer.
      if (!result.provesNotActed && req.method !== 'GET') mayHaveActed = true;
      if (error.code === 'KEY_REJECTED' && req.auth.kind === 'app')
        this.lookedUpAppKeys.delete(req.auth.appId);
      if (error.code !== 'RATE_LIMITED') failures++;
      const retrying = verdict.outcome === 'retry';
      // Paused even when this call gives up: later calls for the bucket must not earn more 429s.
      // Unless its recent answers say the budget is not spent: then only this call waits.
      let bucketWaits = false;
      if (error.code === 'RATE_LIMITED') {
        const bucket =
          this.scheduler.bucketNamed(appId, result.limit?.name, result.limit?.subject) ??
          (buckets[buckets.length - 1] as BucketRef);
        // Whether the wait then fits the deadline is the scheduler's call, on the next acquire.
        bucketWaits = await this.scheduler.limited(bucket, verdict.waitMs);
      }
      if (!retrying) {
        throw new OneSignalError({
          code: error.code,
          message: error.message,
          operation: req.operation,
          keyKind: req.auth.kind,
          appId,
          status: error.status,
          errors: error.errors,
          retryable: error.retryable,
          retryAfter: error.retryAfter,
          attempts: attempt,
          mayHaveActed,
        });
      }
      if (!bucketWaits && verdict.waitMs > 0) await sleep(verdict.waitMs);
    }
  }

  /**
   * Whether to try again and after how long. A 429 waits for Retry-After (a little over it, so the
   * retry is not on the refill's exact edge) while the deadline allows; anything else retryable backs
   * off with jitter, up to `maxAttempts` such failures.
   */
  private judge(
    answer: { ok: true } | Failure,
    failuresBefore: number,
    deadline: number,
  ): { outcome: 'ok' | 'retry' | 'error'; waitMs: number } {
    if (answer.ok) return { outcome: 'ok', waitMs: 0 };
    const { error } = answer;
    if (error.code === 'RATE_LIMITED') {
      const waitMs =
        error.retryAfter !== undefined
          ? Math.max(100, error.retryAfter * 1000 + RETRY_AFTER_MARGIN_MS)
          : Math.max(100, this.backoff(1 + failuresBefore));
      return { outcome: Date.now() + waitMs <= deadline ? 'retry' : 'error', waitMs };
    }
    const failures = failuresBefore + 1;
    const waitMs = this.backoff(failures);
    const retry = answer.retryable && failures < this.maxAttempts && Date.now() + waitMs < deadline;
    return { outcome: retry ? 'retry' : 'error', waitMs };
  }

  /** The budget could not be had before the deadline: say so now, with how long to wait. */
  private refused(
    req: OperationRequest,
    appId: string | undefined,
    refusal: BudgetRefused,
    attempts: number,
    mayHaveActed: boolean,
  ): OneSignalError {
    const why =
      refusal.reason === 'queue-full'
        ? 'too many calls are already waiting for it'
        : `it would not let this call through before its deadline (${req.method === 'GET' ? `reads: ${Math.min(this.readDeadlineMs, this.retryBudgetMs)} ms from the query's start` : `${this.retryBudgetMs} ms`})`;
    return new OneSignalError({
      code: 'RATE_LIMITED',
      message: `${req.operation}: OneSignal's ${refusal.bucket.name} rate limit${forApp(appId)} is used up and ${why}. Retry after ${refusal.retryAfterSeconds} s.`,
      operation: req.operation,
      keyKind: req.auth.kind,
      appId,
      status: undefined,
      retryable: true,
      retryAfter: refusal.retryAfterSeconds,
      attempts,
      mayHaveActed,
    });
  }

  private event(
    req: OperationRequest,
    appId: string | undefined,
    attempt: number,
    durationMs: number,
    status?: number,
  ) {
    return { operation: req.operation, method: req.method, appId, attempt, status, durationMs };
  }

  /** Full-jitter exponential back-off. */
  private backoff(attempt: number): number {
    const cap = this.retryBaseDelayMs * 2 ** (attempt - 1);
    return Math.round(Math.random() * cap);
  }
}
