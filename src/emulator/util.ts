import { createHash } from 'node:crypto';

/** An error answered to the client as-is: status plus JSON body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'object' && body !== null ? JSON.stringify(body) : String(body));
  }
}

/** `{"errors": [message]}` — the v1 (notifications, players, apps) error shape. */
export const fail = (status: number, message: string): ApiError =>
  new ApiError(status, { errors: [message] });

/** `{"errors": [{code, title}]}` — the v5 (users, subscriptions) error shape. */
export const failCode = (status: number, code: string, title: string, meta?: unknown): ApiError =>
  new ApiError(status, { errors: [meta === undefined ? { code, title } : { code, title, meta }] });

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID_RE.test(value);

/** A UUID (v4 layout) derived from a name, so seeded ids are the same on every start. */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  const variant = ((Number.parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** mulberry32: small, fast, seeded. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw fail(400, `${key} must be a string`);
  return v;
}

export function optionalStringArray(body: Record<string, unknown>, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw fail(400, `${key} must be an array of strings`);
  return v as string[];
}

/** Parses an integer query parameter; undefined when absent. */
export function intParam(query: URLSearchParams, key: string): number | undefined {
  const raw = query.get(key);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw fail(400, `${key} must be an integer`);
  return Number(raw);
}

export function paging(query: URLSearchParams, max: number, what: string): { limit: number; offset: number } {
  const limit = intParam(query, 'limit') ?? max;
  const offset = intParam(query, 'offset') ?? 0;
  if (limit < 1 || limit > max) throw fail(400, `Limit must be between 1 and ${max} for ${what}`);
  if (offset < 0) throw fail(400, 'Offset must be a non-negative integer');
  return { limit, offset };
}

/** Turns a tag map from a request into string values; '' or null removes the tag. */
export function mergeTags(target: Record<string, string>, patch: unknown): void {
  if (patch === undefined || patch === null) return;
  if (!isObject(patch)) throw fail(400, 'tags must be an object of string key/value pairs');
  for (const [key, value] of Object.entries(patch)) {
    if (value === '' || value === null) delete target[key];
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      target[key] = String(value);
    else throw fail(400, `tag '${key}' must be a string, number or boolean`);
  }
}

export function csvRow(values: unknown[]): string {
  return values
    .map((v) => {
      const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    })
    .join(',');
}
