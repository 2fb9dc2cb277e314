import type { AuthConfig } from './config.js';

/**
 * Refuses configurations that would expose real OneSignal keys: AUTH_MODE none (or unset) while keys
 * are configured, unless AUTH_ALLOW_NONE=true forces it, and passthrough while the server holds keys.
 * Returns the warning to print loudly when none was forced.
 */
export function checkAuthAtStartup(
  auth: AuthConfig,
  oneSignalKeysConfigured: boolean,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (!oneSignalKeysConfigured) return undefined;
  if (auth.mode === 'passthrough')
    throw new Error(
      'AUTH_MODE=passthrough: callers send their own OneSignal keys, so the server must hold none; unset ONESIGNAL_USER_AUTH_KEY and ONESIGNAL_APP_KEYS.',
    );
  if (auth.mode !== 'none') return undefined;
  if (env.AUTH_ALLOW_NONE?.trim().toLowerCase() !== 'true')
    throw new Error(
      'AUTH_MODE is unset or "none" while OneSignal keys are configured: anyone who can reach this server could read and message every user of every app. Set AUTH_MODE to jwt, tokens or passthrough (or AUTH_ALLOW_NONE=true to force it).',
    );
  return [
    '',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    '!!  WARNING: AUTH_MODE=none with real OneSignal keys (forced by AUTH_ALLOW_NONE=true).',
    '!!  Every caller gets every scope on every app: anyone who reaches this server can message all',
    '!!  your users. Use this only on a trusted network, never exposed to browsers or the internet.',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    '',
  ].join('\n');
}
