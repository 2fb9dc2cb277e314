import { describe, expect, it } from 'vitest';
import { DEMO, DEMO_AUDIT_ACTOR, demoAppKeys, EMULATOR_ORGANIZATION_ID } from '../../src/emulator/index.js';
import { MemoryCacheStore, SharedReads } from '../../src/upstream/index.js';
import { NEWS, SHOP } from '../helpers/emulator.js';
import { bearer, jwtAuth } from '../helpers/jwt.js';
import { KEY_CONFIGURATIONS } from '../helpers/key-configurations.js';
import { startStack, useStack } from '../helpers/stack.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are loosely typed JSON, narrowed by each assertion
type Loose = Record<string, any>;

const DAY = 86_400_000;
const ORG = EMULATOR_ORGANIZATION_ID;

const AUDIT = /* GraphQL */ `
  query ($org: UUID!, $filter: AuditLogFilter!, $first: Int, $after: String) {
    organization(id: $org) {
      oneSignalId
      auditLogs(filter: $filter, first: $first, after: $after) {
        edges { cursor node { oneSignalId } }
        nodes {
          action occurredAt version metadata
          app { oneSignalId }
          actor { type oneSignalId name email }
          targets { type oneSignalId name }
          context { ip userAgent country }
        }
        pageInfo { hasNextPage hasPreviousPage endCursor }
      }
    }
  }
`;

const sinceDaysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

const stack = useStack();

async function audit(variables: Loose, headers?: Record<string, string>) {
  return stack.gqlRaw<{ organization: Loose }>(AUDIT, { org: ORG, ...variables }, headers);
}

