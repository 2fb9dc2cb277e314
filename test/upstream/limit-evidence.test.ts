import { describe, expect, it } from 'vitest';
import { LimitEvidence } from '../../src/upstream/limit-evidence.js';

describe('LimitEvidence tells a spent budget from a stray 429', () => {
  it('takes the first 429 of a quiet bucket as a spent budget', () => {
    expect(new LimitEvidence().limited('app|create_message|', 0)).toBe(true);
  });

  it('lets a lone 429 among successes hold only its call, and pauses once 429s catch up', () => {
    const e = new LimitEvidence();
    for (let i = 0; i < 3; i++) e.record('k', true, i * 10);
    // Three successes within 30 ms: the first two 429s are outweighed, the third ties them.
    expect(e.limited('k', 40)).toBe(false);
    expect(e.limited('k', 50)).toBe(false);
    expect(e.limited('k', 60)).toBe(true);
  });

  it('never pauses for 30 % random 429s in a steady stream, and pauses when every answer is a 429', () => {
    const e = new LimitEvidence();
    let paused = 0;
    // 300 answers a second for 5 s, three in every ten of them 429s.
    for (let i = 0; i < 1_500; i++) {
      const now = Math.floor(i * 3.33);
      if (i % 10 >= 7) paused += e.limited('k', now) ? 1 : 0;
      else e.record('k', true, now);
    }
    expect(paused).toBe(0);
    // The budget is spent: 429s only. Within half a second of them the bucket pauses.
    let at = 5_000;
    while (!e.limited('k', at)) at += 3;
    expect(at - 5_000).toBeLessThan(500);
  });

  it('forgets old successes: an hour-old success does not excuse a 429', () => {
    const e = new LimitEvidence();
    for (let i = 0; i < 100; i++) e.record('k', true, i);
    expect(e.limited('k', 3_600_000)).toBe(true);
  });

  it('keeps buckets apart', () => {
    const e = new LimitEvidence();
    e.record('a', true, 0);
    e.record('a', true, 0);
    expect(e.limited('b', 1)).toBe(true);
    expect(e.limited('a', 1)).toBe(false);
  });
});
