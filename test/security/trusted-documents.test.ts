import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/index.js';
import { loadSecurityConfig } from '../../src/security/index.js';
import { type GraphQLResponse, type Stack, startStack } from '../helpers/stack.js';

const SHOP = DEMO.apps[0]!.id;
const APP_NAME = 'query AppName($id: UUID!) { app(id: $id) { name } }';
const LATEST =
  'query Latest($id: UUID!) { app(id: $id) { notifications(first: 2) { totalCount nodes { id } } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// The shape graphql-codegen's client preset writes with `persistedDocuments: true`.
const manifest = { [sha256(APP_NAME)]: APP_NAME, [sha256(LATEST)]: LATEST };

let dir: string;
let manifestPath: string;
/** The form graphql-codegen writes today: keys `sha256:<hex>`. */
let prefixedManifestPath: string;
let stack: Stack;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trusted-'));
  manifestPath = join(dir, 'persisted-documents.json');
  writeFileSync(manifestPath, JSON.stringify(manifest));
  prefixedManifestPath = join(dir, 'persisted-documents-prefixed.json');
  writeFileSync(prefixedManifestPath, JSON.stringify({ [`sha256:${sha256(APP_NAME)}`]: APP_NAME }));
  const { trustedDocuments } = loadSecurityConfig({ TRUSTED_DOCUMENTS: manifestPath });
  stack = await startStack({}, { security: { trustedDocuments } });
});
afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => stack.emulator.resetStats());

async function post(body: unknown): Promise<GraphQLResponse> {
  const res = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, ...((await res.json()) as Omit<GraphQLResponse, 'status'>) };
}

describe('trusted documents mode', () => {
  it('finds a document registered as sha256:<hex> (codegen) whether asked by documentId or by APQ hash', async () => {
    const { trustedDocuments } = loadSecurityConfig({ TRUSTED_DOCUMENTS: prefixedManifestPath });
    const prefixed = await startStack({}, { security: { trustedDocuments } });
    try {
      for (const body of [
        { documentId: `sha256:${sha256(APP_NAME)}`, variables: { id: SHOP } },
        {
          variables: { id: SHOP },
          extensions: { persistedQuery: { version: 1, sha256Hash: sha256(APP_NAME) } },
        },
      ]) {
        const res = await fetch(prefixed.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(await res.json()).toEqual({ data: { app: { name: 'Demo Shop' } } });
      }
    } finally {
      await prefixed.close();
    }
  });

  it('finds a bare-hex registration when asked with the sha256: prefix', async () => {
    const res = await post({ documentId: `sha256:${sha256(APP_NAME)}`, variables: { id: SHOP } });
    expect(res.data).toEqual({ app: { name: 'Demo Shop' } });
  });

  it('runs a registered document sent by documentId, with its variables', async () => {
    const res = await post({ documentId: sha256(APP_NAME), variables: { id: SHOP } });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ app: { name: 'Demo Shop' } });
    expect(stack.upstreamCalls()).toEqual({ get_app: 1 });
  });

  it('also accepts the id in the APQ shape, extensions.persistedQuery.sha256Hash', async () => {
    const res = await post({
      variables: { id: SHOP },
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(LATEST) } },
    });
    expect(res.status).toBe(200);
    const app = (res.data as { app: { notifications: { totalCount: number; nodes: unknown[] } } }).app;
    expect(app.notifications.totalCount).toBe(DEMO.counts[SHOP]!.notifications);
    expect(app.notifications.nodes).toHaveLength(2);
  });

  it('runs a registered document by GET with documentId in the query string', async () => {
    const url = `${stack.graphqlUrl}?documentId=${sha256(APP_NAME)}&variables=${encodeURIComponent(JSON.stringify({ id: SHOP }))}`;
    const res = await fetch(url, { headers: { 'x-graphql-csrf': '1' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { app: { name: 'Demo Shop' } } });
  });

  it('refuses an unknown documentId with 400 PERSISTED_QUERY_NOT_FOUND and no upstream request', async () => {
    const res = await post({ documentId: sha256('{ __typename }'), variables: { id: SHOP } });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(res.data).toBeUndefined();
    expect(stack.emulator.stats().total).toBe(0);
  });

  it('refuses a raw document, even one that is registered, with 400 PERSISTED_QUERY_ONLY', async () => {
    for (const body of [
      { query: `{ app(id: "${SHOP}") { name } }` },
      { query: APP_NAME, variables: { id: SHOP } },
      { query: APP_NAME, documentId: sha256(APP_NAME), variables: { id: SHOP } },
    ]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    }
    expect(stack.emulator.stats().total).toBe(0);
  });

  it('refuses a request with neither document nor id with 400 PERSISTED_QUERY_ID_REQUIRED', async () => {
    const res = await post({ variables: { id: SHOP } });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ID_REQUIRED');
    expect(stack.emulator.stats().total).toBe(0);
  });
});

describe('the TRUSTED_DOCUMENTS manifest', () => {
  it('is refused at start-up when missing or malformed, naming the variable but not the path', () => {
    const missing = join(dir, 'nowhere.json');
    const malformed = join(dir, 'malformed.json');
    writeFileSync(malformed, '{"abc": 42}');
    for (const path of [missing, malformed]) {
      expect(() => loadSecurityConfig({ TRUSTED_DOCUMENTS: path })).toThrow(/^TRUSTED_DOCUMENTS: /);
      expect(() => loadSecurityConfig({ TRUSTED_DOCUMENTS: path })).not.toThrow(dir);
    }
  });
});
