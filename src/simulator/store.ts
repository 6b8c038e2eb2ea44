// Holds the state in memory and, when given a file, persists it as JSON with an atomic write
// (temp file, fsync, rename) so a crash or restart never leaves a torn or stale file.

import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { isObject } from './json';
import type { SimState } from './model';

export class StateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateFileError';
  }
}

export class Store {
  private constructor(
    readonly file: string | undefined,
    private current: SimState,
    readonly loadedFromFile: boolean,
  ) {}

  /** Loads `file` when it exists, else starts from `seed()`; refuses a file it cannot read. */
  static open(file: string | undefined, seed: () => SimState): Store {
    if (file === undefined || !existsSync(file)) {
      const store = new Store(file, seed(), false);
      store.save();
      return store;
    }
    return new Store(file, readStateFile(file), true);
  }

  get state(): SimState {
    return this.current;
  }

  replace(state: SimState): void {
    this.current = state;
    this.save();
  }

  save(): void {
    if (this.file === undefined) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(this.current));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(tmp, this.file);
    } catch (err: unknown) {
      unlinkSync(tmp);
      throw err;
    }
  }
}

function readStateFile(file: string): SimState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err: unknown) {
    throw new StateFileError(`state file ${file} is not readable JSON (${err instanceof Error ? err.message : String(err)}); move it away to start fresh`);
  }
  if (!isObject(parsed) || parsed.schema !== 1 || !isObject(parsed.site) || !isObject(parsed.vms) || !isObject(parsed.faults)) {
    throw new StateFileError(`state file ${file} is not a capi-dcs-sim state (schema 1); move it away to start fresh`);
  }
  return parsed as unknown as SimState;
}
