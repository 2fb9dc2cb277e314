import type DataLoader from 'dataloader';
import { tracedLoader } from './traced.js';

/**
 * A DataLoader for reads OneSignal cannot batch: one `fetch` per distinct key, all started in the same
 * tick. A failure is that key's error, so the other keys of the batch still resolve.
 */
export function perKeyLoader<K, V, C = K>(
  name: string,
  fetch: (key: K) => Promise<V>,
  options?: DataLoader.Options<K, V, C>,
): DataLoader<K, V, C> {
  return tracedLoader<K, V, C>(
    name,
    (keys) =>
      Promise.all(
        keys.map(async (key) => {
          try {
            return await fetch(key);
          } catch (error) {
            return error as Error;
          }
        }),
      ),
    options,
  );
}
