/**
 * GraphiQL in Debian's headless Chromium, its subscriptions over SSE (the default) and over a
 * WebSocket (`/graphql?transport=ws`): a fresh send's `notificationDelivery` updating on the page
 * until DELIVERED, each update counted on its transport's wire as the server writes it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/core/ids.js';
import { DEMO, demoAppKeys, startEmulator } from '../../src/emulator/index.js';
import { createGraphQLServer } from '../../src/http/server.js';
import { DeliveryWatch } from '../../src/live/delivery-watch.js';
import { createOneSignalClient } from '../../src/upstream/index.js';

const SHOP = DEMO.apps[0]!.id;
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'];

describe('GraphiQL in headless Chromium', () => {
  it.each([
    ['SSE', ''],
    ['a WebSocket', '?transport=ws'],
  ])(
    'shows a subscription on a fresh send over %s updating at least three times, ending in DELIVERED',
    async (_name, query) => {
      if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium.`);
      const emulator = await startEmulator({ port: 0, pacing: { deliveryMs: 3_000 } });
      const clientOptions = {
        apiUrl: emulator.url,
        userAuthKey: DEMO.userAuthKey,
        appKeys: demoAppKeys(),
        rateLimits: false as const,
      };
      const watch = new DeliveryWatch({ pollMs: 400 });
      const client = createOneSignalClient(clientOptions);
      // Scheduled ahead (GraphiQL's first load compresses its 5 MB script), so GraphiQL has loaded when it goes SCHEDULED → SENDING → DELIVERED.
      const created = await client.notifications.create(SHOP, {
        included_segments: ['Subscribed Users'],
        contents: { en: 'Live in GraphiQL' },
        send_after: new Date(Date.now() + 16_000).toISOString(),
      });
      const id = encodeGlobalId('Notification', `${SHOP}/${created.id}`);
      const graphql = createGraphQLServer({
        client,
        clientOptions,
        deliveryWatch: watch,
        defaultQuery: `subscription LiveDelivery {\n  notificationDelivery(id: "${id}") { status successfulCount remainingCount }\n}\n`,
      });
      const { server } = graphql;
      // Updates on the wire: SSE `next` events the server writes, or graphql-ws `next` messages it sends.
      let sseEvents = 0;
      let wsMessages = 0;
      server.prependListener('request', (_req: unknown, res: { write: (...a: unknown[]) => boolean }) => {
        const { write } = res;
        res.write = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
          sseEvents += String(chunk).match(/^event: next$/gm)?.length ?? 0;
          return write.call(this, chunk, ...rest);
        };
      });
      server.prependListener(
        'upgrade',
        (_req: IncomingMessage, socket: { write: (...a: unknown[]) => boolean }) => {
          const { write } = socket;
          socket.write = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
            wsMessages += String(chunk).match(/"type":"next"/g)?.length ?? 0;
            return write.call(this, chunk, ...rest);
          };
        },
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const graphqlUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
      const profile = mkdtempSync(join(tmpdir(), 'onesignal-graphql-transports-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
      });
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(`${graphqlUrl}${query}`, { waitUntil: 'load' });
        await page.waitForFunction(
          () => document.querySelector('.graphiql-query-editor')?.textContent?.includes('LiveDelivery'),
          undefined,
          { timeout: 20_000 },
        );
        await page.locator('.graphiql-execute-button').click();
        await page.waitForFunction(
          () =>
            document
              .querySelector('.graphiql-response')
              ?.textContent?.replace(/\u00a0/g, ' ')
              .includes('"status": "DELIVERED"'),
          undefined,
          { timeout: 40_000 },
        );
        if (query) {
          expect(wsMessages).toBeGreaterThanOrEqual(3);
          expect(sseEvents).toBe(0);
        } else {
          expect(sseEvents).toBeGreaterThanOrEqual(3);
          expect(wsMessages).toBe(0);
        }
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
        await graphql.closeSubscriptions();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await watch.close();
        await emulator.close();
      }
    },
    60_000,
  );
});
