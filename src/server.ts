import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import {
  type AuthConfig,
  appAccessPreflightPlugin,
  authenticationPlugin,
  callerOf,
  PASSTHROUGH_KEY_SOURCE,
  restrictClient,
} from './auth/index.js';
import { GRAPHIQL_ASSET_PATH, graphiqlOptions, renderGraphiQL, serveGraphiQLAsset } from './graphiql.js';
import { createLoaders } from './loaders/index.js';
import type { Observability } from './observability/index.js';
import type { Readiness } from './observability/readiness.js';
import { DEFAULT_API_URL } from './onesignal/client.js';
import { DeliveryWatch } from './onesignal/delivery-watch.js';
import { ExportReadiness } from './onesignal/export-readiness.js';
import {
  type OneSignalClient,
  type OneSignalClientOptions,
  OneSignalError,
  passthroughClient,
  withFreshReads,
} from './onesignal/index.js';
import type { Context } from './schema/context.js';
import { ApiError, toApiError } from './schema/errors.js';
import { schema } from './schema/index.js';
import { resolveSecurity, type SecurityOptions, securityPlugins } from './security/index.js';

export interface GraphQLServerOptions {
  client: OneSignalClient;
  /** How callers authenticate; `{ mode: 'none' }` (every scope, every app) when omitted. */
  auth?: AuthConfig;
  /**
   * The options `client` was built with. Passthrough mode needs them: it builds a client per request
   * from these options and the caller's own keys.
   */
  clientOptions?: OneSignalClientOptions;
  /** Query GraphiQL opens with; `defaultGraphiQLQuery(appId)` when omitted. */
  defaultQuery?: string;
  /** Query limits, production flags and trusted documents; safe defaults when omitted. */
  security?: SecurityOptions;
  /** Logs, metrics and traces; without it, warnings and errors go to the console and there is no /metrics. */
  observability?: Observability;
  /** Answers `/ready`; without it, `/ready` answers like `/health`. */
  readiness?: Readiness;
  /** The shared poll behind `notificationDelivery`; an in-memory one when omitted. */
  deliveryWatch?: DeliveryWatch;
  /** Checks whether export files are ready; one allowing the client's API origin when omitted. */
  exportReadiness?: ExportReadiness;
}

export interface GraphQLServer {
  yoga: YogaServerInstance<Record<string, never>, Context>;
  server: Server;
}

/** What GraphiQL shows first: an app with a few notifications, their delivery statistics and outcomes. */
export function defaultGraphiQLQuery(appId = '11111111-1111-4111-8111-111111111111'): string {
  return `# onesignal-graphql: every type, field and argument is documented (Docs panel, top left).
query AppOverview {
  app(id: "${appId}") {
    id
    name
    messageablePlayerCount
    notifications(first: 5) {
      totalCount
      nodes {
        id
        status
        queuedAt
        heading
        content(language: "en")
        successfulCount
        failedCount
        convertedCount
        platformDeliveryStats {
          platform
          successfulCount
        }
        outcomes {
          name
          aggregation
          value
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
`;
}

/**
 * GraphQL's own request errors (syntax, unknown fields, variables or literals that fail a scalar such
 * as UUID or DateTime) carry no code; give them VALIDATION_FAILED so every error a client sees has one.
 */
const codeEveryError: Plugin = {
  onResultProcess({ result, setResult }) {
    if (
      !result ||
      typeof result !== 'object' ||
      Array.isArray(result) ||
      !('errors' in result) ||
      !result.errors?.length
    )
      return;
    setResult({
      ...result,
      errors: result.errors.map((error) => {
        if (!(error instanceof GraphQLError) || error.extensions?.code) return error;
        return new GraphQLError(error.message, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          originalError: error.originalError,
          extensions: { ...error.extensions, code: 'VALIDATION_FAILED' },
        });
      }),
    });
  },
};

/**
 * Typed errors (bad input, unknown ids) and request errors (syntax, validation) are answers, not
 * server faults, so they are not logged. Upstream failures get one line (OneSignalError messages
 * never hold a key); the rest is a bug, logged with its stack.
 */
function logUnexpected(args: unknown[], logger?: Logger) {
  const [first] = args;
  const original = first instanceof GraphQLError ? (first.originalError ?? first) : first;
  // ApiError included: a GraphQLError with no other cause is the client's mistake, not ours.
  if (original instanceof GraphQLError) return;
  if (original instanceof OneSignalError) {
    if (logger) logger.warn({ code: original.code, operation: original.operation }, original.message);
    else console.warn(`[upstream] ${original.code}: ${original.message}`);
    return;
  }
  if (logger) logger.error({ err: original instanceof Error ? original : undefined }, describe(args));
  else console.error(...args);
}

