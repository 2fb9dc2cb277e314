/** GraphiQL's page and assets over HTTP: small page, compressed assets, cacheable for a year. */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../helpers/stack.js';

let stack: Stack;
let page: string;
let assets: string[];
beforeAll(async () => {
  stack = await startStack();
  page = await (await fetch(stack.graphqlUrl, { headers: { accept: 'text/html' } })).text();
  assets = [...page.matchAll(/["']\.(\/graphiql\/[0-9a-f]{16}\/[\w.]+)["']/g)].map((m) => m[1] as string);
});
afterAll(() => stack?.close());

const asset = (path: string, headers: Record<string, string> = {}) =>
  // fetch would decompress and hide the encoding; ask for the bytes as sent.
  fetch(new URL(path, stack.graphqlUrl), { headers: { ...headers } });

describe('the GraphiQL page', () => {
  it('is a few kilobytes that name their assets, instead of 9 MB inlined', () => {
    expect(Buffer.byteLength(page)).toBeLessThan(12_000);
    expect(assets.map((a) => a.split('/').pop()).sort()).toEqual([
      'editor.worker.js',
      'favicon.ico',
      'graphiql.css',
      'graphiql.js',
      'graphql.worker.js',
      'json.worker.js',
    ]);
  });

  it('opens with the default query, then one example per main task', () => {
    for (const name of [
      'query AppOverview',
      'mutation SendNotification',
      'query UserByAlias',
      'query Players',
    ])
      expect(page).toContain(name);
    expect(page.indexOf('query AppOverview')).toBeLessThan(page.indexOf('mutation SendNotification'));
  });

  it('keeps option text from closing its script element', () => {
    expect(page.match(/<\/script>/g)).toHaveLength(3);
  });
});

describe("GraphiQL's assets", () => {
  const script = () => assets.find((a) => a.endsWith('/graphiql.js')) as string;

  it('come brotli-compressed to a browser that accepts br, cacheable for a year', async () => {
    const res = await asset(script(), { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    const sent = Number(res.headers.get('content-length'));
    const body = await res.text(); // decompressed by fetch
    expect(body).toContain('YogaGraphiQL');
    expect(sent).toBeLessThan(Buffer.byteLength(body) / 3);
  });

  it('come gzipped to a client without br, and as they are to one accepting neither', async () => {
    const gz = await asset(script(), { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const plain = await asset(script(), { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Number(plain.headers.get('content-length'))).toBeGreaterThan(5_000_000);
    expect(Buffer.byteLength(await gz.text())).toBe(Buffer.byteLength(await plain.text()));
  });

  it('answer a matching If-None-Match with 304 and no body', async () => {
    const first = await asset(script(), { 'accept-encoding': 'br' });
    await first.arrayBuffer();
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"[0-9a-f]{16}-graphiql\.js-br"$/);
    const again = await asset(script(), { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('are the same bytes whichever encoding carried them', async () => {
    const { request } = await import('node:http');
    const raw = (encoding: string) =>
      new Promise<Buffer>((resolve, reject) => {
        const url = new URL(script(), stack.graphqlUrl);
        request(url, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        })
          .on('error', reject)
          .end();
      });
    const [br, gz, plain] = await Promise.all([raw('br'), raw('gzip'), raw('identity')]);
    expect(brotliDecompressSync(br).equals(plain)).toBe(true);
    expect(gunzipSync(gz).equals(plain)).toBe(true);
  });

  it('answer 404 for another version or file, and 405 for a POST', async () => {
    const other = script().replace(/\/[0-9a-f]{16}\//, '/0000000000000000/');
    expect((await asset(other)).status).toBe(404);
    expect((await asset(script().replace('graphiql.js', 'secrets.js'))).status).toBe(404);
    expect((await fetch(new URL(script(), stack.graphqlUrl), { method: 'POST' })).status).toBe(405);
  });
});

describe('with GraphiQL off (production)', () => {
  it('serves no assets either', async () => {
    const production = await startStack({}, { security: { production: true } });
    try {
      const script = assets.find((a) => a.endsWith('/graphiql.js')) as string;
      expect((await fetch(new URL(script, production.graphqlUrl))).status).toBe(404);
    } finally {
      await production.close();
    }
  });
});
