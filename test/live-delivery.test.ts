/**
 * Live delivery (issue 13): the GraphQL root types are named apart from OneSignal's `Subscription`,
 * and `notificationDelivery` streams a send's progress over Server-Sent Events.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../scripts/print-schema.js';
import { type Stack, startStack } from './helpers/stack.js';

describe('root operation types', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('schema.graphql declares the roots in an explicit schema block', () => {
    const printed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(printed).toMatch(/\nschema \{\n {2}query: Query\n {2}mutation: Mutation\n/);
    expect(printed).toMatch(/\ntype Subscription implements Node \{/);
  });

  it('refuses `subscription { token }` at validation, with HTTP 400', async () => {
    const res = await stack.gqlRaw('subscription { token }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toMatch(/subscription|token/i);
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('introspection names the subscription root apart from the domain type', async () => {
    const data = await stack.gql<{ __schema: { subscriptionType: { name: string } | null } }>(
      '{ __schema { subscriptionType { name } } }',
    );
    expect(data.__schema.subscriptionType?.name ?? null).not.toBe('Subscription');
  });
});
