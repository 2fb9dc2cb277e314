import { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/**
 * Apollo's multipart subscription protocol: what Apollo Client's `HttpLink` asks for by default
 * (`Accept: multipart/mixed;subscriptionSpec=1.0`), and what Apollo Kotlin and iOS speak. Yoga's own
 * `multipart/mixed` is incremental delivery, whose parts are bare results; Apollo wants each event
 * wrapped as `{"payload": …}`, empty `{}` parts as heartbeats, and an error that ends the stream as
 * `{"payload": null, "errors": […]}`. No maintained Yoga plugin speaks it, so this one does.
 */
const BOUNDARY = 'graphql';
const PART = `\r\n--${BOUNDARY}\r\ncontent-type: application/json; charset=utf-8\r\n\r\n`;
const END = `\r\n--${BOUNDARY}--\r\n`;

/** Whether `accept` names Apollo's subscription multipart ahead of SSE (an `Accept` lists by preference). */
export function wantsApolloMultipart(accept: string | null): boolean {
  if (!accept) return false;
  for (const entry of accept.toLowerCase().split(',')) {
    const [type, ...params] = entry.split(';').map((part) => part.trim());
    if (type === 'text/event-stream') return false;
    if (type === 'multipart/mixed' && params.some((p) => p.replace(/"/g, '') === 'subscriptionspec=1.0'))
      return true;
  }
  return false;
}

/** A result as clients see it: Yoga's internal `extensions.http` (status, headers) left out. */
function publicJson(value: unknown): string {
  return JSON.stringify(value, (key, v) => {
    if (v instanceof GraphQLError) {
      const { http: _http, ...extensions } = v.extensions ?? {};
      return { ...v.toJSON(), ...(Object.keys(extensions).length && { extensions }) };
    }
    return key === 'http' ? undefined : v;
  });
}

/** Serves a subscription's stream as Apollo multipart when the request asks for it; see above. */
export function apolloMultipartPlugin(heartbeatMs: number): Plugin {
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (!isAsyncIterable(result) || !wantsApolloMultipart(request.headers.get('accept'))) return;
      setResultProcessor((stream, fetchAPI) => {
        const iterator = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
        const encoder = new fetchAPI.TextEncoder();
        let heartbeat: ReturnType<typeof setInterval> | undefined;
        const body = new fetchAPI.ReadableStream<Uint8Array>({
          start(controller) {
            // A first heartbeat flushes the headers, so the client knows the subscription is open.
            controller.enqueue(encoder.encode(`${PART}{}`));
            heartbeat = setInterval(() => {
              if (controller.desiredSize === null) return clearInterval(heartbeat);
              controller.enqueue(encoder.encode(`${PART}{}`));
            }, heartbeatMs);
          },
          async pull(controller) {
            try {
              const step = await iterator.next();
              if (step.done) {
                clearInterval(heartbeat);
                controller.enqueue(encoder.encode(END));
                controller.close();
                return;
              }
              controller.enqueue(encoder.encode(`${PART}${publicJson({ payload: step.value })}`));
            } catch {
              // A stream that fails after it opened: a transport-level error, then the end.
              clearInterval(heartbeat);
              const error = {
                message: 'The subscription failed.',
                extensions: { code: 'INTERNAL_SERVER_ERROR' },
              };
              controller.enqueue(
                encoder.encode(`${PART}${publicJson({ payload: null, errors: [error] })}${END}`),
              );
              controller.close();
            }
          },
          async cancel() {
            clearInterval(heartbeat);
            await iterator.return?.();
          },
        });
        return new fetchAPI.Response(body, {
          status: 200,
          headers: {
            'content-type': `multipart/mixed;boundary="${BOUNDARY}";subscriptionSpec="1.0"`,
            'cache-control': 'no-cache',
            // Proxies (nginx) stream the parts instead of buffering them.
            'x-accel-buffering': 'no',
          },
        });
      }, 'multipart/mixed');
    },
  };
}
