/**
 * The GraphQL clients frontend teams already use, each with its out-of-the-box settings, against the
 * running server over real HTTP: a query and a mutation each. urql sends queries as GET, the others POST
 * JSON; none is told about CSRF headers.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { ApolloClient, gql as apolloGql, HttpLink, InMemoryCache } from '@apollo/client';
import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { buildSchema, type GraphQLInterfaceType, isInterfaceType } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import {
  type ConcreteRequest,
  commitMutation,
  Environment,
  fetchQuery,
  Network,
  RecordSource,
  type RequestParameters,
  Store,
  type Variables,
} from 'relay-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/core/ids.js';
import { DEMO } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const QUERIES_DOC = readFileSync(new URL('../../docs/queries.md', import.meta.url), 'utf8');

const APP_QUERY = /* GraphQL */ `
  query ClientsApp($id: UUID!) {
    app(id: $id) {
      id
      name
      notifications(first: 2) {
        totalCount
        nodes {
          id
          status
        }
      }
    }
  }
`;

const SEND_MUTATION = /* GraphQL */ `
  mutation ClientsSend($input: NotificationCreateInput!) {
    notificationCreate(input: $input) {
      __typename
      ... on NotificationCreatePayload {
        notificationId
        recipientCount
        notification {
          id
          status
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`;

const sendInput = (client: string) => ({
  input: {
    appId: SHOP,
    target: { segments: { include: ['VIP Customers'] } },
    contents: [{ language: 'en', text: `Hello from ${client}` }],
  },
});

type AppData = {
  app: {
    id: string;
    name: string;
    notifications: { totalCount: number; nodes: { id: string; status: string }[] };
  };
};
type SendData = {
  notificationCreate: {
    __typename: string;
    notificationId?: string;
    recipientCount?: number | null;
    notification?: { id: string; status: string } | null;
  };
};

let stack: Stack;
/** Method and path of every request the server received: how each client sent its operations. */
let requests: string[] = [];
const record = (message: unknown) => {
  const { request } = message as { request: { method: string; url: string } };
  const path = request.url.split('?')[0];
  // The emulator listens in this process too; only the GraphQL server's requests count.
  if (path === '/graphql') requests.push(`${request.method} ${path}`);
};

beforeAll(async () => {
  stack = await startStack();
  subscribe('http.server.request.start', record);
});
afterAll(async () => {
  unsubscribe('http.server.request.start', record);
  await stack?.close();
});
beforeEach(() => {
  requests = [];
  stack.emulator.resetStats();
});

function expectApp(data: AppData | undefined) {
  expect(data?.app.id).toBe(encodeGlobalId('App', SHOP));
  expect(data?.app.name).toBe('Demo Shop');
  expect(data?.app.notifications.totalCount).toBeGreaterThanOrEqual(DEMO.counts[SHOP]!.notifications);
  expect(data?.app.notifications.nodes).toHaveLength(2);
}

function expectSent(data: SendData | null | undefined) {
  expect(data?.notificationCreate.__typename).toBe('NotificationCreatePayload');
  expect(data?.notificationCreate.notification?.id).toBe(data?.notificationCreate.notificationId);
  expect(data?.notificationCreate.notification?.status).toBeTruthy();
}

describe('urql (@urql/core) with its documented setup', () => {
  it('runs a query (sent as GET, no CSRF header) and a mutation', async () => {
    const client = new Client({ url: stack.graphqlUrl, exchanges: [cacheExchange, fetchExchange] });
    const query = await client.query<AppData>(APP_QUERY, { id: SHOP }).toPromise();
    expect(query.error).toBeUndefined();
    expectApp(query.data);
    const mutation = await client.mutation<SendData>(SEND_MUTATION, sendInput('urql')).toPromise();
    expect(mutation.error).toBeUndefined();
    expectSent(mutation.data);
    expect(requests).toEqual(['GET /graphql', 'POST /graphql']);
    expect(stack.upstreamCalls()).toMatchObject({ get_app: 1, get_notifications: 1, create_notification: 1 });
  });
});

/** The one setting docs/queries.md gives Apollo Client: which types implement each interface. */
function readmePossibleTypes(): Record<string, string[]> {
  const line = /new InMemoryCache\(\{ possibleTypes: \{(.*)\} \}\)/.exec(QUERIES_DOC)?.[1] ?? '';
  return Object.fromEntries(
    [...line.matchAll(/(\w+): \[([^\]]*)\]/g)].map((m) => [
      m[1],
      [...m[2]!.matchAll(/'(\w+)'/g)].map((t) => t[1]),
    ]),
  );
}

