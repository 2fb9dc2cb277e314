import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LIMIT_ERROR_CODES } from './limits.js';
import { TRUSTED_DOCUMENT_ERROR_CODES } from './trusted-documents.js';

/**
 * Headers that mark a request as not "simple", so a browser must preflight it (and CORS applies).
 * Requests with a non-simple content type, such as `application/json` (GraphiQL, every GraphQL client),
 * need none of them; a form post or a plain GET does.
 */
export const CSRF_HEADERS = ['x-graphql-csrf', 'x-graphql-yoga-csrf'] as const;

/** Codes for errors GraphQL-over-HTTP libraries raise without one (or with a generic one). */
export const HTTP_ERROR_CODES = {
  CSRF_HEADER_REQUIRED:
    'A simple (form or GET) request came without an `x-graphql-csrf` header; send one, or a JSON body. HTTP 403.',
  INTROSPECTION_DISABLED: 'Introspection is off (production). HTTP 400.',
} as const;

const LIBRARY_MESSAGES: [RegExp, keyof typeof HTTP_ERROR_CODES][] = [
  [/^Required CSRF header/, 'CSRF_HEADER_REQUIRED'],
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
    useCSRFPrevention({ requestHeaders: [...CSRF_HEADERS] }),
    ...(introspection ? [] : [useDisableIntrospection() as Plugin]),
    { onValidate: ({ addValidationRule }) => addValidationRule(knownOperationTypesRule) },
    normaliseErrors(hideSuggestions),
  ];
}
