// Memory of every process of a lab run, from /proc (Linux), and how long the lab has run: printed by
// the tests that run the whole lab (issue #11 asks for both on the 2-core machine).
import { readFileSync } from 'node:fs';

/** Prints one line per process (resident and peak), the sums, and the lab's uptime. */
export function printLabMemory(procs: readonly (readonly [string, number])[], startedAt: number, log: (line: string) => void): void {
  let total = 0;
  let peak = 0;
  for (const [name, pid] of procs) {
    const status = readProcStatus(pid);
    const rss = kib(status, 'VmRSS');
    const hwm = kib(status, 'VmHWM');
    total += rss;
    peak += hwm;
    log(`memory ${name.padEnd(30)} rss ${mib(rss)}  peak ${mib(hwm)}`);
  }
  log(`memory whole lab                   rss ${mib(total)}  peak ${mib(peak)} (sum of per-process peaks)`);
  log(`time   whole lab up for ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
}

function readProcStatus(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return '';
  }
}

function kib(status: string, field: string): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
}

function mib(kibValue: number): string {
  return `${(kibValue / 1024).toFixed(0).padStart(5)} MiB`;
}
