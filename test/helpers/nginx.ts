/** Debian's nginx running deploy/nginx.conf in front of replicas on loopback, for the proxy suites. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './artifact.js';
import { freePort } from './redis-server.js';

const NGINX = '/usr/sbin/nginx';

export interface RunningNginx {
  /** `http://127.0.0.1:<port>`: the proxy's one port. */
  base: string;
  /** The conf it runs: deploy/nginx.conf with the replicas' addresses. */
  conf: string;
  /** nginx's error log so far (upstream failures and retries are logged there). */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * The shipped conf, with the compose service (`server graphql:4000 …;`, its parameters kept) replaced
 * by one line per replica here, listening on a free loopback port; resolves once `/health` answers.
 */
export async function startNginx(replicas: string[]): Promise<RunningNginx> {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: apt-get install -y nginx-light.`);
  const listen = await freePort();
  const shipped = readFileSync(join(ROOT, 'deploy/nginx.conf'), 'utf8');
  const server = /^(\s*)server graphql:4000([^;]*);$/m.exec(shipped);
  if (!server) throw new Error('deploy/nginx.conf has no `server graphql:4000 …;` line.');
  const conf = shipped
    .replace(server[0], replicas.map((host) => `${server[1]}server ${host}${server[2]};`).join('\n'))
    .replace('listen 4000;', `listen 127.0.0.1:${listen};`);
  const dir = mkdtempSync(join(tmpdir(), 'onesignal-graphql-nginx-'));
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child: ChildProcess = spawn(
    NGINX,
    [
      '-p',
      dir,
      '-c',
      join(dir, 'nginx.conf'),
      '-g',
      `daemon off; pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'error.log')};`,
    ],
    { stdio: 'ignore' },
  );
  const base = `http://127.0.0.1:${listen}`;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const status = await fetch(`${base}/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    conf,
    errors: () => {
      try {
        return readFileSync(join(dir, 'error.log'), 'utf8');
      } catch {
        return '';
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