describe('Apollo Client 4 (core entry) with HttpLink and InMemoryCache', () => {
  const apollo = (cache: InMemoryCache) =>
    new ApolloClient({ link: new HttpLink({ uri: stack.graphqlUrl }), cache });
  const INVALID_SEND = {
    input: {
      appId: SHOP,
      target: { segments: { include: [] } },
      contents: [{ language: 'en', text: 'To nobody' }],
    },
  };

  it('runs a query and a mutation', async () => {
    const client = apollo(new InMemoryCache({ possibleTypes: readmePossibleTypes() }));
    const query = await client.query<AppData>({ query: apolloGql(APP_QUERY), variables: { id: SHOP } });
    expectApp(query.data);
    const mutation = await client.mutate<SendData>({
      mutation: apolloGql(SEND_MUTATION),
      variables: sendInput('Apollo'),
    });
    expectSent(mutation.data);
    expect(requests).toEqual(['POST /graphql', 'POST /graphql']);
    expect(stack.upstreamCalls()).toMatchObject({ get_app: 1, get_notifications: 1, create_notification: 1 });
  });

  it("needs the docs' possibleTypes line to keep `... on Error` fields, which the default cache drops", async () => {
    const run = async (cache: InMemoryCache) =>
      (
        await apollo(cache).mutate<{ notificationCreate: Record<string, unknown> }>({
          mutation: apolloGql(SEND_MUTATION),
          variables: INVALID_SEND,
        })
      ).data?.notificationCreate;
    // Apollo warns in development about fragments it cannot match ("Data might be lost"), expected here.
    const warn = console.warn;
    console.warn = () => {};
    try {
      expect(await run(new InMemoryCache({ possibleTypes: readmePossibleTypes() }))).toEqual({
        __typename: 'ValidationError',
        code: 'VALIDATION_FAILED',
        message: 'input.target.segments.include: give at least one segment name.',
      });
      expect(await run(new InMemoryCache())).toEqual({ __typename: 'ValidationError' });
    } finally {
      console.warn = warn;
    }
    expect(stack.upstreamCalls()).toEqual({});
  });

  it("the docs' possibleTypes list every implementation of every interface in schema.graphql", () => {
    const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
    const interfaces = Object.values(schema.getTypeMap()).filter(
      (t): t is GraphQLInterfaceType => isInterfaceType(t) && !t.name.startsWith('__'),
    );
    expect(readmePossibleTypes()).toEqual(
      Object.fromEntries(interfaces.map((i) => [i.name, schema.getPossibleTypes(i).map((t) => t.name)])),
    );
  });
});

describe('graphql-request with its defaults', () => {
  it('runs a query and a mutation', async () => {
    const client = new GraphQLClient(stack.graphqlUrl);
    expectApp(await client.request<AppData>(APP_QUERY, { id: SHOP }));
    expectSent(await client.request<SendData>(SEND_MUTATION, sendInput('graphql-request')));
    expect(requests).toEqual(['POST /graphql', 'POST /graphql']);
    expect(stack.upstreamCalls()).toMatchObject({ get_app: 1, get_notifications: 1, create_notification: 1 });
  });
});

describe('a Relay environment with the fetch function from Relay’s docs', () => {
  /** Relay's "Network Layer" guide, verbatim but for the URL. */
  const fetchFunction = (params: RequestParameters, variables: Variables) =>
    fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: params.text, variables }),
    }).then((response) => response.json());

  const environment = () =>
    new Environment({ network: Network.create(fetchFunction), store: new Store(new RecordSource()) });
  const send = (env: Environment) =>
    new Promise<SendData>((resolve, reject) =>
      commitMutation<{ response: SendData; variables: Variables }>(env, {
        mutation: RELAY_SEND_MUTATION,
        variables: sendInput('Relay'),
        onCompleted: (response, errors) =>
          errors?.length ? reject(new Error(JSON.stringify(errors))) : resolve(response),
        onError: reject,
      }),
    );

  it('runs a query and a mutation', async () => {
    const env = environment();
    const data = await fetchQuery<{ response: AppData; variables: Variables }>(env, RELAY_APP_QUERY, {
      id: SHOP,
    }).toPromise();
    expectApp(data);
    expectSent(await send(env));
    expect(requests).toEqual(['POST /graphql', 'POST /graphql']);
    expect(stack.upstreamCalls()).toMatchObject({ get_app: 1, get_notifications: 1, create_notification: 1 });
  });

  // Relay's store keys records by `id` alone: the payload names its notification's global id
  // `notificationId`, so the two records never collide.
  it('keeps a sent notification and its payload apart in the store', async () => {
    const env = environment();
    const sent = await send(env);
    const record = env.getStore().getSource().get(sent.notificationCreate.notification!.id);
    expect(record?.__typename).toBe('Notification');
  });
});

