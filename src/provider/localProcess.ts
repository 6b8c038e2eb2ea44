// A program of ours (controller or simulator) run as a child process with the Node that VS Code ships
// (process.execPath with ELECTRON_RUN_AS_NODE=1): its JSON log lines go to an output channel, a
// status-bar item shows that it runs, and stop() ends its process group by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import * as vscode from 'vscode';

const STOP_GRACE_MS = 10_000;

export interface LocalProcessOptions {
  readonly title: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly channel: vscode.LogOutputChannel;
  readonly statusBar: vscode.StatusBarItem;
  /** Called with each stdout line that parses as JSON (the simulator announces its URL this way). */
  readonly onJsonLine?: (line: Record<string, unknown>) => void;
}

/** One JSON log line -> "msg key=value ..." at its level; anything else as written. */
export function formatLogLine(line: string): { level: string; text: string } {
  try {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    const { level, msg, time: _time, ...rest } = parsed;
    const details = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return { level: typeof level === 'string' ? level : 'info', text: `${typeof msg === 'string' ? msg : ''} ${details}`.trim() };
  } catch {
    return { level: 'info', text: line };
  }
}

export class LocalProcess implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(private readonly options: LocalProcessOptions) {}

  get running(): boolean {
    return this.child?.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.running) return;
    const { title, script, args, channel, statusBar } = this.options;
    const child = spawn(process.execPath, [script, ...args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    this.child = child;
    this.stopping = false;
    channel.info(`${title}: started (pid ${String(child.pid)})`);
    statusBar.text = `$(server-process) ${title}`;
    statusBar.tooltip = `${title} runs (pid ${String(child.pid)}). Click to show its log.`;
    statusBar.show();
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        const { level, text } = formatLogLine(line);
        if (level === 'error') channel.error(text);
        else if (level === 'warn') channel.warn(text);
        else if (level === 'debug') channel.debug(text);
        else channel.info(text);
        if (stream === child.stdout && this.options.onJsonLine) {
          try {
            this.options.onJsonLine(JSON.parse(line) as Record<string, unknown>);
          } catch {
            // not a JSON line
          }
        }
      });
    }
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        channel.info(`${title}: exited (${signal ?? `code ${String(code)}`})`);
        statusBar.hide();
        // Ended by itself (a refused flag, a port or file it could not use): say so, the reason is in the log.
        if (!this.stopping) {
          void vscode.window.showErrorMessage(`CAPI DCS: ${title} exited (${signal ?? `code ${String(code)}`}).`, 'Show Log').then((choice) => {
            if (choice) channel.show(true);
          });
        }
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid || !this.running) return;
    this.stopping = true;
    signalGroup(child.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (child.pid) signalGroup(child.pid, 'SIGKILL');
    }, STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  dispose(): void {
    void this.stop();
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
