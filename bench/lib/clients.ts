/** The benches' HTTP clients: GraphQL over POST, and OneSignal REST the way a hand-written client calls it. */

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/**
 * POSTs `{ query, variables }` as JSON to `url`; answers the status and the parsed body. The status
 * of a request error depends on `accept` (GraphQL over HTTP), so each bench passes the one it has
 * always sent (none, `application/json` or `application/graphql-response+json`).
 */
export async function postGraphQL(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  accept?: string,
): Promise<{ status: number; ok: boolean; body: GraphQLBody }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept && { accept }) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ok: res.ok, body: (await res.json()) as GraphQLBody };
}

/** A plain REST call to the emulator with `Authorization: Key …`; throws unless 2xx. */
export function restClient(baseUrl: string) {
  return async (method: 'GET' | 'POST', path: string, key: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Key ${key}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const data = (await res.json()) as unknown;
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(data)}`);
    return data as Record<string, unknown>;
  };
}
