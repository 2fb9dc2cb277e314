/**
 * The benches' statistics. Two percentile definitions live here on purpose: bench/run.ts has always
 * printed nearest-rank percentiles, bench/shared-reads.ts and bench/faults.ts the sample at index
 * ⌊p·n⌋ (one sample higher where p·n is whole), and the docs quote figures of both; one definition
 * for all would shift the figures the docs can be checked against.
 */

/** Nearest-rank percentile of ascending `sorted` (the ⌈p·n⌉-th sample); NaN when empty. */
export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

/** The sample at index ⌊p·n⌋ of ascending `sorted` (the last one for p = 100); NaN when empty. */
export const percentileAtIndex = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** A sorted copy, ascending. */
export const ascending = (values: number[]) => [...values].sort((a, b) => a - b);

/** The median of the finite values (the mean of the middle two for an even count); NaN when none. */
export function median(values: number[]): number {
  const v = ascending(values.filter(Number.isFinite));
  if (v.length === 0) return Number.NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** How often each item occurs, in order of first occurrence. */
export function countBy(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[item] = (out[item] ?? 0) + 1;
  return out;
}
