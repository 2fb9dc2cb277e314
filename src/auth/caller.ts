import { ALL_SCOPES, type Scope } from './scopes.js';

/** Who is asking, as authentication established it once per request. */
export interface Caller {
  /** For logs and error messages: a JWT `sub`, a token's name, `passthrough` or `anonymous`. */
  name: string;
  scopes: ReadonlySet<Scope>;
  /** App ids (lower case) the caller may touch, or every app. */
  apps: '*' | ReadonlySet<string>;
  /** Passthrough mode only: the caller's own OneSignal keys, used for this request and then dropped. */
  oneSignalKeys?: { userAuthKey?: string; appKeys?: Record<string, string> };
}

/** AUTH_MODE=none: every scope on every app. */
export const ANONYMOUS_CALLER: Caller = Object.freeze({
  name: 'anonymous',
  scopes: new Set(ALL_SCOPES),
  apps: '*',
});

export function mayAccessApp(caller: Caller, appId: string): boolean {
  return caller.apps === '*' || caller.apps.has(appId.toLowerCase());
}
