import type { AppScopedKey } from '../schema/ids.js';

/** DataLoader cache key for `{ appId, id }` keys. */
export const appScopedCacheKey = (key: AppScopedKey) => `${key.appId}/${key.id}`;
