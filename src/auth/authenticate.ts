import { hash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { type JWTPayload, errors as joseErrors, jwtVerify } from 'jose';
import type { KeySource } from '../onesignal/index.js';
import { ANONYMOUS_CALLER, type Caller } from './caller.js';
import type { AuthConfig, TokenEntry } from './config.js';
import { ALL_SCOPES, isScope, type Scope } from './scopes.js';

/** The request did not prove who sent it. Answered with HTTP 401 before the operation is parsed. */
export class UnauthenticatedError extends GraphQLError {
  constructor(
    message: string,
    /** The `WWW-Authenticate` challenge (RFC 9110 §11.6.1). */
    readonly challenge: string,
  ) {
    // Yoga answers with `extensions.http` (and strips it from the body) if this reaches execution.
    super(message, {
      extensions: {
        code: 'UNAUTHENTICATED',
        http: { status: 401, headers: { 'WWW-Authenticate': challenge } },
      },
    });
  }
}

export const USER_AUTH_KEY_HEADER = 'X-OneSignal-User-Auth-Key';
export const APP_KEY_HEADER = 'X-OneSignal-App-Key';

/** In passthrough mode a rejected key is the caller's to fix: errors point at the headers it sent. */
export const PASSTHROUGH_KEY_SOURCE: KeySource = {
  userAuthKey: `the ${USER_AUTH_KEY_HEADER} header`,
  appKeys: `the ${APP_KEY_HEADER} header`,
};

const BEARER_CHALLENGE = 'Bearer realm="onesignal-graphql"';
const PASSTHROUGH_CHALLENGE = 'OneSignal-Key realm="onesignal-graphql"';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Establishes the caller of one request, or throws `UnauthenticatedError`. Makes no OneSignal request. */
export async function authenticate(request: Request, config: AuthConfig): Promise<Caller> {
  switch (config.mode) {
    case 'none':
      return ANONYMOUS_CALLER;
    case 'passthrough':
      return passthroughCaller(request);
    case 'tokens':
      return tokenCaller(bearerToken(request), config.tokens);
    case 'jwt':
      return jwtCaller(bearerToken(request), config);
  }
}

function bearerToken(request: Request): string {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header) : null;
  if (!match?.[1])
    throw new UnauthenticatedError(
      'Authentication required: send `Authorization: Bearer <token>`.',
      BEARER_CHALLENGE,
    );
  return match[1];
}

function tokenCaller(token: string, tokens: readonly TokenEntry[]): Caller {
  // One-shot hash: no Hash object per request.
  const digest = hash('sha256', token, 'buffer');
  let found: TokenEntry | undefined;
  // Compare against every entry, so the time taken says nothing about which (if any) matched.
  for (const entry of tokens) if (timingSafeEqual(digest, entry.hash)) found ??= entry;
  if (!found)
    throw new UnauthenticatedError(
      'The bearer token is not valid.',
      `${BEARER_CHALLENGE}, error="invalid_token"`,
    );
  return { name: found.name, scopes: found.scopes, apps: found.apps };
}

async function jwtCaller(token: string, config: Extract<AuthConfig, { mode: 'jwt' }>): Promise<Caller> {
  let payload: JWTPayload;
  try {
    const options = {
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: ['exp'],
      clockTolerance: 5,
    };
    payload =
      config.key.kind === 'secret'
        ? (await jwtVerify(token, config.key.secret, { ...options, algorithms: ['HS256'] })).payload
        : (await jwtVerify(token, config.key.keySet, options)).payload;
  } catch (error) {
    throw new UnauthenticatedError(jwtFailure(error), `${BEARER_CHALLENGE}, error="invalid_token"`);
  }
  return {
    name: typeof payload.sub === 'string' && payload.sub ? payload.sub : 'jwt',
    scopes: scopesOf(payload),
    apps: appsOf(payload.apps),
  };
}

/** Why a JWT was refused, in words that never quote the token. */
function jwtFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The bearer token has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'The bearer token was issued by an issuer this API does not accept.';
    if (error.claim === 'aud') return 'The bearer token is meant for another audience.';
    if (error.claim === 'exp') return 'The bearer token has no expiry (`exp`); tokens must expire.';
    return `The bearer token's "${error.claim}" claim is not valid.`;
  }
  if (
    error instanceof joseErrors.JWSSignatureVerificationFailed ||
    error instanceof joseErrors.JWKSNoMatchingKey
  )
    return 'The bearer token signature is not valid.';
  if (error instanceof joseErrors.JOSEAlgNotAllowed)
    return 'The bearer token is signed with an algorithm this API does not accept.';
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid)
    return 'The keys to verify the bearer token could not be loaded; try again later.';
  return 'The bearer token is not a valid JWT.';
}

/** OAuth-style `scope: "a b"` or `scopes: ["a", "b"]`; unknown scopes are ignored. */
function scopesOf(payload: JWTPayload): ReadonlySet<Scope> {
  const raw =
    typeof payload.scope === 'string'
      ? payload.scope.split(/\s+/)
      : Array.isArray(payload.scopes)
        ? (payload.scopes as unknown[])
        : [];
  return new Set(raw.filter(isScope));
}

/** `apps: ["<app id>", …]` or `["*"]`; anything else grants no app. */
function appsOf(claim: unknown): Caller['apps'] {
  if (!Array.isArray(claim)) return new Set();
  if (claim.includes('*')) return '*';
  return new Set(
    claim.filter((a): a is string => typeof a === 'string' && UUID.test(a)).map((a) => a.toLowerCase()),
  );
}

/**
 * `X-OneSignal-User-Auth-Key: <key>` and/or `X-OneSignal-App-Key: <app id>=<key>[, …]`. The caller
 * may touch the apps it holds a key for, or every app with a user auth key, with every scope:
 * OneSignal itself then decides with the caller's keys.
 */
function passthroughCaller(request: Request): Caller {
  const userAuthKey = request.headers.get(USER_AUTH_KEY_HEADER)?.trim() || undefined;
  const appKeyHeader = request.headers.get(APP_KEY_HEADER)?.trim();
  const appKeys: Record<string, string> = {};
  if (appKeyHeader) {
    for (const part of appKeyHeader.split(',')) {
      const item = part.trim();
      if (!item) continue;
      const eq = item.indexOf('=');
      const appId = item.slice(0, Math.max(eq, 0)).trim();
      const key = item.slice(eq + 1).trim();
      if (eq < 0 || !UUID.test(appId) || !key)
        throw new UnauthenticatedError(
          `${APP_KEY_HEADER} must be a comma-separated list of <app id>=<REST API key>.`,
          PASSTHROUGH_CHALLENGE,
        );
      appKeys[appId.toLowerCase()] = key;
    }
  }
  const appIds = Object.keys(appKeys);
  if (!userAuthKey && appIds.length === 0)
    throw new UnauthenticatedError(
      `Authentication required: send your OneSignal keys in ${USER_AUTH_KEY_HEADER} and/or ${APP_KEY_HEADER} (<app id>=<REST API key>, comma-separated).`,
      PASSTHROUGH_CHALLENGE,
    );
  return {
    name: 'passthrough',
    scopes: new Set(ALL_SCOPES),
    apps: userAuthKey ? '*' : new Set(appIds),
    oneSignalKeys: { ...(userAuthKey && { userAuthKey }), ...(appIds.length && { appKeys }) },
  };
}