const describe = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');

/** Builds the HTTP server without listening, so tests can listen on port 0. */
export function createGraphQLServer({
  client,
  auth = { mode: 'none' },
  clientOptions,
  defaultQuery,
  security,
  observability,
  readiness,
  deliveryWatch = new DeliveryWatch(),
  exportReadiness,
}: GraphQLServerOptions): GraphQLServer {
  const resolvedSecurity = resolveSecurity(security);
  if (auth.mode === 'passthrough' && !clientOptions)
    throw new Error("Passthrough auth needs `clientOptions` to build each caller's client.");
  const graphqlEndpoint = '/graphql';
  const exports =
    exportReadiness ?? new ExportReadiness({ apiUrl: clientOptions?.apiUrl ?? DEFAULT_API_URL });
  const yoga = createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint,
    // Yoga's default reflects any Origin; only the configured ones (CORS_ORIGINS) get permission.
    cors:
      resolvedSecurity.corsOrigins === '*'
        ? { origin: '*', credentials: false }
        : resolvedSecurity.corsOrigins.length
          ? { origin: [...resolvedSecurity.corsOrigins], credentials: false }
          : false,
    // Yoga answers any URL that merely ends with its health path (`/graphql/health`, `?x=/health`);
    // `routeRequest` answers `/health` itself, so Yoga's check gets a path no request URL can end with.
    healthCheckEndpoint: '/health#',
    // Bodies are bounded by `requestLimitsPlugin` (LIMIT_MAX_BODY_BYTES): a declared Content-Length is
    // checked before reading, which Node then holds the body to, and only chunked bodies are counted as
    // they stream. Yoga's own limit piped every body through a TransformStream, about 7 % of a cached
    // request's CPU, to enforce a looser bound (25 MB) than ours.
    maxRequestBodySize: false,
    landingPage: false,
    graphiql: resolvedSecurity.graphiql
      ? graphiqlOptions('onesignal-graphql', defaultQuery ?? defaultGraphiQLQuery())
      : false,
    // A small page whose assets (cached, compressed) are served by `routeRequest`; see src/graphiql.ts.
    renderGraphiQL,
    context: async ({ request }) => {
      const caller = await callerOf(request, auth);
      const keys = caller.oneSignalKeys;
      // Passthrough: the caller's keys replace any held by the server. Their client is pooled per key
      // set (by a hash of the keys), so its rate budgets and Retry-After pauses outlive the request.
      const base = keys
        ? passthroughClient(clientOptions as OneSignalClientOptions, keys, PASSTHROUGH_KEY_SOURCE)
        : client;
      const scoped = restrictClient(base, caller);
      return { caller, client: scoped, loaders: createLoaders(scoped), delivery: deliveryWatch, exports };
    },
    // CSRF, trusted documents and limits first: they refuse requests without looking at the caller.
    plugins: [
      ...securityPlugins(resolvedSecurity),
      authenticationPlugin(auth, graphqlEndpoint),
      appAccessPreflightPlugin(),
      codeEveryError,
      ...(observability?.plugins() ?? []),
    ],
    logging: observability
      ? {
          debug: () => {},
          info: (...args) => observability.logger.info(describe(args)),
          warn: (...args) => observability.logger.warn(describe(args)),
          error: (...args) => logUnexpected(args, observability.logger),
        }
      : {
          debug: () => {},
          info: (...args) => console.info(...args),
          warn: (...args) => console.warn(...args),
          error: (...args) => logUnexpected(args),
        },
    maskedErrors: {
      // Safety net: an upstream failure that no resolver converted still reaches the client typed, with
      // a code and an actionable message, instead of a bare "Unexpected error.".
      maskError(error, message, isDev) {
        if (error instanceof GraphQLError) {
          if (error.originalError instanceof ApiError) return error;
          const mapped = toApiError(error.originalError);
          if (mapped instanceof ApiError) {
            return new GraphQLError(mapped.message, {
              nodes: error.nodes,
              path: error.path,
              extensions: mapped.extensions,
            });
          }
        }
        const masked = maskError(error, message, isDev);
        // Anything else is a bug: keep it masked, but still coded. (Unmasked GraphQL request errors get
        // their code from `codeEveryError`.)
        if (masked !== error && masked instanceof GraphQLError && !masked.extensions?.code) {
          return new GraphQLError(masked.message, {
            nodes: masked.nodes,
            path: masked.path,
            extensions: { ...masked.extensions, code: 'INTERNAL_SERVER_ERROR' },
          });
        }
        return masked;
      },
    },
  });
  const routes = routeRequest(yoga, {
    graphqlEndpoint,
    graphiql: resolvedSecurity.graphiql,
    observability,
    readiness,
    metrics: observability ? metricsAccess(observability, resolvedSecurity.production) : 'off',
  });
  return { yoga, server: createServer(routes) };
}

