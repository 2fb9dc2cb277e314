import {
  type GraphQLField,
  type GraphQLObjectType,
  getNamedType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { schema } from '../../src/schema/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;

/**
 * Selects every field of `type` that needs no arguments, recursing into objects (but not into
 * relations back to nodes, so the query stays a tree of this object's own data).
 */
function selectAll(type: GraphQLObjectType, depth = 0): string {
  const fields = Object.values(type.getFields()).filter(
    (f: GraphQLField<unknown, unknown>) => !f.args.some((a) => isNonNullType(a.type)),
  );
  return fields
    .map((f) => {
      const named = getNamedType(f.type);
      if (isLeafType(named)) return f.name;
      if (depth >= 1 || isInterfaceType(named) || isUnionType(named)) return '';
      if (!isObjectType(named) || named.getInterfaces().some((i) => i.name === 'Node')) return '';
      if (named.name.endsWith('Connection')) return '';
      return `${f.name} { ${selectAll(named, depth + 1)} }`;
    })
    .filter(Boolean)
    .join(' ');
}

const typeOf = (name: string) => schema.getType(name) as GraphQLObjectType;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

describe('nullability tells the truth over the whole demo data', () => {
  it('selects the types whole, not a handful of fields', () => {
    for (const [name, atLeast] of [
      ['App', 20],
      ['Notification', 25],
      ['Player', 20],
      ['User', 4],
      ['Subscription', 15],
    ] as const)
      expect(
        selectAll(typeOf(name))
          .split(' ')
          .filter((w) => /^[a-z]/.test(w)).length,
        name,
      ).toBeGreaterThanOrEqual(atLeast);
  });

  it('every field of the app, its notifications and its segments resolves without error', async () => {
    const data = await stack.gql<{
      app: { notifications: { nodes: unknown[] }; segments: { nodes: unknown[] } };
    }>(`{
      app(id: "${SHOP}") {
        ${selectAll(typeOf('App'))}
        notifications(first: 50) { nodes { ${selectAll(typeOf('Notification'))} } }
        segments(first: 50) { nodes { ${selectAll(typeOf('Segment'))} } }
      }
    }`);
    expect(data.app.notifications.nodes).toHaveLength(50);
    expect(data.app.segments.nodes.length).toBeGreaterThan(3);
  });

  it('every field of 100 players resolves without error', async () => {
    const data = await stack.gql<{ app: { players: { nodes: unknown[] } } }>(
      `{ app(id: "${SHOP}") { players(first: 100) { nodes { ${selectAll(typeOf('Player'))} } } } }`,
    );
    expect(data.app.players.nodes).toHaveLength(100);
  });

  it('every field of a user and its subscriptions resolves without error', async () => {
    const data = await stack.gql<{ app: { user: { subscriptions: unknown[] } } }>(
      `{ app(id: "${SHOP}") { user(alias: { byAlias: { label: "external_id", id: "demo-user-001" } }) {
        ${selectAll(typeOf('User'))}
        subscriptions { ${selectAll(typeOf('Subscription'))} }
      } } }`,
    );
    expect(data.app.user.subscriptions.length).toBeGreaterThan(1);
  });
});
