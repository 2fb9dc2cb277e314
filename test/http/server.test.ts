/** The server factory over real HTTP: the GraphiQL page, its default query, and /health. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

describe('the GraphQL server', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('serves GraphiQL with a default query about an app, its notifications, delivery stats and outcomes', async () => {
    const res = await fetch(stack.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('onesignal-graphql');
    for (const field of [
      'notifications',
      'successfulCount',
      'platformDeliveryStats',
      'outcomes',
      DEMO.apps[0]!.id,
    ])
      expect(html).toContain(field);
  });

  it('runs the default GraphiQL query without errors', async () => {
    const { defaultGraphiQLQuery } = await import('../../src/http/graphiql.js');
    const data = await stack.gql<{ app: { name: string; notifications: { nodes: unknown[] } } }>(
      defaultGraphiQLQuery(),
    );
    expect(data.app.name).toBe('Demo Shop');
    expect(data.app.notifications.nodes).toHaveLength(5);
  });

  it('answers /health', async () => {
    const res = await fetch(stack.graphqlUrl.replace('/graphql', '/health'));
    expect(res.status).toBe(200);
  });
});
