import type { OneSignalClient } from '../onesignal/index.js';
import { appLoaders } from './apps.js';
import { notificationLoaders } from './notifications.js';
import { playerLoaders } from './players.js';
import { segmentLoaders } from './segments.js';
import { templateLoaders } from './templates.js';
import { userLoaders } from './users.js';

/**
 * A fresh set of loaders for one GraphQL request. Every upstream read goes through one of these,
 * so a resource is fetched at most once per operation, and list reads prime the item loaders.
 */
export function createLoaders(client: OneSignalClient) {
  return {
    ...appLoaders(client),
    ...notificationLoaders(client),
    ...playerLoaders(client),
    ...segmentLoaders(client),
    ...templateLoaders(client),
    ...userLoaders(client),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
