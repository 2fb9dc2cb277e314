/**
 * A server whose `notificationDelivery` streams move: the emulator delivers each send over
 * `deliveryMs`, the server polls every `pollMs`. For the transport suites (test/clients/transports-*).
 */
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { encodeGlobalId } from '../../src/core/ids.js';
import { DEMO, demoAppKeys, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { createGraphQLServer, type GraphQLServer, type GraphQLServerOptions } from '../../src/http/server.js';
import { DeliveryWatch } from '../../src/live/delivery-watch.js';
import { createOneSignalClient } from '../../src/upstream/index.js';
import type { Update } from './sse.js';

export const SHOP = DEMO.apps[0]!.id;

export const DELIVERY_DOCUMENT = /* GraphQL */ `
  subscription Delivery($id: ID!) {
    notificationDelivery(id: $id) {
      status
      successfulCount
      remainingCount
    }
  }
`;

export interface LiveStack {
  emulator: RunningEmulator;
  graphql: GraphQLServer;
  url: string;
  wsUrl: string;
  /**
   * Sends to the shop's subscribed users (straight to the emulator, whatever the auth mode); its
   * global id. `later`: scheduled an hour ahead, so a subscription to it stays open.
   */
  send(options?: { later?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function startLiveStack(
  serverOptions: Omit<GraphQLServerOptions, 'client' | 'deliveryWatch'> = {},
  { deliveryMs = 2_000, pollMs = 400 } = {},
): Promise<LiveStack> {
  const emulator = await startEmulator({ port: 0, pacing: { deliveryMs } });
  const clientOptions = {
    apiUrl: emulator.url,
    userAuthKey: DEMO.userAuthKey,
    appKeys: demoAppKeys(),
    rateLimits: false as const,
  };
  const client = createOneSignalClient(clientOptions);
  const watch = new DeliveryWatch({ pollMs });
  const graphql = createGraphQLServer({ client, clientOptions, deliveryWatch: watch, ...serverOptions });
  const { server } = graphql;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    emulator,
    graphql,
    url: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    async send({ later = false } = {}) {
      const created = await client.notifications.create(SHOP, {
        included_segments: ['Subscribed Users'],
        contents: { en: 'Live on every transport' },
        ...(later && { send_after: new Date(Date.now() + 3_600_000).toISOString() }),
      });
      return encodeGlobalId('Notification', `${SHOP}/${created.id}`);
    },
    async close() {
      await graphql.closeSubscriptions();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await watch.close();
      await emulator.close();
    },
  };
}

/** Anything with `subscribe({ next, error, complete })` (rxjs, zen-observable, Relay, graphql-ws sinks). */
interface Observable<T> {
  subscribe(observer: {
    next: (value: T) => void;
    error: (error: unknown) => void;
    complete: () => void;
  }): unknown;
}

/** Every value until the stream completes; rejects on its error. */
export function collect<T>(observable: Observable<T>): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const values: T[] = [];
    observable.subscribe({
      next: (value) => void values.push(value),
      error: reject,
      complete: () => resolve(values),
    });
  });
}

/** The updates of `notificationDelivery` results (`{ data }` or bare data), failing on any error. */
export function deliveryUpdates(results: unknown[]): Update[] {
  return results.map((r) => {
    const result = r as { data?: { notificationDelivery: Update }; errors?: unknown; error?: unknown };
    if (result.errors || result.error) throw new Error(`Unexpected errors: ${JSON.stringify(r)}`);
    return (result.data ?? (r as { notificationDelivery: Update })).notificationDelivery;
  });
}

/** A fresh send's updates: several, each newer, ending DELIVERED with nothing remaining. */
export function expectLiveProgress(updates: Update[]) {
  expect(updates.length).toBeGreaterThanOrEqual(3);
  expect(updates[0]?.status).not.toBe('DELIVERED');
  expect(updates.at(-1)).toMatchObject({ status: 'DELIVERED', remainingCount: 0 });
  for (let i = 1; i < updates.length; i++)
    expect((updates[i] as Update).successfulCount).toBeGreaterThanOrEqual(
      (updates[i - 1] as Update).successfulCount,
    );
}
