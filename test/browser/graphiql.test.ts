/**
 * GraphiQL in a real browser: Debian's Chromium, headless, on a network with nothing beyond loopback.
 * It opens the page, runs the default query and sees the answer; the server counts every byte it
 * sends, so the page's weight on the wire is measured, not estimated.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/artifact.js';
import { type Stack, startStack } from '../helpers/stack.js';

const CHROMIUM = '/usr/bin/chromium';
/** Without these, Chromium waits on connections this closed network never answers. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What the server sent on one visit: request lines and bytes written to the sockets, headers included. */
interface Visit {
  requests: string[];
  bytes: number;
  /** From navigation to the default query's answer on screen. */
  ms: number;
}

describe('GraphiQL in headless Chromium', () => {
  let stack: Stack;
  let port: number;
  let profile: string;
  let context: BrowserContext;
  let sockets = new Map<Socket, number>();
  let requests: string[] = [];
  const onRequest = (message: unknown) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    if (socket.localPort !== port) return; // the emulator shares this process
    if (!sockets.has(socket)) sockets.set(socket, socket.bytesWritten);
    requests.push(`${request.method} ${request.url}`);
  };
  const visits: Visit[] = [];

  /** Opens GraphiQL, runs the default query and waits for its answer. */
  async function visit(): Promise<Visit> {
    sockets = new Map();
    requests = [];
    const started = performance.now();
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(stack.graphqlUrl, { waitUntil: 'load' });
    // The editors are ready once the first tab's query is on screen.
    await page.waitForFunction(
      () => document.querySelector('.graphiql-query-editor')?.textContent?.includes('AppOverview'),
      undefined,
      { timeout: 20_000 },
    );
    await page.locator('.graphiql-execute-button').click();
    // Monaco draws the answer in spans with non-breaking spaces.
    await page.waitForFunction(
      () =>
        document
          .querySelector('.graphiql-response')
          ?.textContent?.replace(/\u00a0/g, ' ')
          .includes('"name": "Demo Shop"'),
      undefined,
      { timeout: 20_000 },
    );
    const ms = performance.now() - started;
    // Monaco starts some workers after the first answer; count until the server has been quiet 1 s.
    for (let seen = -1; seen !== requests.length; ) {
      seen = requests.length;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const bytes = [...sockets].reduce((sum, [socket, before]) => sum + socket.bytesWritten - before, 0);
    return { requests, bytes, ms };
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this in CI).`);
    stack = await startStack();
    port = Number(new URL(stack.graphqlUrl).port);
    subscribe('http.server.request.start', onRequest);
    profile = mkdtempSync(join(tmpdir(), 'onesignal-graphql-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
    });
    visits.push(await visit());
    visits.push(await visit());
  }, 90_000);
  afterAll(async () => {
    unsubscribe('http.server.request.start', onRequest);
    await context?.close();
    await stack?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('opens GraphiQL, runs the default query and shows its result', async () => {
    const [first] = visits;
    console.info(`GraphiQL, first visit: ${first!.bytes} bytes, ${Math.round(first!.ms)} ms to the answer`);
    expect(first!.requests).toContain('GET /graphql');
    // Introspection for the docs, then the default query.
    expect(first!.requests.filter((r) => r === 'POST /graphql').length).toBeGreaterThanOrEqual(2);
  });

  it('loads its assets from this server, compressed, in a fraction of the 9 MB Yoga inlines', () => {
    const [first] = visits;
    expect(first!.requests.filter((r) => r.startsWith('GET /graphiql/')).length).toBeGreaterThanOrEqual(3);
    expect(first!.bytes).toBeLessThan(3_000_000);
  });

  it('fetches no asset on the next visit, only the page, the schema and the query: the assets are cached', () => {
    const [, second] = visits;
    console.info(`GraphiQL, next visit: ${second!.bytes} bytes, ${Math.round(second!.ms)} ms to the answer`);
    expect(second!.requests.filter((r) => r.startsWith('GET /graphiql/'))).toEqual([]);
    expect(second!.requests).toContain('GET /graphql');
    // Mostly the introspection answer GraphiQL's docs and completion need (~0.5 MB since every field
    // of a message, in-app messages, journeys and the audit log are in the schema).
    expect(second!.bytes).toBeLessThan(600_000);
  });

  it('weighs what the README says', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const first = Number(/GraphiQL's first visit moves\s+([\d.]+)\s+MB/.exec(readme)?.[1]);
    const later = Number(/later visits\s+([\d.]+)\s+MB/.exec(readme)?.[1]);
    expect(visits[0]!.bytes / 1e6).toBeLessThanOrEqual(first);
    expect(visits[0]!.bytes / 1e6).toBeGreaterThan(first - 0.5);
    expect(visits[1]!.bytes / 1e6).toBeLessThanOrEqual(later);
  });
});
