/**
 * Apollo Client 4 receiving `notificationDelivery` on its two common set-ups, over real sockets: the
 * default `HttpLink` (Apollo's multipart subscription protocol) and `GraphQLWsLink` (graphql-ws).
 */
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
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

describe('Apollo Client', () => {
  let stack: LiveStack;
  beforeAll(async () => {
    stack = await startLiveStack();
  });
  afterAll(() => stack.close());

  it('gets live delivery updates through its default HttpLink, over multipart subscriptions', async () => {
    const client = new ApolloClient({ link: new HttpLink({ uri: stack.url }), cache: new InMemoryCache() });
    const id = await stack.send();
    const results = await collect(client.subscribe({ query: gql(DELIVERY_DOCUMENT), variables: { id } }));
    expectLiveProgress(deliveryUpdates(results));
  });

  it('gets live delivery updates through GraphQLWsLink, over a WebSocket', async () => {
    const ws = createClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    const client = new ApolloClient({ link: new GraphQLWsLink(ws), cache: new InMemoryCache() });
    try {
      const id = await stack.send();
      const results = await collect(client.subscribe({ query: gql(DELIVERY_DOCUMENT), variables: { id } }));
      expectLiveProgress(deliveryUpdates(results));
    } finally {
      await ws.dispose();
    }
  });

  it('runs a query over the same WebSocket', async () => {
    const ws = createClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    const client = new ApolloClient({ link: new GraphQLWsLink(ws), cache: new InMemoryCache() });
    try {
      const { data } = await client.query<{ app: { name: string } }>({
        query: gql`query { app(id: "11111111-1111-4111-8111-111111111111") { name } }`,
      });
      expect(data?.app.name).toBe('Demo Shop');
    } finally {
      await ws.dispose();
    }
  });
});
