/**
 * GraphiQL, served by this process (no CDN, so it works offline) as a small page plus separate
 * assets. `@graphql-yoga/render-graphiql` inlines its 9 MB of scripts, styles, workers and icon into
 * every page, uncompressed, so a browser fetched all of it on every visit. Here the page is a few
 * kilobytes and names its assets under a content hash (`/graphiql/<hash>/graphiql.js`), so they can
 * be cached for a year (`immutable`, plus an ETag); each is compressed (brotli or gzip) once, the
 * first time a browser asks for it, and kept in memory. The hash comes from the bytes, so replicas
 * behind one port name the same URLs.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { GraphiQLOptions } from 'graphql-yoga';

/** Where the assets live; relative to the page (`/graphql`), so a path prefix in a proxy still works. */
export const GRAPHIQL_ASSET_PATH = '/graphiql/';

const compressBrotli = promisify(brotliCompress);
const compressGzip = promisify(gzip);

interface Asset {
  contentType: string;
  identity: Buffer;
  /** Each encoding is made the first time a browser asks for it, then kept. */
  encoded: Partial<Record<'br' | 'gzip', Promise<Buffer>>>;
}

/**
 * Brotli at quality 9: within 10 % of its best for a twentieth of the time (0.5 s, not 9 s, for the
 * 5 MB script), on zlib's thread pool, so requests keep being served meanwhile.
 */
function encode(asset: Asset, encoding: 'br' | 'gzip'): Promise<Buffer> {
  asset.encoded[encoding] ??=
    encoding === 'br'
      ? compressBrotli(asset.identity, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 9,
            [constants.BROTLI_PARAM_SIZE_HINT]: asset.identity.length,
          },
        })
      : compressGzip(asset.identity, { level: 9 });
  return asset.encoded[encoding];
}

interface Assets {
  /** Hash of every asset's bytes: part of each asset URL, so a new GraphiQL gets new URLs. */
  version: string;
  files: Map<string, Asset>;
  favicon: string;
}

let assets: Promise<Assets> | undefined;

