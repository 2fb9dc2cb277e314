import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadAuthConfig, type Scope } from '../../src/auth/index.js';
import { DEMO } from '../../src/emulator/index.js';
import { MemoryCacheStore, SharedReads } from '../../src/upstream/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const NEWS = DEMO.apps[1]!.id;
const WELCOME = DEMO.templates[SHOP]!.Welcome!;
const DIGEST = DEMO.templates[SHOP]!['Weekly digest']!;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());
beforeEach(async () => {
  await stack.emulator.reset();
});

interface Tpl {
  id: string;
  oneSignalId: string;
  name: string;
  channel: string | null;
  contents: { language: string; text: string }[];
  headings: { language: string; text: string }[];
  email: { subject: string | null; body: string | null } | null;
}
const TEMPLATE_FIELDS =
  'id oneSignalId name channel contents { language text } headings { language text } email { subject body }';
const nodeId = (type: string, appId: string, id: string) =>
  Buffer.from(`${type}:${appId}/${id}`).toString('base64url');

describe('templates', () => {
  it('lists an app’s seeded templates in one view_templates, with their channels', async () => {
    const { app } = await stack.gql<{
      app: {
        templates: {
          pageInfo: { hasNextPage: boolean };
          nodes: { name: string; channel: string; oneSignalId: string }[];
        };
      };
    }>(
      `{ app(id: "${SHOP}") { templates { pageInfo { hasNextPage } nodes { name channel oneSignalId } } } }`,
    );
    expect(app.templates.nodes).toEqual([
      { name: 'Welcome', channel: 'PUSH', oneSignalId: WELCOME },
      { name: 'Weekly digest', channel: 'EMAIL', oneSignalId: DIGEST },
      { name: 'Order update', channel: 'SMS', oneSignalId: DEMO.templates[SHOP]!['Order update'] },
    ]);
    expect(app.templates.pageInfo.hasNextPage).toBe(false);
    expect(stack.upstreamCalls()).toEqual({ view_templates: 1 });
  });

  it('pages templates with first/after, reading one row more than asked to learn hasNextPage', async () => {
    const q = `query($after: String) { app(id: "${SHOP}") { templates(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { name } } } }`;
    type P = {
      app: {
        templates: { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { name: string }[] };
      };
    };
    const a = await stack.gql<P>(q);
    const b = await stack.gql<P>(q, { after: a.app.templates.pageInfo.endCursor });
    expect(a.app.templates.nodes.map((n) => n.name)).toEqual(['Welcome', 'Weekly digest']);
    expect(a.app.templates.pageInfo.hasNextPage).toBe(true);
    expect(b.app.templates.nodes.map((n) => n.name)).toEqual(['Order update']);
    expect(b.app.templates.pageInfo.hasNextPage).toBe(false);
    expect(stack.upstreamCalls().view_templates).toBe(2);
  });

  it('caps first at 49: OneSignal pages hold 50 and the 50th row tells whether more follow', async () => {
    const res = await stack.gqlRaw(`{ app(id: "${SHOP}") { templates(first: 50) { nodes { name } } } }`);
    expect(res.errors?.[0]?.message).toMatch(/between 1 and 49/);
    expect(stack.upstreamCalls().view_templates).toBeUndefined();
  });

  it('reads one template with its content through App.template and node, one view_template each request', async () => {
    const { app } = await stack.gql<{ app: { template: Tpl } }>(
      `{ app(id: "${SHOP}") { template(id: "${WELCOME}") { ${TEMPLATE_FIELDS} } } }`,
    );
    expect(app.template).toMatchObject({
      id: nodeId('Template', SHOP, WELCOME),
      name: 'Welcome',
      channel: 'PUSH',
      contents: [
        { language: 'en', text: 'Welcome to Demo Shop!' },
        { language: 'de', text: 'Willkommen bei Demo Shop!' },
      ],
      headings: [{ language: 'en', text: 'Demo Shop' }],
      email: null,
    });
    expect(stack.upstreamCalls()).toEqual({ view_template: 1 });

    stack.emulator.resetStats();
    const { node } = await stack.gql<{ node: Tpl }>(
      `{ node(id: "${app.template.id}") { ... on Template { name email { subject } } } }`,
    );
    expect(node).toEqual({ name: 'Welcome', email: null });
    expect(stack.upstreamCalls()).toEqual({ view_template: 1 });
  });

  it('answers null for an unknown template id', async () => {
    const { app } = await stack.gql<{ app: { template: null } }>(
      `{ app(id: "${SHOP}") { template(id: "99999999-9999-4999-8999-999999999999") { id } } }`,
    );
    expect(app.template).toBeNull();
  });

  it('creates, updates and deletes a template', async () => {
    const { templateCreate } = await stack.gql<{ templateCreate: { __typename: string; template: Tpl } }>(
      `mutation { templateCreate(input: { appId: "${SHOP}", name: "Spring sale", channel: EMAIL,
        contents: [{ language: "en", text: "Spring is here" }], email: { subject: "Spring sale", body: "<p>20% off</p>" } })
        { __typename ... on TemplateCreatePayload { template { ${TEMPLATE_FIELDS} } } } }`,
    );
    expect(templateCreate.__typename).toBe('TemplateCreatePayload');
    expect(templateCreate.template).toMatchObject({
      name: 'Spring sale',
      channel: 'EMAIL',
      contents: [{ language: 'en', text: 'Spring is here' }],
      email: { subject: 'Spring sale', body: '<p>20% off</p>' },
    });
    expect(stack.upstreamCalls()).toEqual({ create_template: 1 });

    stack.emulator.resetStats();
    const { templateUpdate } = await stack.gql<{ templateUpdate: { template: Tpl } }>(
      `mutation($id: ID!) { templateUpdate(input: { id: $id, name: "Spring sale II", email: { subject: "Last days" } })
        { ... on TemplateUpdatePayload { template { ${TEMPLATE_FIELDS} } } } }`,
      { id: templateCreate.template.id },
    );
    expect(templateUpdate.template).toMatchObject({
      id: templateCreate.template.id,
      name: 'Spring sale II',
      email: { subject: 'Last days', body: '<p>20% off</p>' },
    });
    expect(stack.upstreamCalls()).toEqual({ update_template: 1 });

    const { app } = await stack.gql<{ app: { templates: { nodes: { name: string }[] } } }>(
      `{ app(id: "${SHOP}") { templates { nodes { name } } } }`,
    );
    expect(app.templates.nodes.map((n) => n.name)).toContain('Spring sale II');

    stack.emulator.resetStats();
    const { templateDelete } = await stack.gql<{
      templateDelete: { __typename: string; deletedTemplateId: string; app: { oneSignalId: string } };
    }>(
      'mutation($id: ID!) { templateDelete(input: { id: $id }) { __typename ... on TemplateDeletePayload { deletedTemplateId app { oneSignalId } } } }',
      { id: templateCreate.template.id },
    );
    expect(templateDelete).toEqual({
      __typename: 'TemplateDeletePayload',
      deletedTemplateId: templateCreate.template.id,
      app: { oneSignalId: SHOP },
    });
    expect(stack.upstreamCalls()).toEqual({ delete_template: 1, get_app: 1 });
    const gone = await stack.gql<{ node: null }>(`{ node(id: "${templateCreate.template.id}") { id } }`);
    expect(gone.node).toBeNull();
  });

  it('rejects a template without English content or an email template without subject, before calling OneSignal', async () => {
    const { templateCreate } = await stack.gql<{
      templateCreate: { __typename: string; fields: { path: string[] }[] };
    }>(
      `mutation { templateCreate(input: { appId: "${SHOP}", name: " ", channel: EMAIL, contents: [{ language: "fr", text: "Bonjour" }] })
        { __typename ... on ValidationError { fields { path } } } }`,
    );
    expect(templateCreate.__typename).toBe('ValidationError');
    expect(templateCreate.fields.map((f) => f.path.join('.'))).toEqual([
      'input.name',
      'input.contents',
      'input.email.subject',
      'input.email.body',
    ]);
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('reports updating a template that does not exist as NotFoundError', async () => {
    const id = nodeId('Template', SHOP, '99999999-9999-4999-8999-999999999999');
    const { templateUpdate } = await stack.gql<{ templateUpdate: { __typename: string; code: string } }>(
      `mutation { templateUpdate(input: { id: "${id}", name: "x" }) { __typename ... on Error { code } } }`,
    );
    expect(templateUpdate).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });

  it('copies a template into another app with the user auth key', async () => {
    const { templateCopy } = await stack.gql<{
      templateCopy: { __typename: string; template: Tpl & { app: { oneSignalId: string } } };
    }>(
      `mutation { templateCopy(input: { id: "${nodeId('Template', SHOP, WELCOME)}", targetAppId: "${NEWS}" })
        { __typename ... on TemplateCopyPayload { template { ${TEMPLATE_FIELDS} app { oneSignalId } } } } }`,
    );
    expect(templateCopy.__typename).toBe('TemplateCopyPayload');
    expect(templateCopy.template.oneSignalId).not.toBe(WELCOME);
    expect(templateCopy.template).toMatchObject({
      name: 'Welcome',
      channel: 'PUSH',
      contents: [
        { language: 'en', text: 'Welcome to Demo Shop!' },
        { language: 'de', text: 'Willkommen bei Demo Shop!' },
      ],
      app: { oneSignalId: NEWS },
    });
    // The copy only: the payload's `app { oneSignalId }` is known without reading the app.
    expect(stack.upstreamCalls()).toEqual({ copy_template_to_app: 1 });
    const { app } = await stack.gql<{ app: { templates: { nodes: { oneSignalId: string }[] } } }>(
      `{ app(id: "${NEWS}") { templates { nodes { oneSignalId } } } }`,
    );
    expect(app.templates.nodes.map((n) => n.oneSignalId)).toContain(templateCopy.template.oneSignalId);
  });

  it('refuses to copy a template into the app it is in', async () => {
    const { templateCopy } = await stack.gql<{ templateCopy: { __typename: string } }>(
      `mutation { templateCopy(input: { id: "${nodeId('Template', SHOP, WELCOME)}", targetAppId: "${SHOP}" }) { __typename } }`,
    );
    expect(templateCopy.__typename).toBe('ValidationError');
    expect(stack.upstreamCalls()).toEqual({});
  });

  it('sends a notification named by its template: content comes from it and Notification.template links back', async () => {
    const { notificationCreate } = await stack.gql<{
      notificationCreate: { __typename: string; notification: { content: string; template: Tpl | null } };
    }>(
      `mutation { notificationCreate(input: { appId: "${SHOP}", templateId: "${WELCOME}", target: { segments: { include: ["Subscribed Users"] } } })
        { __typename ... on NotificationCreatePayload { notification { content(language: "en") template { name oneSignalId } } } } }`,
    );
    expect(notificationCreate.__typename).toBe('NotificationCreatePayload');
    expect(notificationCreate.notification).toEqual({
      content: 'Welcome to Demo Shop!',
      template: { name: 'Welcome', oneSignalId: WELCOME },
    });
    // The send's snapshot, its content filled from the template: no view of the notification.
    expect(stack.upstreamCalls()).toEqual({ create_notification: 1, view_template: 1 });
  });

  it('answers Notification.template null for a send without a template', async () => {
    const id = DEMO.notifications.latestDelivered;
    const { app } = await stack.gql<{ app: { notification: { template: null } } }>(
      `{ app(id: "${SHOP}") { notification(id: "${id}") { template { id } } } }`,
    );
    expect(app.notification.template).toBeNull();
    expect(stack.upstreamCalls().view_template).toBeUndefined();
  });
});

describe("the docs' templates figure", () => {
  it('TemplatesAndSegment: view_templates, view_template, get_segments and get_segment, one each', async () => {
    const queriesDoc = readFileSync(new URL('../../docs/queries.md', import.meta.url), 'utf8');
    const query = /```graphql\n(query TemplatesAndSegment.*?)```/s.exec(queriesDoc)?.[1] as string;
    const data = await stack.gql<{
      app: { templates: { nodes: unknown[] }; template: { name: string } };
      node: { filters: unknown[] };
    }>(query);
    expect(data.app.templates.nodes).toHaveLength(3);
    expect(data.app.template.name).toBe('Welcome');
    expect(data.node.filters).toHaveLength(3);
    expect(stack.upstreamCalls()).toEqual({
      view_templates: 1,
      view_template: 1,
      get_segments: 1,
      get_segment: 1,
    });
  });
});

describe('templates in every key configuration', () => {
  const LIST = `{ app(id: "${SHOP}") { templates(first: 5) { nodes { name } } } }`;
  const COPY = `mutation { templateCopy(input: { id: "${nodeId('Template', SHOP, WELCOME)}", targetAppId: "${NEWS}" })
    { __typename ... on TemplateCopyPayload { template { name app { oneSignalId } } } ... on Error { code message } } }`;

  it('with the organization key only: one key look-up (get_app), once, then one view_templates a page; copying works', async () => {
    const orgKeyOnly = await startStack({ appKeys: {} });
    try {
      const a = await orgKeyOnly.gql<{ app: { templates: { nodes: unknown[] } } }>(LIST);
      expect(a.app.templates.nodes).toHaveLength(3);
      expect(orgKeyOnly.upstreamCalls()).toEqual({ get_app: 1, view_templates: 1 });
      orgKeyOnly.emulator.resetStats();
      await orgKeyOnly.gql(LIST);
      expect(orgKeyOnly.upstreamCalls()).toEqual({ view_templates: 1 });
      orgKeyOnly.emulator.resetStats();
      const { templateCopy } = await orgKeyOnly.gql<{ templateCopy: { __typename: string } }>(COPY);
      expect(templateCopy.__typename).toBe('TemplateCopyPayload');
      expect(orgKeyOnly.upstreamCalls()).toEqual({ copy_template_to_app: 1 });
    } finally {
      await orgKeyOnly.close();
    }
  });

  it('with the app keys only: templates read in one view_templates; copying, which needs the organization key, fails typed with nothing sent', async () => {
    const appKeysOnly = await startStack({ userAuthKey: undefined });
    try {
      await appKeysOnly.gql(LIST);
      expect(appKeysOnly.upstreamCalls()).toEqual({ view_templates: 1 });
      appKeysOnly.emulator.resetStats();
      const { templateCopy } = await appKeysOnly.gql<{ templateCopy: { __typename: string; code: string } }>(
        COPY,
      );
      expect(templateCopy).toMatchObject({ __typename: 'UpstreamError', code: 'KEY_MISSING' });
      expect(appKeysOnly.upstreamCalls()).toEqual({});
    } finally {
      await appKeysOnly.close();
    }
  });
});

describe('who may read and write templates', () => {
  const SECRET = 'a-test-only-hs256-secret-of-at-least-32-bytes';
  let jwtStack: Stack;
  beforeAll(async () => {
    jwtStack = await startStack(
      {},
      {
        auth: loadAuthConfig({
          AUTH_MODE: 'jwt',
          JWT_SECRET: SECRET,
          JWT_ISSUER: 'https://auth.example.test/',
          JWT_AUDIENCE: 'onesignal-graphql',
        }),
      },
    );
  });
  afterAll(() => jwtStack?.close());
  beforeEach(() => jwtStack.emulator.resetStats());

  async function as(scopes: Scope[], apps: string[], query: string) {
    const token = await new SignJWT({ scope: scopes.join(' '), apps })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('editor')
      .setIssuer('https://auth.example.test/')
      .setAudience('onesignal-graphql')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
    return jwtStack.gqlRaw<Record<string, unknown>>(query, undefined, { authorization: `Bearer ${token}` });
  }
  const CREATE = `mutation { templateCreate(input: { appId: "${SHOP}", name: "N", contents: [{ language: "en", text: "Hi" }] }) { __typename } }`;

  it('reads templates with notifications:read', async () => {
    const res = await as(
      ['notifications:read'],
      [SHOP],
      `{ app(id: "${SHOP}") { templates { nodes { name } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(jwtStack.upstreamCalls()).toEqual({ view_templates: 1 });
  });

  it('needs templates:write to write one: notifications:send is not enough, and nothing is sent', async () => {
    const res = await as(['notifications:read', 'notifications:send'], [SHOP], CREATE);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.message).toContain('templates:write');
    expect(jwtStack.emulator.stats().total).toBe(0);
    const ok = await as(['templates:write'], [SHOP], CREATE);
    expect(ok.data).toEqual({ templateCreate: { __typename: 'TemplateCreatePayload' } });
  });

  it('refuses a copy into an app outside the caller’s allow-list before any request', async () => {
    const res = await as(
      ['templates:write'],
      [SHOP],
      `mutation { templateCopy(input: { id: "${nodeId('Template', SHOP, WELCOME)}", targetAppId: "${NEWS}" }) { __typename } }`,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.message).toContain(NEWS);
    expect(jwtStack.emulator.stats().total).toBe(0);
  });
});

describe('templates and segment details through the shared cache', () => {
  let cached: Stack;
  beforeAll(async () => {
    cached = await startStack({ sharedReads: new SharedReads({ store: new MemoryCacheStore() }) });
  });
  afterAll(() => cached?.close());
  beforeEach(() => cached.emulator.resetStats());

  const NAMES = (app: string) => `{ app(id: "${app}") { templates { nodes { name } } } }`;
  type Names = { app: { templates: { nodes: { name: string }[] } } };

  it('answers repeated reads from the cache, and a template write makes them stale', async () => {
    await cached.gql(NAMES(SHOP));
    await cached.gql(`{ app(id: "${SHOP}") { template(id: "${WELCOME}") { name } } }`);
    expect(cached.upstreamCalls()).toEqual({ view_templates: 1, view_template: 1 });
    cached.emulator.resetStats();
    await cached.gql(NAMES(SHOP));
    await cached.gql(`{ app(id: "${SHOP}") { template(id: "${WELCOME}") { name } } }`);
    expect(cached.upstreamCalls()).toEqual({});

    await cached.gql(
      `mutation { templateUpdate(input: { id: "${nodeId('Template', SHOP, WELCOME)}", name: "Hello" }) { __typename } }`,
    );
    const after = await cached.gql<Names>(NAMES(SHOP));
    const one = await cached.gql<{ app: { template: { name: string } } }>(
      `{ app(id: "${SHOP}") { template(id: "${WELCOME}") { name } } }`,
    );
    expect(after.app.templates.nodes[0]?.name).toBe('Hello');
    expect(one.app.template.name).toBe('Hello');
    // The template the update returned answers its next view: no view_template.
    expect(cached.upstreamCalls()).toEqual({ update_template: 1, view_templates: 1 });
  });

  it('makes the target app’s template list stale on a copy', async () => {
    const before = await cached.gql<Names>(NAMES(NEWS));
    const { templateCopy } = await cached.gql<{ templateCopy: { __typename: string } }>(
      `mutation { templateCopy(input: { id: "${nodeId('Template', SHOP, DIGEST)}", targetAppId: "${NEWS}" }) { __typename } }`,
    );
    expect(templateCopy.__typename).toBe('TemplateCopyPayload');
    const after = await cached.gql<Names>(NAMES(NEWS));
    expect(after.app.templates.nodes).toHaveLength(before.app.templates.nodes.length + 1);
  });

  it('makes a segment’s cached definition stale on segmentUpdate', async () => {
    const id = nodeId('Segment', SHOP, DEMO.segments.ids[SHOP]!['US Users']!);
    const q = `{ node(id: "${id}") { ... on Segment { filters { ... on FilterCondition { value } } } } }`;
    await cached.gql(q);
    await cached.gql(
      `mutation { segmentUpdate(input: { id: "${id}", filters: [{ condition: { field: COUNTRY, relation: EQUALS, value: "CA" } }] }) { __typename } }`,
    );
    const after = await cached.gql<{ node: { filters: { value: string }[] } }>(q);
    expect(after.node.filters).toEqual([{ value: 'CA' }]);
  });
});
