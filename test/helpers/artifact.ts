import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The repository root: where the README's commands run. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What `npm start` runs once it has installed and built: the shipped artifact. */
export const ARTIFACT = ['dist/main.mjs'];

export interface RunningArtifact {
  /** `http://127.0.0.1:<port>/graphql`, as the start-up banner printed it. */
  graphqlUrl: string;
  /** The embedded emulator's stats URL, when the server started one. */
  emulatorStatsUrl: string | undefined;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Whether the process is still running (a crash would end it). */
  alive(): boolean;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** Sends `signal` (and nothing else); see `exited()`. */
  signal(signal: NodeJS.Signals): void;
  /** The exit code, once the process has exited. */
  exited(): Promise<number | null>;
}

/**
 * Starts the server the way the README does, with `PORT=0` so it picks a free port, and waits for the
 * start-up banner. `command` is `npm start` (install, build, serve) or `node dist/main.mjs` (what
 * `npm start` ends with, for suites that start several servers once the build exists).
 */
export async function startArtifact(
  env: NodeJS.ProcessEnv,
  { command = 'node', timeoutMs = 60_000 }: { command?: 'npm start' | 'node'; timeoutMs?: number } = {},
): Promise<RunningArtifact> {
  const child = spawnServer(env, command);
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  const deadline = Date.now() + timeoutMs;
  while (!/Auth:\s/.test(out) && child.exitCode === null && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  const graphqlUrl = /(?:GraphiQL|GraphQL):\s+(\S+)/.exec(out)?.[1];
  if (!graphqlUrl || child.exitCode !== null) {
    child.kill('SIGKILL');
    throw new Error(`The server did not start (${command}):\n${out}`);
  }
  return {
    graphqlUrl,
    emulatorStatsUrl: /Emulator stats:\s+(\S+)/.exec(out)?.[1],
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exit;
    },
    signal: (signal) => void child.kill(signal),
    exited: () => exit,
  };
}

function spawnServer(env: NodeJS.ProcessEnv, command: 'npm start' | 'node'): ChildProcess {
  const options = { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
  return command === 'node'
    ? spawn(process.execPath, ARTIFACT, options)
    : spawn('npm', ['start', '--silent'], options);
}

/** Runs the artifact expecting it to refuse to start; returns its exit code and output. */
export async function failedStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawnServer(env, 'node');
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  return { code: code as number | null, output: out };
}

/** The environment of a clean shell: no OneSignal keys or server settings leaking in from the caller's. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (
      /^(ONESIGNAL_|AUTH_|JWT_|LIMIT_|EMULATOR_|GRAPHQL_|GRAPHIQL|TRUSTED_DOCUMENTS|PORT$|HOST$|NODE_ENV$|VITEST|TEST$)/.test(
        name,
      )
    )
      continue;
    env[name] = value;
  }
  return { ...env, PORT: '0', EMULATOR_PORT: '0', HOST: '127.0.0.1', ...extra };
}
