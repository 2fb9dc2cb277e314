#!/usr/bin/env node
/**
 * Entry point: `npm start`. Serves GraphQL (with GraphiQL) on HOST:PORT (default 127.0.0.1:4000).
 * Without OneSignal keys in the environment it starts the embedded emulator with demo data and
 * points the client at it, so the API works offline out of the box.
 *
 * Environment: PORT, HOST (loopback by default; set HOST=0.0.0.0 to listen on every interface),
 * ONESIGNAL_USER_AUTH_KEY, ONESIGNAL_APP_KEYS, ONESIGNAL_API_URL, EMULATOR_PORT; caller
 * authentication: AUTH_MODE, JWT_SECRET, JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, AUTH_TOKENS_FILE,
 * AUTH_ALLOW_NONE (see src/auth/config.ts); limits and hardening: NODE_ENV, GRAPHQL_INTROSPECTION,
 * GRAPHIQL, LIMIT_MAX_DEPTH, LIMIT_MAX_ALIASES, LIMIT_MAX_TOKENS, LIMIT_MAX_DIRECTIVES, LIMIT_MAX_COST,
 * TRUSTED_DOCUMENTS (see src/security/index.ts); logs, metrics, traces: LOG_LEVEL, LOG_FORMAT,
 * METRICS_PORT, METRICS_TOKEN, OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, OTEL_SERVICE_NAME
 * (see src/observability/config.ts); memory: HEAP_GROWING_PERCENT (see src/heap.ts); OneSignal
 * Event Streams: EVENT_STREAMS_SECRET and the other EVENT_STREAMS_* (see loadEventStreamsConfig);
 * subscriptions: SUBSCRIPTION_HEARTBEAT_MS, SUBSCRIPTIONS_MAX_PER_CALLER, SUBSCRIPTIONS_MAX (see
 * src/http/transports/config.ts); shutdown: SHUTDOWN_DRAIN_MS, SHUTDOWN_GRACE_MS (see
 * src/http/shutdown.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAuthAtStartup, loadAuthConfig } from './auth/index.js';
import { loadEventStreamsConfig, loadOneSignalConfig, loadSharedStateConfig } from './config.js';
import type { RunningEmulator } from './emulator/index.js';
import { configureHeapGrowth } from './heap.js';
import { serveMetrics } from './http/routes.js';
import { createGraphQLServer } from './http/server.js';
import { loadShutdownConfig, shutDown } from './http/shutdown.js';
import { loadTransportConfig } from './http/transports/config.js';
import { createDeliveryWatch } from './live/delivery-watch.js';
import { createEventStreams } from './live/event-streams/index.js';
import { loadObservabilityConfig, Observability } from './observability/index.js';
import { Readiness } from './observability/readiness.js';
import type { OneSignalClient } from './onesignal/index.js';
import { DEFAULT_API_URL } from './onesignal/request.js';
import { loadSecurityConfig, resolveSecurity } from './security/index.js';
import { createOneSignalClient, type OneSignalClientOptions, SharedReads } from './upstream/index.js';
import { createSharedStores } from './upstream/stores.js';

async function main() {
  const heap = configureHeapGrowth();
  const config = loadOneSignalConfig();
  const sharedState = loadSharedStateConfig();
  const auth = loadAuthConfig();
  const security = loadSecurityConfig();
  const observability = await Observability.create(loadObservabilityConfig());
  const shown = resolveSecurity(security);
  const authWarning = checkAuthAtStartup(auth, config.configured);
  if (authWarning) console.warn(authWarning);
  const port = readPort('PORT', 4000);
  const emulatorPort = readPort('EMULATOR_PORT', 4010);
  let emulator: RunningEmulator | undefined;
  // One cache, one set of rate budgets and one in-flight map for every client (passthrough callers'
  // too), in memory or, with REDIS_URL, in Redis for every replica; every client reports its
  // attempts and reads to the logs, metrics and traces.
  const stores = await createSharedStores(sharedState);
  const sharedReads = new SharedReads({
    ...(stores.cache && { store: stores.cache }),
    ...(stores.leases && { leases: stores.leases }),
    ttls: sharedState.ttls,
    onRead: observability.read,
  });
  let clientOptions: OneSignalClientOptions = {
    ...config,
    onAttempt: observability.attempt,
    sharedReads,
    ...(stores.buckets && { bucketStore: stores.buckets }),
  };
  // Passthrough callers bring their keys for real OneSignal (or ONESIGNAL_API_URL), never the emulator's.
  if (!config.configured && auth.mode !== 'passthrough') {
    // Loaded only when needed: against real OneSignal the emulator is never parsed or started.
    const { DEMO, demoAppKeys, startEmulator } = await import('./emulator/index.js');
    // With OneSignal's own rate limits on, so the demo behaves (and is paced) as the real service.
    emulator = await startEmulator({
      port: emulatorPort,
      host: '127.0.0.1',
      limits: { enabled: true },
      // Sends deliver over a few seconds and exports appear after a moment, as they do at OneSignal.
      pacing: {
        deliveryMs: readMs('EMULATOR_DELIVERY_MS', 12_000),
        exportMs: readMs('EMULATOR_EXPORT_MS', 3_000),
      },
    }).catch((error: unknown) => {
      throw listenError(error, 'EMULATOR_PORT', emulatorPort, '127.0.0.1');
    });
    clientOptions = {
      ...clientOptions,
      apiUrl: emulator.url,
      userAuthKey: DEMO.userAuthKey,
      appKeys: demoAppKeys(),
    };
  }

  const client = createOneSignalClient(clientOptions);
  const shutdownOptions = loadShutdownConfig(process.env, { embeddedEmulator: emulator !== undefined });
  const readiness = new Readiness(readinessProbe(client, clientOptions, auth.mode === 'passthrough'));
  // notificationDelivery's one poll per notification: shared by every replica through REDIS_URL.
  const deliveryWatch = createDeliveryWatch({
    redisUrl: sharedState.redisUrl,
    pollMs: readMs('DELIVERY_POLL_MS', 2_000),
  });
  // Event Streams: a route when a secret is configured; with the embedded emulator always, on a secret
  // generated here (never shown), so GraphiQL shows the demo sends' live events with no set-up.
  const eventStreamsConfig = loadEventStreamsConfig(
    emulator && !process.env.EVENT_STREAMS_SECRET?.trim()
      ? { ...process.env, EVENT_STREAMS_SECRET: randomBytes(24).toString('base64url') }
      : process.env,
  );
  const eventStreams =
    eventStreamsConfig &&
    createEventStreams({
      redisUrl: sharedState.redisUrl,
      dedupTtlMs: eventStreamsConfig.dedupTtlMs,
      deliveryWatch,
    });
  const { server, closeSubscriptions, draining } = createGraphQLServer({
    client,
    auth,
    clientOptions,
    security,
    observability,
    readiness,
    deliveryWatch,
    ...(eventStreamsConfig &&
      eventStreams && { eventStreams: { config: eventStreamsConfig, streams: eventStreams } }),
    transports: loadTransportConfig(),
  });
  const host = process.env.HOST?.trim() || '127.0.0.1';
  await listen(server, port, host, 'PORT');
  const { metricsPort } = observability.config;
  let metricsServer: Server | undefined;
  if (metricsPort !== undefined) {
    // Its own port, for a scraper on a private network: only /metrics, no token.
    metricsServer = createServer((req, res) => {
      if (req.url?.split('?')[0] === '/metrics') return void serveMetrics(observability, res);
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Only /metrics is served here.\n');
    });
    await listen(metricsServer, metricsPort, host, 'METRICS_PORT');
  }

  const address = server.address() as AddressInfo;
  const shownHost = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  const base = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}`;
  if (emulator && eventStreamsConfig) {
    const secret = eventStreamsConfig.secrets[0] as string;
    emulator.setEventStream({
      url: `${base}${eventStreamsConfig.path}`,
      headers: {
        [eventStreamsConfig.header]:
          eventStreamsConfig.header === 'authorization' ? `Bearer ${secret}` : secret,
      },
    });
  }
  // performance.now() counts from process start, so this includes module loading.
  const readyMs = Math.round(performance.now());
  console.log(`onesignal-graphql ready in ${readyMs} ms`);
  console.log(shown.graphiql ? `  GraphiQL:  ${base}/graphql` : `  GraphQL:   ${base}/graphql`);
  console.log(`  Health:    ${base}/health (alive), ${base}/ready (OneSignal answers and accepts the key)`);
  if (metricsServer) {
    const m = metricsServer.address() as AddressInfo;
    console.log(`  Metrics:   http://${shownHost}:${m.port}/metrics`);
  } else {
    console.log(
      `  Metrics:   ${observability.config.metricsToken ? `${base}/metrics (Bearer METRICS_TOKEN)` : shown.production ? 'off (set METRICS_TOKEN or METRICS_PORT)' : `${base}/metrics`}`,
    );
  }
  console.log(
    `  Logs:      ${observability.config.logFormat} at level ${observability.config.logLevel}${observability.config.otlpTracesEndpoint ? `; traces to ${observability.config.otlpTracesEndpoint}` : ''}`,
  );
  if (emulator) {
    console.log(
      `  Upstream:  embedded OneSignal emulator at ${emulator.url} (demo data; no ONESIGNAL_USER_AUTH_KEY or ONESIGNAL_APP_KEYS set)`,
    );
    console.log(`  Emulator stats: ${emulator.url}/__emulator/stats`);
  } else {
    const apps = Object.keys(config.appKeys ?? {}).length;
    console.log(
      `  Upstream:  OneSignal at ${config.apiUrl ?? 'https://api.onesignal.com'} (${auth.mode === 'passthrough' ? 'callers send their own keys' : `user auth key ${config.userAuthKey ? 'set' : 'not set'}, ${apps} app key(s)`})`,
    );
  }
  console.log(
    `  Events:    ${eventStreamsConfig ? `OneSignal Event Streams POST to ${base}${eventStreamsConfig.path} (${emulator ? "the embedded emulator's sends, on a generated secret" : `secret in the ${eventStreamsConfig.header} header`}); subscription messageEvents` : 'off (set EVENT_STREAMS_SECRET to receive OneSignal Event Streams)'}`,
  );
  console.log(`  Auth:      AUTH_MODE=${auth.mode}`);
  console.log(`  Shared:    ${stores.description}`);
  console.log(
    `  Heap:      ${heap.percent === undefined ? heap.source : `old generation grows by at most ${heap.percent} % between full GCs (${heap.source})`}`,
  );
  console.log(
    `  Security:  ${shown.production ? 'production' : 'development'} (introspection ${shown.introspection ? 'on' : 'off'}, GraphiQL ${shown.graphiql ? 'on' : 'off'}), ${shown.trustedDocuments ? `trusted documents only (${shown.trustedDocuments.size})` : 'any document'}, limits ${Object.entries(
      shown.limits,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );

  // SIGTERM (a container's or orchestrator's stop) or SIGINT (Ctrl-C): drain, then close (see
  // shutDown in http/shutdown.ts); the same signal again exits at once.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.log(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal}: shutting down`);
    await shutDown(
      { server, draining, closeSubscriptions, log: (line) => console.log(line) },
      shutdownOptions,
    );
    metricsServer?.close();
    await eventStreams?.close();
    await deliveryWatch.close();
    await stores.close();
    await emulator?.close();
    await observability.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function listen(server: Server, port: number, host: string, variable: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error, variable, port, host)));
    server.listen(port, host, () => resolve());
  });
}

/**
 * What `/ready` asks OneSignal: with the organization key, the app list (the key is accepted); with
 * app keys only, one app's segments (that app's key is accepted); in passthrough mode, where the
 * server holds no key, only whether OneSignal answers at all.
 */
