/**
 * Stacks for the read-your-own-writes suites: each test gets a fresh stack, with the shared cache on
 * (a memory store whose "sending" TTL, how long a write's snapshot answers reads, is short enough to
 * wait out) or off, and every stack is closed after its test.
 */
import { afterEach } from 'vitest';
import { MemoryCacheStore, type OneSignalClientOptions, SharedReads } from '../../src/upstream/index.js';
import { type Stack, startStack } from './stack.js';

/** How long a snapshot answers reads in these suites. */
export const SEED_TTL_MS = 400;

export function ownWritesStacks() {
  let stacks: Stack[] = [];
  afterEach(async () => {
    await Promise.all(stacks.map((s) => s.close()));
    stacks = [];
  });
  return async function stackWith(options: OneSignalClientOptions, cache: boolean) {
    const store = new MemoryCacheStore();
    const s = await startStack({
      ...options,
      ...(cache && { sharedReads: new SharedReads({ store, ttls: { sending: SEED_TTL_MS } }) }),
    });
    stacks.push(s);
    s.emulator.resetStats();
    return { s, store };
  };
}
