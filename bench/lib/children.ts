/**
 * The benches' child processes: each leads its own process group, so whatever it forks stops with
 * it, and every child still running is stopped when the bench exits, fails or is interrupted.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  exited: Promise<void>;
}

const running = new Set<Child>();
const cleanups: (() => void)[] = [];

function killGroup(child: Child, signal: NodeJS.Signals) {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.proc.kill(signal);
    } catch {
      // already gone
    }
  }
}

process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
  for (const cleanup of cleanups) cleanup();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of running) killGroup(child, 'SIGTERM');
    process.exit(130);
  });
}

/** Registers work for process exit (temp files). */
export const onExit = (cleanup: () => void) => cleanups.push(cleanup);

/** Spawns `command` as the leader of its own process group, tracked until it exits. */
export function spawnChild(
  name: string,
  command: string,
  args: string[],
  options: Omit<SpawnOptions, 'detached'>,
): Child {
  const proc = spawn(command, args, { ...options, detached: true });
  if (proc.pid === undefined) throw new Error(`could not spawn ${name}`);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const child: Child = { name, proc, pid: proc.pid, exited };
  running.add(child);
  void exited.then(() => running.delete(child));
  return child;
}

/** A child whose recent output can be shown when it fails to start. */
export interface OutputChild extends Child {
  output(): string;
}

type OutputOptions = Omit<SpawnOptions, 'detached' | 'stdio'>;

/** `spawnChild` with stdout and stderr kept in memory (the first 64 KB), for its start-up banner. */
export function spawnCapturing(
  name: string,
  command: string,
  args: string[],
  options: OutputOptions,
): OutputChild {
  const child = spawnChild(name, command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const append = (d: Buffer) => {
    if (out.length < 64_000) out += String(d);
  };
  child.proc.stdout?.on('data', append);
  child.proc.stderr?.on('data', append);
  return { ...child, output: () => out };
}

/** `spawnChild` with stdout and stderr written to `logFile`; `output()` is its last 2 KB. */
export function spawnLogging(
  name: string,
  command: string,
  args: string[],
  options: OutputOptions,
  logFile: string,
): OutputChild & { logFile: string } {
  const fd = openSync(logFile, 'w');
  const child = spawnChild(name, command, args, { ...options, stdio: ['ignore', fd, fd] });
  const output = () => {
    try {
      return readFileSync(logFile, 'utf8').slice(-2_000);
    } catch {
      return '';
    }
  };
  return { ...child, logFile, output };
}

/** The children still running. */
export const runningChildren = (): Child[] => [...running];

/** `signal` to the child's group, SIGKILL after `graceMs`; resolves when it has exited. */
export async function stopChild(child: Child, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000) {
  killGroup(child, signal);
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A TCP port free on `host` right now. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, host, () => resolve());
  });
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
