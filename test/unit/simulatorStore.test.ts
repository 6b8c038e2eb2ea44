import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedState } from '../../src/simulator/seed';
import { Simulator } from '../../src/simulator/simulator';
import { StateFileError, Store } from '../../src/simulator/store';
import { fixtureInventory, Harness } from '../fixtures/simulator/harness';

describe('simulator store', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sim-store-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds, saves and loads the same state', () => {
    const file = join(dir, 'a.json');
    const seeded = Store.open(file, () => seedState(fixtureInventory(), 1));
    assert.equal(seeded.loadedFromFile, false);
    seeded.state.faults.failNext = { clone: 2 };
    seeded.save();
    const loaded = Store.open(file, () => {
      throw new Error('must not seed when the file exists');
    });
    assert.equal(loaded.loadedFromFile, true);
    assert.deepEqual(loaded.state, JSON.parse(JSON.stringify(seeded.state)), 'undefined fields are simply absent on disk');
    assert.deepEqual(loaded.state.faults.failNext, { clone: 2 });
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp')), [], 'no temp file is left behind');
  });

  it('replaces the file atomically with the new content', () => {
    const file = join(dir, 'b.json');
    const store = Store.open(file, () => seedState(fixtureInventory(), 1));
    store.replace({ ...store.state, nextId: 4242 });
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { nextId: number }).nextId, 4242);
  });

  it('refuses a corrupt or foreign state file instead of overwriting it', () => {
    const corrupt = join(dir, 'c.json');
    writeFileSync(corrupt, '{"schema":');
    assert.throws(() => Store.open(corrupt, () => seedState(fixtureInventory(), 1)), StateFileError);
    const foreign = join(dir, 'd.json');
    writeFileSync(foreign, '{"schema":2}');
    assert.throws(() => Store.open(foreign, () => seedState(fixtureInventory(), 1)), /not a capi-dcs-sim state/);
    assert.equal(readFileSync(foreign, 'utf8'), '{"schema":2}');
  });

  it('finishes, on restart, the tasks that fell due while the simulator was down', () => {
    const file = join(dir, 'restart.json');
    const h = new Harness({ stateFile: file });
    h.login();
    const clone = h.ok('POST', `/vms/${h.templateId()}/action/clone`, { name: 'mid-flight', vmConfig: {} });
    const later = h.clock.now + 60_000;
    const restarted = new Simulator({ inventory: fixtureInventory(), stateFile: file, clock: () => later });
    const vmId = String(clone.urn).split(':').pop() ?? '';
    assert.equal(restarted.store.state.vms[vmId]?.status, 'running');
    const taskId = String(clone.taskUrn).split(':').pop() ?? '';
    assert.equal(restarted.store.state.tasks[taskId]?.status, 'success');
    assert.equal(Object.keys(restarted.store.state.sessions).length, 1, 'sessions survive too (as hashes)');
  });

  it('keeps state in memory only without a file', () => {
    const store = Store.open(undefined, () => seedState(fixtureInventory(), 1));
    store.save();
    assert.equal(store.file, undefined);
    assert.equal(store.state.site.id, 'SIM0001A');
  });
});
