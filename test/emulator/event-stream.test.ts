/**
 * The emulator's Event Streams as a CLI: `--event-stream-url` and `--event-stream-header` send each
 * send's per-recipient events, one per POST with the headers, retried until a 2xx (at least once).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { SHOP } from '../helpers/emulator.js';

const SECRET = 'emulator-cli-stream-secret';

describe('npm run emulator -- --event-stream-url …', () => {
  it("POSTs each recipient's events with the headers, and retries what was not answered 2xx", async () => {
    const received: { id: string; kind: string; authorization: string | undefined; answered: number }[] = [];
    const refusedOnce = new Set<string>();
    const receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => {
        text += c;
      });
      req.on('end', () => {
        const { event } = JSON.parse(text) as { event: { id: string; kind: string } };
        // Every event's first delivery fails: OneSignal-like senders must retry it.
        const answered = refusedOnce.has(event.id) ? 200 : 503;
        refusedOnce.add(event.id);
        received.push({ id: event.id, kind: event.kind, authorization: req.headers.authorization, answered });
        res.writeHead(answered).end();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/emulator/main.ts',
        '--port',
        '0',
        '--event-stream-url',
        url,
        '--event-stream-header',
        `Authorization: Bearer ${SECRET}`,
        '--event-stream-duplicates',
        '0.1',
      ],
      { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      const api = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match?.[1] && out.includes('event stream:')) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
      });
      expect(out).toContain(`event stream: ${url} (1 header(s); duplicates 0.1, reorder 0)`);
      expect(out).not.toContain(SECRET);
      const sent = await fetch(`${api}/api/v1/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Key ${SHOP.restApiKey}` },
        body: JSON.stringify({
          app_id: SHOP.id,
          included_segments: ['Subscribed Users'],
          contents: { en: 'Streamed' },
        }),
      });
      const { recipients } = (await sent.json()) as { recipients: number };
      expect(recipients).toBeGreaterThan(10);
      // Each recipient: sent and received at least; each event refused once, then accepted.
      const deadline = Date.now() + 20_000;
      const accepted = () => new Set(received.filter((r) => r.answered === 200).map((r) => r.id));
      while (accepted().size < 2 * recipients && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 500));
      const ids = new Set(received.map((r) => r.id));
      expect(accepted().size).toBe(ids.size);
      expect(ids.size).toBeGreaterThanOrEqual(2 * recipients);
      expect(received.every((r) => r.authorization === `Bearer ${SECRET}`)).toBe(true);
      expect(new Set(received.map((r) => r.kind))).toContain('message.push.received');
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
      receiver.closeAllConnections();
      receiver.close();
    }
  }, 40_000);

  it('refuses a malformed header without repeating it', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/emulator/main.ts',
        '--port',
        '0',
        '--event-stream-url',
        'http://127.0.0.1:9/x',
        '--event-stream-header',
        SECRET,
      ],
      { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toContain("--event-stream-header must look like 'Name: value'");
    expect(err).not.toContain(SECRET);
  });
});

describe("the emulator's events per channel", () => {
  it('push recipients are sent and received (every fourth clicks), email recipients also open (every second) and click (every fourth), SMS recipients are sent and delivered', async () => {
    const bodies: { event: { kind: string }; subscription: { id: string } }[] = [];
    const receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => {
        text += c;
      });
      req.on('end', () => {
        bodies.push(JSON.parse(text));
        res.writeHead(200).end();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const emulator = await startEmulator({
      port: 0,
      eventStream: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/` },
    });
    try {
      const counts: Record<string, Record<string, number>> = {};
      for (const [channel, extra] of [
        ['push', { contents: { en: 'Hi' } }],
        ['email', { email_subject: 'Hi', email_body: '<p>Hi</p>' }],
        ['sms', { contents: { en: 'Hi' }, name: 'SMS' }],
      ] as const) {
        bodies.length = 0;
        const res = await fetch(`${emulator.url}/api/v1/notifications`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Key ${SHOP.restApiKey}` },
          body: JSON.stringify({
            app_id: SHOP.id,
            included_segments: ['Subscribed Users'],
            target_channel: channel,
            ...extra,
          }),
        });
        const { recipients } = (await res.json()) as { recipients: number };
        expect(recipients, channel).toBeGreaterThan(0);
        await emulator.eventStreamIdle();
        const byKind: Record<string, number> = {};
        for (const b of bodies) byKind[b.event.kind] = (byKind[b.event.kind] ?? 0) + 1;
        counts[channel] = { recipients, ...byKind };
      }
      const r = (c: string) => counts[c]?.recipients as number;
      expect(counts.push).toEqual({
        recipients: r('push'),
        'message.push.sent': r('push'),
        'message.push.received': r('push'),
        'message.push.clicked': Math.ceil(r('push') / 4),
      });
      expect(counts.email).toEqual({
        recipients: r('email'),
        'message.email.sent': r('email'),
        'message.email.received': r('email'),
        'message.email.opened': Math.ceil(r('email') / 2),
        'message.email.clicked': Math.ceil(r('email') / 4),
      });
      expect(counts.sms).toEqual({
        recipients: r('sms'),
        'message.sms.sent': r('sms'),
        'message.sms.delivered': r('sms'),
      });
    } finally {
      await emulator.close();
      receiver.closeAllConnections();
      receiver.close();
    }
  });
});
