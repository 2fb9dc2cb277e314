import { createServer, type Server } from 'node:http';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import {
  type AuthConfig,
  appAccessPreflightPlugin,
  authenticationPlugin,
  callerOf,
  PASSTHROUGH_KEY_SOURCE,
  restrictClient,
} from '../auth/index.js';
import { DeliveryWatch } from '../live/delivery-watch.js';
import { type EventStreams, memoryHub } from '../live/event-streams/index.js';
import { ExportReadiness } from '../live/export-readiness.js';
import { createLoaders } from '../loaders/index.js';
import { clientRequestId, type Observability, recordOf } from '../observability/index.js';
import type { Readiness } from '../observability/readiness.js';
import type { OneSignalClient } from '../onesignal/index.js';
import { DEFAULT_API_URL } from '../onesignal/request.js';
import type { Context } from '../schema/context.js';
import { schema } from '../schema/index.js';
import { resolveSecurity, type SecurityOptions, securityPlugins } from '../security/index.js';
import {
  type OneSignalClientOptions,
  passthroughClient,
  scopedClient,
  type UpstreamScope,
} from '../upstream/index.js';
import { codeEveryError, maskedErrors, yogaLogging } from './errors.js';
import { type EventStreamsConfig, eventStreamsHandler } from './event-streams.js';
import { defaultGraphiQLQuery, graphiqlOptions, renderGraphiQL } from './graphiql.js';
import { oneOfErrors } from './one-of-errors.js';
import { queryDeadlinePlugin } from './query-deadline.js';
import { metricsAccess, routeRequest } from './routes.js';
import { closingOnShutdown, Draining } from './shutdown.js';
import { DEFAULT_TRANSPORT_OPTIONS, type TransportOptions } from './transports/config.js';
import { graphqlSsePlugin } from './transports/graphql-sse.js';
import { apolloMultipartPlugin } from './transports/multipart.js';
import { OpenSubscriptions } from './transports/subscriptions.js';
import { attachWebSockets } from './transports/websocket.js';

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
  /**
   * OneSignal's Event Streams: the ingest route (`config`) and where its events go (`messageEvents`).
   * Without it, no route; `messageEvents` then follows an in-memory hub that nothing publishes to.
   */
  eventStreams?: { config: EventStreamsConfig; streams: EventStreams };
  /** Heartbeats and caps on open subscriptions; `DEFAULT_TRANSPORT_OPTIONS` for each omitted one. */
  transports?: Partial<TransportOptions>;
}

export interface GraphQLServer {
  yoga: YogaServerInstance<Record<string, never>, Context>;
  server: Server;
  /** Subscriptions open now, on every transport. */
  openSubscriptions: OpenSubscriptions;
  /**
   * Ends every open subscription (each completes as its transport completes one) and closes every
   * WebSocket with 1012 (service restart: graphql-ws clients reconnect); call it before `server.close()`
   * on shutdown.
   */
  closeSubscriptions(): Promise<void>;
  /**
   * Driven by `shutDown` (shutdown.ts): `/ready` answers 503 from the signal on, and once the port is
   * closed every answer closes its connection.
   */
  draining: Draining;
}

