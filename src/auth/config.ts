import { readFileSync } from 'node:fs';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { isScope, type Scope } from './scopes.js';

export const AUTH_MODES = ['jwt', 'tokens', 'passthrough', 'none'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** One entry of AUTH_TOKENS_FILE. The file holds SHA-256 hashes, never tokens. */
export interface TokenEntry {
  name: string;
  /** SHA-256 of the token, 32 bytes. */
  hash: Buffer;
  scopes: ReadonlySet<Scope>;
  apps: '*' | ReadonlySet<string>;
}

export type AuthConfig =
  | { mode: 'none' }
  | { mode: 'passthrough' }
  | { mode: 'tokens'; tokens: readonly TokenEntry[] }
  | {
      mode: 'jwt';
      issuer: string;
      audience: string;
      /** HS256 secret (JWT_SECRET) or the remote key set (JWT_JWKS_URL), exactly one. */
      key: { kind: 'secret'; secret: Uint8Array } | { kind: 'jwks'; keySet: JWTVerifyGetKey };
    };

/** HS256 keys shorter than the hash output are brute-forceable; RFC 7518 §3.2 asks for at least 256 bits. */
const MIN_SECRET_BYTES = 32;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256_HEX = /^[0-9a-f]{64}$/i;

/**
 * Reads caller authentication from the environment: AUTH_MODE (jwt | tokens | passthrough | none,
 * default none), JWT_SECRET or JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, AUTH_TOKENS_FILE.
 * Errors name the variable, never its value.
 */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const mode = read(env, 'AUTH_MODE')?.toLowerCase() ?? 'none';
  switch (mode) {
    case 'none':
    case 'passthrough':
      return { mode };
    case 'tokens':
      return { mode, tokens: readTokensFile(env) };
    case 'jwt':
      return loadJwt(env);
    default:
      throw new Error(`AUTH_MODE must be one of ${AUTH_MODES.join(', ')}.`);
  }
}

function loadJwt(env: NodeJS.ProcessEnv): AuthConfig {
  const secret = read(env, 'JWT_SECRET');
  const jwksUrl = read(env, 'JWT_JWKS_URL');
  const issuer = read(env, 'JWT_ISSUER');
  const audience = read(env, 'JWT_AUDIENCE');
  if (!issuer) throw new Error('JWT_ISSUER is required when AUTH_MODE=jwt.');
  if (!audience) throw new Error('JWT_AUDIENCE is required when AUTH_MODE=jwt.');
  if (secret && jwksUrl)
    throw new Error('Set either JWT_SECRET or JWT_JWKS_URL when AUTH_MODE=jwt, not both.');
  if (secret) {
    const bytes = new TextEncoder().encode(secret);
    if (bytes.length < MIN_SECRET_BYTES)
      throw new Error(`JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes long.`);
    return { mode: 'jwt', issuer, audience, key: { kind: 'secret', secret: bytes } };
  }
  if (jwksUrl) {
    let url: URL;
    try {
      url = new URL(jwksUrl);
    } catch {
      throw new Error('JWT_JWKS_URL must be an absolute http(s) URL.');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new Error('JWT_JWKS_URL must be an http(s) URL.');
    return { mode: 'jwt', issuer, audience, key: { kind: 'jwks', keySet: createRemoteJWKSet(url) } };
  }
  throw new Error('AUTH_MODE=jwt needs JWT_SECRET (HS256) or JWT_JWKS_URL.');
}

const TOKENS_SHAPE =
  '{ "tokens": [{ "name": "…", "sha256": "<hex SHA-256 of the token>", "scopes": ["…"], "apps": ["<app id>" | "*"] }] }';

function readTokensFile(env: NodeJS.ProcessEnv): TokenEntry[] {
  const name = 'AUTH_TOKENS_FILE';
  const file = read(env, name);
  if (!file) throw new Error(`${name} is required when AUTH_MODE=tokens.`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${name}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the input.
    throw new Error(`${name} is not valid JSON; it must be ${TOKENS_SHAPE}.`);
  }
  const list = (parsed as { tokens?: unknown } | null)?.tokens;
  if (!Array.isArray(list) || list.length === 0)
    throw new Error(`${name} must hold at least one token: ${TOKENS_SHAPE}.`);
  const names = new Set<string>();
  return list.map((entry: unknown, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const label =
      typeof e.name === 'string' && e.name.trim() ? `token "${e.name.trim()}"` : `token #${i + 1}`;
    if (typeof e.name !== 'string' || !e.name.trim()) throw new Error(`${name}: ${label} needs a "name".`);
    if (names.has(e.name.trim())) throw new Error(`${name}: ${label} is listed twice.`);
    names.add(e.name.trim());
    if (typeof e.sha256 !== 'string' || !SHA256_HEX.test(e.sha256))
      throw new Error(
        `${name}: ${label} needs "sha256", the 64 hex digits of the token's SHA-256 (never the token itself).`,
      );
    if (!Array.isArray(e.scopes)) throw new Error(`${name}: ${label} needs "scopes", a list of scopes.`);
    for (const s of e.scopes)
      if (!isScope(s)) throw new Error(`${name}: ${label} has an unknown scope ${JSON.stringify(s)}.`);
    if (!Array.isArray(e.apps)) throw new Error(`${name}: ${label} needs "apps", a list of app ids or "*".`);
    for (const a of e.apps)
      if (a !== '*' && !(typeof a === 'string' && UUID.test(a)))
        throw new Error(`${name}: ${label} has an app that is neither an app id (UUID) nor "*".`);
    return {
      name: e.name.trim(),
      hash: Buffer.from(e.sha256, 'hex'),
      scopes: new Set(e.scopes as Scope[]),
      apps: e.apps.includes('*') ? '*' : new Set((e.apps as string[]).map((a) => a.toLowerCase())),
    };
  });
}

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}
