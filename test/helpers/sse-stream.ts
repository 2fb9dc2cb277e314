/** A GraphQL subscription over SSE that stays open until closed: for streams that never complete. */
import { sseMessages } from './sse.js';

export interface OpenStream {
  /** Every `next` payload so far. */
  events: Record<string, unknown>[];
  /** Resolves once `n` payloads arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  close(): void;
}

/**
 * Opens the subscription and resolves once the server answered 200 (the subscription is set up
 * server-side by then: yoga runs `subscribe` before it writes the response head).
 */
export async function openSse(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  if (res.status !== 200) throw new Error(`SSE answered ${res.status}: ${await res.text()}`);
  const events: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  void (async () => {
    try {
      for await (const { event, data } of sseMessages(res.body as unknown as AsyncIterable<Uint8Array>)) {
        if (event === 'next' && data) events.push(JSON.parse(data));
        for (const w of waiters.splice(0)) w();
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    events,
    async waitFor(n, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`Only ${events.length} of ${n} events within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 100));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return events;
    },
    close: () => abort.abort(),
  };
}
