export {
  APP_KEY_HEADER,
  authenticate,
  PASSTHROUGH_KEY_SOURCE,
  UnauthenticatedError,
  USER_AUTH_KEY_HEADER,
} from './authenticate.js';
export { ANONYMOUS_CALLER, type Caller, mayAccessApp } from './caller.js';
export { AUTH_MODES, type AuthConfig, type AuthMode, loadAuthConfig, type TokenEntry } from './config.js';
export { authenticationPlugin, callerOf } from './plugin.js';
export { appAccessPreflightPlugin, appsNamedIn } from './preflight.js';
export { assertMayAccessApps, restrictClient } from './restrict.js';
export { ALL_SCOPES, isScope, SCOPES, type Scope } from './scopes.js';
export { checkAuthAtStartup } from './startup.js';
