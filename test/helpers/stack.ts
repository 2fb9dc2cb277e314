import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { isUuid } from '../../src/core/ids.js';
import { DEMO, demoAppKeys, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { createGraphQLServer, type GraphQLServerOptions } from '../../src/http/server.js';
import { createOneSignalClient, type OneSignalClientOptions } from '../../src/upstream/index.js';

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
    // The emulator's OneSignal limits are off unless a suite turns them on, so no budgets either.
    rateLimits: false,
    ...clientOptions,
  };
  const client = createOneSignalClient(options);
  // `clientOptions` lets passthrough auth build each caller's client against this emulator.
  const { server } = createGraphQLServer({ client, clientOptions: options, ...serverOptions });
  const canary = watchForKeys(server, [
    DEMO.userAuthKey,
    ...Object.values(demoAppKeys()),
    options.userAuthKey,
    ...Object.values(options.appKeys ?? {}),
  ]);
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
      canary.stop();
    },
  };
}

/**
 * One stack for the whole file, as most suites want it: started before the first test, closed after
 * the last, with the upstream counters zeroed before each test. The returned object reads through to
 * the running stack, so tests use it as they would use `startStack()`'s.
 */
export function useStack(...options: Parameters<typeof startStack>): Stack {
  let running: Stack | undefined;
  const current = () => {
    if (!running) throw new Error('The stack is used before beforeAll started it');
    return running;
  };
  beforeAll(async () => {
    running = await startStack(...options);
  });
  afterAll(() => running?.close());
  beforeEach(() => current().emulator.resetStats());
  return {
    get emulator() {
      return current().emulator;
    },
    get graphqlUrl() {
      return current().graphqlUrl;
    },
    gql: (query, variables, headers) => current().gql(query, variables, headers),
    gqlRaw: (query, variables, headers) => current().gqlRaw(query, variables, headers),
    upstreamCalls: () => current().upstreamCalls(),
    close: () => current().close(),
  };
}

/**
 * The key canary every end-to-end suite runs: no response the GraphQL server writes, and nothing
 * logged while it runs, may contain a OneSignal key the server holds or a secret a caller sent
 * (passthrough keys, bearer tokens). A leak fails the suite at `close()`, naming where, never what.
 */
function watchForKeys(server: Server, serverKeys: (string | undefined)[]) {
  const secrets = new Set(serverKeys.filter((k): k is string => !!k && k.length >= 8));
  const leaks: string[] = [];
  const scan = (where: string, text: string) => {
    for (const secret of secrets) if (text.includes(secret)) leaks.push(where);
  };

  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(req.headers)) {
      if (!/^(authorization|x-onesignal-)/i.test(name) || typeof value !== 'string') continue;
      // App ids travel beside their keys (`<app id>=<key>`) and are not secret.
      for (const part of value.split(/[\s,=]+/)) if (part.length >= 8 && !isUuid(part)) secrets.add(part);
    }
    const chunks: string[] = [];
    const { write, end } = res;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      if (chunk != null) chunks.push(String(chunk));
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof res.write;
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      if (chunk != null && typeof chunk !== 'function') chunks.push(String(chunk));
      scan(`response to ${req.method} ${req.url}`, chunks.join('') + JSON.stringify(res.getHeaders()));
      return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as typeof res.end;
  });

  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const originals = methods.map((m) => console[m]);
  methods.forEach((m, i) => {
    console[m] = (...args: unknown[]) => {
      scan(
        `console.${m}`,
        args.map((a) => (a instanceof Error ? `${a.stack} ${JSON.stringify(a)}` : String(a))).join(' '),
      );
      (originals[i] as (...a: unknown[]) => void)(...args);
    };
  });

  return {
    stop() {
      methods.forEach((m, i) => {
        console[m] = originals[i] as (typeof console)[typeof m];
      });
      if (leaks.length) throw new Error(`A secret leaked into: ${[...new Set(leaks)].join('; ')}`);
    },
  };
}
