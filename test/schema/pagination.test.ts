/**
 * Connection paging by time (src/schema/pagination.ts): App.notifications from a `since` onwards,
 * oldest first, through the same connection and cursors as offset paging.
 */
import { describe, expect, it } from 'vitest';
import { SHOP as SHOP_APP } from '../helpers/emulator.js';
import { useStack } from '../helpers/stack.js';

const SHOP = SHOP_APP.id;
const stack = useStack();

const PAGE = /* GraphQL */ `
  query ($app: UUID!, $first: Int, $after: String, $since: DateTime) {
    app(id: $app) {
      notifications(first: $first, after: $after, since: $since) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { oneSignalId queuedAt } }
      }
    }
  }
`;

type Page = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
  edges: { cursor: string; node: { oneSignalId: string; queuedAt: string } }[];
};

describe('App.notifications by time cursor', () => {
  const page = async (vars: Record<string, unknown>) =>
    (await stack.gql<{ app: { notifications: Page } }>(PAGE, { app: SHOP, ...vars })).app.notifications;

  it('pages oldest first from `since` through the same connection, one upstream request a page, to the newest', async () => {
    // Everything, newest first, by offset.
    const newestFirst: string[] = [];
    let total = 0;
    for (let after: string | undefined; ; ) {
      const p = await page({ first: 50, after });
      total = p.totalCount;
      newestFirst.push(...p.edges.map((e) => e.node.oneSignalId));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(newestFirst.length).toBe(total);

    stack.emulator.resetStats();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const p = await page(
        cursor ? { first: 50, after: cursor } : { first: 50, since: '2000-01-01T00:00:00Z' },
      );
      pages++;
      expect(p.totalCount).toBe(total);
      expect(p.pageInfo.hasPreviousPage).toBe(false);
      seen.push(...p.edges.map((e) => e.node.oneSignalId));
      if (!p.pageInfo.hasNextPage) break;
      cursor = p.pageInfo.endCursor;
    }
    expect(seen).toEqual([...newestFirst].reverse());
    expect(pages).toBe(Math.ceil(newestFirst.length / 50));
    expect(stack.upstreamCalls()).toEqual({ get_notifications: pages });
  });

  it('resumes after any edge of a time page, and starts at `since`', async () => {
    const first = await page({ first: 5, since: '2000-01-01T00:00:00Z' });
    const ids = first.edges.map((e) => e.node.oneSignalId);
    stack.emulator.resetStats();
    // After the second edge: the third, fourth, … of the same time page, in one request.
    const resumed = await page({ first: 2, after: first.edges[1]?.cursor });
    expect(resumed.edges.map((e) => e.node.oneSignalId)).toEqual(ids.slice(2, 4));
    expect(resumed.pageInfo.hasPreviousPage).toBe(true);
    expect(stack.upstreamCalls()).toEqual({ get_notifications: 1 });

    // A `since` after the third notification's time leaves the older ones out.
    const third = first.edges[2]?.node.queuedAt as string;
    const later = await page({ first: 50, since: third });
    expect((later.edges[0]?.node.queuedAt ?? '') >= third).toBe(true);
    expect(later.edges.map((e) => e.node.oneSignalId)).not.toContain(ids[0]);
  });

  it('refuses `since` with an offset cursor, and cursors it did not issue', async () => {
    const byOffset = await page({ first: 1 });
    const mixed = await stack.gqlRaw(PAGE, {
      app: SHOP,
      after: byOffset.pageInfo.endCursor,
      since: '2000-01-01T00:00:00Z',
    });
    expect(mixed.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
    const forged = await stack.gqlRaw(PAGE, {
      app: SHOP,
      after: Buffer.from('time:x:y').toString('base64url'),
    });
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
