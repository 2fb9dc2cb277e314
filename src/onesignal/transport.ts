import { type $Fetch, FetchError, ofetch } from 'ofetch';
import { errorMessagesOf, type KeyKind, type OneSignalErrorCode } from './errors.js';
import { DEFAULT_API_URL, ENV_KEY_SOURCE, type KeySource, type OperationRequest } from './request.js';
import { type UndiciFetchInit, undiciFetch } from './undici-fetch.js';

export interface TransportOptions {
  /** Base URL of OneSignal or of anything wire-compatible (the emulator). */
  apiUrl?: string;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  /** Where the keys came from, named in errors so callers know what to fix (never the key itself). */
  keySource?: KeySource;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Errors raised before a connection exists: OneSignal cannot have seen the request. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The wire: one `ofetch` instance and one HTTP attempt at a time, each answer classified (ok, or a
 * failure with its code, message and whether a retry is safe). Which key, when to send, whether to
 * retry and what to share are the upstream layer's decisions (src/upstream/client.ts).
 */
export class OneSignalTransport {
  readonly apiUrl: string;
  readonly timeoutMs: number;
  readonly keySource: KeySource;
  private readonly fetch: $Fetch;
  private readonly secrets = new Set<string>();

  constructor(options: TransportOptions = {}) {
    this.apiUrl = (options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.keySource = options.keySource ?? ENV_KEY_SOURCE;
    this.fetch = ofetch.create(
      {
        baseURL: this.apiUrl,
        retry: 0,
        ignoreResponseError: true,
        // Plain JSON.parse: ofetch's default (destr) scans every body first, which costs real time on
        // 50-notification pages. Non-JSON answers (proxies' HTML errors) stay text for error messages.
        parseResponse: parseBody,
      },
      // undici's `request` under ofetch instead of the global fetch: see undici-fetch.ts.
      { fetch: undiciFetch({ connectTimeoutMs: this.timeoutMs }) as unknown as typeof fetch },
    );
  }

  /** Adds a key seen in an answer (an app's `basic_auth_key`) to those `redact` removes. */
  rememberSecret(key: string | null | undefined): void {
    if (key) this.secrets.add(key);
  }

  /** Replaces every known key in text, for messages that echo upstream content. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
    return out;
  }

  /**
   * One HTTP attempt, its answer or failure classified; never throws. `timeoutMs` (the call's time
   * left, when shorter than the per-attempt timeout) cuts it at the call's deadline.
   */
  async attempt(
    req: OperationRequest,
    key: string,
    appId: string | undefined,
    timeoutMs = this.timeoutMs,
  ): Promise<AttemptResult> {
    const timeout = Math.max(1, Math.min(this.timeoutMs, Math.floor(timeoutMs)));
    let response: Awaited<ReturnType<$Fetch['raw']>>;
    try {
      const init = {
        method: req.method,
        query: req.query,
        body: req.body as Record<string, unknown> | undefined,
        headers: { Accept: 'application/json', Authorization: `Key ${key}` },
        // Handed through to undici-fetch.ts, which cuts the attempt with undici's own timeouts.
        attemptTimeoutMs: timeout,
      } satisfies Omit<UndiciFetchInit, 'headers' | 'body'> & Record<string, unknown>;
      response = await this.fetch.raw(req.path, init);
    } catch (cause) {
      return this.transportFailure(req, appId, cause, timeout);
    }
    if (response.ok) return { ok: true, data: response._data, status: response.status };
    return this.statusFailure(
      req,
      appId,
      response.status,
      response._data,
      response.headers.get('retry-after'),
    );
  }

  private transportFailure(
    req: OperationRequest,
    appId: string | undefined,
    cause: unknown,
    timeoutMs: number,
  ): Failure {
    const inner = cause instanceof FetchError ? cause.cause : cause;
    const name = (inner as { name?: string } | undefined)?.name;
    const sysCode = systemErrorCode(inner);
    if (name === 'TimeoutError' || name === 'AbortError') {
      return {
        ok: false,
        retryable: req.retry === 'idempotent',
        provesNotActed: false,
        error: {
          code: 'TIMEOUT',
          status: undefined,
          errors: [],
          retryable: true,
          retryAfter: undefined,
          message: `${req.operation}: OneSignal did not answer within ${timeoutMs} ms${forApp(appId)}. Try again; if it persists, check OneSignal's status.`,
        },
      };
    }
    const notSent = sysCode !== undefined && NOT_SENT_CODES.has(sysCode);
    return {
      ok: false,
      retryable: notSent || req.retry === 'idempotent',
      provesNotActed: notSent,
      error: {
        code: 'NETWORK_ERROR',
        status: undefined,
        errors: [],
        retryable: true,
        retryAfter: undefined,
        message: `${req.operation}: could not reach OneSignal at ${this.apiUrl}${forApp(appId)} (${sysCode ?? 'connection failed'}).`,
      },
    };
  }

  private statusFailure(
    req: OperationRequest,
    appId: string | undefined,
    status: number,
    body: unknown,
    retryAfterHeader: string | null,
  ): Failure {
    const errors = errorMessagesOf(body).map((m) => this.redact(m));
    const detail = errors.length ? `: ${errors.join('; ')}` : '';
    const retryAfter = parseRetryAfter(retryAfterHeader);
    const op = req.operation;
    const fail = (code: OneSignalErrorCode, message: string, retryable = false): Failure => ({
      ok: false as const,
      // A 429 means OneSignal refused the request without acting, so any operation may repeat it.
      retryable: retryable && (status === 429 || req.retry === 'idempotent'),
      // A 4xx answer is OneSignal refusing the request; after a 5xx it may or may not have acted.
      provesNotActed: status < 500,
      ...(status === 429 && { limit: limitOf(body) }),
      error: { code, status, errors, retryable, retryAfter, message },
    });
    if (status === 401 || status === 403) {
      return fail(
        'KEY_REJECTED',
        req.auth.kind === 'user'
          ? `${op}: OneSignal rejected the organization user auth key (HTTP ${status}). App management needs a valid user auth key: check ${this.keySource.userAuthKey}.`
          : `${op}: OneSignal rejected the REST API key used for app ${req.auth.appId} (HTTP ${status}). This operation needs that app's REST API key: check its entry in ${this.keySource.appKeys}.`,
      );
    }
    if (status === 404) return fail('NOT_FOUND', `${op}: not found${forApp(appId)} (HTTP 404)${detail}`);
    if (status === 409) return fail('CONFLICT', `${op}: conflict${forApp(appId)} (HTTP 409)${detail}`);
    if (status === 429) {
      const wait = retryAfter !== undefined ? ` Retry after ${retryAfter} s.` : '';
      return fail(
        'RATE_LIMITED',
        `${op}: OneSignal rate limit reached${forApp(appId)} (HTTP 429).${wait}`,
        true,
      );
    }
    if (status >= 400 && status < 500) {
      return fail(
        'BAD_REQUEST',
        `${op}: OneSignal rejected the request${forApp(appId)} (HTTP ${status})${detail}`,
      );
    }
    return fail(
      'UPSTREAM_ERROR',
      `${op}: OneSignal failed${forApp(appId)} (HTTP ${status})${detail}`,
      RETRYABLE_STATUS.has(status),
    );
  }
}

/** What one attempt came to. */
export type AttemptResult = { ok: true; data: unknown; status: number } | Failure;

export interface Failure {
  ok: false;
  retryable: boolean;
  /** The answer shows OneSignal did not act on the request (a 4xx, or no connection was made). */
  provesNotActed: boolean;
  /** The limit a 429 names, when it names one. */
  limit?: { name?: unknown; subject?: unknown } | undefined;
  error: FailedAttempt;
}

/** The `limit` object of a 429 body (`{ name, subject }`), if any. */
function limitOf(body: unknown): Failure['limit'] {
  if (!body || typeof body !== 'object') return undefined;
  const limit = (body as { limit?: unknown }).limit;
  return limit && typeof limit === 'object' ? (limit as Failure['limit']) : undefined;
}

export interface FailedAttempt {
  code: OneSignalErrorCode;
  message: string;
  status: number | undefined;
  errors: string[];
  retryable: boolean;
  retryAfter: number | undefined;
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const forApp = (appId: string | undefined) => (appId ? ` for app ${appId}` : '');

function systemErrorCode(error: unknown): string | undefined {
  for (
    let e = error, depth = 0;
    e && typeof e === 'object' && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** `Retry-After` is seconds or an HTTP date; answers in whole seconds. */
export function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export type { KeyKind };