// What relay-compiler emits for APP_QUERY and SEND_MUTATION (the compiler is a native binary and not a
// dependency here): the document text it sends, and the selections Relay normalizes the answer with.
const scalar = (name: string) =>
  ({ alias: null, args: null, kind: 'ScalarField', name, storageKey: null }) as const;
const appSelections = [
  {
    alias: null,
    args: [{ kind: 'Variable', name: 'id', variableName: 'id' }],
    concreteType: 'App',
    kind: 'LinkedField',
    name: 'app',
    plural: false,
    storageKey: null,
    selections: [
      scalar('id'),
      scalar('name'),
      {
        alias: null,
        args: [{ kind: 'Literal', name: 'first', value: 2 }],
        concreteType: 'NotificationConnection',
        kind: 'LinkedField',
        name: 'notifications',
        plural: false,
        storageKey: 'notifications(first:2)',
        selections: [
          scalar('totalCount'),
          {
            alias: null,
            args: null,
            concreteType: 'Notification',
            kind: 'LinkedField',
            name: 'nodes',
            plural: true,
            storageKey: null,
            selections: [scalar('id'), scalar('status')],
          },
        ],
      },
    ],
  },
];
const RELAY_APP_QUERY = {
  kind: 'Request',
  fragment: {
    kind: 'Fragment',
    name: 'ClientsAppQuery',
    type: 'Query',
    abstractKey: null,
    metadata: null,
    argumentDefinitions: [{ defaultValue: null, kind: 'LocalArgument', name: 'id' }],
    selections: appSelections,
  },
  operation: {
    kind: 'Operation',
    name: 'ClientsAppQuery',
    argumentDefinitions: [{ defaultValue: null, kind: 'LocalArgument', name: 'id' }],
    selections: appSelections,
  },
  params: {
    cacheID: 'ClientsAppQuery',
    id: null,
    metadata: {},
    name: 'ClientsAppQuery',
    operationKind: 'query',
    text: APP_QUERY.replace('ClientsApp(', 'ClientsAppQuery('),
  },
} as unknown as ConcreteRequest;

const sendSelections = [
  {
    alias: null,
    args: [{ kind: 'Variable', name: 'input', variableName: 'input' }],
    concreteType: null,
    kind: 'LinkedField',
    name: 'notificationCreate',
    plural: false,
    storageKey: null,
    selections: [
      scalar('__typename'),
      {
        kind: 'InlineFragment',
        type: 'NotificationCreatePayload',
        abstractKey: null,
        selections: [
          scalar('notificationId'),
          scalar('recipientCount'),
          {
            alias: null,
            args: null,
            concreteType: 'Notification',
            kind: 'LinkedField',
            name: 'notification',
            plural: false,
            storageKey: null,
            selections: [scalar('id'), scalar('status')],
          },
        ],
      },
      {
        kind: 'InlineFragment',
        type: 'Error',
        abstractKey: '__isError',
        selections: [scalar('code'), scalar('message')],
      },
    ],
  },
];
const RELAY_SEND_MUTATION = {
  kind: 'Request',
  fragment: {
    kind: 'Fragment',
    name: 'ClientsSendMutation',
    type: 'Mutation',
    abstractKey: null,
    metadata: null,
    argumentDefinitions: [{ defaultValue: null, kind: 'LocalArgument', name: 'input' }],
    selections: sendSelections,
  },
  operation: {
    kind: 'Operation',
    name: 'ClientsSendMutation',
    argumentDefinitions: [{ defaultValue: null, kind: 'LocalArgument', name: 'input' }],
    selections: sendSelections,
  },
  params: {
    cacheID: 'ClientsSendMutation',
    id: null,
    metadata: {},
    name: 'ClientsSendMutation',
    operationKind: 'mutation',
    text: SEND_MUTATION.replace('ClientsSend(', 'ClientsSendMutation(').replace(
      '... on Error {',
      '... on Error {\n        __isError: __typename',
    ),
  },
} as unknown as ConcreteRequest;
