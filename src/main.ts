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
  let emulator: RunningEmulator | undefined;
  let clientOptions = config;
  // Passthrough callers bring their keys for real OneSignal (or ONESIGNAL_API_URL), never the emulator's.
  if (!config.configured && auth.mode !== 'passthrough') {
    // Loaded only when needed: against real OneSignal the emulator is never parsed or started.
    const { DEMO, demoAppKeys, startEmulator } = await import('./emulator/index.js');
    emulator = await startEmulator({ port: Number(process.env.EMULATOR_PORT ?? 4010), host: '127.0.0.1' });
    clientOptions = {
      ...config,
      apiUrl: emulator.url,
      userAuthKey: DEMO.userAuthKey,
      appKeys: demoAppKeys(),
    };
  }

  const client = createOneSignalClient(clientOptions);
  const { server } = createGraphQLServer({ client, auth, clientOptions, security });
  const port = Number(process.env.PORT ?? 4000);
  const host = process.env.HOST ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
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

main().catch((error: unknown) => {
  console.error(
    `onesignal-graphql failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
