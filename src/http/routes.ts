import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Observability } from '../observability/index.js';
import type { Readiness } from '../observability/readiness.js';
import { GRAPHIQL_ASSET_PATH, serveGraphiQLAsset } from './graphiql.js';
import type { Draining } from './shutdown.js';

/**
 * The server's routes, matched on the exact path: `/graphql` (Yoga), `/health`, and `/`, which leads a
 * person to GraphiQL (or says where the endpoint is); anything else is a JSON 404 naming the endpoint.
 */
export interface Routes {
  graphqlEndpoint: string;
  graphiql: boolean;
  observability: Observability | undefined;
  readiness: Readiness | undefined;
  /** Set on shutdown: `/ready` then answers 503 with its reason, whatever OneSignal says. */
  draining?: Draining | undefined;
  /** Who may read `/metrics` on this port. */
  metrics: MetricsAccess;
  /** OneSignal's Event Streams POST here (`EVENT_STREAMS_PATH`); absent unless a secret is configured. */
  eventStreams?: { path: string; handle: (req: IncomingMessage, res: ServerResponse) => unknown } | undefined;
}

/**
 * `/metrics` on the GraphQL port: behind `METRICS_TOKEN` when one is set; nowhere when `METRICS_PORT`
 * moves it to a port of its own; open outside production; and in production without a token, not
 * served (the answer says how to enable it).
 */
export type MetricsAccess = 'off' | 'open' | { token: Buffer } | { refuse: string };

export function metricsAccess(observability: Observability, production: boolean): MetricsAccess {
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
 * (able to serve: OneSignal answers and accepts the key), `/metrics`, OneSignal's Event Streams
 * (`EVENT_STREAMS_PATH`, when a secret is configured), and `/`, which leads a person to
 * GraphiQL (or says where the endpoint is); anything else is a JSON 404 naming the endpoint.
 */
export function routeRequest(yoga: (req: IncomingMessage, res: ServerResponse) => unknown, routes: Routes) {
  const { graphqlEndpoint, graphiql, observability, readiness, draining, metrics, eventStreams } = routes;
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
      return observability ? observability.handle(req, res, () => yoga(req, res)) : yoga(req, res);
    }
    if (eventStreams && path === eventStreams.path) return eventStreams.handle(req, res);
    if (path === '/health') return readOnly(req, res) && json(res, 200, { status: 'ok' });
    if (path === '/ready') {
      if (!readOnly(req, res)) return;
      const stopping = draining?.state();
      if (stopping)
        return json(res, 503, { status: 'not ready', checkedAt: stopping.at, reason: stopping.reason });
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
