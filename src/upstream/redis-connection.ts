import { Cluster, Redis, type RedisOptions } from 'ioredis';

/**
 * One Redis or a Redis Cluster, from `REDIS_URL`. `redis://[user:password@]host:port[/db]` (or
 * `rediss://`) is one server; `redis+cluster://[user:password@]host:port,host:port,…` (or
 * `rediss+cluster://`) names some nodes of a cluster, from which ioredis' `Cluster` learns the rest,
 * follows MOVED/ASK redirections and the new primary after a failover.
 *
 * A scheme rather than a second variable: every Redis user (shared stores, delivery watch, Event
 * Streams) receives the one string and connects through `redisClient`, so none can miss the cluster.
 */
export type RedisConnection = Redis | Cluster;

export interface ClusterTarget {
  nodes: { host: string; port: number }[];
  username: string | undefined;
  password: string | undefined;
  tls: boolean;
}

const CLUSTER_SCHEME = /^(rediss?)\+cluster:\/\//;

export const isClusterUrl = (url: string) => CLUSTER_SCHEME.test(url);

/** The seed nodes and credentials of a `redis+cluster://` URL; throws on a malformed one (without it). */
export function parseClusterUrl(url: string): ClusterTarget {
  const scheme = CLUSTER_SCHEME.exec(url);
  if (!scheme) throw new Error('not a redis+cluster:// URL');
  let rest = url.slice(scheme[0].length).replace(/\/+$/, '');
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const credentials = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = credentials.indexOf(':');
    username = decodeURIComponent(colon >= 0 ? credentials.slice(0, colon) : credentials) || undefined;
    password = colon >= 0 ? decodeURIComponent(credentials.slice(colon + 1)) || undefined : undefined;
  }
  // A cluster has no databases but 0: a path would be silently ignored, so it is refused.
  if (rest.includes('/')) throw new Error('a Redis Cluster has no databases: drop the /db from the URL');
  const nodes = rest.split(',').map((node) => {
    const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(node.trim());
    if (!match) throw new Error(`each cluster node must be host:port, not "${node.trim()}"`);
    return { host: (match[1] ?? '').replace(/^\[|\]$/g, ''), port: Number(match[2]) };
  });
  return { nodes, username, password, tls: scheme[1] === 'rediss' };
}

/** The URL without its credentials, for messages: `redis://host:port/db` or `redis+cluster://a:1,b:2`. */
export function redisUrlShown(url: string): string {
  if (isClusterUrl(url)) {
    try {
      const { nodes, tls } = parseClusterUrl(url);
      return `${tls ? 'rediss' : 'redis'}+cluster://${nodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
    } catch {
      return 'redis+cluster://(unparsable URL)';
    }
  }
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'redis://(unparsable URL)';
  }
}

/** The password in a Redis URL of either form, to keep it out of messages. */
export function redisPasswordOf(url: string): string | undefined {
  try {
    if (isClusterUrl(url)) return parseClusterUrl(url).password;
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A connection to what `url` names, with `options` for each server connection. For a cluster,
 * `keyPrefix`, `enableOfflineQueue`, `maxRetriesPerRequest` and `lazyConnect` apply to the cluster
 * client (ioredis reads them there), the rest to each node's connection.
 */
export function redisClient(url: string, options: RedisOptions = {}): RedisConnection {
  if (!isClusterUrl(url)) return new Redis(url, options);
  const { nodes, username, password, tls } = parseClusterUrl(url);
  const { keyPrefix, enableOfflineQueue, maxRetriesPerRequest, lazyConnect, retryStrategy, ...perNode } =
    options;
  return new Cluster(nodes, {
    ...(keyPrefix !== undefined && { keyPrefix }),
    ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
    ...(maxRetriesPerRequest !== undefined && { maxRetriesPerRequest }),
    ...(lazyConnect !== undefined && { lazyConnect }),
    ...(retryStrategy && { clusterRetryStrategy: retryStrategy }),
    // A failover takes the cluster a few seconds to settle: commands redirected (MOVED, TRYAGAIN,
    // CLUSTERDOWN) wait a little and follow, rather than fail at once.
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 1_000,
    redisOptions: {
      ...perNode,
      ...(username && { username }),
      ...(password && { password }),
      ...(tls && { tls: {} }),
    },
  });
}

/**
 * A cluster keeps each key in one of 16384 slots and refuses a script or MULTI over keys of several
 * slots (CROSSSLOT). The part of a key inside `{…}` alone decides its slot, so keys that go together
 * carry the same hash tag. On one Redis (or with no tag) it is left out: the keys stay what they were.
 */
export const hashTagged = (connection: RedisConnection, tag: string, key: string) =>
  connection instanceof Cluster && tag ? `{${tag}}${key}` : key;
