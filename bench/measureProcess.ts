// Runs one command as a whole process and measures it from the outside, the same way for any program:
// wall time, CPU time (user + system, all threads) and peak resident memory, read from /proc/<pid> every
// 10 ms. VmHWM is the kernel's own high-water mark, so a poll misses only growth in the last 10 ms.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcessRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  /** User + system CPU time, at the last poll before exit. */
  readonly cpuMs: number;
  readonly peakRssMb: number;
}

const POLL_MS = 10;
/** /proc reports CPU times in clock ticks: USER_HZ, 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

interface Sample {
  readonly hwmKb: number;
  readonly cpuTicks: number;
}

/** User + system CPU ticks of a running process, all threads. */
function cpuTicksOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at ") "; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU time (user + system) a running process has used so far, in ms; 10 ms resolution. */
export function cpuTimeMs(pid: number): number {
  return (cpuTicksOf(pid) * 1000) / TICKS_PER_SECOND;
}

function sample(pid: number): Sample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const cpuTicks = cpuTicksOf(pid);
    const hwm = /VmHWM:\s+(\d+)/.exec(status)?.[1];
    // A zombie has no memory map left: keep the last sample that had one.
    if (hwm === undefined) return undefined;
    return { hwmKb: Number(hwm), cpuTicks };
  } catch {
    return undefined;
  }
}

export function measureProcess(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<ProcessRun> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let peakKb = 0;
    let cpuTicks = 0;
    const poll = (): void => {
      if (child.pid === undefined) return;
      const s = sample(child.pid);
      if (!s) return;
      peakKb = Math.max(peakKb, s.hwmKb);
      cpuTicks = Math.max(cpuTicks, s.cpuTicks);
    };
    const timer = setInterval(poll, POLL_MS);
    child.on('spawn', poll);
    child.on('error', (error) => {
      clearInterval(timer);
      fail(error);
    });
    child.on('close', (status) => {
      clearInterval(timer);
      done({
        status,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        wallMs: performance.now() - started,
        cpuMs: (cpuTicks * 1000) / TICKS_PER_SECOND,
        peakRssMb: peakKb / 1024,
      });
    });
  });
}
