/** A real redis-server (Debian's package) for suites that run replicas against one Redis. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { DEMO, demoAppKeys } from '../../src/emulator/index.js';
import { cleanEnv } from './artifact.js';

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** redis-server on loopback `port`, without persistence, behind `password` when given. */
export async function startRedis(port: number, password?: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--bind',
      '127.0.0.1',
      ...(password ? ['--requirepass', password] : []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  const deadline = Date.now() + 10_000;
  while (!/Ready to accept connections/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`redis-server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return child;
}

export async function stopRedis(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

/**
 * The environment of a built server that shares the Redis at `redisUrl` with other replicas, on the
 * emulator at `apiUrl` with its demo keys, no caller auth, no rate budgets and no shutdown drain;
 * `extra` overrides.
 */
export function replicaEnv(
  redisUrl: string,
  apiUrl: string,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return cleanEnv({
    REDIS_URL: redisUrl,
    ONESIGNAL_API_URL: apiUrl,
    ONESIGNAL_USER_AUTH_KEY: DEMO.userAuthKey,
    ONESIGNAL_APP_KEYS: JSON.stringify(demoAppKeys()),
    AUTH_MODE: 'none',
    AUTH_ALLOW_NONE: 'true',
    ONESIGNAL_RATE_LIMITS: 'off',
    // No balancer checks these replicas' /ready: they stop at once, as before the drain existed.
    SHUTDOWN_DRAIN_MS: '0',
    ...extra,
  });
}
