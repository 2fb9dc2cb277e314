/**
 * What one OneSignal operation is, on the wire: method, encoded path, query, body, which key signs it
 * and whether repeating it is safe. Resource modules describe their calls with these; whatever carries
 * them out (the shared upstream layer, src/upstream/) implements `Requester`.
 */

export const DEFAULT_API_URL = 'https://api.onesignal.com';

export interface KeySource {
  userAuthKey: string;
  appKeys: string;
}

/** Keys from the environment (`src/config.ts`). */
export const ENV_KEY_SOURCE: KeySource = {
  userAuthKey: 'ONESIGNAL_USER_AUTH_KEY',
  appKeys: 'ONESIGNAL_APP_KEYS',
};

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type OperationAuth = { kind: 'user' } | { kind: 'app'; appId: string };

/**
 * `idempotent`: repeating the call cannot change the outcome, so 429, 5xx, timeouts and dropped
 * connections are all retried. `unsafe`: OneSignal may have acted on a request whose answer we lost,
 * so only answers that prove it did not act (429, connection refused) are retried.
 */
export type RetryPolicy = 'idempotent' | 'unsafe';

export interface OperationRequest {
  /** OneSignal operation id, used in errors, metrics and the emulator's stats. */
  operation: string;
  method: HttpMethod;
  /** Built with `path` so every segment is encoded. */
  path: string;
  /** A list is sent as the parameter repeated (`app_ids=a&app_ids=b`), as OneSignal's list filters take it. */
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  body?: unknown;
  auth: OperationAuth;
  retry: RetryPolicy;
}

export const userAuth: OperationAuth = { kind: 'user' };
export const appAuth = (appId: string): OperationAuth => ({ kind: 'app', appId });

/** Template tag that percent-encodes every interpolated path segment (alias ids can be emails). */
export function path(strings: TemplateStringsArray, ...segments: (string | number)[]): string {
  return strings.reduce(
    (out, s, i) => out + s + (i < segments.length ? encodeURIComponent(segments[i] as string | number) : ''),
    '',
  );
}

/** What the resource modules need from whoever carries out their requests. */
export interface Requester {
  /** Performs one OneSignal operation and returns its parsed body (undefined for empty answers). */
  request<T>(req: OperationRequest, options?: { keyLookup?: boolean }): Promise<T>;
  /** Adds a key seen in an answer (an app's `basic_auth_key`, a new API key's token) to those redacted. */
  rememberSecret(key: string | null | undefined): void;
  /** Whether calls for `appId` can be made, known without reading the app when possible. */
  appKnown(appId: string): Promise<boolean>;
  /**
   * Takes `data` as the answer to the read `read` for a few seconds, as if OneSignal had just given it:
   * what a write has just made known (the notification a send created, the template a write
   * returned), so reading it right after costs no request. Held where `read`'s own answer would be,
   * under the key that would sign it, until OneSignal's answer replaces it. Never fails: a snapshot
   * that cannot be held is left out.
   */
  seed(read: OperationRequest, data: unknown): Promise<void>;
  /**
   * Records that a send went out with idempotency key `key` and a body whose digest is `digest`.
   * False when the key was sent before with another body: OneSignal then answers with the earlier
   * send's notification, so this body says nothing about what it holds. Bounded memory, per client.
   */
  claimIdempotencyKey(key: string, digest: string): boolean;
}
