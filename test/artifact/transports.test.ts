/**
 * The built server (`node dist/main.mjs`, on its embedded emulator) on the transports the bundle
 * must carry (WebSocket via `ws` and graphql-ws, Apollo multipart), and its shutdown: on SIGTERM every
 * open subscription completes on its transport before the process exits 0.
 */
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cleanEnv, type RunningArtifact, startArtifact } from '../helpers/artifact.js';
import {
  collect,
  DELIVERY_DOCUMENT,
  deliveryUpdates,
  expectLiveProgress,
  SHOP,
} from '../helpers/live-stack.js';
import { sendThrough } from '../helpers/sse.js';

const env = () =>
  cleanEnv({
    AUTH_MODE: 'none',
    AUTH_ALLOW_NONE: 'true',
    EMULATOR_DELIVERY_MS: '3000',
    DELIVERY_POLL_MS: '500',
  });

/** Sends through GraphQL, an hour ahead: a subscription to it stays open. */
async function sendLater(graphqlUrl: string): Promise<string> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation ($at: DateTime!) { notificationCreate(input: { appId: "${SHOP}", target: { segments: { include: ["Subscribed Users"] } }, contents: [{ language: "en", text: "Later" }], delivery: { sendAfter: $at } }) { ... on NotificationCreatePayload { notification { id } } } }`,
      variables: { at: new Date(Date.now() + 3_600_000).toISOString() },
    }),
  });
  const body = (await res.json()) as { data: { notificationCreate: { notification: { id: string } } } };
  return body.data.notificationCreate.notification.id;
}

describe('the built server (node dist/main.mjs) on every transport', () => {
  let server: RunningArtifact;
  beforeAll(async () => {
    server = await startArtifact(env());
  });
  afterAll(() => server?.stop());

  it('streams a fresh send over a WebSocket and over Apollo multipart, from its first counts to DELIVERED', async () => {
    const id = await sendThrough(server.graphqlUrl);
    const ws = createWsClient({
      url: server.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      const overWs = collect({
        subscribe: (sink) => ws.subscribe({ query: DELIVERY_DOCUMENT, variables: { id } }, sink),
      });
      const multipart = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'multipart/mixed;subscriptionSpec=1.0' },
        body: JSON.stringify({ query: DELIVERY_DOCUMENT, variables: { id } }),
      }).then((res) => res.text());
      const payloads = multipart
        .split('\r\n--graphql')
        .map((p) => p.slice(p.indexOf('\r\n\r\n') + 4))
        .filter((p) => p.startsWith('{"payload"'))
        .map((p) => (JSON.parse(p) as { payload: unknown }).payload);
      expectLiveProgress(deliveryUpdates(payloads));
      expectLiveProgress(deliveryUpdates(await overWs));
    } finally {
      await ws.dispose();
    }
  });
});

describe('the built server shutting down', () => {
  it('completes open WebSocket, SSE and multipart subscriptions on SIGTERM, then exits 0', async () => {
    const server = await startArtifact(env());
    const id = await sendLater(server.graphqlUrl);
    const ws = createWsClient({
      url: server.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const sse = createSseClient({ url: server.graphqlUrl, retryAttempts: 0 });
    let firsts = 0;
    const open = (subscribe: (sink: Parameters<typeof ws.subscribe>[1]) => unknown) =>
      new Promise<unknown[]>((resolve, reject) => {
        const values: unknown[] = [];
        subscribe({
          next: (value) => void (values.push(value) === 1 && firsts++),
          error: reject,
          complete: () => resolve(values),
        });
      });
    try {
      const streams = [
        open((sink) => ws.subscribe({ query: DELIVERY_DOCUMENT, variables: { id } }, sink)),
        open((sink) => sse.subscribe({ query: DELIVERY_DOCUMENT, variables: { id } }, sink)),
      ];
      const multipart = fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'multipart/mixed;subscriptionSpec=1.0' },
        body: JSON.stringify({ query: DELIVERY_DOCUMENT, variables: { id } }),
      }).then((res) => res.text());
      await expect.poll(() => firsts, { timeout: 10_000 }).toBe(2);
      // The multipart stream's first part is on its way too; give it the same moment.
      await new Promise((r) => setTimeout(r, 300));
      expect(await server.stop()).toBe(0);
      for (const results of await Promise.all(streams))
        expect(deliveryUpdates(results).map((u) => u.status)).toEqual(['SCHEDULED']);
      const text = await multipart;
      expect(text).toContain('"status":"SCHEDULED"');
      expect(text.endsWith('\r\n--graphql--\r\n')).toBe(true);
    } finally {
      await ws.dispose();
      sse.dispose();
      await server.stop();
    }
  }, 30_000);
});
