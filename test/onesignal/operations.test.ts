import { describe, expect, it } from 'vitest';
import { OPERATIONS as EMULATED } from '../../src/emulator/index.js';
import { API_GROUPS, OPERATIONS } from '../../src/onesignal/index.js';
import { createOneSignalClient } from '../../src/upstream/index.js';
import { SUITE_OPERATIONS } from '../helpers/onesignal-emulator.js';

describe('OPERATIONS', () => {
  it('lists distinct operation ids: the 37 of API v1.2.2, get_segments and the current API additions', () => {
    expect(new Set(OPERATIONS).size).toBe(OPERATIONS.length);
    expect(OPERATIONS.length).toBeGreaterThanOrEqual(38);
    expect(OPERATIONS).toContain('get_segments');
  });

  it('matches the operations the emulator serves', () => {
    expect([...OPERATIONS].sort()).toEqual(EMULATED.map((op) => op.id).sort());
  });

  it('has exactly one client method per operation', () => {
    const client = createOneSignalClient({ apiUrl: 'http://127.0.0.1:9' });
    const methods = API_GROUPS.flatMap((group) =>
      Object.entries(client[group])
        // `apps.known` is no operation of its own: it answers from the configured keys or the key look-up.
        .filter(([name]) => !(group === 'apps' && name === 'known'))
        .map(([, method]) => method),
    );
    expect(methods.every((m) => typeof m === 'function')).toBe(true);
    expect(methods).toHaveLength(OPERATIONS.length);
  });

  it('is covered end to end by the resource suites, every operation in exactly one of them', () => {
    const covered = Object.values(SUITE_OPERATIONS).flat();
    expect(covered).toHaveLength(OPERATIONS.length);
    expect([...covered].sort()).toEqual([...OPERATIONS].sort());
  });
});
