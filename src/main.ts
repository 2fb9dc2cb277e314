/**
 * Entry point: `npm start`. Serves GraphQL (with GraphiQL) on HOST:PORT (default 127.0.0.1:4000).
 * Without OneSignal keys in the environment it starts the embedded emulator with demo data and
 * points the client at it, so the API works offline out of the box.
 *
 * Environment: PORT, HOST (loopback by default; set HOST=0.0.0.0 to listen on every interface),
 * ONESIGNAL_USER_AUTH_KEY, ONESIGNAL_APP_KEYS, ONESIGNAL_API_URL, EMULATOR_PORT.
 */
import type { AddressInfo } from 'node:net';
import { loadOneSignalConfig } from './config.js';
import { DEMO, type RunningEmulator, startEmulator } from './emulator/index.js';
import { createOneSignalClient } from './onesignal/index.js';
import { createGraphQLServer } from './server.js';

async function main() {
  const config = loadOneSignalConfig();
  let emulator: RunningEmulator | undefined;
  let clientOptions = config;
  if (!config.configured) {
    emulator = await startEmulator({ port: Number(process.env.EMULATOR_PORT ?? 4010), host: '127.0.0.1' });
    clientOptions = {
      ...config,
      apiUrl: emulator.url,
      userAuthKey: DEMO.userAuthKey,
      appKeys: Object.fromEntries(DEMO.apps.map((a) => [a.id, a.restApiKey])),
    };
  }

  const client = createOneSignalClient(clientOptions);
  const { server } = createGraphQLServer({ client });
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
  console.log(`  GraphiQL:  ${base}/graphql`);
  console.log(`  Health:    ${base}/health`);
  if (emulator) {
    console.log(
      `  Upstream:  embedded OneSignal emulator at ${emulator.url} (demo data; no ONESIGNAL_USER_AUTH_KEY or ONESIGNAL_APP_KEYS set)`,
    );
    console.log(`  Emulator stats: ${emulator.url}/__emulator/stats`);
  } else {
    const apps = Object.keys(config.appKeys ?? {}).length;
    console.log(
      `  Upstream:  OneSignal at ${config.apiUrl ?? 'https://api.onesignal.com'} (user auth key ${config.userAuthKey ? 'set' : 'not set'}, ${apps} app key(s))`,
    );
  }

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