/** Servers without Event Streams share one hub that nothing publishes to. */
const idleHub = memoryHub();

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
  eventStreams,
  transports,
}: GraphQLServerOptions): GraphQLServer {
  const messageEvents = eventStreams?.streams.hub ?? idleHub;
  const resolvedSecurity = resolveSecurity(security);
  const transport = { ...DEFAULT_TRANSPORT_OPTIONS, ...transports };
  const openSubscriptions = new OpenSubscriptions(transport);
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
    // `/graphql?transport=ws` (or `graphql-sse`) opens GraphiQL with its subscriptions over that transport.
    graphiql: resolvedSecurity.graphiql
      ? (request) => ({
          ...graphiqlOptions('onesignal-graphql', defaultQuery ?? defaultGraphiQLQuery()),
          ...graphiqlTransport(request.url, graphqlEndpoint),
        })
      : false,
    // A small page whose assets (cached, compressed) are served by `routeRequest`; see graphiql.ts (served by routes.ts).
    renderGraphiQL,
    context: async (initial) => {
      const { request } = initial;
      const caller = await callerOf(request, auth);
      const keys = caller.oneSignalKeys;
      // Passthrough: the caller's keys replace any held by the server. Their client is pooled per key
      // set (by a hash of the keys), so its rate budgets and Retry-After pauses outlive the request.
      const base = keys
        ? passthroughClient(clientOptions as OneSignalClientOptions, keys, PASSTHROUGH_KEY_SOURCE)
        : client;
      // The request's calls: its caller's lane in each app's budget, its log line's tally, and
      // `Cache-Control: no-cache` (answers from OneSignal, which then refresh the shared cache).
      const record = recordOf((initial as { req?: unknown }).req);
      const upstreamScope: UpstreamScope = {
        caller: caller.name,
        bypassCache: /\bno-cache\b/i.test(request.headers.get('cache-control') ?? ''),
        ...(record && { requestId: record.id, tally: record.upstream }),
      };
      const scoped = restrictClient(scopedClient(base, upstreamScope), caller);
      return {
        caller,
        client: scoped,
        freshClient: () =>
          restrictClient(scopedClient(base, { ...upstreamScope, bypassCache: true }), caller),
        upstreamScope,
        loaders: createLoaders(scoped),
        delivery: deliveryWatch,
        exports,
        messageEvents,
        requestId: clientRequestId(request.headers.get('x-request-id')),
      };
    },
    // CSRF, trusted documents and limits first: they refuse requests without looking at the caller.
    plugins: [
      ...securityPlugins(resolvedSecurity),
      authenticationPlugin(auth, graphqlEndpoint),
      // Transports after authentication: a caller is established before any of them runs anything.
      graphqlSsePlugin(graphqlEndpoint),
      apolloMultipartPlugin(transport.heartbeatMs),
      openSubscriptions.plugin(),
      appAccessPreflightPlugin(),
      queryDeadlinePlugin(),
      codeEveryError,
      oneOfErrors,
      ...(observability?.plugins() ?? []),
    ],
    logging: yogaLogging(observability),
    maskedErrors,
  });
  const draining = new Draining();
  const routes = routeRequest(yoga, {
    graphqlEndpoint,
    draining,
    graphiql: resolvedSecurity.graphiql,
    observability,
    readiness,
    metrics: observability ? metricsAccess(observability, resolvedSecurity.production) : 'off',
    eventStreams: eventStreams && {
      path: eventStreams.config.path,
      handle: eventStreamsHandler(eventStreams.config, eventStreams.streams.ingest, (outcome, kind) =>
        observability?.metrics.eventStreams.inc({ outcome, kind: kind ?? '' }),
      ),
    },
  });
  const server = createServer(closingOnShutdown(draining, routes));
  const sockets = attachWebSockets(server, yoga, {
    graphqlEndpoint,
    auth,
    corsOrigins: resolvedSecurity.corsOrigins,
    maxMessageBytes: resolvedSecurity.requestLimits.maxBodyBytes,
    heartbeatMs: transport.heartbeatMs,
  });
  let closing: Promise<void> | undefined;
  return {
    yoga,
    server,
    openSubscriptions,
    draining,
    closeSubscriptions() {
      closing ??= openSubscriptions.closeAll().then(() => sockets.close());
      return closing;
    },
  };
}

/** GraphiQL's subscription transport, from the page's `?transport=`: SSE unless `ws` or `graphql-sse`. */
function graphiqlTransport(url: string, graphqlEndpoint: string) {
  const transport = new URL(url).searchParams.get('transport');
  if (transport === 'ws') return { subscriptionsProtocol: 'WS' as const };
  if (transport === 'graphql-sse')
    return { subscriptionsProtocol: 'GRAPHQL_SSE' as const, subscriptionsEndpoint: graphqlEndpoint };
  return {};
}
