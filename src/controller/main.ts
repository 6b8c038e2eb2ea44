#!/usr/bin/env node
// `capi-dcs-controller`: the DCS infrastructure provider. Parses flags, starts the manager, and
// stops cleanly on SIGTERM/SIGINT (in-flight reconciles finish, the lease is released). Runs
// under plain Node 20 and under VS Code's Electron as Node (ELECTRON_RUN_AS_NODE=1).
// Exit codes: 0 stopped by a signal, 1 failure (startup, lost lease), 2 bad usage.

import { version } from '../../package.json';
import { startController, type RunningController } from './app';
import { parseFlags, USAGE, UsageError, type ControllerOptions } from './flags';
import { errorMessage, jsonLogger, type Logger } from './runtime/log';

const STOP_DEADLINE_MS = 20_000;

function run(options: ControllerOptions, log: Logger): void {
  const abort = new AbortController();
  let running: RunningController | undefined;
  let stopping = false;

  const exit = (code: number): void => {
    // Let stderr drain before leaving (a pipe may be slower than us).
    process.stderr.write('', () => process.exit(code));
  };
  const stop = (reason: string, code: number): void => {
    if (stopping) {
      log.warn('second stop request: exiting now', { reason });
      exit(code === 0 ? 1 : code);
      return;
    }
    stopping = true;
    log.info('shutting down', { reason });
    abort.abort();
    const deadline = setTimeout(() => {
      log.error('shutdown took too long; exiting', { deadlineMs: STOP_DEADLINE_MS });
      exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    void (running?.stop() ?? Promise.resolve())
      .catch((err: unknown) => log.error('error while stopping', { error: errorMessage(err) }))
      .then(() => {
        log.info('stopped');
        exit(code);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('SIGINT', () => stop('SIGINT', 0));

  log.info('starting', { version, pid: process.pid, node: process.versions.node, electron: process.versions.electron, leaderElect: options.leaderElect });
  startController(options, log, abort.signal, (err) => {
    log.error('lost leadership; exiting so a restart can compete again', { error: err.message });
    stop('lost lease', 1);
  })
    .then((controller) => {
      running = controller;
      if (stopping) void controller.stop();
    })
    .catch((err: unknown) => {
      if (abort.signal.aborted) return;
      log.error('startup failed', { error: errorMessage(err) });
      exit(1);
    });
}

function main(): void {
  let options: ControllerOptions;
  try {
    options = parseFlags(process.argv.slice(2));
  } catch (err: unknown) {
    process.stderr.write(`${errorMessage(err)}\n\n${USAGE}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.version) {
    process.stdout.write(`capi-dcs-controller ${version}\n`);
    return;
  }
  run(options, jsonLogger((line) => process.stderr.write(line), options.logLevel));
}

main();
