import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { EventStreamEmitter, type EventStreamOptions, type EventStreamStats } from './event-stream.js';
import type { LimitsConfig } from './limits.js';
import { createStore, DEFAULT_USER_AUTH_KEY } from './seed.js';
import { createHttpApp, EmulatorCore } from './server.js';
import { Store } from './store.js';
import type { EmulatorStats, FaultConfig, Pacing } from './types.js';

export { EMULATOR_ORGANIZATION_ID } from './audit-log.js';
export type { EmittedEvent, EventStreamOptions, EventStreamStats } from './event-stream.js';
export { defaultRates, LIMIT_NAMES, type LimitName, type LimitsConfig, type Rate } from './limits.js';
export { emailUnsubscribeToken } from './routes/email.js';
export { DEFAULT_USER_AUTH_KEY, DEMO, demoAppKeys } from './seed.js';
export { DEMO_AUDIT_ACTOR } from './seed-email-audit.js';
export { DEMO_JOURNEYS } from './seed-journeys.js';
export { OPERATIONS } from './server.js';
export type { EmulatorStats, FaultConfig, Pacing } from './types.js';

export interface EmulatorOptions {
  /** Load the deterministic demo data (default true). */
  seed?: boolean;
  userAuthKey?: string;
  faults?: FaultConfig;
  /** OneSignal's rate limits (off unless `enabled`). */
  limits?: LimitsConfig;
  /** JSON snapshot: loaded at start when it exists, written on close(). */
  dataFile?: string;
  /**
   * How long sends take to deliver and exports to appear (ms; default 0, at once). With `deliveryMs`,
   * a send's counts grow from its start until it is delivered `deliveryMs` later.
   */
  pacing?: Partial<Pacing>;
  /** OneSignal's Event Streams: each send's per-recipient events POSTed to a URL (off when omitted). */
  eventStream?: EventStreamOptions;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:43123, no trailing slash. */
  url: string;
  port: number;
  stats(): EmulatorStats;
  resetStats(): void;
  /** The bodies `operationId` last received, as sent (also `GET /__emulator/received?operation=`). */
  received(operationId: string): unknown[];
  reset(): void;
  setFaults(f: FaultConfig | null): void;
  /** Turns OneSignal's rate limits on or off (`null`: back to the start-up setting's defaults, off). */
  setLimits(l: LimitsConfig | null): void;
  /** Points the Event Stream somewhere (or turns it off with null), e.g. once the receiver listens. */
  setEventStream(options: EventStreamOptions | null): void;
  /** What the Event Stream sent so far; undefined without `eventStream`. */
  eventStreamStats(): EventStreamStats | undefined;
  /** Resolves once every event queued so far is answered 2xx (or given up). */
  eventStreamIdle(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4010;

function loadStore(dataFile: string | undefined, seed: boolean): Store {
  if (dataFile && existsSync(dataFile)) {
    try {
      return Store.fromSnapshot(JSON.parse(readFileSync(dataFile, 'utf8')));
    } catch (error) {
      throw new Error(`Cannot load emulator data from ${dataFile}: ${(error as Error).message}`);
    }
  }
  return createStore(seed);
}

async function saveStore(store: Store, dataFile: string): Promise<void> {
  const tmp = `${dataFile}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(store.snapshot()));
  await rename(tmp, dataFile);
}

const urlHost = (host: string) =>
  host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;

export async function startEmulator(
  opts: EmulatorOptions & { port?: number; host?: string } = {},
): Promise<RunningEmulator> {
  const seed = opts.seed ?? true;
  const host = opts.host ?? '127.0.0.1';
  const core = new EmulatorCore(
    loadStore(opts.dataFile, seed),
    opts.userAuthKey ?? DEFAULT_USER_AUTH_KEY,
    seed,
    opts.faults ?? null,
    opts.limits ?? null,
  );
  core.pacing = { deliveryMs: opts.pacing?.deliveryMs ?? 0, exportMs: opts.pacing?.exportMs ?? 0 };
  let stream = opts.eventStream && new EventStreamEmitter(opts.eventStream);
  core.eventStream = stream;
  const app = createHttpApp(core);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;

  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    stats: () => core.stats(),
    resetStats: () => core.resetStats(),
    received: (operationId: string) => core.receivedBodies(operationId),
    reset: () => core.reset(),
    setFaults: (f) => core.faults.set(f),
    setLimits: (l) => core.limits.set(l),
    setEventStream: (o) => {
      stream?.close();
      stream = o ? new EventStreamEmitter(o) : undefined;
      core.eventStream = stream;
    },
    eventStreamStats: () => stream?.stats(),
    eventStreamIdle: () => stream?.idle() ?? Promise.resolve(),
    close: () => {
      closed ??= (async () => {
        stream?.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (opts.dataFile) await saveStore(core.store, opts.dataFile);
      })();
      return closed;
    },
  };
}
