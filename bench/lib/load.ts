/** The benches' load loops and timers: a fixed number of workers, each with one request in flight. */

/** `concurrency` workers, each running `step` one at a time while `more()` holds (checked before each). */
export async function workers(concurrency: number, more: () => boolean, step: () => Promise<void>) {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (more()) await step();
    }),
  );
}

/** Runs `count` tasks, `concurrency` at a time; their results in task order. */
export async function pool<T>(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await workers(
    concurrency,
    () => next < count,
    async () => {
      const i = next++;
      out[i] = await task(i);
    },
  );
  return out;
}

/** Milliseconds one call of `fn` takes. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Mean milliseconds per call of `fn`, over `iterations` calls in a row after `warmup` untimed ones. */
export async function meanMs(
  fn: () => unknown | Promise<unknown>,
  { warmup, iterations }: { warmup: number; iterations: number },
): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return (performance.now() - start) / iterations;
}
