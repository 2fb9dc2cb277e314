/**
 * Each transport's own protocol, from its own client or on the wire: graphql-ws and graphql-sse
 * clients used directly, Apollo's multipart parts and heartbeats as the server writes them, 406 for an
 * `Accept` nothing serves, and every stream ending cleanly when the server shuts down.
 */
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  collect,
  DELIVERY_DOCUMENT,
  deliveryUpdates,
  expectLiveProgress,
  type LiveStack,
  startLiveStack,
} from '../helpers/live-stack.js';

const request = (id: string) => ({ query: DELIVERY_DOCUMENT, variables: { id } });

/** The raw multipart body of one Apollo-style subscription request, split into its JSON parts. */
async function multipart(url: string, id: string, until?: (parts: string[]) => boolean) {
  const controller = new AbortController();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json',
    },
    body: JSON.stringify(request(id)),
    signal: controller.signal,
  });
  let text = '';
  const decoder = new TextDecoder();
  const parts = () =>
    text
      .split('\r\n--graphql')
      .slice(1)
      .filter((p) => p !== '--\r\n')
      .map((p) => p.slice(p.indexOf('\r\n\r\n') + 4));
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      if (until?.(parts())) {
        controller.abort();
        break;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
  return { res, text, parts: parts() };
}

describe('the transports with their own clients', () => {
  let stack: LiveStack;
  beforeAll(async () => {
    stack = await startLiveStack({ transports: { heartbeatMs: 150 } });
  });
  afterAll(() => stack.close());

  it('graphql-ws’s client gets live delivery updates over a WebSocket', async () => {
    const ws = createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const id = await stack.send();
      const results = await collect({ subscribe: (sink) => ws.subscribe(request(id), sink) });
      expectLiveProgress(deliveryUpdates(results));
    } finally {
      await ws.dispose();
    }
  });

  it.each([
    ['distinct connections', false],
    ['a single connection', true],
  ])('graphql-sse’s client gets live delivery updates over %s', async (_mode, singleConnection) => {
    const sse = createSseClient({ url: stack.url, singleConnection, retryAttempts: 0 });
    try {
      const id = await stack.send();
      const results = await collect({ subscribe: (sink) => sse.subscribe(request(id), sink) });
      expectLiveProgress(deliveryUpdates(results));
    } finally {
      sse.dispose();
    }
  });

  it('reserves a graphql-sse single-connection stream on /graphql itself, with PUT', async () => {
    const res = await fetch(stack.url, { method: 'PUT' });
    expect(res.status).toBe(201);
    expect(await res.text()).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes Apollo multipart parts: {"payload": …} per update, {} heartbeats, then the closing boundary', async () => {
    const id = await stack.send();
    const { res, text, parts } = await multipart(stack.url, id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
    expect(text.endsWith('\r\n--graphql--\r\n')).toBe(true);
    const json = parts.map((p) => JSON.parse(p) as { payload?: unknown });
    // 2 s of delivery at a 150 ms heartbeat: heartbeats between the updates.
    expect(json.filter((p) => Object.keys(p).length === 0).length).toBeGreaterThanOrEqual(3);
    expectLiveProgress(deliveryUpdates(json.filter((p) => 'payload' in p).map((p) => p.payload)));
  });

  it('answers 406, naming what it serves, for an Accept no transport serves', async () => {
    const res = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'image/png' },
      body: JSON.stringify(request(await stack.send({ later: true }))),
    });
    expect(res.status).toBe(406);
    expect(res.headers.get('accept')).toMatch(/text\/event-stream/);
  });
});

describe('shutdown', () => {
  it('ends every open subscription the way its transport completes one', async () => {
    const stack = await startLiveStack();
    const id = await stack.send({ later: true });
    const ws = createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    const sse = createSseClient({ url: stack.url, singleConnection: true, retryAttempts: 0 });
    const distinct = createSseClient({ url: stack.url, retryAttempts: 0 });
    let firsts = 0;
    /** Every result until the stream completes, counting streams that have shown their first. */
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
        open((sink) => ws.subscribe(request(id), sink)),
        open((sink) => sse.subscribe(request(id), sink)),
        open((sink) => distinct.subscribe(request(id), sink)),
      ];
      let apolloFirst = false;
      const apollo = multipart(stack.url, id, (parts) => {
        if (!apolloFirst && parts.some((p) => p.includes('"payload"'))) {
          apolloFirst = true;
          firsts++;
        }
        return false;
      });
      await expect.poll(() => firsts, { timeout: 8_000 }).toBe(4);
      expect(stack.graphql.openSubscriptions.count()).toBe(4);
      await stack.graphql.closeSubscriptions();
      for (const results of await Promise.all(streams))
        expect(deliveryUpdates(results).map((u) => u.status)).toEqual(['SCHEDULED']);
      expect((await apollo).text.endsWith('\r\n--graphql--\r\n')).toBe(true);
      expect(stack.graphql.openSubscriptions.count()).toBe(0);
    } finally {
      await ws.dispose();
      sse.dispose();
      distinct.dispose();
      await stack.close();
    }
  });
});
