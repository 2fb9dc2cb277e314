/** A child's memory and CPU time, read from /proc (Linux); NaN where it cannot be read. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** VmRSS (resident now) or VmHWM (its peak so far) of a process, MB. */
export function procMemMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** utime + stime of a process, ms. */
export function procCpuMs(pid: number): number {
  try {
    // Fields after the command name, which is parenthesised and may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/**
 * Samples the VmRSS of `pid` every `everyMs` until `stop()`, which answers the highest seen, starting
 * from `initial` (by default a sample taken now).
 */
export function rssSampler(pid: number, everyMs: number, initial = procMemMb(pid)) {
  let peak = initial;
  const timer = setInterval(() => {
    peak = Math.max(peak, procMemMb(pid));
  }, everyMs);
  return {
    stop(): number {
      clearInterval(timer);
      return peak;
    },
  };
}
