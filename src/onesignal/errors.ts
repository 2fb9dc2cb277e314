/** Which OneSignal credential an operation is signed with. */
export type KeyKind = 'user' | 'app';

/**
 * Stable codes for everything that can go wrong talking to OneSignal. The GraphQL layer maps these
 * to its own error types, so renaming one is a breaking change.
 */
export type OneSignalErrorCode =
  /** OneSignal answered 400: the request itself is wrong. */
  | 'BAD_REQUEST'
  /** OneSignal answered 401/403: the key sent is not valid for this operation or app. */
  | 'KEY_REJECTED'
  /** No key is configured (or could be looked up) for the app or operation. */
  | 'MISSING_KEY'
  | 'NOT_FOUND'
  | 'CONFLICT'
  /** OneSignal's rate limit left no room before the call's deadline; see `retryAfter`. */
  | 'RATE_LIMITED'
  /** OneSignal answered 5xx (or an unexpected status). */
  | 'UPSTREAM_ERROR'
  /** No answer within the per-attempt timeout. */
  | 'TIMEOUT'
  /** The connection failed or was dropped. */
  | 'NETWORK_ERROR';

export interface OneSignalErrorInit {
  code: OneSignalErrorCode;
  message: string;
  operation: string;
  keyKind: KeyKind;
  appId?: string | undefined;
  status?: number | undefined;
  errors?: string[];
  retryable?: boolean;
  retryAfter?: number | undefined;
  attempts?: number;
  mayHaveActed?: boolean;
}

/**
 * The one error type `src/onesignal` throws. It deliberately never holds the request, its headers or
 * the underlying fetch error (whose options include the Authorization header), so logging or
 * serialising it cannot leak a key.
 */
export class OneSignalError extends Error {
  override readonly name = 'OneSignalError';
  readonly code: OneSignalErrorCode;
  /** OneSignal operation id, e.g. `get_notification`. */
  readonly operation: string;
  /** The credential the operation needs: the org user auth key or the app's REST API key. */
  readonly keyKind: KeyKind;
  /** The app the operation was for, when it is app-scoped. */
  readonly appId: string | undefined;
  /** HTTP status of the last answer, absent for timeouts and network errors. */
  readonly status: number | undefined;
  /** OneSignal's own error messages from the response body. */
  readonly errors: string[];
  /** Whether trying again later may succeed. */
  readonly retryable: boolean;
  /** Seconds OneSignal asked us to wait (from `Retry-After`), when it said. */
  readonly retryAfter: number | undefined;
  /** How many attempts were made before giving up. */
  readonly attempts: number;
  /**
   * Whether OneSignal may have carried out the request although no answer said so: some attempt
   * timed out, lost its connection after sending, or got a 5xx. False means nothing was changed.
   */
  readonly mayHaveActed: boolean;

  constructor(init: OneSignalErrorInit) {
    super(init.message);
    this.code = init.code;
    this.operation = init.operation;
    this.keyKind = init.keyKind;
    this.appId = init.appId;
    this.status = init.status;
    this.errors = init.errors ?? [];
    this.retryable = init.retryable ?? false;
    this.retryAfter = init.retryAfter;
    this.attempts = init.attempts ?? 1;
    this.mayHaveActed = init.mayHaveActed ?? false;
  }

  toJSON() {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      operation: this.operation,
      keyKind: this.keyKind,
      appId: this.appId,
      status: this.status,
      errors: this.errors,
      retryable: this.retryable,
      retryAfter: this.retryAfter,
      attempts: this.attempts,
      mayHaveActed: this.mayHaveActed,
    };
  }
}

/** OneSignal error bodies come as strings, `{code,title}` objects, or keyed lists; flatten them to messages. */
export function errorMessagesOf(body: unknown): string[] {
  if (typeof body === 'string') return body.trim() ? [body.trim().slice(0, 500)] : [];
  if (!body || typeof body !== 'object') return [];
  const errors = (body as { errors?: unknown }).errors;
  if (Array.isArray(errors)) {
    return errors.map((e) => {
      if (typeof e === 'string') return e;
      if (e && typeof e === 'object') {
        const { title, message, code } = e as { title?: unknown; message?: unknown; code?: unknown };
        return String(title ?? message ?? code ?? JSON.stringify(e));
      }
      return String(e);
    });
  }
  if (errors && typeof errors === 'object') {
    return Object.entries(errors).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  }
  if (typeof errors === 'string') return [errors];
  return [];
}