/** Loads GraphiQL's bundle on first use: start-up does not pay for it. */
function loadAssets(): Promise<Assets> {
  assets ??= (async () => {
    const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
    const icon = /^data:([^;,]+);base64,(.*)$/s.exec(bundle.favicon);
    const sources: [string, string, Buffer][] = [
      ['graphiql.js', 'text/javascript; charset=utf-8', Buffer.from(bundle.js)],
      ['graphiql.css', 'text/css; charset=utf-8', Buffer.from(bundle.css)],
      ['editor.worker.js', 'text/javascript; charset=utf-8', Buffer.from(bundle.editorWorkerService)],
      ['json.worker.js', 'text/javascript; charset=utf-8', Buffer.from(bundle.jsonWorker)],
      ['graphql.worker.js', 'text/javascript; charset=utf-8', Buffer.from(bundle.graphqlWorker)],
    ];
    if (icon) sources.push(['favicon.ico', icon[1] as string, Buffer.from(icon[2] as string, 'base64')]);
    const hash = createHash('sha256');
    for (const [, , bytes] of sources) hash.update(bytes);
    const files = new Map<string, Asset>();
    for (const [name, contentType, identity] of sources)
      files.set(name, { contentType, identity, encoded: {} });
    return {
      version: hash.digest('hex').slice(0, 16),
      files,
      favicon: icon ? 'favicon.ico' : '',
    };
  })();
  return assets;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON that cannot close the `<script>` element it sits in. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** The GraphiQL page: Yoga's GraphiQL, loading its assets from `GRAPHIQL_ASSET_PATH`. */
export async function renderGraphiQL(options: GraphiQLOptions): Promise<string> {
  const { version, favicon } = await loadAssets();
  const base = `.${GRAPHIQL_ASSET_PATH}${version}/`;
  const title = escapeHtml(options.title ?? 'GraphiQL');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    ${favicon ? `<link rel="icon" href="${base}${favicon}" />` : ''}
    <link rel="stylesheet" href="${base}graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script>
      const workers = {
        editorWorkerService: new URL('${base}editor.worker.js', location.href).href,
        json: new URL('${base}json.worker.js', location.href).href,
        graphql: new URL('${base}graphql.worker.js', location.href).href,
      };
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workers[label] };
    </script>
    <script src="${base}graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(options)});
    </script>
  </body>
</html>
`;
}

/** The encoding to send for an `Accept-Encoding` header: brotli, else gzip, else none. */
function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return undefined;
}

/**
 * Answers `GET /graphiql/<version>/<file>`: the asset, compressed as the browser accepts, cacheable
 * for a year; 304 for a matching `If-None-Match`; 404 for an unknown file or a version this process
 * does not serve (a page from before a restart into a new GraphiQL: reloading it fixes that).
 */
export async function serveGraphiQLAsset(req: IncomingMessage, res: ServerResponse, path: string) {
  const notFound = () => {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end('No such GraphiQL asset; reload GraphiQL.\n');
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    return res.end('Method not allowed.\n');
  }
  const [version, name, ...rest] = path.slice(GRAPHIQL_ASSET_PATH.length).split('/');
  const { version: current, files } = await loadAssets();
  const asset = name && !rest.length && version === current ? files.get(name) : undefined;
  if (!asset) return notFound();
  const encoding = pickEncoding(req.headers['accept-encoding']);
  const etag = `"${current}-${name}${encoding ? `-${encoding}` : ''}"`;
  const headers: Record<string, string> = {
    'content-type': asset.contentType,
    'cache-control': 'public, max-age=31536000, immutable',
    etag,
    vary: 'Accept-Encoding',
  };
  if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    res.writeHead(304, headers);
    return res.end();
  }
  const body = encoding ? await encode(asset, encoding) : asset.identity;
  if (encoding) headers['content-encoding'] = encoding;
  headers['content-length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * What GraphiQL opens with: `defaultQuery` in the first tab, the examples in the next. `query` makes a
 * later visit (tabs restored from the browser's storage) open the tab holding `defaultQuery` again,
 * where GraphiQL would otherwise add an empty one.
 */
export function graphiqlOptions(title: string, defaultQuery: string): GraphiQLOptions & { query: string } {
  return { title, defaultQuery, query: defaultQuery, defaultTabs: graphiqlTabs(defaultQuery) };
}

/**
 * GraphiQL's tabs on a first visit: the default query, then one example for each main task (sending a
 * notification, a user by alias, paging players). GraphiQL keeps tabs in the browser's storage after.
 */
export function graphiqlTabs(
  defaultQuery: string,
  appId = '11111111-1111-4111-8111-111111111111',
): { query: string; variables?: string }[] {
  return [
    { query: defaultQuery },
    {
      query: `# Sends a notification (to the demo app's "VIP Customers" segment). The result is a union:
# the payload, NotificationNotSent when nobody matched, or an Error with a stable code.
mutation SendNotification {
  notificationCreate(
    input: {
      appId: "${appId}"
      target: { segments: { include: ["VIP Customers"] } }
      headings: [{ language: "en", text: "Welcome back" }]
      contents: [{ language: "en", text: "Your cart is waiting." }]
    }
  ) {
    __typename
    ... on NotificationCreatePayload {
      recipientCount
      notification {
        id
        status
      }
    }
    ... on NotificationNotSent {
      message
      reasons
    }
    ... on Error {
      code
      message
    }
  }
}
`,
    },
    {
      query: `# A user by alias (here its external_id), with aliases, properties and subscriptions.
query UserByAlias {
  app(id: "${appId}") {
    user(alias: { byAlias: { label: "external_id", id: "demo-user-001" } }) {
      id
      externalId
      aliases {
        label
        id
      }
      properties {
        language
        country
        tags {
          key
          value
        }
      }
      subscriptions {
        id
        type
        enabled
      }
    }
  }
}
`,
    },
    {
      query: `# Pages through players, 300 (OneSignal's page size) at a time: pass pageInfo.endCursor as
# $after (Variables, below) for the next page.
query Players($after: String) {
  app(id: "${appId}") {
    players(first: 300, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        deviceType
        subscribed
        lastActive
      }
    }
  }
}
`,
      variables: '{ "after": null }',
    },
  ];
}

/** What GraphiQL shows first: an app with a few notifications, their delivery statistics and outcomes. */
export function defaultGraphiQLQuery(appId = '11111111-1111-4111-8111-111111111111'): string {
  return `# onesignal-graphql: every type, field and argument is documented (Docs panel, top left).
query AppOverview {
  app(id: "${appId}") {
    id
    name
    messageablePlayerCount
    notifications(first: 5) {
      totalCount
      nodes {
        id
        status
        queuedAt
        heading
        content(language: "en")
        successfulCount
        failedCount
        convertedCount
        platformDeliveryStats {
          platform
          successfulCount
        }
        outcomes {
          name
          aggregation
          value
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
`;
}
