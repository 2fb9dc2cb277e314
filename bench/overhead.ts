/**
 * `npx tsx bench/overhead.ts`: where the GraphQL layer's time goes, in one process, with no upstream
 * latency. Companion to `bench/run.ts` when its overhead target fails.
 *
 * Upstream answers come from an in-process emulator, fetched once and then replayed from memory, so
 * the phases below measure only this project's CPU work per operation:
 * parse → validate → execute (resolvers, loaders, Pothos) → JSON.stringify, then Yoga's whole
 * pipeline in-process (`yoga.fetch`, no socket), then the same over loopback HTTP, and for
 * comparison the cost of the upstream calls themselves through the project's client (ofetch) and
 * through plain fetch. Bounded: fixed iteration counts.
 */
import { createServer as createHttpServer } from 'node:http';
import { type ExecutionResult, execute, parse, validate } from 'graphql';
import { ANONYMOUS_CALLER } from '../src/auth/index.js';
import { DEMO, demoAppKeys, startEmulator } from '../src/emulator/index.js';
import { createGraphQLServer } from '../src/http/server.js';
import { createLoaders } from '../src/loaders/index.js';
import type { OneSignalClient } from '../src/onesignal/index.js';
import { schema } from '../src/schema/index.js';
import { createOneSignalClient } from '../src/upstream/index.js';
import { meanMs } from './lib/load.js';
import { closeServer, demoApp, listenOnLoopback } from './lib/stack.js';

const ITERATIONS = 300;
const WARMUP = 60;
const SHOP = demoApp(0);

/** Wraps every `client.<api>.<method>` so each distinct call hits upstream once, then replays it. */
function replayingClient(real: OneSignalClient): OneSignalClient {
  const cache = new Map<string, Promise<unknown>>();
  return new Proxy(real, {
    get(target, ns, receiver) {
      const api = Reflect.get(target, ns, receiver) as unknown;
      if (typeof api !== 'object' || api === null || ns === 'http') return api;
      return new Proxy(api, {
        get(t, method) {
          const fn = Reflect.get(t, method) as unknown;
          if (typeof fn !== 'function') return fn;
          return (...args: unknown[]) => {
            const key = `${String(ns)}.${String(method)}:${JSON.stringify(args)}`;
            let p = cache.get(key);
            if (!p) {
              p = (fn as (...a: unknown[]) => Promise<unknown>).apply(t, args);
              cache.set(key, p);
            }
            return p;
          };
        },
      });
    },
  });
}

const mean = (fn: () => unknown | Promise<unknown>) => meanMs(fn, { warmup: WARMUP, iterations: ITERATIONS });

