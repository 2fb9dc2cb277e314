import { LRUCache } from 'lru-cache';

/**
 * Whether a CSV export's file is there yet. OneSignal answers an export request at once with the URL
 * the file will appear at (its storage answers 403 or 404 until then); this asks that URL with HEAD.
 *
 * Only URLs on OneSignal's hosts (and the configured API's own origin, e.g. the emulator) are asked,
 * so the check cannot be pointed at anything else. Checks are shared: one in flight per URL, a
 * "not yet" remembered for `notReadyTtlMs` (so any number of pollers make one request per URL per
 * interval), and a "ready" for as long as OneSignal keeps the file. These are downloads from storage,
 * not REST calls, so they spend none of the app's view budget.
 */

/** Where OneSignal puts export files (players' CSV on S3; history and events on its own hosts). */
const ONESIGNAL_EXPORT_HOSTS = [/^onesignal\.s3\.amazonaws\.com$/, /(^|\.)onesignal\.com$/];

export interface ExportCheck {
  ready: boolean;
  /** Epoch milliseconds of the answer this is based on. */
  checkedAt: number;
}

export interface ExportReadinessOptions {
  /** The REST API's base URL: its origin is allowed too (the emulator serves its exports there). */
  apiUrl?: string;
  /** How long a "not yet" is reused (default 2 s). */
  notReadyTtlMs?: number;
  fetch?: typeof fetch;
}

export class ExportReadiness {
  private readonly apiOrigin: string | undefined;
  private readonly notReadyTtlMs: number;
  private readonly fetch: typeof fetch;
  private readonly inFlight = new Map<string, Promise<ExportCheck>>();
  private readonly answers = new LRUCache<string, ExportCheck>({ max: 10_000, ttl: 3 * 86_400_000 });
  /** HEAD requests made (for tests). */
  requests = 0;

  constructor(options: ExportReadinessOptions = {}) {
    this.apiOrigin =
      options.apiUrl && URL.canParse(options.apiUrl) ? new URL(options.apiUrl).origin : undefined;
    this.notReadyTtlMs = options.notReadyTtlMs ?? 2_000;
    this.fetch = options.fetch ?? fetch;
  }

  /** Whether `url` is one this checker will ask: OneSignal's export hosts or the API's origin, over http(s). */
  allows(url: URL): boolean {
    if (url.username || url.password) return false;
    if (url.origin === this.apiOrigin) return true;
    return url.protocol === 'https:' && ONESIGNAL_EXPORT_HOSTS.some((host) => host.test(url.hostname));
  }

  check(url: URL): Promise<ExportCheck> {
    const key = url.href;
    const known = this.answers.get(key);
    if (known) return Promise.resolve(known);
    const joined = this.inFlight.get(key);
    if (joined) return joined;
    const pending = this.ask(url).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, pending);
    return pending;
  }

  private async ask(url: URL): Promise<ExportCheck> {
    this.requests++;
    let ready = false;
    try {
      const res = await this.fetch(url, {
        method: 'HEAD',
        redirect: 'manual',
        signal: AbortSignal.timeout(5_000),
      });
      ready = res.status === 200;
    } catch {
      // Unreachable: not ready, asked again after the interval.
    }
    const answer = { ready, checkedAt: Date.now() };
    this.answers.set(url.href, answer, ready ? {} : { ttl: this.notReadyTtlMs });
    return answer;
  }
}
