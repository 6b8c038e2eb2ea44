// Child processes for tests: started in their own process group, stopped by PID (never by name).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

export interface Started {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything the process printed so far (stdout and stderr), for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export function startProcess(command: string, args: readonly string[], options: SpawnOptions = {}): Started {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${command}`);
  const chunks: string[] = [];
  child.stdout.on('data', (b: Buffer) => chunks.push(b.toString()));
  child.stderr.on('data', (b: Buffer) => chunks.push(b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  return {
    child,
    pid,
    output: () => chunks.join(''),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(pid, 'SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), delay(10_000).then(() => true)]);
      if (timedOut) {
        signalGroup(pid, 'SIGKILL');
        await exited;
      }
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => { resolve(port); });
    });
  });
}

export async function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls an async probe until it returns something other than undefined, or fails after the deadline. */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve().then(probe).catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(everyMs);
  }
}
