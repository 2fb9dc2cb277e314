import type { Plugin } from 'graphql-yoga';
import { httpHygienePlugins } from './http.js';
import {
  DEFAULT_LIMITS,
  loadQueryLimits,
  type QueryLimits,
  queryLimitPlugins,
  readPositiveInts,
} from './limits.js';
import {
  DEFAULT_REQUEST_LIMITS,
  REQUEST_LIMIT_ENV,
  type RequestLimits,
  requestLimitsPlugin,
} from './request-limits.js';
import {
  loadTrustedDocuments,
  type TrustedDocuments,
  trustedDocumentsPlugin,
  trustedSourcesOnlyPlugin,
} from './trusted-documents.js';

export { CSRF_HEADERS, HTTP_ERROR_CODES } from './http.js';
export { DEFAULT_LIMITS, LIMIT_ENV, LIMIT_ERROR_CODES, PAGE_SIZES, type QueryLimits } from './limits.js';
export {
  DEFAULT_REQUEST_LIMITS,
  REQUEST_LIMIT_ENV,
  REQUEST_LIMIT_ERROR_CODES,
  type RequestLimits,
} from './request-limits.js';
export {
  loadTrustedDocuments,
  TRUSTED_DOCUMENT_ERROR_CODES,
  type TrustedDocuments,
  trustedDocumentsFrom,
} from './trusted-documents.js';

/** The `security` option of `createGraphQLServer`; every field has a safe default. */
export interface SecurityOptions {
  /** Query limits; each omitted one takes its `DEFAULT_LIMITS` value. */
  limits?: Partial<QueryLimits>;
  /** Body, document and operation-name sizes; each omitted one takes its `DEFAULT_REQUEST_LIMITS` value. */
  requestLimits?: Partial<RequestLimits>;
  /** Production defaults: no introspection, no GraphiQL, no field suggestions (default false). */
  production?: boolean;
  /** Allow introspection (default: not in production). */
  introspection?: boolean;
  /** Serve GraphiQL (default: not in production). */
  graphiql?: boolean;
  /** When set, only these documents run (trusted documents / persisted operations). */
  trustedDocuments?: TrustedDocuments;
  /**
   * Origins whose browser pages may call the API (CORS), or `*` for any. None by default: a page on
   * another origin cannot read answers or send JSON (its preflight gets no permission), so a site a
   * developer visits cannot use a server running with AUTH_MODE=none on their machine.
   */
  corsOrigins?: readonly string[] | '*';
}

export interface ResolvedSecurity {
  limits: QueryLimits;
  requestLimits: RequestLimits;
  production: boolean;
  introspection: boolean;
  graphiql: boolean;
  trustedDocuments: TrustedDocuments | undefined;
  corsOrigins: readonly string[] | '*';
}

export function resolveSecurity(options: SecurityOptions = {}): ResolvedSecurity {
  const production = options.production ?? false;
  return {
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    requestLimits: { ...DEFAULT_REQUEST_LIMITS, ...options.requestLimits },
    production,
    introspection: options.introspection ?? !production,
    graphiql: options.graphiql ?? !production,
    trustedDocuments: options.trustedDocuments,
    corsOrigins: options.corsOrigins ?? [],
  };
}

/** Yoga plugins for `security`, in the order they must run. */
export function securityPlugins(security: ResolvedSecurity): Plugin[] {
  return [
    // Sizes first: nothing else should read, parse or look up a request that is too big.
    requestLimitsPlugin(security.requestLimits),
    ...httpHygienePlugins({ hideSuggestions: security.production, introspection: security.introspection }),
    ...(security.trustedDocuments
      ? [
          trustedDocumentsPlugin(security.trustedDocuments),
          trustedSourcesOnlyPlugin(security.trustedDocuments),
        ]
      : []),
    ...queryLimitPlugins(security.limits),
  ];
}

/** `CORS_ORIGINS`: `*`, or comma-separated origins such as `https://app.example.com`. */
function readCorsOrigins(value: string): readonly string[] | '*' {
  if (value === '*') return '*';
  return value.split(',').map((origin) => {
    const trimmed = origin.trim().replace(/\/+$/, '');
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new Error('CORS_ORIGINS must be * or comma-separated origins such as https://app.example.com.');
    }
    if (url.origin !== trimmed)
      throw new Error(
        'CORS_ORIGINS must list origins only (scheme, host and port, no path), such as https://app.example.com.',
      );
    return trimmed;
  });
}

function readBoolean(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = env[name]?.trim().toLowerCase();
  if (!value) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new Error(`${name} must be true or false.`);
}

/**
 * Reads the security settings from the environment:
 *
 * - `NODE_ENV=production`: production defaults (no introspection, GraphiQL or field suggestions)
 * - `GRAPHQL_INTROSPECTION`, `GRAPHIQL`: true/false, override those defaults
 * - `LIMIT_MAX_DEPTH`, `LIMIT_MAX_ALIASES`, `LIMIT_MAX_TOKENS`, `LIMIT_MAX_DIRECTIVES`,
 *   `LIMIT_MAX_COST`, `LIMIT_MAX_BODY_BYTES`, `LIMIT_MAX_DOCUMENT_BYTES`, `LIMIT_MAX_OPERATION_NAME`:
 *   positive integers
 * - `TRUSTED_DOCUMENTS`: path of a persisted-documents.json manifest; only its documents run
 *
 * Errors name the variable, never its value.
 */
export function loadSecurityConfig(env: NodeJS.ProcessEnv = process.env): SecurityOptions {
  const production = env.NODE_ENV?.trim() === 'production';
  const introspection = readBoolean(env, 'GRAPHQL_INTROSPECTION');
  const graphiql = readBoolean(env, 'GRAPHIQL');
  const manifest = env.TRUSTED_DOCUMENTS?.trim();
  const cors = env.CORS_ORIGINS?.trim();
  return {
    production,
    limits: loadQueryLimits(env),
    requestLimits: readPositiveInts(env, REQUEST_LIMIT_ENV, DEFAULT_REQUEST_LIMITS),
    ...(introspection !== undefined && { introspection }),
    ...(graphiql !== undefined && { graphiql }),
    ...(manifest && { trustedDocuments: loadTrustedDocuments(manifest) }),
    ...(cors && { corsOrigins: readCorsOrigins(cors) }),
  };
}