function readinessProbe(client: OneSignalClient, options: OneSignalClientOptions, passthrough: boolean) {
  const firstApp = Object.keys(options.appKeys ?? {})[0];
  return async () => {
    if (passthrough || (!options.userAuthKey && !firstApp)) {
      await fetch(`${options.apiUrl ?? DEFAULT_API_URL}/apps`, { signal: AbortSignal.timeout(5_000) });
      return;
    }
    if (options.userAuthKey) await client.apps.list();
    else await client.segments.list(firstApp as string, { limit: 1 });
  };
}

/** A TCP port from the environment (0 = any free port); the error names the variable. */
function readPort(name: string, fallback: number): number {
  const value = process.env[name]?.trim();
  if (!value) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new Error(`${name} must be a port number from 0 to 65535 (0 picks a free port), got "${value}".`);
  }
  return port;
}

/** A duration in ms from the environment; the error names the variable. */
function readMs(name: string, fallback: number): number {
  const value = process.env[name]?.trim();
  if (!value) return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a number of milliseconds, got "${value}".`);
  return Number(value);
}

/** Says which setting to change when a port cannot be listened on. */
function listenError(error: unknown, variable: string, port: number, host: string): Error {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'EADDRINUSE')
    return new Error(
      `${host}:${port} is already in use (${variable}). Stop whatever listens there, or set ${variable} to a free port.`,
    );
  if (code === 'EACCES')
    return new Error(`${host}:${port} needs more privileges (${variable}): choose a port above 1023.`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new Error(`${host} is not an address of this machine (HOST): use 127.0.0.1 or 0.0.0.0.`);
  return error instanceof Error ? error : new Error(String(error));
}

main().catch((error: unknown) => {
  console.error(
    `onesignal-graphql failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
