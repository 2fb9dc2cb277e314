/**
 * urql with its subscription exchange over graphql-ws and over graphql-sse (single connection), and
 * Relay with a subscribe function over graphql-sse, each set up as its docs show, receiving
 * `notificationDelivery` from the running server over real sockets.
 */
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import {
  type ConcreteRequest,
  Environment,
  type GraphQLResponse,
  Network,
  Observable,
  RecordSource,
  type RequestParameters,
  requestSubscription,
  Store,
  type Variables,
} from 'relay-runtime';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { onEnd, pipe, subscribe } from 'wonka';
import WebSocket from 'ws';
import {
  DELIVERY_DOCUMENT,
  deliveryUpdates,
  expectLiveProgress,
  type LiveStack,
  startLiveStack,
} from '../helpers/live-stack.js';
import type { Update } from '../helpers/sse.js';

let stack: LiveStack;
beforeAll(async () => {
  stack = await startLiveStack();
});
afterAll(() => stack.close());

/** Every result of an urql subscription, until its source ends. */
function urqlResults(client: Client, id: string): Promise<unknown[]> {
  return new Promise((resolve) => {
    const results: unknown[] = [];
    pipe(
      client.subscription(DELIVERY_DOCUMENT, { id }),
      onEnd(() => resolve(results)),
      subscribe(
        (result) => void results.push({ data: result.data, ...(result.error && { error: result.error }) }),
      ),
    );
  });
}

/** urql with its subscriptions forwarded to `transport` (a graphql-ws or graphql-sse client). */
function urqlClient(transport: Pick<ReturnType<typeof createWsClient>, 'subscribe'>) {
  return new Client({
    url: stack.url,
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return { subscribe: (sink) => ({ unsubscribe: transport.subscribe(input, sink) }) };
        },
      }),
    ],
  });
}

describe('urql', () => {
  it('gets live delivery updates through subscriptionExchange over graphql-ws', async () => {
    const ws = createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    const client = urqlClient(ws);
    try {
      expectLiveProgress(deliveryUpdates(await urqlResults(client, await stack.send())));
    } finally {
      await ws.dispose();
    }
  });

  it('gets live delivery updates through subscriptionExchange over graphql-sse, single connection', async () => {
    const sse = createSseClient({ url: stack.url, singleConnection: true, retryAttempts: 0 });
    const client = urqlClient(sse);
    try {
      expectLiveProgress(deliveryUpdates(await urqlResults(client, await stack.send())));
    } finally {
      sse.dispose();
    }
  });
});

// What relay-compiler emits for DELIVERY_DOCUMENT (the compiler is a native binary, not a dependency).
const scalar = (name: string) =>
  ({ alias: null, args: null, kind: 'ScalarField', name, storageKey: null }) as const;
const deliverySelections = [
  {
    alias: null,
    args: [{ kind: 'Variable', name: 'id', variableName: 'id' }],
    concreteType: 'NotificationDelivery',
    kind: 'LinkedField',
    name: 'notificationDelivery',
    plural: false,
    storageKey: null,
    selections: [scalar('status'), scalar('successfulCount'), scalar('remainingCount')],
  },
];
const RELAY_DELIVERY = {
  kind: 'Request',
  fragment: {
    kind: 'Fragment',
    name: 'DeliverySubscription',
    type: 'SubscriptionRoot',
    abstractKey: null,
    metadata: null,
    argumentDefinitions: [{ defaultValue: null, kind: 'LocalArgument', name: 'id' }],
    selections: deliverySelections,
  },
  operation: {
    kind: 'Operation',
    name: 'DeliverySubscription',
    argumentDefinitions: [{ defaultValue: null, kind: 'LocalArgument', name: 'id' }],
    selections: deliverySelections,
  },
  params: {
    cacheID: 'DeliverySubscription',
    id: null,
    metadata: {},
    name: 'DeliverySubscription',
    operationKind: 'subscription',
    text: DELIVERY_DOCUMENT.replace('Delivery(', 'DeliverySubscription('),
  },
} as unknown as ConcreteRequest;

describe('Relay', () => {
  it('gets live delivery updates through a subscribe function over graphql-sse', async () => {
    const sse = createSseClient({ url: stack.url, retryAttempts: 0 });
    // Relay's subscriptions guide, with graphql-sse's client as the transport.
    const subscribeFn = (operation: RequestParameters, variables: Variables) =>
      Observable.create<GraphQLResponse>((sink) =>
        sse.subscribe(
          { operationName: operation.name, query: operation.text ?? '', variables },
          sink as never,
        ),
      );
    const environment = new Environment({
      network: Network.create(() => Promise.reject(new Error('queries are not used here')), subscribeFn),
      store: new Store(new RecordSource()),
    });
    const id = await stack.send();
    const updates = await new Promise<Update[]>((resolve, reject) => {
      const seen: Update[] = [];
      requestSubscription<{ response: { notificationDelivery: Update }; variables: Variables }>(environment, {
        subscription: RELAY_DELIVERY,
        variables: { id },
        onNext: (response) => response && void seen.push({ ...response.notificationDelivery }),
        onCompleted: () => resolve(seen),
        onError: reject,
      });
    });
    sse.dispose();
    expectLiveProgress(updates);
  });
});