/**
 * The server's routes, matched on the exact path: `/graphql` (Yoga), `/health`, and `/`, which leads a
 * person to GraphiQL (or says where the endpoint is); anything else is a JSON 404 naming the endpoint.
 */
interface Routes {
  graphqlEndpoint: string;
  graphiql: boolean;
  observability: Observability | undefined;
  readiness: Readiness | undefined;
  /** Who may read `/metrics` on this port. */
  metrics: MetricsAccess;
}

/**
 * `/metrics` on the GraphQL port: behind `METRICS_TOKEN` when one is set; nowhere when `METRICS_PORT`
 * moves it to a port of its own; open outside production; and in production without a token, not
 * served (the answer says how to enable it).
 */
type MetricsAccess = 'off' | 'open' | { token: Buffer } | { refuse: string };

function metricsAccess(observability: Observability, production: boolean): MetricsAccess {
  const { metricsPort, metricsToken } = observability.config;
  if (metricsPort !== undefined) return 'off';
  if (metricsToken) return { token: Buffer.from(metricsToken) };
  if (production)
    return { refuse: 'Metrics are not served in production without METRICS_TOKEN or METRICS_PORT.' };
  return 'open';
}

function bearerMatches(req: IncomingMessage, token: Buffer): boolean {
  const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  if (!given) return false;
  const bytes = Buffer.from(given);
  return bytes.length === token.length && timingSafeEqual(bytes, token);
}

/** Serves the Prometheus text format of `observability`'s registry. */
export async function serveMetrics(observability: Observability, res: ServerResponse): Promise<void> {
  const body = await observability.metrics.registry.metrics();
  res.writeHead(200, { 'content-type': observability.metrics.registry.contentType });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

/**
 * The server's routes, matched on the exact path: `/graphql` (Yoga), `/health` (alive), `/ready`
 * (able to serve: OneSignal answers and accepts the key), `/metrics`, and `/`, which leads a person to
 * GraphiQL (or says where the endpoint is); anything else is a JSON 404 naming the endpoint.
 */
function routeRequest(yoga: (req: IncomingMessage, res: ServerResponse) => unknown, routes: Routes) {
  const { graphqlEndpoint, graphiql, observability, readiness, metrics } = routes;
  const readOnly = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' || req.method === 'HEAD') return true;
    json(res, 405, { status: 'method not allowed' }, { allow: 'GET, HEAD' });
    return false;
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (path === graphqlEndpoint) {
      const serve = () =>
        observability ? observability.handle(req, res, () => yoga(req, res)) : yoga(req, res);
      // `Cache-Control: no-cache`: answers from OneSignal itself, which then refresh the shared cache.
      return /\bno-cache\b/i.test(req.headers['cache-control'] ?? '') ? withFreshReads(serve) : serve();
    }
    if (path === '/health') return readOnly(req, res) && json(res, 200, { status: 'ok' });
    if (path === '/ready') {
      if (!readOnly(req, res)) return;
      if (!readiness) return json(res, 200, { status: 'ready' });
      return readiness.state().then((state) =>
        json(res, state.ready ? 200 : 503, {
          status: state.ready ? 'ready' : 'not ready',
          checkedAt: state.checkedAt,
          ...(state.reason && { reason: state.reason }),
        }),
      );
    }
    if (path === '/metrics' && observability && metrics !== 'off') {
      if (!readOnly(req, res)) return;
      if (metrics === 'open') return serveMetrics(observability, res);
      if ('refuse' in metrics) return json(res, 404, { status: 'not served', reason: metrics.refuse });
      if (!bearerMatches(req, metrics.token))
        return json(
          res,
          401,
          { status: 'unauthorized', reason: 'Send Authorization: Bearer <METRICS_TOKEN>.' },
          { 'www-authenticate': 'Bearer' },
        );
      return serveMetrics(observability, res);
    }
    if (graphiql && path.startsWith(GRAPHIQL_ASSET_PATH)) return serveGraphiQLAsset(req, res, path);
    if (path === '/' && graphiql && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(302, { location: graphqlEndpoint, 'content-type': 'text/plain; charset=utf-8' });
      return res.end(`GraphiQL is at ${graphqlEndpoint}\n`);
    }
    const where = `The GraphQL endpoint is ${graphqlEndpoint}${graphiql ? ' (open it in a browser for GraphiQL)' : ' (POST JSON: {"query": "…"})'}.`;
    return json(res, 404, {
      errors: [{ message: `Nothing here. ${where}`, extensions: { code: 'NOT_FOUND' } }],
    });
  };
}