describe('Organization.auditLogs', () => {
  it('lists what the organization did, oldest first, in one upstream call', async () => {
    const res = await audit({ filter: { since: sinceDaysAgo(89) }, first: 100 });
    expect(res.errors).toBeUndefined();
    const { nodes } = res.data!.organization.auditLogs;
    expect(stack.upstreamCalls()).toEqual({ list_audit_logs: 1 });
    expect(res.data!.organization.oneSignalId).toBe(ORG);
    // The seeded setup: each demo app created, then its custom segments, by the dashboard member.
    expect(nodes[0]).toMatchObject({
      action: 'app.created',
      version: 1,
      app: { oneSignalId: SHOP.id },
      actor: {
        type: 'user',
        oneSignalId: DEMO_AUDIT_ACTOR.id,
        name: 'Demo Admin',
        email: 'admin@example.com',
      },
      targets: [{ type: 'app', oneSignalId: SHOP.id, name: SHOP.name }],
      context: { ip: '203.0.113.10', country: 'US' },
    });
    const actions = nodes.map((n: Loose) => n.action);
    expect(actions.filter((a: string) => a === 'app.created')).toHaveLength(2);
    expect(actions.filter((a: string) => a === 'segment.created')).toHaveLength(
      DEMO.segments.custom[SHOP.id]!.length + DEMO.segments.custom[NEWS.id]!.length,
    );
    const times = nodes.map((n: Loose) => n.occurredAt);
    expect([...times].sort()).toEqual(times);
  });

  it("records this API's own writes: an app update names the changed settings, never their values", async () => {
    const before = new Date(Date.now() - 2_000).toISOString();
    const updated = await stack.gql<{ appUpdate: Loose }>(
      `mutation { appUpdate(input: { id: "${NEWS.id}", siteName: "Audited News" }) { __typename } }`,
    );
    expect(updated.appUpdate.__typename).toBe('AppUpdatePayload');
    stack.emulator.resetStats();
    const res = await audit({ filter: { since: before, appIds: [NEWS.id], actions: ['app.updated'] } });
    expect(stack.upstreamCalls()).toEqual({ list_audit_logs: 1 });
    const { nodes } = res.data!.organization.auditLogs;
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({
      action: 'app.updated',
      app: { oneSignalId: NEWS.id },
      actor: { type: 'service', name: 'Organization API key', email: null },
      targets: [{ type: 'app', oneSignalId: NEWS.id }],
      metadata: { changed_fields: ['site_name'] },
    });
  });

  it('lists the last day when no filter is given', async () => {
    await stack.gql(`mutation { appUpdate(input: { id: "${SHOP.id}", siteName: "Today" }) { __typename } }`);
    stack.emulator.resetStats();
    const { organization } = await stack.gql<{ organization: Loose }>(
      `{ organization(id: "${ORG}") { auditLogs { nodes { action occurredAt } } } }`,
    );
    expect(stack.upstreamCalls()).toEqual({ list_audit_logs: 1 });
    const { nodes } = organization.auditLogs;
    expect(nodes.map((n: Loose) => n.action)).toContain('app.updated');
    for (const n of nodes) expect(Date.parse(n.occurredAt)).toBeGreaterThan(Date.now() - DAY);
  });

  it('is never cached: the same read twice is two calls, even with the shared cache on', async () => {
    const s = await startStack({ sharedReads: new SharedReads({ store: new MemoryCacheStore() }) });
    try {
      const query = `{ organization(id: "${ORG}") { auditLogs { nodes { action } } } }`;
      await s.gql(query);
      await s.gql(query);
      expect(s.upstreamCalls()).toEqual({ list_audit_logs: 2 });
    } finally {
      await s.close();
    }
  });

  it('narrows by actor email, target type and target id, each list a typed filter', async () => {
    const vip = DEMO.segments.ids[SHOP.id]!['VIP Customers']!;
    const byTarget = await audit({
      filter: {
        since: sinceDaysAgo(89),
        actorEmails: ['admin@example.com'],
        targetTypes: ['segment'],
        targetIds: [vip],
      },
    });
    expect(byTarget.data!.organization.auditLogs.nodes).toEqual([
      expect.objectContaining({
        action: 'segment.created',
        targets: [{ type: 'segment', oneSignalId: vip, name: 'VIP Customers' }],
      }),
    ]);
    const nobody = await audit({ filter: { since: sinceDaysAgo(89), actorEmails: ['nobody@example.com'] } });
    expect(nobody.data!.organization.auditLogs.nodes).toEqual([]);
    expect(stack.upstreamCalls()).toEqual({ list_audit_logs: 2 });
  });

  it('pages with Relay cursors over OneSignal cursors: the walk equals the single page, one call per page', async () => {
    const filter = { since: sinceDaysAgo(89), actions: ['app.created', 'segment.created'] };
    const whole = (await audit({ filter, first: 100 })).data!.organization.auditLogs.nodes.map(
      (n: Loose) => n.action,
    );
    stack.emulator.resetStats();
    const walked: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Loose = (await audit({ filter, first: 3, after })).data!.organization.auditLogs;
      walked.push(...page.nodes.map((n: Loose) => n.action));
      expect(page.pageInfo.hasPreviousPage).toBe(pages > 0);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(walked).toEqual(whole);
    expect(pages).toBe(Math.ceil(whole.length / 3));
    expect(stack.upstreamCalls()).toEqual({ list_audit_logs: pages });
  });

  it('resumes after an edge inside a page', async () => {
    const filter = { since: sinceDaysAgo(89) };
    const first = (await audit({ filter, first: 4 })).data!.organization.auditLogs;
    const second = (await audit({ filter, first: 2, after: first.edges[1].cursor })).data!.organization
      .auditLogs;
    expect(second.edges.map((e: Loose) => e.node.oneSignalId)).toEqual(
      first.edges.slice(2, 4).map((e: Loose) => e.node.oneSignalId),
    );
  });

  it.each([
    [
      'a start beyond the 90-day look-back',
      { since: sinceDaysAgo(91) },
      {},
      ['auditLogs', 'filter', 'since'],
    ],
    [
      'an end before the start',
      { since: sinceDaysAgo(2), until: sinceDaysAgo(3) },
      {},
      ['auditLogs', 'filter', 'until'],
    ],
    [
      'eleven app ids',
      { since: sinceDaysAgo(1), appIds: Array.from({ length: 11 }, () => SHOP.id) },
      {},
      ['auditLogs', 'filter', 'appIds'],
    ],
    ['an empty action list', { since: sinceDaysAgo(1), actions: [] }, {}, ['auditLogs', 'filter', 'actions']],
    [
      'an action with a space',
      { since: sinceDaysAgo(1), actions: ['app updated'] },
      {},
      ['auditLogs', 'filter', 'actions', '0'],
    ],
    [
      'a malformed IP address',
      { since: sinceDaysAgo(1), ipAddresses: ['300.1.1.1'] },
      {},
      ['auditLogs', 'filter', 'ipAddresses', '0'],
    ],
    ['first above 100', { since: sinceDaysAgo(1) }, { first: 101 }, ['auditLogs', 'first']],
    [
      'a cursor this API did not issue',
      { since: sinceDaysAgo(1) },
      { after: 'bm90LWEtY3Vyc29y' },
      ['auditLogs', 'after'],
    ],
  ])('refuses %s with a typed error at its path and no upstream call', async (_name, filter, extra, path) => {
    const res = await audit({ filter, ...extra });
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(((res.errors?.[0]?.extensions?.fields ?? []) as Loose[]).map((f) => f.path)).toContainEqual(path);
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('refuses a malformed date or email in the filter before executing', async () => {
    const res = await audit({ filter: { since: 'yesterday', actorEmails: ['not-an-email'] } });
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(stack.upstreamCalls()).toEqual({});
  });
});

describe.each(KEY_CONFIGURATIONS)('the audit log with %s', (name, options) => {
  it(
    name === 'app keys only'
      ? 'says the organization key is needed, for which organization, with no upstream call'
      : 'costs one list_audit_logs',
    async () => {
      const s = await startStack(options);
      try {
        const res = await s.gqlRaw<{ organization: Loose }>(AUDIT, {
          org: ORG,
          filter: { since: sinceDaysAgo(89), appIds: [SHOP.id] },
          first: 5,
        });
        if (name === 'app keys only') {
          expect(res.errors?.[0]?.extensions?.code).toBe('KEY_MISSING');
          const message = res.errors?.[0]?.message ?? '';
          expect(message).toContain(ORG);
          expect(message).toContain('ONESIGNAL_USER_AUTH_KEY');
          expect(message).toContain("organization's API key");
          for (const key of Object.values(demoAppKeys())) expect(message).not.toContain(key);
          expect(s.upstreamCalls()).toEqual({});
        } else {
          expect(res.errors).toBeUndefined();
          expect(res.data!.organization.auditLogs.nodes.length).toBeGreaterThan(0);
          expect(s.upstreamCalls()).toEqual({ list_audit_logs: 1 });
        }
      } finally {
        await s.close();
      }
    },
  );
});

describe('audit log scopes', () => {
  const scoped = useStack({}, { auth: jwtAuth() });
  const query = `query ($f: AuditLogFilter!) { organization(id: "${ORG}") { auditLogs(filter: $f) { nodes { action } } } }`;
  const filter = { f: { since: sinceDaysAgo(10) } };

  it('refuses a caller without auditlogs:read before any upstream call', async () => {
    const res = await scoped.gqlRaw(query, filter, await bearer(['apps:read', 'notifications:read']));
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(scoped.upstreamCalls()).toEqual({});
  });

  it('refuses a caller limited to some apps: the log holds every app', async () => {
    const res = await scoped.gqlRaw(query, filter, await bearer(['auditlogs:read'], [SHOP.id]));
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(scoped.upstreamCalls()).toEqual({});
  });

  it('answers a caller with auditlogs:read alone', async () => {
    const res = await scoped.gqlRaw<{ organization: Loose }>(query, filter, await bearer(['auditlogs:read']));
    expect(res.errors).toBeUndefined();
    expect(scoped.upstreamCalls()).toEqual({ list_audit_logs: 1 });
  });
});
