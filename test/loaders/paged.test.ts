/**
 * Paged loaders (src/loaders/paged.ts): a list read primes the item loaders, so items it listed cost
 * no request of their own in the same operation, and items read by id are fetched once per tick.
 */
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { useStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;

const stack = useStack();

interface Listed {
  app: {
    first: string;
    second: string;
    notifications: {
      totalCount: number;
      nodes: {
        id: string;
        oneSignalId: string;
        successfulCount: number;
        platformDeliveryStats: { platform: string; successfulCount: number | null }[];
      }[];
    };
  };
}

describe('the request budget', () => {
  it('an app with its first 50 notifications, their delivery stats and its name asked twice costs exactly 2 upstream requests, and 10 of those notifications by id cost 0 more', async () => {
    // Learn ten ids first (a separate operation), then reset the counters.
    const ids = (
      await stack.gql<Listed>(
        `query($app: UUID!) { app(id: $app) { first: name second: name notifications(first: 50) { totalCount nodes { id oneSignalId successfulCount platformDeliveryStats { platform successfulCount } } } } }`,
        { app: SHOP },
      )
    ).app.notifications.nodes
      .slice(0, 10)
      .map((n) => n.oneSignalId);
    expect(ids).toHaveLength(10);
    stack.emulator.resetStats();

    const byId = ids
      .map(
        (id, i) =>
          `n${i}: notification(id: "${id}") { oneSignalId successfulCount failedCount platformDeliveryStats { platform successfulCount } }`,
      )
      .join('\n');
    const data = await stack.gql<
      Listed & { app: Record<string, { oneSignalId: string; successfulCount: number } | null> }
    >(
      `query($app: UUID!) {
        app(id: $app) {
          first: name
          second: name
          notifications(first: 50) { totalCount nodes { id oneSignalId successfulCount failedCount erroredCount convertedCount platformDeliveryStats { platform successfulCount failedCount } } }
          ${byId}
        }
      }`,
      { app: SHOP },
    );

    expect(stack.upstreamCalls()).toEqual({ get_app: 1, get_notifications: 1 });
    expect(data.app.first).toBe('Demo Shop');
    expect(data.app.second).toBe('Demo Shop');
    expect(data.app.notifications.nodes).toHaveLength(50);
    expect(data.app.notifications.totalCount).toBe(DEMO.counts[SHOP]!.notifications);
    const listed = new Map(data.app.notifications.nodes.map((n) => [n.oneSignalId, n]));
    ids.forEach((id, i) => {
      const item = data.app[`n${i}`] as { oneSignalId: string; successfulCount: number };
      expect(item.oneSignalId).toBe(id);
      expect(item.successfulCount).toBe(listed.get(id)!.successfulCount);
    });
    expect(data.app.notifications.nodes.some((n) => n.platformDeliveryStats.length > 0)).toBe(true);
  });

  it('refetching listed notifications through node(id:) in a later operation costs one get_notification each, batched per tick', async () => {
    const { app } = await stack.gql<Listed>(
      `{ app(id: "${SHOP}") { first: name second: name notifications(first: 3) { totalCount nodes { id oneSignalId successfulCount platformDeliveryStats { platform successfulCount } } } } }`,
    );
    stack.emulator.resetStats();
    const ids = app.notifications.nodes.map((n) => n.id);
    const data = await stack.gql<{ nodes: ({ oneSignalId: string } | null)[] }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Notification { oneSignalId } } }`,
      { ids },
    );
    expect(data.nodes.map((n) => n?.oneSignalId)).toEqual(app.notifications.nodes.map((n) => n.oneSignalId));
    expect(stack.upstreamCalls()).toEqual({ get_notification: 3 });
  });
});

describe('a page of players', () => {
  it('costs no request for a player that a page in the same operation listed', async () => {
    const listed = await stack.gql<{ app: { players: { nodes: { oneSignalId: string }[] } } }>(
      `query($app: UUID!) { app(id: $app) { players(first: 2) { nodes { oneSignalId } } } }`,
      { app: SHOP },
    );
    const second = listed.app.players.nodes[1];
    stack.emulator.resetStats();
    const data = await stack.gql<{
      app: {
        players: { nodes: { oneSignalId: string }[] };
        player: { oneSignalId: string; identifier: string };
      };
    }>(
      `query($app: UUID!, $id: UUID!) { app(id: $app) { players(first: 10) { nodes { oneSignalId } } player(id: $id) { oneSignalId identifier } } }`,
      { app: SHOP, id: second!.oneSignalId },
    );
    expect(data.app.player.oneSignalId).toBe(second!.oneSignalId);
    expect(stack.upstreamCalls()).toEqual({ get_players: 1 });
  });
});
