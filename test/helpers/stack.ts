import type { AddressInfo } from 'node:net';
import { DEMO, demoAppKeys, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { createOneSignalClient, type OneSignalClientOptions } from '../../src/onesignal/index.js';
import { createGraphQLServer, type GraphQLServerOptions } from '../../src/server.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface Stack {
  emulator: RunningEmulator;
  graphqlUrl: string;
  /** Runs an operation and fails the test on any top-level GraphQL error. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<T>;
  /** Runs an operation and returns the whole response, errors included. */
  gqlRaw<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Upstream requests made since the last `emulator.resetStats()`. */
  upstreamCalls(): Record<string, number>;
  close(): Promise<void>;
}

/** Boots the emulator and the GraphQL server on loopback port 0, wired like production. */
export async function startStack(
  clientOptions: OneSignalClientOptions = {},
  /** Server options other than the client (`security`, …). */
  serverOptions: Omit<GraphQLServerOptions, 'client'> = {},
): Promise<Stack> {
  const emulator = await startEmulator({ port: 0 });
  const options: OneSignalClientOptions = {
    apiUrl: emulator.url,
    userAuthKey: DEMO.userAuthKey,
    appKeys: demoAppKeys(),
    retryBaseDelayMs: 5,
    ...clientOptions,
  };
  const client = createOneSignalClient(options);
  // `clientOptions` lets passthrough auth build each caller's client against this emulator.
  const { server } = createGraphQLServer({ client, clientOptions: options, ...serverOptions });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const graphqlUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

  async function gqlRaw<T>(
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<T>> {
    const res = await fetch(graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as Omit<GraphQLResponse<T>, 'status'>) };
  }

  return {
    emulator,
    graphqlUrl,
    gqlRaw,
    async gql<T>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
      const res = await gqlRaw<T>(query, variables, headers);
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
