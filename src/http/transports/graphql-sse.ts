import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/** graphql-sse's stream token, as its client sends it (header, or query parameter for EventSource). */
const TOKEN_HEADER = 'x-graphql-event-stream-token';
const TOKEN_PARAM = 'token';

/**
 * Whether a request belongs to graphql-sse's "single connection" mode: the `PUT` that reserves a
 * stream, the `DELETE` that stops one operation, and anything carrying the stream's token. Its
 * "distinct connections" mode is the SSE Yoga already serves, so those requests stay Yoga's.
 */
export function isSingleConnectionSse(request: Request): boolean {
  if (request.method === 'PUT' || request.method === 'DELETE') return true;
  if (request.headers.has(TOKEN_HEADER)) return true;
  const query = request.url.indexOf('?');
  return query !== -1 && new URLSearchParams(request.url.slice(query + 1)).has(TOKEN_PARAM);
}

/**
 * graphql-sse's single-connection protocol on the same endpoint as everything else (the plugin's own
 * default is a separate `/graphql/stream`). Plugins listed before it (sizes, authentication) have
 * already accepted the request; operations run through Yoga's envelop, so scopes, app allow-lists,
 * limits and the subscription caps apply as on any other transport.
 */
export function graphqlSsePlugin(graphqlEndpoint: string): Plugin {
  const plugin = useGraphQLSSE({ endpoint: graphqlEndpoint }) as Plugin;
  const onRequest = plugin.onRequest;
  return {
    ...plugin,
    onRequest(payload) {
      if (!onRequest || !isSingleConnectionSse(payload.request)) return;
      const { endResponse, fetchAPI } = payload;
      // An operation refused while parsing (trusted documents) throws out of graphql-sse's handler,
      // which would be a masked 500: answer 400 with the error instead, as over plain HTTP.
      return Promise.resolve(onRequest(payload)).catch((error: unknown) => {
        if (!(error instanceof GraphQLError)) throw error;
        const { http: _http, ...extensions } = error.extensions ?? {};
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message: error.message, extensions }] }), {
            status: 400,
            headers: { 'content-type': 'application/json; charset=utf-8' },
          }),
        );
      });
    },
    // graphql-sse takes a result without `data` for execution arguments ("Unable to detect operation
    // AST", HTTP 400): a subscription refused before its stream (FORBIDDEN, a cap) gets `data: null`.
    onSubscribe({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (!request || !isSingleConnectionSse(request)) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result) && !('data' in result)) setResult({ data: null, ...result });
        },
      };
    },
  };
}
