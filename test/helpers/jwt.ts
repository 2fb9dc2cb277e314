/** A JWT set-up for suites that test scopes and app allow-lists (AUTH_MODE=jwt, HS256). */
import { SignJWT } from 'jose';
import { loadAuthConfig, type Scope } from '../../src/auth/index.js';

const SECRET = 'a-test-only-hs256-secret-of-at-least-32-bytes';
const ISSUER = 'https://auth.example.test/';
const AUDIENCE = 'onesignal-graphql';

/** The server's auth configuration that accepts the tokens `bearer` signs. */
export const jwtAuth = () =>
  loadAuthConfig({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE });

/** An `authorization` header for a caller named `subject` with these scopes on these apps. */
export async function bearer(
  scopes: Scope[],
  apps: string[] = ['*'],
  subject = 'tester',
): Promise<{ authorization: string }> {
  const token = await new SignJWT({ scope: scopes.join(' '), apps })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));
  return { authorization: `Bearer ${token}` };
}
