import type { Plugin } from 'graphql-yoga';
import { discardBody } from '../security/request-limits.js';
import { authenticate, UnauthenticatedError } from './authenticate.js';
import type { Caller } from './caller.js';
import type { AuthConfig } from './config.js';

const callers = new WeakMap<Request, Caller>();

/**
 * Authenticates each GraphQL request once, before its body is read or parsed, and answers 401 with a
 * GraphQL-over-HTTP error body when that fails. The GraphiQL page and CORS preflights need no caller.
 */
export function authenticationPlugin(config: AuthConfig, graphqlEndpoint: string): Plugin {
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      if (url.pathname !== graphqlEndpoint || request.method === 'OPTIONS') return;
      if (request.method === 'GET' && request.headers.get('accept')?.includes('text/html')) return;
      try {
        callers.set(request, await authenticate(request, config));
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        await discardBody(request.body as ReadableStream<Uint8Array> | null);
        const accept = request.headers.get('accept') ?? '';
        endResponse(
          new fetchAPI.Response(
            JSON.stringify({ errors: [{ message: error.message, extensions: { code: 'UNAUTHENTICATED' } }] }),
            {
              status: 401,
              headers: {
                'content-type': accept.includes('application/graphql-response+json')
                  ? 'application/graphql-response+json; charset=utf-8'
                  : 'application/json; charset=utf-8',
                'www-authenticate': error.challenge,
              },
            },
          ),
        );
      }
    },
  };
}

/**
 * The caller `authenticationPlugin` established for this request; authenticates it now when another
 * plugin replaced the request object on the way (throws `UnauthenticatedError`, answered as 401).
 */
export async function callerOf(request: Request, config: AuthConfig): Promise<Caller> {
  return callers.get(request) ?? authenticate(request, config);
}
