import { request as httpRequest } from 'node:http';

/**
 * Requests a caller with a valid credential could send to hurt the server or reach OneSignal with
 * nonsense. Each must be refused with a 4xx status and a stable code, before any upstream request.
 */
export interface HostileCase {
  name: string;
  method?: 'GET' | 'POST' | 'PUT';
  /** Appended to the GraphQL endpoint URL (GET query strings). */
  search?: string;
  contentType?: string;
  /** Sent without Content-Length, in chunks. */
  chunked?: boolean;
  body?: string | Buffer;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** Only in production (or only outside it): introspection is on in development. */
  only?: 'production' | 'development';
}

const SHOP = '11111111-1111-4111-8111-111111111111';
const json = (value: unknown) => JSON.stringify(value);
const query = (q: string, extra: Record<string, unknown> = {}) => json({ query: q, ...extra });
const page = (field: string, first: string) =>
  `{ app(id: "${SHOP}") { ${field}(first: ${first}) { totalCount } } }`;

export const HOSTILE_CASES: HostileCase[] = [
  // Documents that do not parse.
  { name: 'an empty document', body: query(''), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'a lone brace', body: query('{'), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'a NUL byte', body: query('{ apps\u0000 { name } }'), status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  {
    name: 'invalid UTF-8',
    body: Buffer.concat([
      Buffer.from('{"query":"{ apps { name '),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from(' } }"}'),
    ]),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'a lone surrogate in a string',
    body: '{"query":"{ app(id: \\"\\ud800\\") { name } }"}',
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'a lone surrogate outside strings',
    body: '{"query":"{ apps \\udc00 { name } }"}',
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: '10,000 nested braces',
    body: query(`${'{'.repeat(10_000)}${'}'.repeat(10_000)}`),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: '5,000 nested selections',
    body: query(`{ a ${'{ a '.repeat(5_000)}${'}'.repeat(5_001)}`),
    status: 400,
    code: 'QUERY_TOO_LARGE',
  },
  {
    name: 'an unterminated string',
    body: query('{ app(id: "abc) { name } }'),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  // Bodies and parameters that are not a GraphQL request.
  { name: 'invalid JSON', body: '{"query":', status: 400, code: 'BAD_REQUEST' },
  { name: 'no query', body: '{}', status: 400, code: 'BAD_REQUEST' },
  { name: 'a numeric query', body: '{"query":1}', status: 400, code: 'BAD_REQUEST' },
  {
    name: 'variables that are a string',
    body: query('{ apps { name } }', { variables: 'x' }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'a batch', body: json([{ query: '{ apps { name } }' }]), status: 400, code: 'BAD_REQUEST' },
  { name: 'a JSON null body', body: 'null', status: 400, code: 'BAD_REQUEST' },
  {
    name: 'a GET without a query',
    method: 'GET',
    headers: { 'x-graphql-csrf': '1' },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a mutation over GET',
    method: 'GET',
    search: `?query=${encodeURIComponent(`mutation { notificationCancel(input: { id: "x" }) { __typename } }`)}`,
    headers: { 'x-graphql-csrf': '1' },
    status: 405,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a text/plain POST (CSRF)',
    contentType: 'text/plain',
    body: query('{ apps { name } }'),
    status: 403,
    code: 'CSRF_HEADER_REQUIRED',
  },
  {
    name: 'a form POST (CSRF)',
    contentType: 'application/x-www-form-urlencoded',
    body: `query=${encodeURIComponent('{ apps { name } }')}`,
    status: 403,
    code: 'CSRF_HEADER_REQUIRED',
  },
  {
    name: "a GET not asking for JSON (an <img> tag's), without the CSRF header",
    method: 'GET',
    search: '?query=%7Bapps%7Bname%7D%7D',
    headers: { accept: 'image/avif,image/webp,image/apng,image/*,*/*;q=0.8' },
    status: 403,
    code: 'CSRF_HEADER_REQUIRED',
  },
  // Sizes, checked before parsing.
  {
    name: 'a 100,000-character operationName',
    body: query('{ apps { name } }', { operationName: 'x'.repeat(100_000) }),
    status: 400,
    code: 'OPERATION_NAME_TOO_LONG',
  },
  {
    name: 'a 40 KB document padded with comments',
    body: query(`${'# padding\n'.repeat(4_000)}{ apps { name } }`),
    status: 400,
    code: 'DOCUMENT_TOO_LARGE',
  },
  {
    name: 'a 1 MB document padded with comments',
    body: query(`${'# padding\n'.repeat(100_000)}{ apps { name } }`),
    status: 413,
    code: 'REQUEST_TOO_LARGE',
  },
  {
    name: 'a 5 MB body',
    body: query('{ apps { name } }', { variables: { x: 'y'.repeat(5_000_000) } }),
    status: 413,
    code: 'REQUEST_TOO_LARGE',
  },
  {
    name: 'a 5 MB chunked body (no Content-Length)',
    chunked: true,
    body: query('{ apps { name } }', { variables: { x: 'y'.repeat(5_000_000) } }),
    status: 413,
    code: 'REQUEST_TOO_LARGE',
  },
  // Query limits.
  {
    name: 'a query 11 levels deep',
    body: query(
      `{ app(id: "${SHOP}") { notifications { nodes { app { notifications { nodes { app { notifications { nodes { app { name } } } } } } } } } } }`,
    ),
    status: 400,
    code: 'QUERY_TOO_DEEP',
  },
  {
    name: '21 aliases',
    body: query(`{ ${Array.from({ length: 21 }, (_, i) => `a${i}: apps { name }`).join(' ')} }`),
    status: 400,
    code: 'TOO_MANY_ALIASES',
  },
  {
    name: '1,001 tokens',
    body: query(`{ apps { ${'name '.repeat(1_000)}} }`),
    status: 400,
    code: 'QUERY_TOO_LARGE',
  },
  {
    name: '21 directives',
    body: query(`{ apps { ${'name @include(if: true) '.repeat(21)}} }`),
    status: 400,
    code: 'TOO_MANY_DIRECTIVES',
  },
  {
    name: 'pages nested in pages',
    body: query(
      `{ app(id: "${SHOP}") { notifications(first: 50) { nodes { app { players(first: 300) { nodes { id } } } } } } }`,
    ),
    status: 400,
    code: 'QUERY_TOO_COMPLEX',
  },
  // Page sizes OneSignal would not serve.
  {
    name: 'first: 1000000',
    body: query(page('notifications', '1000000')),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  { name: 'first: -1', body: query(page('notifications', '-1')), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'first: 0', body: query(page('players', '0')), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'first: 301 players', body: query(page('players', '301')), status: 400, code: 'VALIDATION_FAILED' },
  {
    name: 'first: 51 in a variable',
    body: query(`query Page($n: Int) ${page('notifications', '$n')}`, { variables: { n: 51 } }),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'first: 1000000 in a variable default',
    body: query(`query Page($n: Int = 1000000) ${page('segments', '$n')}`),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'backward paging',
    body: query(`{ app(id: "${SHOP}") { notifications(last: 5) { totalCount } } }`),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'an Int that overflows',
    body: query(page('notifications', '99999999999999999999')),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  // Documents that do not match the schema.
  { name: 'an unknown field', body: query('{ secrets }'), status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    name: 'a malformed UUID literal',
    body: query('{ app(id: "not-a-uuid") { name } }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a variable of the wrong type',
    body: query('query A($id: UUID!) { app(id: $id) { name } }', { variables: { id: 42 } }),
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'an operationName that is not in the document',
    body: query('query A { apps { name } }', { operationName: 'B' }),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'a fragment cycle',
    body: query('{ apps { ...A } } fragment A on App { ...B } fragment B on App { ...A }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a subscription selecting a field SubscriptionRoot lacks (`token` is on the OneSignal Subscription type)',
    body: query('subscription { token }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'introspection',
    body: query('{ __schema { types { name } } }'),
    status: 400,
    code: 'INTROSPECTION_DISABLED',
    only: 'production',
  },
];

export interface HostileAnswer {
  status: number;
  code: string | undefined;
  /** The whole answer, headers included, for key canaries. */
  text: string;
}

/** Sends one case over a real socket (fetch cannot send invalid UTF-8 verbatim or skip Content-Length). */
export function sendHostile(
  graphqlUrl: string,
  c: HostileCase,
  headers: Record<string, string> = {},
): Promise<HostileAnswer> {
  const url = new URL(graphqlUrl + (c.search ?? ''));
  const body =
    c.body === undefined ? undefined : Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body, 'utf8');
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: c.method ?? 'POST',
        // A fresh connection each time: a refused body leaves its connection unusable.
        agent: false,
        headers: {
          accept: 'application/graphql-response+json',
          ...(body && { 'content-type': c.contentType ?? 'application/json' }),
          ...(body && !c.chunked && { 'content-length': String(body.length) }),
          ...headers,
          ...c.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let code: string | undefined;
          try {
            code = (JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]
              ?.extensions?.code;
          } catch {
            code = undefined;
          }
          resolve({ status: res.statusCode ?? 0, code, text: `${JSON.stringify(res.headers)}\n${text}` });
        });
      },
    );
    // A server may stop reading a large body to answer 413; if the connection breaks before any
    // answer arrives, report that (status 0) rather than wait forever.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') return reject(error);
      setTimeout(() => resolve({ status: 0, code: error.code, text: '' }), 2_000).unref();
    });
    if (body && c.chunked) {
      for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
      req.end();
    } else req.end(body);
  });
}
