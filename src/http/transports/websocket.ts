import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ExecutionArgs, GraphQLError, getOperationAST } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import {
  APP_KEY_HEADER,
  type AuthConfig,
  authenticate,
  UnauthenticatedError,
  USER_AUTH_KEY_HEADER,
} from '../../auth/index.js';
import type { Context } from '../../schema/context.js';

export interface WebSocketOptions {
  graphqlEndpoint: string;
  auth: AuthConfig;
  /** Origins allowed besides the server's own (CORS_ORIGINS), or `*` for any. */
  corsOrigins: readonly string[] | '*';
  /** Largest message a client may send (LIMIT_MAX_BODY_BYTES). */
  maxMessageBytes: number;
  /** Milliseconds between pings; a client that has not answered the last one is dropped. */
  heartbeatMs: number;
}

/** RFC 6455's close code for a server restarting: the client should reconnect. */
const SERVICE_RESTART = 1012;

/** Credentials a client may send in `connectionParams`, as the header each stands for. */
const PARAM_HEADERS: Record<string, string> = {
  authorization: 'authorization',
  [USER_AUTH_KEY_HEADER.toLowerCase()]: USER_AUTH_KEY_HEADER.toLowerCase(),
  [APP_KEY_HEADER.toLowerCase()]: APP_KEY_HEADER.toLowerCase(),
  // Apollo's and urql's examples spell them this way.
  authToken: 'authorization',
  token: 'authorization',
};

/**
 * The request a WebSocket's operations authenticate with: the upgrade request's headers, overridden by
 * credentials in `connectionParams` (browsers cannot set headers on a WebSocket). A bare token in
 * `authToken`/`token` becomes `Bearer <token>`.
 */
export function requestOf(upgrade: IncomingMessage, params: Readonly<Record<string, unknown>> | undefined) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(upgrade.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) headers.set(name, value.join(', '));
  }
  for (const [name, value] of Object.entries(params ?? {})) {
    const header = PARAM_HEADERS[name] ?? PARAM_HEADERS[name.toLowerCase()];
    if (!header || typeof value !== 'string') continue;
    headers.set(header, header === 'authorization' && !/^\S+\s/.test(value) ? `Bearer ${value}` : value);
  }
  return new Request(`http://${upgrade.headers.host ?? 'localhost'}${upgrade.url ?? '/'}`, { headers });
}

/**
 * Whether a browser page on `origin` may open a WebSocket here. Browsers send `Origin` on every
 * WebSocket and CORS does not apply to them, so without this any site a developer visits could run
 * operations (mutations too) on a server with AUTH_MODE=none on their machine. Allowed: the server's
 * own origin (GraphiQL), CORS_ORIGINS, and clients that send no `Origin` (not browsers).
 */
export function originAllowed(req: IncomingMessage, corsOrigins: readonly string[] | '*'): boolean {
  const origin = req.headers.origin;
  if (!origin || corsOrigins === '*') return true;
  if (corsOrigins.includes(origin.replace(/\/+$/, ''))) return true;
  try {
    const host = req.headers['x-forwarded-host'] ?? req.headers.host;
    return new URL(origin).host === (Array.isArray(host) ? host[0] : host);
  } catch {
    return false;
  }
}

function refuseUpgrade(socket: Duplex, status: number, reason: string, body: string) {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * GraphQL over WebSocket (`graphql-transport-ws`, the `graphql-ws` package) on the HTTP server's
 * GraphQL endpoint, as Yoga documents it: every operation runs through Yoga's envelop, so the same
 * plugins (limits, trusted documents, scopes, app allow-lists, subscription caps) apply as over HTTP.
 * Returns what closes every socket, for shutdown.
 */
export function attachWebSockets(
  server: Server,
  yoga: YogaServerInstance<Record<string, never>, Context>,
  options: WebSocketOptions,
): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== options.graphqlEndpoint)
      return refuseUpgrade(
        socket,
        404,
        'Not Found',
        JSON.stringify({ errors: [{ message: `WebSockets are served at ${options.graphqlEndpoint}.` }] }),
      );
    if (!originAllowed(req, options.corsOrigins))
      return refuseUpgrade(
        socket,
        403,
        'Forbidden',
        JSON.stringify({
          errors: [
            {
              message: 'WebSocket from an origin this server does not allow: add it to CORS_ORIGINS.',
              extensions: { code: 'ORIGIN_NOT_ALLOWED' },
            },
          ],
        }),
      );
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  // Each connection's operations, so shutdown can wait until their completions are sent.
  const connections = new Set<{ subscriptions: Record<string, unknown> }>();
  const disposable = useServer<Record<string, unknown>, { authRequest: Request }>(
    {
      onClose: (ctx) => void connections.delete(ctx),
      // Refuse a connection that proves no caller before it is acknowledged; each operation
      // authenticates again, so a JWT that expires while the socket is open stops being honoured.
      onConnect: async (ctx) => {
        const request = requestOf(ctx.extra.request, ctx.connectionParams);
        try {
          await authenticate(request, options.auth);
        } catch (error) {
          if (!(error instanceof UnauthenticatedError)) throw error;
          ctx.extra.socket.close(CloseCode.Unauthorized, error.message.slice(0, 120));
          return false;
        }
        ctx.extra.authRequest = request;
        connections.add(ctx);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const request = ctx.extra.authRequest ?? requestOf(ctx.extra.request, ctx.connectionParams);
        const enveloped = yoga.getEnveloped({ request, params: payload });
        let document: ReturnType<typeof enveloped.parse>;
        try {
          document = enveloped.parse(payload.query);
        } catch (error) {
          return [
            error instanceof GraphQLError ? error : new GraphQLError('The document could not be parsed.'),
          ];
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length) return errors;
        let contextValue: unknown;
        try {
          contextValue = await enveloped.contextFactory();
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const operation = getOperationAST(document, payload.operationName)?.operation;
        const run = operation === 'subscription' ? enveloped.subscribe : enveloped.execute;
        return {
          schema: enveloped.schema,
          document,
          contextValue,
          variableValues: payload.variables,
          operationName: payload.operationName,
          // graphql-ws calls `execute`/`subscribe` below with these args; they run the enveloped ones.
          rootValue: { run },
        } as ExecutionArgs;
      },
      execute: (args) => (args.rootValue as { run: (a: ExecutionArgs) => unknown }).run(args) as never,
      subscribe: (args) => (args.rootValue as { run: (a: ExecutionArgs) => unknown }).run(args) as never,
    },
    wss,
    options.heartbeatMs,
  );
  return {
    // After `OpenSubscriptions.closeAll()` ended every stream: each socket's Complete messages go out
    // (graphql-ws sends them as each stream ends), then every socket closes with 1012 ("service
    // restart"), which graphql-ws clients treat as a reason to reconnect, not as fatal. `dispose()`
    // would close them with 1001; a socket already closing ignores that.
    close: async () => {
      const deadline = Date.now() + 1_000;
      while ([...connections].some((c) => Object.keys(c.subscriptions).length) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      for (const socket of wss.clients) socket.close(SERVICE_RESTART, 'Service restart');
      await disposable.dispose();
    },
  };
}
