import type { AddressInfo } from 'node:net';
import { DEMO, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { createOneSignalClient, type OneSignalClientOptions } from '../../src/onesignal/index.js';
import { createGraphQLServer } from '../../src/server.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface Stack {
  emulator: RunningEmulator;
  graphqlUrl: string;
  /** Runs an operation and fails the test on any top-level GraphQL error. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Runs an operation and returns the whole response, errors included. */
  gqlRaw<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<T>>;
  /** Upstream requests made since the last `emulator.resetStats()`. */
  upstreamCalls(): Record<string, number>;
  close(): Promise<void>;
}

export const demoAppKeys = () => Object.fromEntries(DEMO.apps.map((a) => [a.id, a.restApiKey]));

/** Boots the emulator and the GraphQL server on loopback port 0, wired like production. */
export async function startStack(clientOptions: OneSignalClientOptions = {}): Promise<Stack> {
  const emulator = await startEmulator({ port: 0 });
  const client = createOneSignalClient({
    apiUrl: emulator.url,
    userAuthKey: DEMO.userAuthKey,
    appKeys: demoAppKeys(),
    retryBaseDelayMs: 5,
    ...clientOptions,
  });
  const { server } = createGraphQLServer({ client });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const graphqlUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

  async function gqlRaw<T>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    const res = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as Omit<GraphQLResponse<T>, 'status'>) };
  }

  return {
    emulator,
    graphqlUrl,
    gqlRaw,
    async gql<T>(query: string, variables?: Record<string, unknown>) {
      const res = await gqlRaw<T>(query, variables);
      if (res.errors?.length)
        throw new Error(`Unexpected GraphQL errors: ${JSON.stringify(res.errors, null, 2)}`);
      return res.data as T;
    },
    upstreamCalls: () => emulator.stats().byOperation,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}
