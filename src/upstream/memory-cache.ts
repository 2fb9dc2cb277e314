import { LRUCache } from 'lru-cache';
import type { CachedRead, CacheStore } from './shared-reads.js';

/**
 * The memory cache's default size: its bytes are RSS one for one, and at 16 MiB a replica stays under
 * 200 MB at 50 connections with the cache full (bench/shared-reads.ts; 32 MiB measured 205–208 MB).
 * That holds a few hundred pages of 50 notifications, more than lists' 10 s TTL lets most
 * deployments fill; CACHE_MAX_BYTES raises it.
 */
export const DEFAULT_CACHE_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Bounded memory, least recently used out first. Entries are held as JSON bytes in Buffers, outside
 * V8's heap, and parsed on each hit:
 * - the cap is exact (bytes of JSON), where parsed objects could only be estimated;
 * - a full cache does not swell the heap's live size, which V8 multiplies into the old generation it
 *   lets grow under load (src/heap.ts): parsed entries cost their size several times over at peak;
 * - every hit gets its own copy, so no request can change what another reads.
 * Parsing a hit costs CPU (~0.2 ms for the emulator's 50 KB page of 50 notifications), far less than
 * the upstream call it saves.
 */
export class MemoryCacheStore implements CacheStore {
  private readonly entries: LRUCache<string, StoredRead>;
  private readonly versions = new Map<string, number>();
  /** The versions each miss saw, until its answer is stored (bounded: a failed fetch stores nothing). */
  private readonly seenAtMiss = new LRUCache<string, number[]>({ max: 10_000 });

  constructor(maxBytes = DEFAULT_CACHE_MAX_BYTES) {
    this.entries = new LRUCache({
      maxSize: maxBytes,
      // The JSON bytes, the key (UTF-16 on the heap) and the entry's small bookkeeping objects.
      sizeCalculation: (value, key) => value.json.byteLength + 2 * key.length + 128,
      ttlAutopurge: false,
    });
  }

  async get(key: string, tags: readonly string[]): Promise<CachedRead | undefined> {
    const current = tags.map((t) => this.versions.get(t) ?? 0);
    const stored = this.entries.get(key);
    if (stored && current.every((v, i) => v === stored.versions[i])) {
      return {
        found: stored.found,
        fetchedAt: stored.fetchedAt,
        ...(stored.json.byteLength > 0 && { data: JSON.parse(stored.json.toString('utf8')) }),
      };
    }
    if (!this.seenAtMiss.has(key)) this.seenAtMiss.set(key, current);
    return undefined;
  }

  async set(key: string, tags: readonly string[], entry: CachedRead, ttlMs: number): Promise<void> {
    const current = tags.map((t) => this.versions.get(t) ?? 0);
    const seen = this.seenAtMiss.get(key) ?? current;
    this.seenAtMiss.delete(key);
    // A write while the answer was being fetched (another request's send, say) makes it stale already.
    if (!seen.every((v, i) => v === current[i])) return;
    const json = entry.data === undefined ? EMPTY : ownBuffer(JSON.stringify(entry.data));
    this.entries.set(
      key,
      { json, found: entry.found, fetchedAt: entry.fetchedAt, versions: current },
      { ttl: ttlMs },
    );
  }

  async invalidate(tags: readonly string[]): Promise<void> {
    for (const tag of tags) this.versions.set(tag, (this.versions.get(tag) ?? 0) + 1);
  }

  /** Bytes held (as counted against the cap), for tests and the bench. */
  get size(): number {
    return this.entries.calculatedSize;
  }
}

/** A cached read as the memory store keeps it: the answer's JSON (empty when it had no body). */
interface StoredRead {
  json: Buffer;
  found: boolean;
  fetchedAt: number;
  versions: number[];
}

const EMPTY = Buffer.alloc(0);

/**
 * The text's UTF-8 bytes in a Buffer of their own: `Buffer.from` slices small strings out of a shared
 * 8 KiB pool, and one cached entry would then keep its whole slab alive.
 */
function ownBuffer(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
  bytes.write(text, 'utf8');
  return bytes;
}
