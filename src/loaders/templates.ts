import type { AppScopedKey } from '../core/ids.js';
import type { OneSignalClient, WireTemplate } from '../onesignal/index.js';
import { appScopedCacheKey } from './keys.js';
import { perKeyLoader } from './per-key.js';

export interface TemplatePageKey {
  appId: string;
  limit: number;
  offset: number;
}

/** A template with the app it belongs to (OneSignal's answers leave `app_id` out). */
export type LoadedTemplate = WireTemplate & { app_id: string };

export function templateLoaders(client: OneSignalClient) {
  /** `view_template`: the whole template, content included. */
  const template = perKeyLoader<AppScopedKey, LoadedTemplate, string>(
    'template',
    async (key) => ({ ...(await client.templates.get(key.appId, key.id)), app_id: key.appId }),
    { cacheKeyFn: appScopedCacheKey },
  );

  /** `view_templates`: one key, one request; summaries only, so it primes nothing. */
  const templatePage = perKeyLoader<TemplatePageKey, LoadedTemplate[], string>(
    'template page',
    async (key) => {
      const page = await client.templates.list(key.appId, { limit: key.limit, offset: key.offset });
      return (page.templates ?? []).map((t) => ({ ...t, app_id: key.appId }));
    },
    { cacheKeyFn: (k) => `${k.appId}/${k.limit}/${k.offset}` },
  );

  return { template, templatePage };
}
