/**
 * Hands one shared answer to the readers waiting for it a few at a time, one group per turn of the
 * event loop, so that new requests are read (and the next upstream read starts) between groups.
 *
 * Without it, every reader that joined a read in flight resumes in the same microtask run: fifty
 * readers of one answer render fifty responses back to back, about 15 ms in which the process reads
 * nothing. Clients served together then ask again together, and with the cache off each round trip
 * became upstream latency plus that burst, never the two overlapping: at 20 ms upstream the uncached
 * server answered 0.82× the requests of a thin layer that shares nothing (bench:peer).
 *
 * The first reader of a burst goes on at once; later ones wait for a turn, and each turn lets a
 * quarter of those waiting go (at least MIN_GROUP), so a queue fed faster than turns come drains
 * anyway. A lone reader never waits.
 */
export class Handoff {
  static readonly MIN_GROUP = 1;
  readonly #waiting: (() => void)[] = [];
  #turning = false;

  /** Undefined when the caller may go on now; else a promise that resolves on its turn. */
  turn(): Promise<void> | undefined {
    if (!this.#turning) {
      this.#turning = true;
      setImmediate(this.#next);
      return undefined;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  readonly #next = () => {
    const waiting = this.#waiting;
    if (waiting.length === 0) {
      this.#turning = false;
      return;
    }
    const group = Math.max(Handoff.MIN_GROUP, Math.ceil(waiting.length / 8));
    for (const resolve of waiting.splice(0, group)) resolve();
    // Queued from inside an immediate, this one runs on the next turn, after the loop polls for I/O.
    setImmediate(this.#next);
  };
}
