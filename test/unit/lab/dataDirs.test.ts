import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cleanStaleDataDirs, createDataDir, DATA_DIR_PREFIX, LAB_RECORD_FILE, type LabRecord } from '../../../src/lab/dataDirs';
import { DataDirInUseError, LabError } from '../../../src/lab/errors';
import { isAlive } from '../../../src/lab/processes';

const SLEEP = '/usr/bin/sleep';

describe('lab data folders left behind by a crash', () => {
  let parent = '';
  const children: ChildProcess[] = [];
  before(() => {
    parent = mkdtempSync(join(tmpdir(), 'capi-dcs-datadirs-test-'));
  });
  after(() => {
    for (const child of children) if (child.pid !== undefined && isAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    rmSync(parent, { recursive: true, force: true });
  });

  /** A PID that belonged to a process that has ended. */
  async function deadPid(): Promise<number> {
    const child = spawn('true');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.ok(child.pid !== undefined && !isAlive(child.pid));
    return child.pid;
  }

  function startSleeper(): number {
    const child = spawn(SLEEP, ['300'], { detached: true, stdio: 'ignore' });
    children.push(child);
    assert.ok(child.pid !== undefined);
    return child.pid;
  }

  function labDir(name: string, record: LabRecord | undefined): string {
    const dir = join(parent, `${DATA_DIR_PREFIX}${name}`);
    mkdirSync(join(dir, 'etcd'), { recursive: true });
    if (record) writeFileSync(join(dir, LAB_RECORD_FILE), JSON.stringify(record));
    return dir;
  }

  it('removes a folder whose owner died and ends its servers that still run our binary', async () => {
    const server = startSleeper();
    const dir = labDir('crashed', { ownerPid: await deadPid(), createdAt: '', processes: [{ name: 'etcd', pid: server, binary: SLEEP }] });
    const lines: string[] = [];
    const removed = await cleanStaleDataDirs(parent, (line) => lines.push(line));
    assert.deepEqual(removed, [dir]);
    assert.ok(!existsSync(dir));
    assert.ok(!isAlive(server), 'the leftover server was ended');
    assert.ok(lines.some((l) => l.includes(dir) && l.includes('crashed run')), lines.join('\n'));
  });

  it('never ends a process whose PID now runs another program', async () => {
    const stranger = startSleeper();
    const dir = labDir('reused-pid', { ownerPid: await deadPid(), createdAt: '', processes: [{ name: 'etcd', pid: stranger, binary: '/not/our/etcd' }] });
    await cleanStaleDataDirs(parent);
    assert.ok(!existsSync(dir));
    assert.ok(isAlive(stranger), 'a process that is not our binary is left alone');
  });

  it('keeps folders of running planes and folders just being created', async () => {
    const live = labDir('live', { ownerPid: process.pid, createdAt: '', processes: [] });
    const fresh = labDir('fresh', undefined);
    const old = labDir('old-unrecorded', undefined);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(old, longAgo, longAgo);
    const removed = await cleanStaleDataDirs(parent);
    assert.deepEqual(removed, [old]);
    assert.ok(existsSync(live) && existsSync(fresh));
  });

  it('refuses a requested folder that a running plane owns or that holds other files', async () => {
    const sleeper = startSleeper();
    const owned = labDir('owned', { ownerPid: sleeper, createdAt: '', processes: [] });
    await assert.rejects(createDataDir(owned, parent), DataDirInUseError);
    const foreign = join(parent, 'my-files');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'keep me');
    await assert.rejects(createDataDir(foreign, parent), (err: unknown) => err instanceof LabError && err.message.includes('not a lab data folder'));
    assert.ok(existsSync(join(foreign, 'notes.txt')));
  });

  it('reclaims a requested folder left by a crashed run', async () => {
    const dir = labDir('requested', { ownerPid: await deadPid(), createdAt: '', processes: [] });
    writeFileSync(join(dir, 'etcd', 'stale-member'), 'x');
    assert.equal(await createDataDir(dir, parent), dir);
    assert.ok(!existsSync(join(dir, 'etcd', 'stale-member')), 'old contents removed');
    assert.ok(existsSync(join(dir, LAB_RECORD_FILE)));
  });
});
