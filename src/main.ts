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
 * TRUSTED_DOCUMENTS (see src/security/index.ts).
 */
import type { AddressInfo } from 'node:net';
import { checkAuthAtStartup, loadAuthConfig } from './auth/index.js';
import { loadOneSignalConfig } from './config.js';
import type { RunningEmulator } from './emulator/index.js';
import { createOneSignalClient } from './onesignal/index.js';
import { loadSecurityConfig, resolveSecurity } from './security/index.js';
import { createGraphQLServer } from './server.js';

async function main() {
  const config = loadOneSignalConfig();
  const auth = loadAuthConfig();
  const security = loadSecurityConfig();
  const shown = resolveSecurity(security);
  const authWarning = checkAuthAtStartup(auth, config.configured);
  if (authWarning) console.warn(authWarning);
  const port = readPort('PORT', 4000);
  const emulatorPort = readPort('EMULATOR_PORT', 4010);
  let emulator: RunningEmulator | undefined;
  let clientOptions = config;
  // Passthrough callers bring their keys for real OneSignal (or ONESIGNAL_API_URL), never the emulator's.
  if (!config.configured && auth.mode !== 'passthrough') {
    // Loaded only when needed: against real OneSignal the emulator is never parsed or started.
    const { DEMO, demoAppKeys, startEmulator } = await import('./emulator/index.js');
    emulator = await startEmulator({ port: emulatorPort, host: '127.0.0.1' }).catch((error: unknown) => {
      throw listenError(error, 'EMULATOR_PORT', emulatorPort, '127.0.0.1');
    });
    clientOptions = {
      ...config,
      apiUrl: emulator.url,
      userAuthKey: DEMO.userAuthKey,
      appKeys: demoAppKeys(),
    };
  }

  const client = createOneSignalClient(clientOptions);
  const { server } = createGraphQLServer({ client, auth, clientOptions, security });
  const host = process.env.HOST?.trim() || '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error, 'PORT', port, host)));
    server.listen(port, host, () => resolve());
  });

  const address = server.address() as AddressInfo;
  const shownHost = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  const base = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}`;
  // performance.now() counts from process start, so this includes module loading.
  const readyMs = Math.round(performance.now());
  console.log(`onesignal-graphql ready in ${readyMs} ms`);
  console.log(shown.graphiql ? `  GraphiQL:  ${base}/graphql` : `  GraphQL:   ${base}/graphql`);
  console.log(`  Health:    ${base}/health`);
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
  console.log(`  Auth:      AUTH_MODE=${auth.mode}`);
  console.log(
    `  Security:  ${shown.production ? 'production' : 'development'} (introspection ${shown.introspection ? 'on' : 'off'}, GraphiQL ${shown.graphiql ? 'on' : 'off'}), ${shown.trustedDocuments ? `trusted documents only (${shown.trustedDocuments.size})` : 'any document'}, limits ${Object.entries(
      shown.limits,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    // Stop accepting connections, let in-flight requests finish briefly, then drop idle keep-alives.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const forced = setTimeout(() => server.closeAllConnections(), 2_000);
    await closed;
    clearTimeout(forced);
    await emulator?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
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
