/**
 * Per-key loaders (src/loaders/per-key.ts): one read per distinct key in an operation, however many
 * fields, aliases or references ask for it.
 */
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { useStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const DEMO_USER = DEMO.users[0]!;

const stack = useStack();

describe('a user', () => {
  it('costs one request for the same user fetched by onesignal_id and by external_id in one operation', async () => {
    const data = await stack.gql<{ app: { a: { id: string }; b: { id: string }; c: { id: string } } }>(
      `query($app: UUID!, $id: UUID!, $idText: String!, $ext: String!) { app(id: $app) {
        a: user(alias: { byId: $id }) { id }
        b: user(alias: { byAlias: { label: "external_id", id: $ext } }) { id }
        c: user(alias: { byAlias: { label: "onesignal_id", id: $idText } }) { id }
      } }`,
      { app: SHOP, id: DEMO_USER.onesignalId, idText: DEMO_USER.onesignalId, ext: DEMO_USER.externalId },
    );
    expect(data.app.a.id).toBe(data.app.b.id);
    expect(data.app.c.id).toBe(data.app.a.id);
    expect(stack.upstreamCalls()).toEqual({ fetch_user: 1 });
  });
});

describe('outcomes', () => {
  it('asks OneSignal once for the same outcomes requested twice in one operation', async () => {
    await stack.gql(
      `{ app(id: "${SHOP}") { a: outcomes(names: [{ name: "os__click", aggregation: COUNT }]) { value } b: outcomes(names: [{ name: "os__click", aggregation: COUNT }]) { value } } }`,
    );
    expect(stack.upstreamCalls()).toEqual({ get_outcomes: 1 });
  });
});
