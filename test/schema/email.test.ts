import { describe, expect, it } from 'vitest';
import { DEMO, emailUnsubscribeToken } from '../../src/emulator/index.js';
import { MemoryCacheStore, SharedReads } from '../../src/upstream/index.js';
import { SHOP } from '../helpers/emulator.js';
import { bearer, jwtAuth } from '../helpers/jwt.js';
import { KEY_CONFIGURATIONS } from '../helpers/key-configurations.js';
import { type Stack, startStack, useStack } from '../helpers/stack.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are loosely typed JSON, narrowed by each assertion
type Loose = Record<string, any>;

const REPUTATION = `{ app(id: "${SHOP.id}") { emailReputation { period bounceRate complaintRate } } }`;

const UNSUBSCRIBE = /* GraphQL */ `
  mutation ($input: EmailUnsubscribeInput!) {
    emailUnsubscribe(input: $input) {
      __typename
      ... on EmailUnsubscribePayload { unsubscribed notification { oneSignalId } }
      ... on ValidationError { fields { path message } }
      ... on Error { code message }
    }
  }
`;

const SUBSCRIPTIONS = `query ($id: String!) { app(id: "${SHOP.id}") {
  user(alias: { byAlias: { label: "external_id", id: $id } }) { subscriptions { oneSignalId type enabled notificationTypes } }
} }`;

const EMAIL_USER = DEMO.users.find((u) => u.emails.length > 0)!;
const NOTIFICATION = DEMO.notifications.latestDelivered;

/** The reputation OneSignal (here: the emulator) reports, read directly with the app's key. */
async function wireReputation(s: Stack) {
  const res = await fetch(`${s.emulator.url}/api/v1/apps/${SHOP.id}/email_analytics/delivery_metrics`, {
    headers: { authorization: `Key ${SHOP.restApiKey}` },
  });
  return (await res.json()) as Record<string, { bounce_rate: number; complaint_rate: number }>;
}

async function emailSubscription(s: Stack): Promise<Loose> {
  const data = await s.gql<{ app: Loose }>(SUBSCRIPTIONS, { id: EMAIL_USER.externalId });
  return data.app.user.subscriptions.find((sub: Loose) => sub.type === 'EMAIL');
}

const stack = useStack();

describe('App.emailReputation', () => {
  it('reports the bounce and complaint rates per window, as OneSignal gives them, in one call', async () => {
    const { app } = await stack.gql<{ app: Loose }>(REPUTATION);
    expect(stack.upstreamCalls()).toEqual({ get_email_reputation: 1 });
    const wire = await wireReputation(stack);
    expect(app.emailReputation).toEqual(
      (['last_24_hours', 'last_7_days', 'last_30_days'] as const).map((period) => ({
        period: period.toUpperCase(),
        bounceRate: wire[period]!.bounce_rate,
        complaintRate: wire[period]!.complaint_rate,
      })),
    );
    // The seeded sends all completed more than a day ago; the week's and month's bounced and drew complaints.
    const [day, week, month] = app.emailReputation;
    expect(day).toEqual({ period: 'LAST_24_HOURS', bounceRate: 0, complaintRate: 0 });
    expect(week.bounceRate).toBeGreaterThan(0);
    expect(month.complaintRate).toBeGreaterThan(0);
  });

  it('is answered from the shared cache on the next request', async () => {
    const s = await startStack({ sharedReads: new SharedReads({ store: new MemoryCacheStore() }) });
    try {
      await s.gql(REPUTATION);
      await s.gql(REPUTATION);
      expect(s.upstreamCalls()).toEqual({ get_email_reputation: 1 });
    } finally {
      await s.close();
    }
  });
});

