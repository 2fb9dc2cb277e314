import type { AppState, Store } from './store.js';
import type { Pacing } from './types.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface OpContext {
  store: Store;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** Origin of the request, used for the export URLs the emulator serves itself. */
  baseUrl: string;
  now: number;
  /** Pacing of sends and exports (EmulatorOptions.pacing). */
  pacing: Pacing;
}

export interface AppOpContext extends OpContext {
  app: AppState;
}

export interface OpResult {
  status: number;
  /** Omitted: empty body. */
  body?: unknown;
  headers?: Record<string, string>;
}

interface BaseOperation {
  id: string;
  method: Method;
  /** Hono path with `:param` placeholders, relative to the API root. */
  path: string;
}

export interface UserOperation extends BaseOperation {
  auth: 'user';
  handler: (ctx: OpContext) => OpResult;
}

export interface AppOperation extends BaseOperation {
  auth: 'app';
  /** Where the app id comes from when not the default (path `app_id`, then query, then body). */
  appId?: (ctx: OpContext) => string | undefined;
  handler: (ctx: AppOpContext) => OpResult;
}

export type Operation = UserOperation | AppOperation;

export const ok = (body?: unknown, status = 200): OpResult => ({ status, body });