async function main() {
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
  const options = {
    apiUrl: emulator.url,
    userAuthKey: DEMO.userAuthKey,
    appKeys: demoAppKeys(),
    // This bench measures what the client adds per call, not OneSignal's pacing: with its default
    // limits (about one view per second per app) each "10 by id" row took 10 s and the run an hour.
    // The emulator here enforces no limits either.
    rateLimits: false as const,
  };
  const real = createOneSignalClient(options);
  const client = replayingClient(real);
  const { server, yoga } = createGraphQLServer({ client });
  const gqlUrl = `${await listenOnLoopback(server)}/graphql`;

  const page = await real.notifications.list(SHOP.id, { limit: 10 });
  const tenIds = (page.notifications ?? []).map((n) => n.id);
  const cases = [
    {
      name: '50 notifications with their app',
      query:
        'query($id: UUID!) { app(id: $id) { notifications(first: 50) { nodes { id app { name } successfulCount } } } }',
      variables: { id: SHOP.id } as Record<string, unknown>,
      upstream: (c: OneSignalClient) =>
        Promise.all([c.apps.get(SHOP.id), c.notifications.list(SHOP.id, { limit: 50, offset: 0 })]),
      plain: () =>
        Promise.all([
          fetch(`${emulator.url}/apps/${SHOP.id}`, {
            headers: { authorization: `Key ${DEMO.userAuthKey}` },
          }).then((r) => r.json()),
          fetch(`${emulator.url}/notifications?app_id=${SHOP.id}&limit=50&offset=0`, {
            headers: { authorization: `Key ${SHOP.restApiKey}` },
          }).then((r) => r.json()),
        ]),
    },
    {
      name: '10 notifications by node id',
      query:
        'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Notification { oneSignalId successfulCount } } }',
      variables: {
        ids: tenIds.map((id) => Buffer.from(`Notification:${SHOP.id}/${id}`).toString('base64url')),
      } as Record<string, unknown>,
      upstream: (c: OneSignalClient) => Promise.all(tenIds.map((id) => c.notifications.get(SHOP.id, id))),
      plain: () =>
        Promise.all(
          tenIds.map((id) =>
            fetch(`${emulator.url}/notifications/${id}?app_id=${SHOP.id}`, {
              headers: { authorization: `Key ${SHOP.restApiKey}` },
            }).then((r) => r.json()),
          ),
        ),
    },
    {
      name: 'app + segments',
      query: 'query($id: UUID!) { app(id: $id) { name segments { totalCount nodes { name readOnly } } } }',
      variables: { id: SHOP.id } as Record<string, unknown>,
      upstream: (c: OneSignalClient) =>
        Promise.all([c.apps.get(SHOP.id), c.segments.list(SHOP.id, { limit: 300, offset: 0 })]),
      plain: () =>
        Promise.all([
          fetch(`${emulator.url}/apps/${SHOP.id}`, {
            headers: { authorization: `Key ${DEMO.userAuthKey}` },
          }).then((r) => r.json()),
          fetch(`${emulator.url}/apps/${SHOP.id}/segments?limit=300&offset=0`, {
            headers: { authorization: `Key ${SHOP.restApiKey}` },
          }).then((r) => r.json()),
        ]),
    },
  ];

  const rows: string[] = [];
  for (const c of cases) {
    const document = parse(c.query);
    const run = () =>
      execute({
        schema,
        document,
        variableValues: c.variables,
        contextValue: { caller: ANONYMOUS_CALLER, client, loaders: createLoaders(client) },
      }) as Promise<ExecutionResult>;
    const first = await run();
    if (first.errors?.length) throw new Error(`${c.name}: ${JSON.stringify(first.errors)}`);
    const body = JSON.stringify({ query: c.query, variables: c.variables });
    const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body };

    const tParse = await mean(() => parse(c.query));
    const tValidate = await mean(() => validate(schema, document));
    const tExecute = await mean(run);
    const tSerialize = await mean(() => JSON.stringify(first));
    const tYoga = await mean(async () => (await yoga.fetch('http://localhost/graphql', post)).text());
    const tHttp = await mean(async () => (await fetch(gqlUrl, post)).text());
    const tClient = await mean(() => c.upstream(real));
    const tPlain = await mean(c.plain);
    rows.push(
      `| ${c.name} | ${[tParse, tValidate, tExecute, tSerialize, tYoga, tHttp, tClient, tPlain].map((t) => t.toFixed(2)).join(' | ')} |`,
    );
  }

  // The HTTP hop alone: a trivial node:http server answering a small JSON body.
  const tiny = createHttpServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"data":{"__typename":"Query"}}');
  });
  const tinyUrl = `${await listenOnLoopback(tiny)}/`;
  const tHop = await mean(async () => (await fetch(tinyUrl, { method: 'POST', body: '{}' })).text());
  const tTypename = await mean(async () =>
    (
      await fetch(gqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      })
    ).text(),
  );

  console.log(
    `\nMean ms per operation, ${ITERATIONS} iterations after ${WARMUP} warm-up, one process, upstream replayed from memory (parse..yoga.fetch..HTTP) or live with 0 ms latency (client, plain fetch):\n`,
  );
  console.log(
    '| operation | parse | validate | execute | JSON.stringify | yoga.fetch (in-process) | HTTP → server | upstream via client (ofetch) | upstream via plain fetch |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(
    `\nLoopback hop alone (fetch → trivial node:http server): ${tHop.toFixed(2)} ms; \`{ __typename }\` through the GraphQL server: ${tTypename.toFixed(2)} ms.`,
  );

  await closeServer(tiny);
  await closeServer(server);
  await emulator.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
