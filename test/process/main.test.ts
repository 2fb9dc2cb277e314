/** The entry script as a developer first runs it: `src/main.ts` on the embedded emulator, without keys. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';

describe('src/main.ts', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('starts on the embedded emulator without keys, prints where, never prints a key, and shuts down cleanly on SIGTERM', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', EMULATOR_PORT: '0', HOST: '127.0.0.1' };
    delete env.ONESIGNAL_USER_AUTH_KEY;
    delete env.ONESIGNAL_APP_KEYS;
    // The development start (GraphiQL on), also when the suite itself runs under NODE_ENV=production.
    delete env.NODE_ENV;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
    });
    child.stderr!.on('data', (d) => {
      out += String(d);
    });
    const deadline = Date.now() + 15_000;
    while (!/Emulator stats/.test(out) && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 25));
    expect(out).toMatch(/ready in \d+ ms/);
    expect(out).toMatch(/embedded OneSignal emulator/);
    const url = /GraphiQL:\s+(\S+)/.exec(out)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const res = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ apps { name } }' }),
    });
    const body = (await res.json()) as { data: { apps: { name: string }[] } };
    expect(body.data.apps.map((a) => a.name).sort()).toEqual(['Demo News', 'Demo Shop']);
    for (const key of [DEMO.userAuthKey, ...DEMO.apps.map((a) => a.restApiKey)])
      expect(out).not.toContain(key);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(out).toMatch(/SIGTERM: shutting down/);
  });
});
