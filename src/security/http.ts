import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError, type ValidationRule } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { LIMIT_ERROR_CODES } from './limits.js';
import { TRUSTED_DOCUMENT_ERROR_CODES } from './trusted-documents.js';

/**
 * Headers that mark a request as not "simple", so a browser must preflight it (and CORS applies).
 * A form or `text/plain` POST needs one; JSON POSTs and GET queries from GraphQL clients do not.
 */
export const CSRF_HEADERS = ['x-graphql-csrf', 'x-graphql-yoga-csrf'] as const;

/** Body types a cross-site HTML form can send without a preflight. */
const FORM_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * Media types GraphQL clients name in `Accept`; a browser's own GETs (links, images, scripts) never do.
 * `text/event-stream` is how GraphiQL (and any EventSource) asks for a subscription over GET: a page
 * could send it with `fetch` as easily as `application/json`, so it opens nothing more.
 */
const GRAPHQL_ACCEPT = /\bapplication\/(graphql-response\+json|graphql\+json|json)\b|\btext\/event-stream\b/i;

/**
 * Our CSRF policy, from the threat. Cross-site request forgery makes a victim's browser send a request
 * that carries the browser's ambient credentials for this origin: cookies, cached basic auth, client
 * certificates. No auth mode here uses any of them: callers send `Authorization: Bearer` or the
 * `X-OneSignal-*` key headers, and our 401 challenges (`Bearer`, `OneSignal-Key`) never make a
 * browser prompt for and replay credentials. A forged request therefore arrives as an anonymous caller.
 *
 * - A POST must have a JSON body, or carry a CSRF header. Form and `text/plain` POSTs stay refused:
 *   with `AUTH_MODE=none` (local development) an anonymous caller may send notifications, and those
 *   bodies are exactly what a cross-site form can post without a preflight.
 * - A GET runs only queries (mutations over GET get 405), which change nothing, and a forged one
 *   holds no credential, so it gets nothing a direct request from the forging page could not. So GET
 *   queries need no CSRF header when they ask for a GraphQL or JSON answer in `Accept`, as every
 *   GraphQL client does by default (urql sends its queries as GET). A browser's own GETs (an `<img>`,
 *   a `<script>`, a link) accept HTML, images or anything, never JSON by name, and still need the
 *   header, so a page cannot make its visitors' browsers spend this server's OneSignal rate limits.
 */
function csrfPrevention(): Plugin {
  return {
    onRequestParse({ request }) {
      if (CSRF_HEADERS.some((name) => request.headers.has(name))) return;
      if (request.method === 'GET') {
        if (GRAPHQL_ACCEPT.test(request.headers.get('accept') ?? '')) return;
      } else {
        const type = request.headers.get('content-type')?.toLowerCase();
        if (type && !FORM_CONTENT_TYPES.some((form) => type.startsWith(form))) return;
      }
      throw createGraphQLError(
        'Required CSRF header not present: send `x-graphql-csrf: 1`, a JSON body, or (for a GET) `Accept: application/json`.',
        { extensions: { code: 'CSRF_HEADER_REQUIRED', http: { status: 403 } } },
      );
    },
  };
}

/** Codes for errors GraphQL-over-HTTP libraries raise without one (or with a generic one). */
export const HTTP_ERROR_CODES = {
  CSRF_HEADER_REQUIRED:
    'A form or text/plain POST, or a GET whose Accept names no JSON type, came without an `x-graphql-csrf` header; send one, a JSON body, or `Accept: application/json`. HTTP 403.',
  INTROSPECTION_DISABLED: 'Introspection is off (production). HTTP 400.',
} as const;

const LIBRARY_MESSAGES: [RegExp, keyof typeof HTTP_ERROR_CODES][] = [
  [/^GraphQL introspection has been disabled/, 'INTROSPECTION_DISABLED'],
];

// graphql-js phrasings: `Did you mean "name"?`, `Did you mean "a", "b", or "c"?`,
// `Did you mean the enum value "X"?`, `Did you mean to use an inline fragment on "Y"?`.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * Refusals that keep their HTTP status (400) even for clients accepting only `application/json`, to
 * which GraphQL-over-HTTP otherwise answers request errors with 200: limits, trusted documents, and
 * Yoga's BAD_REQUEST (malformed JSON body, bad parameters, GET mutation's 405).
 */
const KEEP_STATUS = new Set<string>([
  ...Object.keys(LIMIT_ERROR_CODES),
  ...Object.keys(TRUSTED_DOCUMENT_ERROR_CODES),
  'BAD_REQUEST',
]);

function rewrite(error: GraphQLError, hideSuggestions: boolean): GraphQLError {
  const extensions: Record<string, unknown> = { ...error.extensions };
  // Yoga attaches the JSON parser's message to malformed bodies, and that message quotes the body.
  delete extensions.originalError;
  const mapped = LIBRARY_MESSAGES.find(([pattern]) => pattern.test(error.message))?.[1];
  if (mapped) extensions.code = mapped;
  const http = extensions.http as { spec?: boolean } | undefined;
  const keepStatus = typeof extensions.code === 'string' && KEEP_STATUS.has(extensions.code) && http?.spec;
  // `spec` lets Yoga downgrade the status to 200 for application/json.
  if (keepStatus) extensions.http = { ...http, spec: false };
  const message = hideSuggestions ? error.message.replace(SUGGESTION, '') : error.message;
  if (message === error.message && !mapped && !keepStatus && !('originalError' in (error.extensions ?? {})))
    return error;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

/** Gives library errors stable codes, drops echoed input and (in production) field suggestions. */
function normaliseErrors(hideSuggestions: boolean): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (!result || typeof result !== 'object' || Array.isArray(result) || !('errors' in result)) return;
      if (!result.errors?.length) return;
      setResult({
        ...result,
        errors: result.errors.map((e) => (e instanceof GraphQLError ? rewrite(e, hideSuggestions) : e)),
      });
    },
  };
}

export interface HttpHygieneOptions {
  /** Hide "Did you mean …?" suggestions, which let anyone map the schema without introspection. */
  hideSuggestions: boolean;
  /** Allow introspection queries (`__schema`, `__type`). */
  introspection: boolean;
}

/**
 * graphql-js 16 validates a `subscription` (or `mutation`) against a schema without that root type
 * and only fails when executing it; refuse it at validation instead (graphql-js 17's
 * KnownOperationTypesRule).
 */
export const knownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(operation) {
    if (context.getSchema().getRootType(operation.operation)) return;
    context.reportError(
      new GraphQLError(`This API does not serve ${operation.operation} operations.`, { nodes: [operation] }),
    );
  },
});

/**
 * CSRF prevention, introspection control and error normalisation. Mutations over GET (405) and
 * malformed bodies (400) are refused by Yoga itself; unexpected errors are masked in `server.ts`.
 */
export function httpHygienePlugins({ hideSuggestions, introspection }: HttpHygieneOptions): Plugin[] {
  return [
    csrfPrevention(),
    ...(introspection ? [] : [useDisableIntrospection() as Plugin]),
    { onValidate: ({ addValidationRule }) => addValidationRule(knownOperationTypesRule) },
    normaliseErrors(hideSuggestions),
  ];
}
