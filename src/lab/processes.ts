// Server processes of the lab: each in its own process group, output to a log file, stopped by PID
// with a deadline and then SIGKILL.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly binary: string;
  readonly logPath: string;
  /** Resolves with the exit code (null after a signal) when the process ends. */
  readonly exited: Promise<number | null>;
  hasExited(): boolean;
}

export async function startServer(name: string, binary: string, args: readonly string[], logPath: string, env?: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const logFd = openSync(logPath, 'a', 0o600);
  try {
    // detached: a process group of its own, so a signal to -pid reaches it and nothing else.
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', logFd, logFd], env: env ?? process.env });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${name} started without a pid`);
    let done = false;
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => {
        done = true;
        resolve(code);
      });
    });
    return { name, pid, binary, logPath, exited, hasExited: () => done };
  } finally {
    closeSync(logFd); // the child keeps its own copy
  }
}

/** SIGTERM to the process group, SIGKILL once `graceMs` has passed, then waits for the exit. */
export async function stopServer(proc: ServerProcess, graceMs: number): Promise<void> {
  if (proc.hasExited()) return;
  signalGroup(proc.pid, 'SIGTERM');
  // Cancelled once the process is gone, so a pending timer does not keep Node alive for the whole grace.
  const cancel = new AbortController();
  const deadline = sleep(graceMs, 'timeout' as const, { signal: cancel.signal }).catch(() => 'cancelled' as const);
  const first = await Promise.race([proc.exited, deadline]);
  cancel.abort();
  if (first === 'timeout') {
    signalGroup(proc.pid, 'SIGKILL');
    await proc.exited;
  }
}

/** Ends a process of ours that outlived its owner (not our child: polls instead of waiting for exit). */
export async function stopStrayProcess(pid: number, graceMs: number): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(20);
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** argv[0] of a running process (Linux /proc), or undefined when it cannot be read. */
export function processExecutable(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
  } catch {
    return undefined;
  }
}

/** The last lines of a server's log, for error messages. */
export async function logTail(logPath: string, lines = 25): Promise<string> {
  const text = await readFile(logPath, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function isZombie(pid: number): boolean {
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
