import { describe, expect, it } from 'vitest';
import { configureHeapGrowth, DEFAULT_HEAP_GROWING_PERCENT } from '../../src/heap.js';

describe('configureHeapGrowth', () => {
  it('bounds the old generation at 50 % growth by default', () => {
    expect(configureHeapGrowth({}, [])).toEqual({ percent: DEFAULT_HEAP_GROWING_PERCENT, source: 'default' });
    expect(DEFAULT_HEAP_GROWING_PERCENT).toBe(50);
  });

  it('takes HEAP_GROWING_PERCENT, and 0 leaves the choice to V8', () => {
    expect(configureHeapGrowth({ HEAP_GROWING_PERCENT: '80' }, [])).toEqual({
      percent: 80,
      source: 'HEAP_GROWING_PERCENT',
    });
    expect(configureHeapGrowth({ HEAP_GROWING_PERCENT: '0' }, []).percent).toBeUndefined();
  });

  it('leaves a --heap-growing-percent given to node alone, on the command line or in NODE_OPTIONS', () => {
    expect(configureHeapGrowth({ HEAP_GROWING_PERCENT: '80' }, ['--heap-growing-percent=20'])).toEqual({
      percent: undefined,
      source: '--heap-growing-percent=20 (node option)',
    });
    expect(
      configureHeapGrowth({ NODE_OPTIONS: '--max-semi-space-size=8 --heap_growing_percent=30' }, []).source,
    ).toBe('--heap_growing_percent=30 (node option)');
  });

  it('refuses a value that is not a whole number, naming the variable', () => {
    for (const value of ['half', '-5', '1.5'])
      expect(() => configureHeapGrowth({ HEAP_GROWING_PERCENT: value }, [])).toThrow(
        /HEAP_GROWING_PERCENT must be a whole number of percent/,
      );
  });
});
