import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers/stack.js';

/** Every ```graphql block in the README, so the examples people paste into GraphiQL keep working. */
const examples = [
  ...readFileSync(new URL('../README.md', import.meta.url), 'utf8').matchAll(/```graphql\n(.*?)```/gs),
].map((m) => m[1] as string);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const example = (name: string) => examples.find((e) => e.startsWith(`query ${name}`)) as string;

describe("the README's upstream figures", () => {
  it('AppOverview: two upstream requests in all', async () => {
    stack.emulator.resetStats();
    await stack.gql(example('AppOverview'));
    expect(stack.upstreamCalls()).toEqual({ get_app: 1, get_notifications: 1 });
  });

  it('UserByExternalId: one request (the user) with the app key configured; one key look-up more, once, with only the organization key', async () => {
    stack.emulator.resetStats();
    await stack.gql(example('UserByExternalId'));
    expect(stack.upstreamCalls()).toEqual({ fetch_user: 1 });
    const orgKeyOnly = await startStack({ appKeys: {} });
    try {
      await orgKeyOnly.gql(example('UserByExternalId'));
      expect(orgKeyOnly.upstreamCalls()).toEqual({ get_app: 1, fetch_user: 1 });
      orgKeyOnly.emulator.resetStats();
      await orgKeyOnly.gql(example('UserByExternalId'));
      expect(orgKeyOnly.upstreamCalls()).toEqual({ fetch_user: 1 });
    } finally {
      await orgKeyOnly.close();
    }
  });
});

describe('the README examples', () => {
  it('are there to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  it.each(examples.map((query) => [query.split('\n')[0], query]))(
    '%s runs against the demo data',
    async (_name, query) => {
      const data = await stack.gql<Record<string, unknown>>(query as string);
      const [root] = Object.values(data);
      expect(root).toBeTruthy();
      expect(JSON.stringify(data)).not.toMatch(/"(VALIDATION_FAILED|NOT_FOUND|UPSTREAM_[A-Z]+)"/);
    },
  );
});
