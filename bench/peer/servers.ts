/**
 * bench/peer.ts's processes: the stub of OneSignal's REST API, the thin yoga layer and GraphQL Mesh
 * from WORKDIR (the peer bench's setup), and ours as deployed, each logging to WORKDIR/logs.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type OutputChild, onExit, sleep, spawnLogging } from '../lib/children.js';
import { HOST, inheritedEnv, ROOT, SERVER_ENTRY, waitForHttp } from '../lib/stack.js';
import {
  APP_ID,
  MESH_PORT,
  PEER_BENCH_DIR,
  REST_KEY,
  START_TIMEOUT_MS,
  STUB_PORT,
  THIN_PORT,
  WORKDIR,
} from './settings.js';

/** A child whose stdout and stderr go to a log file. */
export type Child = OutputChild & { logFile: string };

export const log = (line: string) => process.stderr.write(`${line}\n`);

const logFileFor = (logName: string) => {
  mkdirSync(join(WORKDIR, 'logs'), { recursive: true });
  return join(WORKDIR, 'logs', `${logName}.log`);
};

/** Spawns `node <args>` in `cwd`, stdout and stderr to `WORKDIR/logs/<logName>.log`. */
export function startNode(
  name: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  logName: string,
): Child {
  return spawnLogging(name, process.execPath, args, { cwd, env }, logFileFor(logName));
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, HOST, () => srv.close(() => resolve(true)));
  });

/**
 * The ports are fixed (the peers' configs name them), and a process someone else left listening
 * would otherwise answer in place of ours: wait for them to be free, up to a minute.
 */
export async function waitPortsFree(ports: number[]) {
  for (let waited = 0; ; waited += 1_000) {
    const taken: number[] = [];
    for (const port of ports) if (!(await portIsFree(port))) taken.push(port);
    if (taken.length === 0) return;
    if (waited >= 60_000)
      throw new Error(`ports ${taken.join(', ')} on ${HOST} are still in use (PORT_OFFSET moves them)`);
    if (waited === 0) log(`waiting for ports ${taken.join(', ')} to be free…`);
    await sleep(1_000);
  }
}

/** Polls `url` until it answers `expect` (any status when undefined); returns ms since `since`. */
export const waitHttp = (child: Child, url: string, since: number, expect?: number) =>
  waitForHttp(child, url, { since, expect, timeoutMs: START_TIMEOUT_MS });

// --- The servers ------------------------------------------------------------------------------------

/** The caller's environment without anything that configures one of the servers. */
const baseEnv = () =>
  inheritedEnv(
    /^(ONESIGNAL_|CACHE|REDIS_URL|AUTH_|JWT_|LOG_|METRICS_|OTEL_|NODE_OPTIONS$|NODE_ENV$|PORT$|HOST$|DELAY_MS$)/,
  );

export async function startStub(delayMs: number): Promise<Child> {
  const child = startNode(
    'stub',
    ['stub-upstream.mjs'],
    WORKDIR,
    { ...baseEnv(), DELAY_MS: String(delayMs), PORT: String(STUB_PORT), HOST },
    `peer-stub-${delayMs}`,
  );
  await waitHttp(child, `http://${HOST}:${STUB_PORT}/__stats`, performance.now(), 200);
  return child;
}

/** Requests the stub has served so far. */
export async function stubTotal(): Promise<number> {
  const res = await fetch(`http://${HOST}:${STUB_PORT}/__stats`);
  return ((await res.json()) as { total: number }).total;
}

export async function startThin(): Promise<Child> {
  const child = startNode(
    'thin',
    ['yoga-thin.mjs'],
    WORKDIR,
    { ...baseEnv(), ONESIGNAL_BASE_URL: `http://${HOST}:${STUB_PORT}`, PORT: String(THIN_PORT), HOST },
    'peer-thin',
  );
  await waitHttp(child, `http://${HOST}:${THIN_PORT}/health`, performance.now());
  return child;
}

export async function startMesh(): Promise<Child> {
  const child = startNode(
    'mesh',
    [
      'node_modules/@graphql-hive/gateway/dist/bin.js',
      'supergraph',
      'supergraph.graphql',
      '--host',
      HOST,
      '--port',
      String(MESH_PORT),
    ],
    WORKDIR,
    { ...baseEnv(), ONESIGNAL_BASE_URL: `http://${HOST}:${STUB_PORT}` },
    'peer-mesh',
  );
  await waitHttp(child, `http://${HOST}:${MESH_PORT}/healthcheck`, performance.now(), 200);
  return child;
}

export interface OursAuth {
  token: string;
  tokensFile: string;
}

/** A random bearer token and a temporary AUTH_TOKENS_FILE holding its SHA-256 (removed on exit). */
export function makeToken(): OursAuth {
  const token = randomBytes(24).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'bench-peer-'));
  onExit(() => rmSync(dir, { recursive: true, force: true }));
  const tokensFile = join(dir, 'tokens.json');
  const sha256 = createHash('sha256').update(token).digest('hex');
  writeFileSync(
    tokensFile,
    JSON.stringify({
      tokens: [
        { name: 'bench', sha256, scopes: ['apps:read', 'notifications:read', 'users:read'], apps: ['*'] },
      ],
    }),
  );
  return { token, tokensFile };
}

/** Ours as deployed: production, token auth, metrics on their own port, info logs, default limits. */
export async function oursEnv(auth: OursAuth, port: number, extra: Record<string, string> = {}) {
  return {
    ...baseEnv(),
    PORT: String(port),
    HOST,
    NODE_ENV: 'production',
    ONESIGNAL_API_URL: `http://${HOST}:${STUB_PORT}`,
    ONESIGNAL_USER_AUTH_KEY: 'test-user-key',
    ONESIGNAL_APP_KEYS: JSON.stringify({ [APP_ID]: REST_KEY }),
    AUTH_MODE: 'tokens',
    AUTH_TOKENS_FILE: auth.tokensFile,
    METRICS_PORT: String(await freePort()),
    ...extra,
  } satisfies NodeJS.ProcessEnv;
}

export async function startOurs(
  name: string,
  auth: OursAuth,
  port: number,
  logName: string,
  extra: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<Child> {
  const child = startNode(name, [...nodeArgs, SERVER_ENTRY], ROOT, await oursEnv(auth, port, extra), logName);
  await waitHttp(child, `http://${HOST}:${port}/health`, performance.now(), 200);
  return child;
}

/** Installs the peers into WORKDIR with the peer bench's own script when they are not there yet. */
export function ensurePeerSetup() {
  const ready =
    existsSync(join(WORKDIR, 'node_modules', 'autocannon')) &&
    existsSync(join(WORKDIR, 'supergraph.graphql'));
  if (ready) return;
  const script = join(PEER_BENCH_DIR, 'run.sh');
  log(
    `${WORKDIR} is not set up: running \`WORKDIR=${WORKDIR} bash ${script} setup\` (a few minutes, ~530 MB)…`,
  );
  const r = spawnSync('bash', [script, 'setup'], {
    env: { ...process.env, WORKDIR },
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (r.status !== 0) throw new Error(`peer bench setup failed (exit ${r.status})`);
}
