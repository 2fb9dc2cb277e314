/**
 * `npm start` without keys: the embedded emulator's Event Stream is wired to the server's route on a
 * generated secret, so a send in GraphiQL shows its live per-recipient events with no set-up.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { readPage } from '../docs/pages.js';
import { sendThrough } from '../helpers/sse.js';
import { openSse } from '../helpers/sse-stream.js';

describe('src/main.ts on the embedded emulator', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it("streams the demo sends' per-recipient events to messageEvents, and prints no header carrying its generated secret", async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      EMULATOR_PORT: '0',
      HOST: '127.0.0.1',
      EMULATOR_DELIVERY_MS: '1000',
    };
    for (const name of ['ONESIGNAL_USER_AUTH_KEY', 'ONESIGNAL_APP_KEYS', 'NODE_ENV', 'EVENT_STREAMS_SECRET'])
      delete env[name];
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
    });
    child.stderr?.on('data', (d) => {
      out += String(d);
    });
    const deadline = Date.now() + 15_000;
    while (!/Emulator stats/.test(out) && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 25));
    expect(out).toMatch(
      /Events:\s+OneSignal Event Streams POST to http:\/\/127\.0\.0\.1:\d+\/onesignal\/events/,
    );
    const url = /GraphiQL:\s+(\S+)/.exec(out)?.[1] as string;
    // docs/queries.md's example, as a reader pastes it into GraphiQL.
    const example = /```text\n(subscription Recipients[\s\S]*?)```/.exec(readPage('docs/queries.md'))?.[1];
    expect(example).toBeDefined();
    const subscriber = await openSse(url, example as string);
    try {
      const id = await sendThrough(url);
      const events = await subscriber.waitFor(3, 10_000);
      const first = events[0]?.data as {
        messageEvents: { __typename: string; notification: { id: string } };
      };
      expect(first.messageEvents.__typename).toBe('PushMessageEvent');
      expect(first.messageEvents.notification.id).toBe(id);
    } finally {
      subscriber.close();
    }
    expect(out).not.toMatch(/Bearer/);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  }, 40_000);
});
