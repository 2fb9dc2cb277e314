/** REDIS_URL's two forms: one Redis, or a Redis Cluster's seed nodes (`redis+cluster://`). */
import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { loadSharedStateConfig } from '../../src/config.js';
import { slotOfTag } from '../../src/upstream/redis.js';
import {
  parseClusterUrl,
  redisClient,
  redisPasswordOf,
  redisUrlShown,
} from '../../src/upstream/redis-connection.js';

describe('REDIS_URL', () => {
  it('takes one Redis or a cluster’s nodes, and names the variable without the password when malformed', () => {
    expect(loadSharedStateConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe(
      'redis://127.0.0.1:6379',
    );
    const url = 'redis+cluster://:s3cret@10.0.0.1:7000,10.0.0.2:7001';
    expect(loadSharedStateConfig({ REDIS_URL: url }).redisUrl).toBe(url);
    for (const bad of ['http://x:1', 'redis+cluster://:s3cret@10.0.0.1', 'redis+cluster://:s3cret@a:1/2']) {
      const error = (() => {
        try {
          loadSharedStateConfig({ REDIS_URL: bad });
        } catch (e) {
          return (e as Error).message;
        }
      })();
      expect(error).toMatch(/^REDIS_URL/);
      expect(error).not.toContain('s3cret');
    }
  });

  it('reads a cluster URL’s nodes, user, password and TLS', () => {
    expect(parseClusterUrl('rediss+cluster://app:p%40ss@a.example:7000,[::1]:7001/')).toEqual({
      nodes: [
        { host: 'a.example', port: 7000 },
        { host: '::1', port: 7001 },
      ],
      username: 'app',
      password: 'p@ss',
      tls: true,
    });
    expect(parseClusterUrl('redis+cluster://127.0.0.1:7000')).toEqual({
      nodes: [{ host: '127.0.0.1', port: 7000 }],
      username: undefined,
      password: undefined,
      tls: false,
    });
  });

  it('is shown without its password, in either form', () => {
    expect(redisUrlShown('redis+cluster://:pw@a:1,b:2')).toBe('redis+cluster://a:1,b:2');
    expect(redisUrlShown('redis://:pw@a:1/2')).toBe('redis://a:1/2');
    expect(redisPasswordOf('redis+cluster://:pw@a:1,b:2')).toBe('pw');
    expect(redisPasswordOf('redis://:pw@a:1')).toBe('pw');
  });

  it('connects a cluster client for redis+cluster:// and a single client otherwise', () => {
    const cluster = redisClient('redis+cluster://127.0.0.1:1,127.0.0.1:2', { lazyConnect: true });
    const single = redisClient('redis://127.0.0.1:1', { lazyConnect: true });
    expect(cluster).toBeInstanceOf(Cluster);
    expect(single).toBeInstanceOf(Redis);
    cluster.disconnect();
    single.disconnect();
  });
});

describe('the cache’s hash tags on a cluster', () => {
  it('keep an app’s tags on one slot and the app list with app settings on another', () => {
    const app = '11111111-1111-4111-8111-111111111111';
    expect(
      [`notifications:${app}`, `notification:${app}/abc`, `audience:${app}`, `segments:${app}`].map(
        slotOfTag,
      ),
    ).toEqual([app, app, app, app]);
    expect(['apps', `app:${app}`].map(slotOfTag)).toEqual(['apps', 'apps']);
  });
});
