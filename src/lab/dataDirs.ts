// Data folders of lab runs. Each holds lab.json naming the owning Node process and the servers it
// started, so a later run can tell a folder left behind by a crash (owner gone) and clean it up.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUseError, LabError } from './errors';
import { isAlive, processExecutable, stopStrayProcess } from './processes';

export const DATA_DIR_PREFIX = 'capi-dcs-mgmt-';
export const LAB_RECORD_FILE = 'lab.json';

/** A folder without lab.json this old is a run that crashed right after creating it. */
const UNRECORDED_GRACE_MS = 60_000;
const STRAY_GRACE_MS = 5_000;

export interface LabRecord {
  readonly ownerPid: number;
  readonly createdAt: string;
  readonly processes: readonly { readonly name: string; readonly pid: number; readonly binary: string }[];
}

/** Makes the data folder (a fresh one under `parent`, or the caller's) and records this process as owner. */
export async function createDataDir(requested: string | undefined, parent = tmpdir(), log: (line: string) => void = () => undefined): Promise<string> {
  let dir: string;
  if (requested === undefined) {
    dir = await mkdtemp(join(parent, DATA_DIR_PREFIX));
  } else {
    dir = requested;
    await reclaimRequestedDir(dir, log);
    await mkdir(dir, { recursive: true, mode: 0o700 });
  }
  await writeRecord(dir, { ownerPid: process.pid, createdAt: new Date().toISOString(), processes: [] });
  return dir;
}

export async function recordProcesses(dir: string, processes: LabRecord['processes']): Promise<void> {
  const record = await readRecord(dir);
  await writeRecord(dir, { ownerPid: process.pid, createdAt: record?.createdAt ?? new Date().toISOString(), processes });
}

/** Removes lab data folders under `parent` whose owner has died, ending their leftover servers first. */
export async function cleanStaleDataDirs(parent = tmpdir(), log: (line: string) => void = () => undefined): Promise<string[]> {
  const removed: string[] = [];
  const names = await readdir(parent).catch(() => []);
  for (const name of names.filter((n) => n.startsWith(DATA_DIR_PREFIX))) {
    const dir = join(parent, name);
    const record = await readRecord(dir);
    if (record === undefined) {
      // Gone meanwhile (its owner stopped) or just being created: not ours to remove.
      const modified = await stat(dir).then((s) => s.mtimeMs, () => Date.now());
      if (Date.now() - modified < UNRECORDED_GRACE_MS) continue;
    } else if (isAlive(record.ownerPid)) {
      continue;
    }
    await removeStale(dir, record, log);
    removed.push(dir);
  }
  return removed;
}

async function reclaimRequestedDir(dir: string, log: (line: string) => void): Promise<void> {
  if (!existsSync(dir)) return;
  const record = await readRecord(dir);
  if (record === undefined) {
    if ((await readdir(dir)).length === 0) return;
    // stop() deletes the data folder: never adopt a folder of someone else's files.
    throw new LabError(`Data folder ${dir} is not empty and is not a lab data folder (no ${LAB_RECORD_FILE}); choose an empty folder.`);
  }
  if (record.ownerPid !== process.pid && isAlive(record.ownerPid)) throw new DataDirInUseError(dir, record.ownerPid);
  await removeStale(dir, record, log);
}

async function removeStale(dir: string, record: LabRecord | undefined, log: (line: string) => void): Promise<void> {
  for (const proc of record?.processes ?? []) {
    // Only a process that still runs our binary: the PID may belong to something else by now.
    if (isAlive(proc.pid) && processExecutable(proc.pid) === proc.binary) {
      log(`[mgmt-plane] ending ${proc.name} (pid ${proc.pid}) left running by a crashed run`);
      await stopStrayProcess(proc.pid, STRAY_GRACE_MS);
    }
  }
  await rm(dir, { recursive: true, force: true });
  const owner = record ? `owner pid ${record.ownerPid} is gone` : 'never recorded an owner';
  log(`[mgmt-plane] removed data folder left behind by a crashed run: ${dir} (${owner})`);
}

async function readRecord(dir: string): Promise<LabRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, LAB_RECORD_FILE), 'utf8')) as Partial<LabRecord>;
    if (typeof parsed.ownerPid !== 'number') return undefined;
    return { ownerPid: parsed.ownerPid, createdAt: String(parsed.createdAt), processes: Array.isArray(parsed.processes) ? parsed.processes : [] };
  } catch {
    return undefined;
  }
}

async function writeRecord(dir: string, record: LabRecord): Promise<void> {
  // Write then rename: a reader never sees half a file.
  const path = join(dir, LAB_RECORD_FILE);
  await writeFile(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}
