/** The de-duplication store in memory: an id is claimed once within its TTL, and the store is bounded. */
import { describe, expect, it } from 'vitest';
import { MemorySeenEvents } from '../../src/live/event-streams/index.js';

describe('MemorySeenEvents', () => {
  it('claims an id once until EVENT_STREAMS_DEDUP_TTL_MS has passed, and again once released', async () => {
    const seen = new MemorySeenEvents(80);
    expect(await seen.claim('a')).toBe(true);
    expect(await seen.claim('a')).toBe(false);
    await seen.release('a');
    expect(await seen.claim('a')).toBe(true);
    await new Promise((r) => setTimeout(r, 120));
    expect(await seen.claim('a')).toBe(true);
  });

  it('holds at most its bound of ids, forgetting the oldest first', async () => {
    const seen = new MemorySeenEvents(60_000, 3);
    for (const id of ['a', 'b', 'c', 'd']) expect(await seen.claim(id)).toBe(true);
    expect(await seen.claim('d')).toBe(false);
    expect(await seen.claim('b')).toBe(false);
    expect(await seen.claim('a')).toBe(true);
  });
});
