/**
 * What the benches measure, started and stopped: the built server (`node dist/main.mjs`) and the
 * emulator as child processes, waited for until they answer over HTTP, and in-process servers on a
 * loopback port. Each bench still chooses its own settings; what is here is how they are applied.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO } from '../../src/emulator/index.js';
import { freePort, type OutputChild, sleep, spawnCapturing, stopChild } from './children.js';

/** The repository, where `dist/` and `node_modules/` are. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const HOST = '127.0.0.1';
/** The production bundle, `npm run build`'s output. */
export const SERVER_ENTRY = 'dist/main.mjs';

/** The emulator's demo app at `index` (0: Demo Shop, 1: Demo News). */
export function demoApp(index: number) {
  const app = DEMO.apps[index];
  if (!app) throw new Error('the emulator has no demo app');
  return app;
}

/** The caller's environment without the variables `configures` matches: the bench sets those itself. */
export const inheritedEnv = (configures: RegExp): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !configures.test(k)));

/**
 * The server as the benches of the layer's cost run it: production mode (graphql-js skips its
 * development checks), on loopback, and no caller authentication, which is not what they measure.
 */
export const loopbackServerEnv = (port: number, emulatorUrl: string) => ({
  PORT: String(port),
  HOST,
  NODE_ENV: 'production',
  ONESIGNAL_API_URL: emulatorUrl,
  AUTH_MODE: 'none',
  AUTH_ALLOW_NONE: 'true',
});

export const builtServerExists = () => existsSync(join(ROOT, SERVER_ENTRY));

/** `npm run build` (esbuild → dist/main.mjs); throws when it fails. */
export function buildServer() {
  const build = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: ROOT,
    stdio: 'inherit',
    timeout: 120_000,
  });
  if (build.status !== 0)
    throw new Error(`npm run build failed (status ${build.status}, ${build.error ?? ''})`);
}

/** Spawns `node dist/main.mjs` in the repository with exactly `env`, its output kept in memory. */
export const spawnBuiltServer = (name: string, env: NodeJS.ProcessEnv): OutputChild =>
  spawnCapturing(name, process.execPath, [SERVER_ENTRY], { cwd: ROOT, env });

/** A child the bench started and stops, with the pid its memory and CPU are read by. */
export interface Started {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * `node dist/main.mjs` with exactly `env` (give it `PORT: '0'`): started once its banner is printed,
 * its URL read back from the banner.
 */
export async function startBuiltServer(name: string, env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawnBuiltServer(name, env);
  const started = () => /Shared:/.test(child.output());
  for (let i = 0; i < 500 && !started() && child.proc.exitCode === null; i++) await sleep(20);
  const url = /GraphQL:\s+(\S+)/.exec(child.output())?.[1];
  if (!url) throw new Error(`${name} did not start:\n${child.output()}`);
  return { url, pid: child.pid, stop: () => stopChild(child) };
}

/** A `redis-server` of the bench's own on a free loopback port, without persistence. */
export async function startRedisServer(): Promise<Started> {
  const port = await freePort();
  const child = spawnCapturing(
    'redis-server',
    'redis-server',
    ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no'],
    {},
  );
  for (let i = 0; i < 500 && !/Ready to accept/.test(child.output()); i++) await sleep(20);
  if (!/Ready to accept/.test(child.output()))
    throw new Error(`redis-server did not start:\n${child.output()}`);
  return { url: `redis://${HOST}:${port}`, pid: child.pid, stop: () => stopChild(child) };
}

/** Spawns the emulator (`tsx src/emulator/main.ts`) on `port`, each answer delayed by `latencyMs`. */
export function spawnEmulator(port: number, latencyMs: number): OutputChild {
  return spawnCapturing(
    'emulator',
    'node_modules/.bin/tsx',
    ['src/emulator/main.ts', '--port', String(port), '--host', HOST, '--latency-ms', String(latencyMs)],
    { cwd: ROOT, env: { ...process.env } },
  );
}

/**
 * Polls `url` until it answers `expect` (any status when undefined); answers the ms since `since`.
 * Throws, with the child's output, when the child exits first or `timeoutMs` passes.
 */
export async function waitForHttp(
  child: OutputChild,
  url: string,
  { since, expect, timeoutMs }: { since: number; expect?: number; timeoutMs: number },
): Promise<number> {
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  while (performance.now() - since < timeoutMs) {
    if (exited) throw new Error(`${child.name} exited before answering ${url}:\n${child.output()}`);
    const status = await fetch(url, { signal: AbortSignal.timeout(1_000) })
      .then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      })
      .catch(() => 0);
    if (status !== 0 && (expect === undefined || status === expect)) return performance.now() - since;
    await sleep(2);
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.output()}`);
}

/** Listens on a free loopback port; answers `http://127.0.0.1:<port>`. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return `http://${HOST}:${(server.address() as AddressInfo).port}`;
}

/** Closes an in-process server, its keep-alive connections too. */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
