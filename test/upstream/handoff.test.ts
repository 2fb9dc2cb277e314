import { describe, expect, it } from 'vitest';
import { Handoff } from '../../src/upstream/handoff.js';

describe('Handoff', () => {
  it('lets a lone reader go on at once', () => {
    expect(new Handoff().turn()).toBeUndefined();
  });

  it('lets fifty readers of one answer go over several turns, with the event loop running between them', async () => {
    const handoff = new Handoff();
    const order: string[] = [];
    const readers = Array.from({ length: 50 }, async (_, i) => {
      await handoff.turn();
      order.push(`reader ${i}`);
    });
    // Work that arrives meanwhile (a new request) is queued for the next turn of the loop.
    setImmediate(() => order.push('io'));
    await Promise.all(readers);
    expect(order.filter((o) => o.startsWith('reader'))).toHaveLength(50);
    const io = order.indexOf('io');
    // The first reader went on at once, the new work ran before the last of them.
    expect(order[0]).toBe('reader 0');
    expect(io).toBeGreaterThan(0);
    expect(io).toBeLessThan(order.length - 1);
  });

  it('drains a queue fed faster than its turns come', async () => {
    const handoff = new Handoff();
    let done = 0;
    const all: Promise<void>[] = [];
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 25; i++)
        all.push(
          (async () => {
            await handoff.turn();
            done++;
          })(),
        );
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(all);
    expect(done).toBe(500);
    // Idle again: the next reader goes on at once.
    await new Promise((resolve) => setImmediate(resolve));
    expect(handoff.turn()).toBeUndefined();
  });
});