describe('emailUnsubscribe', () => {
  it('disables the email subscription the token names, in one call', async () => {
    const before = await emailSubscription(stack);
    expect(before.enabled).toBe(true);
    stack.emulator.resetStats();
    const { emailUnsubscribe } = await stack.gql<{ emailUnsubscribe: Loose }>(UNSUBSCRIBE, {
      input: {
        appId: SHOP.id,
        notificationId: NOTIFICATION,
        token: emailUnsubscribeToken(SHOP.id, before.oneSignalId),
      },
    });
    expect(emailUnsubscribe).toEqual({
      __typename: 'EmailUnsubscribePayload',
      unsubscribed: true,
      notification: { oneSignalId: NOTIFICATION },
    });
    expect(stack.upstreamCalls()).toEqual({ unsubscribe_email_with_token: 1, get_notification: 1 });
    const after = await emailSubscription(stack);
    expect(after).toMatchObject({ oneSignalId: before.oneSignalId, enabled: false, notificationTypes: -2 });
  });

  it("makes the app's cached users stale: the next read shows the subscription disabled", async () => {
    const s = await startStack({ sharedReads: new SharedReads({ store: new MemoryCacheStore() }) });
    try {
      const user = DEMO.users.find((u) => u.emails.length > 0)!;
      const before = await s.gql<{ app: Loose }>(SUBSCRIPTIONS, { id: user.externalId });
      const email = before.app.user.subscriptions.find((x: Loose) => x.type === 'EMAIL');
      await s.gql(UNSUBSCRIBE, {
        input: {
          appId: SHOP.id,
          notificationId: NOTIFICATION,
          token: emailUnsubscribeToken(SHOP.id, email.oneSignalId),
        },
      });
      s.emulator.resetStats();
      const after = await s.gql<{ app: Loose }>(SUBSCRIPTIONS, { id: user.externalId });
      expect(s.upstreamCalls()).toEqual({ fetch_user: 1 });
      expect(
        after.app.user.subscriptions.find((x: Loose) => x.oneSignalId === email.oneSignalId).enabled,
      ).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('answers NotFoundError for a token that names no subscription', async () => {
    const { emailUnsubscribe } = await stack.gql<{ emailUnsubscribe: Loose }>(UNSUBSCRIBE, {
      input: { appId: SHOP.id, notificationId: NOTIFICATION, token: 'no-such-token' },
    });
    expect(emailUnsubscribe).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(stack.upstreamCalls()).toEqual({ unsubscribe_email_with_token: 1 });
  });

  it.each([
    ['an empty token', { token: '  ' }, ['input', 'token']],
    ['a token with spaces', { token: 'a b' }, ['input', 'token']],
    ['an app id that is none', { appId: 'not-an-app' }, ['input', 'appId']],
  ])('refuses %s with a typed error at its path and no upstream call', async (_name, patch, path) => {
    const { emailUnsubscribe } = await stack.gql<{ emailUnsubscribe: Loose }>(UNSUBSCRIBE, {
      input: { appId: SHOP.id, notificationId: NOTIFICATION, token: 'some-token', ...patch },
    });
    expect(emailUnsubscribe.__typename).toBe('ValidationError');
    expect(emailUnsubscribe.fields.map((f: Loose) => f.path)).toContainEqual(path);
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('refuses a message id that is no UUID before executing', async () => {
    const res = await stack.gqlRaw(UNSUBSCRIBE, {
      input: { appId: SHOP.id, notificationId: '42', token: 'x' },
    });
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(stack.upstreamCalls()).toEqual({});
  });
});

describe.each(KEY_CONFIGURATIONS)('email with %s', (name, options) => {
  const lookup = name === 'org key only' ? { get_app: 1 } : {};

  it('reads the reputation with one call (plus the key look-up with the org key only)', async () => {
    const s = await startStack(options);
    try {
      await s.gql(REPUTATION);
      expect(s.upstreamCalls()).toEqual({ get_email_reputation: 1, ...lookup });
    } finally {
      await s.close();
    }
  });

  it('unsubscribes with one call (plus the key look-up with the org key only)', async () => {
    const s = await startStack(options);
    try {
      const sub = DEMO.users.find((u) => u.emails.length > 0)!;
      const subs = await s.gql<{ app: Loose }>(SUBSCRIPTIONS, { id: sub.externalId });
      const email = subs.app.user.subscriptions.find((x: Loose) => x.type === 'EMAIL');
      s.emulator.resetStats();
      const res = await s.gql<{ emailUnsubscribe: Loose }>(
        `mutation ($input: EmailUnsubscribeInput!) { emailUnsubscribe(input: $input) { __typename } }`,
        {
          input: {
            appId: SHOP.id,
            notificationId: NOTIFICATION,
            token: emailUnsubscribeToken(SHOP.id, email.oneSignalId),
          },
        },
      );
      expect(res.emailUnsubscribe.__typename).toBe('EmailUnsubscribePayload');
      // The look-up was made by the read above, so the key is in hand.
      expect(s.upstreamCalls()).toEqual({ unsubscribe_email_with_token: 1 });
    } finally {
      await s.close();
    }
  });
});

describe('email scopes', () => {
  const scoped = useStack({}, { auth: jwtAuth() });

  it('needs notifications:read for the reputation, refused without a call', async () => {
    const denied = await scoped.gqlRaw(REPUTATION, {}, await bearer(['users:read']));
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(scoped.upstreamCalls()).toEqual({});
    const allowed = await scoped.gqlRaw(REPUTATION, {}, await bearer(['notifications:read']));
    expect(allowed.errors).toBeUndefined();
    expect(scoped.upstreamCalls()).toEqual({ get_email_reputation: 1 });
  });

  it('needs users:write to unsubscribe, refused without a call', async () => {
    const res = await scoped.gqlRaw<Loose>(
      UNSUBSCRIBE,
      { input: { appId: SHOP.id, notificationId: NOTIFICATION, token: 'whatever' } },
      await bearer(['notifications:read', 'users:read']),
    );
    const code = res.errors?.[0]?.extensions?.code ?? res.data?.emailUnsubscribe?.code;
    expect(code).toBe('FORBIDDEN');
    expect(scoped.upstreamCalls()).toEqual({});
  });
});
