import { DEMO, demoAppKeys } from '../../src/emulator/index.js';
import type { OneSignalClientOptions } from '../../src/upstream/index.js';

/**
 * The key configurations a user can choose. Suites that count upstream calls run in each: a floor
 * met only with the demo app keys configured is not met. With the organization key only, the server
 * first looks up the app's key (one `get_app`).
 */
export const KEY_CONFIGURATIONS: [string, OneSignalClientOptions][] = [
  ['org key only', { userAuthKey: DEMO.userAuthKey, appKeys: {} }],
  ['app keys only', { userAuthKey: undefined, appKeys: demoAppKeys() }],
  ['both keys', { userAuthKey: DEMO.userAuthKey, appKeys: demoAppKeys() }],
];
