/**
 * bench/run.ts's operations: each GraphQL operation beside the direct REST calls a hand-written
 * client makes for the same data, with the fewest upstream calls that data needs (its floor).
 */
import { randomUUID } from 'node:crypto';
import { DEMO } from '../../src/emulator/index.js';
import { postGraphQL, restClient } from '../lib/clients.js';
import { type KeyConfig, SHOP } from './settings.js';

/** A GraphQL client that throws on any error, so a failing operation cannot look fast. */
function graphqlClient(url: string) {
  return async (query: string, variables?: Record<string, unknown>) => {
    const { status, body } = await postGraphQL(url, query, variables, 'application/json');
    if (status !== 200 || body.errors?.length)
      throw new Error(`GraphQL HTTP ${status}: ${JSON.stringify(body.errors ?? body)}`);
    return body.data as Record<string, unknown>;
  };
}

export interface Operation {
  name: string;
  /** Fewest direct REST calls that return the same data, once the app's REST key is known. */
  floor: number;
  floorDetail: string;
  /** Whether the floor already reads the app (get_app), which then also yields its REST key. */
  readsApp: boolean;
  /** Mutations are never cached. */
  read: boolean;
  graphql: () => Promise<unknown>;
  rest: () => Promise<unknown>;
  /** Sanity check of one GraphQL answer, so a wrong query cannot look fast. */
  check: (data: Record<string, unknown>) => string | undefined;
  /** Mutations run fewer times so the emulator's data stays small. */
  concurrentRequests?: number;
}

/**
 * The fewest upstream calls of a first request: a hand-written client holding only the organization
 * key must fetch the app's REST key (get_app) once before any call that needs it, unless it reads the
 * app anyway.
 */
export const firstFloor = (op: Operation, config: KeyConfig) =>
  op.floor + (config.orgKey && !config.appKeys && !op.readsApp ? 1 : 0);

/** The bench's operations for one key configuration, sent to whichever server `target.url` names. */
export function operations(
  target: { url: string },
  emulatorUrl: string,
  tenIds: string[],
  config: KeyConfig,
) {
  const gql = (query: string, variables?: Record<string, unknown>) =>
    graphqlClient(target.url)(query, variables);
  const rest = restClient(emulatorUrl);
  const app = SHOP.id;
  const tenGlobalIds = tenIds.map((id) => Buffer.from(`Notification:${app}/${id}`).toString('base64url'));
  const getApp = () => rest('GET', `/apps/${app}`, DEMO.userAuthKey);
  const listNotifications = (limit: number) =>
    rest('GET', `/notifications?app_id=${app}&limit=${limit}&offset=0`, SHOP.restApiKey);
  const getSegments = () => rest('GET', `/apps/${app}/segments?limit=300&offset=0`, SHOP.restApiKey);
  const nodesOf = (data: Record<string, unknown>, field: string) =>
    ((data.app as Record<string, Record<string, unknown[]>> | null)?.[field]?.nodes ?? []) as Record<
      string,
      unknown
    >[];
  // App settings (its name) need the organization key, in GraphQL as in REST: without it those
  // operations leave them out (†), and so does their direct REST counterpart.
  const appFields = config.orgKey;
  const dagger = appFields ? '' : ' †';

  const ops: Operation[] = [
    {
      name: `50 notifications with their app${dagger}`,
      floor: appFields ? 2 : 1,
      floorDetail: appFields ? 'get_app ∥ get_notifications' : 'get_notifications',
      readsApp: appFields,
      read: true,
      graphql: () =>
        gql(
          appFields
            ? 'query($id: UUID!) { app(id: $id) { notifications(first: 50) { nodes { id app { name } successfulCount } } } }'
            : 'query($id: UUID!) { app(id: $id) { notifications(first: 50) { nodes { id successfulCount } } } }',
          { id: app },
        ),
      rest: () => (appFields ? Promise.all([getApp(), listNotifications(50)]) : listNotifications(50)),
      check: (d) => {
        const nodes = nodesOf(d, 'notifications');
        const named = nodes.filter((n) => (n.app as { name?: string } | null)?.name === SHOP.name).length;
        return nodes.length === 50 && (!appFields || named === 50)
          ? undefined
          : `${nodes.length} nodes, ${named} with app name`;
      },
    },
    {
      name: `app + 50 notifications w/ stats${dagger}`,
      floor: appFields ? 2 : 1,
      floorDetail: appFields ? 'get_app ∥ get_notifications' : 'get_notifications',
      readsApp: appFields,
      read: true,
      graphql: () =>
        gql(
          `query($id: UUID!) { app(id: $id) { ${appFields ? 'name ' : ''}notifications(first: 50) { totalCount nodes { id successfulCount failedCount convertedCount platformDeliveryStats { platform successfulCount } } } } }`,
          { id: app },
        ),
      rest: () => (appFields ? Promise.all([getApp(), listNotifications(50)]) : listNotifications(50)),
      check: (d) => {
        const n = nodesOf(d, 'notifications').length;
        const named = !appFields || (d.app as { name?: string } | null)?.name === SHOP.name;
        return n === 50 && named ? undefined : `${n} nodes, app name ${named ? 'right' : 'wrong'}`;
      },
    },
    {
      name: '10 notifications by node id',
      floor: 10,
      floorDetail: 'get_notification ×10 ∥',
      readsApp: false,
      read: true,
      graphql: () =>
        gql(
          'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Notification { oneSignalId successfulCount } } }',
          { ids: tenGlobalIds },
        ),
      rest: () =>
        Promise.all(tenIds.map((id) => rest('GET', `/notifications/${id}?app_id=${app}`, SHOP.restApiKey))),
      check: (d) => {
        const nodes = (d.nodes ?? []) as ({ oneSignalId?: string } | null)[];
        const found = nodes.filter((n) => n?.oneSignalId).length;
        return found === 10 ? undefined : `${found} of 10 found`;
      },
    },
    {
      name: `app + segments${dagger}`,
      floor: appFields ? 2 : 1,
      floorDetail: appFields ? 'get_app ∥ get_segments' : 'get_segments',
      readsApp: appFields,
      read: true,
      graphql: () =>
        gql(
          `query($id: UUID!) { app(id: $id) { ${appFields ? 'name ' : ''}segments { totalCount nodes { name readOnly } } } }`,
          { id: app },
        ),
      rest: () => (appFields ? Promise.all([getApp(), getSegments()]) : getSegments()),
      check: (d) => {
        const n = nodesOf(d, 'segments').length;
        return n > 0 ? undefined : 'no segments';
      },
    },
    {
      name: 'notificationCreate',
      floor: 1,
      floorDetail: 'create_notification',
      readsApp: false,
      read: false,
      graphql: () =>
        gql(
          'mutation($input: NotificationCreateInput!) { notificationCreate(input: $input) { __typename ... on NotificationCreatePayload { oneSignalId recipientCount } } }',
          {
            input: {
              appId: app,
              contents: [{ language: 'en', text: 'Bench' }],
              target: { segments: { include: ['Subscribed Users'] } },
            },
          },
        ),
      rest: () =>
        rest('POST', '/notifications', SHOP.restApiKey, {
          app_id: app,
          contents: { en: 'Bench' },
          included_segments: ['Subscribed Users'],
          idempotency_key: randomUUID(),
        }),
      check: (d) => {
        const p = d.notificationCreate as { __typename?: string; oneSignalId?: string } | null;
        return p?.oneSignalId ? undefined : `got ${JSON.stringify(p)}`;
      },
      concurrentRequests: 200,
    },
  ];
  return ops;
}
