import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../helpers/stack.js';
import { graphqlExamples } from './pages.js';

/** Every ```graphql block of the README and docs/, so the examples pasted into GraphiQL keep working. */
const examples = graphqlExamples();
/** The README's own examples, whose upstream figures it states. */
const readmeExamples = graphqlExamples(['README.md']);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const example = (name: string) => readmeExamples.find((e) => e.startsWith(`query ${name}`)) as string;

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

describe('the README and docs examples', () => {
  it('are there to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  it('name each operation once, as graphql-codegen requires of a frontend that copies them all', () => {
    const names = examples.map((e) => /^(?:query|mutation|subscription) (\w+)/.exec(e)?.[1]);
    expect(names).not.toContain(undefined);
    expect(new Set(names).size).toBe(names.length);
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
