import { DEMO, type RunningEmulator } from '../../src/emulator/index.js';

export const SHOP = DEMO.apps[0] as (typeof DEMO.apps)[number];
export const NEWS = DEMO.apps[1] as (typeof DEMO.apps)[number];

// biome-ignore lint/suspicious/noExplicitAny: replies are loosely typed JSON, narrowed by each assertion
export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A plain-fetch caller for the emulator: `auth` is the token sent as `Authorization: Key <auth>`. */
export function caller(emulator: RunningEmulator) {
  // biome-ignore lint/suspicious/noExplicitAny: as above
  return async function call<T = any>(
    method: string,
    path: string,
    opts: { auth?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
    const auth = opts.auth === undefined ? SHOP.restApiKey : opts.auth;
    if (auth !== null) headers.authorization = `Key ${auth}`;
    const res = await fetch(`${emulator.url}${path}`, {
      method,
      headers,
      body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // CSV and other non-JSON bodies stay text.
    }
    return { status: res.status, headers: res.headers, body: body as T };
  };
}
