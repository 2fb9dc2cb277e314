import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const DEMO_USER = DEMO.users[0]!;
const subscriptionId = (id: string) => Buffer.from(`Subscription:${SHOP}/${id}`).toString('base64url');
const PUSH_TOKEN = 'a1'.repeat(32);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(() => stack.emulator.resetStats());

const BEGIN = `mutation($input: LiveActivityBeginInput!) { liveActivityBegin(input: $input) {
  __typename ... on LiveActivityTokenPayload { activityId subscription { oneSignalId } } ... on Error { code } ... on ValidationError { fields { path } } } }`;
const UPDATE = `mutation($input: LiveActivityUpdateInput!) { liveActivityUpdate(input: $input) {
  __typename ... on LiveActivityUpdatePayload { activityId notificationId notification { oneSignalId } } ... on Error { code } ... on ValidationError { fields { path } } } }`;
const END = `mutation($input: LiveActivityEndInput!) { liveActivityEnd(input: $input) {
  __typename ... on LiveActivityTokenPayload { activityId } ... on Error { code } ... on ValidationError { fields { path } } } }`;

describe('live activities', () => {
  it('begins an activity for a subscription, sends an update that returns its notification, and ends it', async () => {
    const sub = DEMO_USER.subscriptionIds[0]!;
    const activityId = `order-${Date.now()}`;
    const begun = await stack.gql<{ liveActivityBegin: unknown }>(BEGIN, {
      input: { activityId, subscriptionId: subscriptionId(sub), pushToken: PUSH_TOKEN },
    });
    expect(begun.liveActivityBegin).toEqual({
      __typename: 'LiveActivityTokenPayload',
      activityId,
      subscription: { oneSignalId: sub },
    });

    stack.emulator.resetStats();
    const updated = await stack.gql<{
      liveActivityUpdate: {
        __typename: string;
        notificationId: string;
        notification: { oneSignalId: string } | null;
      };
    }>(UPDATE, {
      input: {
        appId: SHOP,
        activityId,
        event: 'UPDATE',
        name: 'CONTENTS',
        eventUpdates: { status: 'shipped', eta: 15 },
      },
    });
    expect(updated.liveActivityUpdate.__typename).toBe('LiveActivityUpdatePayload');
    expect(updated.liveActivityUpdate.notificationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(updated.liveActivityUpdate.notification).toEqual({
      oneSignalId: updated.liveActivityUpdate.notificationId,
    });
    expect(stack.upstreamCalls()).toMatchObject({ update_live_activity: 1 });

    const ended = await stack.gql<{ liveActivityEnd: unknown }>(END, {
      input: { activityId, subscriptionId: subscriptionId(sub) },
    });
    expect(ended.liveActivityEnd).toEqual({ __typename: 'LiveActivityTokenPayload', activityId });
    // Ending twice: the token is gone.
    const again = await stack.gql<{ liveActivityEnd: { __typename: string } }>(END, {
      input: { activityId, subscriptionId: subscriptionId(sub) },
    });
    expect(again.liveActivityEnd.__typename).toBe('NotFoundError');
  });

  it('ends an activity for everyone with event END and a dismissal time', async () => {
    const activityId = `game-${Date.now()}`;
    await stack.gql(BEGIN, {
      input: {
        activityId,
        subscriptionId: subscriptionId(DEMO_USER.subscriptionIds[0]!),
        pushToken: PUSH_TOKEN,
      },
    });
    const data = await stack.gql<{ liveActivityUpdate: { __typename: string; activityId: string } }>(UPDATE, {
      input: {
        appId: SHOP,
        activityId,
        event: 'END',
        name: 'HEADINGS',
        eventUpdates: { score: '3-1' },
        dismissAt: new Date(Date.now() + 3600_000).toISOString(),
      },
    });
    expect(data.liveActivityUpdate).toMatchObject({ __typename: 'LiveActivityUpdatePayload', activityId });
  });

  it('returns ValidationError naming the field for invalid input, without calling OneSignal', async () => {
    const sub = subscriptionId(DEMO_USER.subscriptionIds[0]!);
    const cases: [string, Record<string, unknown>, string[]][] = [
      [BEGIN, { activityId: ' ', subscriptionId: sub, pushToken: PUSH_TOKEN }, ['input', 'activityId']],
      [
        BEGIN,
        { activityId: 'a', subscriptionId: 'nope', pushToken: PUSH_TOKEN },
        ['input', 'subscriptionId'],
      ],
      [BEGIN, { activityId: 'a', subscriptionId: sub, pushToken: 'not hex!' }, ['input', 'pushToken']],
      [
        UPDATE,
        {
          appId: SHOP,
          activityId: 'a',
          event: 'UPDATE',
          name: 'CONTENTS',
          eventUpdates: { a: 1 },
          dismissAt: '2030-01-01T00:00:00Z',
        },
        ['input', 'dismissAt'],
      ],
      [
        UPDATE,
        { appId: SHOP, activityId: 'a', event: 'UPDATE', name: 'CONTENTS', eventUpdates: {} },
        ['input', 'eventUpdates'],
      ],
      [
        UPDATE,
        { appId: 'x', activityId: 'a', event: 'END', name: 'CONTENTS', eventUpdates: {} },
        ['input', 'appId'],
      ],
      [END, { activityId: '', subscriptionId: sub }, ['input', 'activityId']],
    ];
    for (const [query, input, path] of cases) {
      const data = await stack.gql<Record<string, unknown>>(query, { input });
      expect(Object.values(data)[0], JSON.stringify(input)).toMatchObject({
        __typename: 'ValidationError',
        code: 'VALIDATION_FAILED',
        fields: [{ path }],
      });
    }
    expect(stack.emulator.stats().total).toBe(0);
  });
});

describe('the v1.2.2 token mutations', () => {
  it('are described as legacy, naming what replaced them, and stay usable (not deprecated)', async () => {
    const data = await stack.gql<{
      __type: { fields: { name: string; description: string; isDeprecated: boolean }[] };
    }>('{ __type(name: "Mutation") { fields(includeDeprecated: true) { name description isDeprecated } } }');
    const field = (name: string) => data.__type.fields.find((f) => f.name === name);
    for (const name of ['liveActivityBegin', 'liveActivityEnd']) {
      expect(field(name)?.isDeprecated).toBe(false);
      expect(field(name)?.description).toMatch(/Legacy: OneSignal API v1\.2\.2's token endpoint/);
      expect(field(name)?.description).toMatch(/push-to-start \(`liveActivityStart`\).*`liveActivityUpdate`/);
    }
    expect(field('liveActivityUpdate')?.description).not.toMatch(/Legacy/);
  });
});
