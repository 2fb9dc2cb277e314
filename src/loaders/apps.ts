import type { OneSignalClient, WireApp, WireOutcome } from '../onesignal/index.js';
import { perKeyLoader } from './per-key.js';
import { tracedLoader } from './traced.js';

/** Arguments of one get_outcomes request. */
export interface OutcomeQuery {
  appId: string;
  /** `name.sum` / `name.count` strings. */
  outcomeNames: string[];
  timeRange?: '1h' | '1d' | '1mo';
  /** device_type integers. */
  platforms?: number[];
  attribution?: 'direct' | 'influenced' | 'unattributed' | 'total';
}

export function appLoaders(client: OneSignalClient) {
  /** Every app of the organization, fetched once per request; primes `app`. */
  const allApps = tracedLoader<'all', WireApp[]>('apps', async () => {
    try {
      const apps = await client.apps.list();
      for (const a of apps) app.prime(a.id, a);
      return [apps];
    } catch (error) {
      return [error as Error];
    }
  });

  /**
   * OneSignal has no batch read for apps: one id costs a get_app, several ids in the same tick cost a
   * single get_apps that answers them all.
   */
  const app = tracedLoader<string, WireApp | null>('app', async (ids) => {
    if (ids.length === 1) {
      const [id] = ids as [string];
      try {
        return [await client.apps.get(id)];
      } catch (error) {
        return [error as Error];
      }
    }
    try {
      const apps = await allApps.load('all');
      const byId = new Map(apps.map((a) => [a.id, a]));
      return ids.map((id) => byId.get(id) ?? null);
    } catch (error) {
      return ids.map(() => error as Error);
    }
  });

  /** get_outcomes, once per distinct set of arguments in a request. */
  const outcomes = perKeyLoader<OutcomeQuery, WireOutcome[], string>(
    'outcomes',
    async ({ appId, ...params }) => (await client.outcomes.get(appId, params)).outcomes ?? [],
    {
      cacheKeyFn: (q) =>
        JSON.stringify([
          q.appId,
          q.outcomeNames,
          q.timeRange ?? '',
          [...(q.platforms ?? [])].sort(),
          q.attribution ?? '',
        ]),
    },
  );

  return { allApps, app, outcomes };
}
