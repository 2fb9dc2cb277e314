import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';

/** How a replica leaves its balancer on SIGTERM/SIGINT without losing a request. */
export interface ShutdownOptions {
  /**
   * Milliseconds the replica keeps serving after the signal while `/ready` answers 503, so a
   * balancer's health check notices and stops sending it requests before its port closes.
   */
  drainMs: number;
  /** Milliseconds requests still in flight after the drain get to finish before their sockets are cut. */
  graceMs: number;
}

/**
 * Twice HAProxy's default check interval (2 s), and with the grace period within the 10 s that
 * `docker stop` waits before SIGKILL. Kubernetes checks every 10 s by default: set it higher there.
 */
export const DEFAULT_SHUTDOWN_OPTIONS: ShutdownOptions = { drainMs: 4_000, graceMs: 5_000 };

export const SHUTDOWN_ENV: Record<keyof ShutdownOptions, string> = {
  drainMs: 'SHUTDOWN_DRAIN_MS',
  graceMs: 'SHUTDOWN_GRACE_MS',
};

/**
 * Reads SHUTDOWN_DRAIN_MS and SHUTDOWN_GRACE_MS (milliseconds, 0 allowed); errors name the variable.
 * With the embedded emulator no balancer stands in front (it is the offline, one-process set-up), so
 * the drain defaults to 0 there and Ctrl-C stops at once.
 */
export function loadShutdownConfig(
  env: NodeJS.ProcessEnv = process.env,
  { embeddedEmulator = false }: { embeddedEmulator?: boolean } = {},
): ShutdownOptions {
  const fallback = { ...DEFAULT_SHUTDOWN_OPTIONS, ...(embeddedEmulator && { drainMs: 0 }) };
  const read = (key: keyof ShutdownOptions) => {
    const name = SHUTDOWN_ENV[key];
    const value = env[name]?.trim();
    if (!value) return fallback[key];
    if (!/^\d+$/.test(value)) throw new Error(`${name} must be a number of milliseconds, got "${value}".`);
    return Number(value);
  };
  return { drainMs: read('drainMs'), graceMs: read('graceMs') };
}

/**
 * A replica's shutdown as its routes see it: from `start()` `/ready` answers 503 with the reason; from
 * `closeConnections()` (once the port is closed) every answer carries `Connection: close`, so
 * keep-alive clients and proxies' upstream pools reconnect, and the reconnection goes elsewhere.
 */
export class Draining {
  private since: { reason: string; at: string } | undefined;
  private closing = false;

  start(reason: string): void {
    this.since ??= { reason, at: new Date().toISOString() };
  }

  closeConnections(): void {
    this.closing = true;
  }

  /** Why and since when the server is draining, or undefined while it serves normally. */
  state(): { reason: string; at: string } | undefined {
    return this.since;
  }

  /** Marks `res` as the last answer on its connection once connections are closing. */
  closeAfter(res: ServerResponse): void {
    if (this.closing && !res.headersSent) res.setHeader('connection', 'close');
  }
}

const connectionCount = (server: Server) =>
  new Promise<number>((resolve) => server.getConnections((_error, count) => resolve(count ?? 0)));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface ShutdownSteps {
  server: Server;
  draining: Draining;
  /** Ends every open subscription on its transport; WebSockets close with 1012 (service restart). */
  closeSubscriptions(): Promise<void>;
  /** Progress lines for the log. */
  log(line: string): void;
}

/**
 * The steps of a graceful stop: drain (not ready, still serving), stop listening (new connections are
 * refused, which balancers retry elsewhere; each answer from then on closes its connection), end
 * subscriptions with a reconnect hint, let requests in flight finish and idle keep-alives lapse within the grace
 * period. Resolves once every connection is gone; `forced` says whether the grace period ran out.
 */
export async function shutDown(
  { server, draining, closeSubscriptions, log }: ShutdownSteps,
  { drainMs, graceMs }: ShutdownOptions,
): Promise<{ forced: boolean }> {
  draining.start('Shutting down: finishing requests in flight; send new ones to another replica.');
  if (drainMs > 0) {
    log(`  draining for ${drainMs} ms (SHUTDOWN_DRAIN_MS): /ready answers 503, requests are still served`);
    await sleep(drainMs);
  }
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  // Not `server.close()`: since Node 19 it also drops every idle connection at once, and "idle" there
  // includes a kept-alive connection whose next request is already in the socket's buffer, unread:
  // the client (or proxy) then sees it reset after sending, and a proxy never retries a POST it sent.
  // Only the listening socket closes here.
  NetServer.prototype.close.call(server);
  // Only now, not during the drain: a proxy that cannot see `/ready` (nginx without active health
  // checks) keeps sending here until a connection is refused, and had every drained answer closed its
  // connection, it would open a new one per request, some of them still waiting in the kernel's
  // accept queue when the port closes, which resets them after their request went out. Kept-alive
  // connections go on being served; from here each closes after its answer, and the proxy's next
  // connection is refused, which it retries on another replica.
  draining.closeConnections();
  // The grace period counts from here, subscriptions' endings included.
  let forced = false;
  const timer = setTimeout(() => {
    forced = true;
    server.closeAllConnections();
  }, graceMs);
  log(`  port closed; ${await connectionCount(server)} connection(s) open`);
  await closeSubscriptions();
  if (drainMs === 0) {
    // Nothing in front to send more (the one-process set-up, Ctrl-C): idle keep-alives go now.
    server.closeIdleConnections();
  }
  // Otherwise each connection closes after its next answer (Connection: close), or after Node's
  // keep-alive timeout (5 s) if none comes, the way idle connections always close, which clients
  // and proxies expect (deploy/nginx.conf drops its own idle ones after 4 s, first).
  await closed;
  clearTimeout(timer);
  log(
    forced
      ? `  requests still in flight after ${graceMs} ms (SHUTDOWN_GRACE_MS) were cut`
      : '  every connection closed',
  );
  return { forced };
}

/** Request listener wrapper: once the port is closed on shutdown, each answer closes its connection. */
export function closingOnShutdown(
  draining: Draining,
  listener: (req: IncomingMessage, res: ServerResponse) => unknown,
) {
  return (req: IncomingMessage, res: ServerResponse) => {
    draining.closeAfter(res);
    return listener(req, res);
  };
}
