import type { AppScopedKey } from '../core/ids.js';

/** DataLoader cache key for `{ appId, id }` keys. */
export const appScopedCacheKey = (key: AppScopedKey) => `${key.appId}/${key.id}`;
