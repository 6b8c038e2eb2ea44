// Runs the Go toolchain as a child process; a missing `go` becomes a GoMissingError.
import { spawn } from 'node:child_process';
import { GoMissingError } from './errors';

export interface GoRunOptions {
  readonly cwd: string;
  readonly go?: string;
  /** Called with each line the command writes to stderr (go build -v lists packages there). */
  readonly onStderrLine?: (line: string) => void;
}

export interface GoRunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderrTail: string;
}

const STDERR_TAIL_LINES = 40;

/** The `go` command to run: CAPI_DCS_GO if set, else `go` from PATH. */
export function goCommand(): string {
  return process.env.CAPI_DCS_GO ?? 'go';
}

/** Environment for builds: static binaries and no go.work from a parent folder. */
export function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: '0', GOWORK: 'off' };
}

export function runGo(args: readonly string[], options: GoRunOptions): Promise<GoRunResult> {
  const go = options.go ?? goCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(go, args, { cwd: options.cwd, env: goEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const tail: string[] = [];
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    const onLine = (line: string): void => {
      tail.push(line);
      if (tail.length > STDERR_TAIL_LINES) tail.shift();
      options.onStderrLine?.(line);
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT' || err.code === 'EACCES' ? new GoMissingError(go) : err);
    });
    child.once('close', (code) => {
      if (partial !== '') onLine(partial);
      resolve({ exitCode: code ?? 1, stdout: Buffer.concat(stdout).toString('utf8'), stderrTail: tail.join('\n') });
    });
  });
}

/** `go env GOVERSION`, e.g. "go1.26.8"; a GoMissingError when `go` cannot be run. */
export async function goVersion(options: Pick<GoRunOptions, 'cwd' | 'go'>): Promise<string> {
  const result = await runGo(['env', 'GOVERSION'], options);
  if (result.exitCode !== 0) throw new GoMissingError(options.go ?? goCommand());
  return result.stdout.trim();
}
