import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher } from 'undici';

/**
 * The `fetch` our ofetch instance calls (transport.ts): one undici dispatch on a keep-alive agent,
 * answering with the part of a Response that ofetch and the transport read: status, ok, headers.get
 * and the body as text. Node 20's global fetch is undici too, but builds WHATWG Request, Response,
 * Headers, AbortController and stream objects for every call: on loopback it cost about three times
 * the CPU of undici's own API per call and a quarter of a millisecond more latency, and a
 * read-through layer makes one such call per uncached read.
 *
 * ofetch hands its options through: `method`, `headers` (a `Headers`), `body` (JSON already
 * stringified) and our `attemptTimeoutMs`, which replaces ofetch's `timeout`: that one makes an
 * AbortController per call (in Node 20, ~25 µs each), where a plain timer and the dispatch's own
 * abort do the same. undici's header and body timeouts are no substitute: they tick every half second.
 */
export interface UndiciFetchInit {
  method?: string;
  headers?: Headers;
  body?: string;
  /** No whole answer this long after the call: the attempt is aborted with AttemptTimeoutError. */
  attemptTimeoutMs?: number;
}

/** What ofetch reads of a response (and what the transport reads of ofetch's answer). */
export interface UndiciResponse {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  /** The body as text; ofetch parses it only when it is not empty. */
  body: string;
  text(): Promise<string>;
}

/** The error an attempt ends with when `attemptTimeoutMs` passes first: the transport reports TIMEOUT. */
export class AttemptTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** `connectTimeoutMs`: a connection not made by then fails with UND_ERR_CONNECT_TIMEOUT (nothing was sent). */
export function undiciFetch({
  connectTimeoutMs,
}: {
  connectTimeoutMs: number;
}): (url: string, init?: UndiciFetchInit) => Promise<UndiciResponse> {
  const agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: connectTimeoutMs } });
  return (url, init = {}) =>
    new Promise<UndiciResponse>((resolve, reject) => {
      const { origin, pathname, search } = new URL(url);
      const headers: Record<string, string> = {};
      init.headers?.forEach((value, name) => {
        headers[name] = value;
      });
      const chunks: Buffer[] = [];
      let status = 0;
      let responseHeaders: IncomingHttpHeaders = {};
      let controller: Dispatcher.DispatchController | undefined;
      let settled = false;
      let timedOut: AttemptTimeoutError | undefined;
      const timeoutMs = init.attemptTimeoutMs;
      // From the call on, as ofetch's own timeout was: a connection still being made counts too.
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = new AttemptTimeoutError(timeoutMs);
              controller?.abort(timedOut);
              settle(() => reject(timedOut));
            }, timeoutMs);
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        finish();
      };
      agent.dispatch(
        {
          origin,
          path: pathname + search,
          method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
          headers,
          ...(init.body !== undefined && { body: init.body }),
        },
        {
          onRequestStart(started) {
            controller = started;
            if (timedOut) started.abort(timedOut);
          },
          onResponseStart(_controller, statusCode, answerHeaders) {
            status = statusCode;
            responseHeaders = answerHeaders;
          },
          onResponseData(_controller, chunk) {
            chunks.push(chunk);
          },
          onResponseEnd() {
            const text = Buffer.concat(chunks).toString('utf8');
            settle(() =>
              resolve({
                status,
                ok: status >= 200 && status < 300,
                headers: { get: (name) => headerValue(responseHeaders, name) },
                body: text,
                text: () => Promise.resolve(text),
              }),
            );
          },
          onResponseError(_controller, error) {
            settle(() => reject(error));
          },
        },
      );
    });
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name.toLowerCase()];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}
