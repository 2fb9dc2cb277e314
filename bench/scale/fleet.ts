/**
 * What the scale bench runs against: the emulator (in this process) with its two demo apps and as
 * many more as asked for, created through its organization-key route and filled through its REST
 * API like real apps; one redis-server; and the built server's replicas on it, given every app's
 * key. OneSignal's limits are switched on once the apps are filled, before any user arrives. Unless
 * told not to, each replica then serves dashboards of one more app, outside the run, so the users
 * meet replicas whose code V8 has optimised, as a deployment that has been up a while, and caches
 * still empty for their own apps.
 */
import { DEMO, demoAppKeys, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { postGraphQL, restClient } from '../lib/clients.js';
import { dashboardQuery } from '../lib/dashboard.js';
import { pool } from '../lib/load.js';
import {
  inheritedEnv,
  loopbackServerEnv,
  type Started,
  startBuiltServer,
  startRedisServer,
} from '../lib/stack.js';

export interface BenchApp {
  id: string;
  name: string;
  restApiKey: string;
}

export interface Fleet {
  emulator: RunningEmulator;
  apps: BenchApp[];
  replicas: Started[];
  redis: Started | undefined;
  stop(): Promise<void>;
}

export interface FleetOptions {
  apps: number;
  replicas: number;
  /** false: no REDIS_URL, each replica with its own cache and budgets. */
  redis: boolean;
  /** Added to every emulator answer, as OneSignal's own latency. */
  upstreamMs: number;
  /** Dashboards each replica serves before the run (of an app outside it); 0: none. */
  warmUpLoads: number;
}

/** Subscribers and notifications each created app gets: a full first page, like Demo Shop's. */
const SUBSCRIBERS = 20;
const NOTIFICATIONS = 60;

/** An app like the demo ones: subscribers, and sent notifications to list. */
async function createApp(emulator: RunningEmulator, n: number): Promise<BenchApp> {
  const rest = restClient(emulator.url);
  const created = await rest('POST', '/apps', DEMO.userAuthKey, { name: `Scale App ${n}` });
  const app = {
    id: created.id as string,
    name: created.name as string,
    restApiKey: created.basic_auth_key as string,
  };
  await pool(SUBSCRIBERS, 4, (i) =>
    rest('POST', '/players', app.restApiKey, {
      app_id: app.id,
      device_type: 1,
      identifier: `scale-${n}-${i}`,
      notification_types: 1,
    }),
  );
  await pool(NOTIFICATIONS, 4, (i) =>
    rest('POST', '/notifications', app.restApiKey, {
      app_id: app.id,
      contents: { en: `Update ${i + 1} from ${app.name}` },
      included_segments: ['Subscribed Users'],
    }),
  );
  return app;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const emulator = await startEmulator({ port: 0 });
  // The last one created is the warm-up's, outside the run.
  const extra = await pool(Math.max(0, options.apps - DEMO.apps.length) + 1, 2, (i) =>
    createApp(emulator, DEMO.apps.length + i + 1),
  );
  const warmUpApp = extra.pop() as BenchApp;
  const apps = [...DEMO.apps, ...extra].slice(0, options.apps);
  emulator.setLimits({ enabled: true });
  emulator.setFaults({ latencyMs: options.upstreamMs });
  const redis = options.redis ? await startRedisServer() : undefined;
  const appKeys = {
    ...demoAppKeys(),
    ...Object.fromEntries([...extra, warmUpApp].map((a) => [a.id, a.restApiKey])),
  };
  const env = {
    ...inheritedEnv(/^(ONESIGNAL_|CACHE|REDIS_URL|AUTH_|LOG_|HEAP_)/),
    ...loopbackServerEnv(0, emulator.url),
    ONESIGNAL_USER_AUTH_KEY: DEMO.userAuthKey,
    ONESIGNAL_APP_KEYS: JSON.stringify(appKeys),
    LOG_LEVEL: 'warn',
    ...(redis && { REDIS_URL: redis.url }),
  };
  const replicas = await Promise.all(
    Array.from({ length: options.replicas }, (_, i) => startBuiltServer(`replica ${i + 1}`, env)),
  );
  const warmUp = dashboardQuery(warmUpApp.id);
  await Promise.all(
    replicas.map((replica) => pool(options.warmUpLoads, 8, () => postGraphQL(replica.url, warmUp))),
  );
  return {
    emulator,
    apps,
    replicas,
    redis,
    stop: async () => {
      await Promise.all(replicas.map((replica) => replica.stop()));
      await redis?.stop();
      await emulator.close();
    },
  };
}
