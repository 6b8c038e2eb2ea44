import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DcsCodes } from '../../src/shared/dcs/errors';
import { ApiError } from '../../src/simulator/apiError';
import { mergeFaults } from '../../src/simulator/faults';
import type { TaskRecord } from '../../src/simulator/model';
import { seedState } from '../../src/simulator/seed';
import { Store } from '../../src/simulator/store';
import { TaskEngine } from '../../src/simulator/tasks';
import { fixtureInventory } from '../fixtures/simulator/harness';

function engine(perKindMs: Record<string, number> = {}): { tasks: TaskEngine; store: Store; clock: { now: number }; log: string[] } {
  const clock = { now: 1_000 };
  const store = Store.open(undefined, () => seedState(fixtureInventory(), 0));
  const tasks = new TaskEngine(store, { latencyMs: 100, perKindMs }, () => clock.now);
  const log: string[] = [];
  tasks.register('start', {
    complete: (t) => {
      if (t.entityName === 'explodes') throw new ApiError(409, DcsCodes.wrongState, 'boom');
      log.push(`complete ${t.id}`);
    },
    fail: (t) => log.push(`fail ${t.id}`),
  });
  return { tasks, store, clock, log };
}

const start = (tasks: TaskEngine, entityName = 'vm', hostName?: string): TaskRecord =>
  tasks.start({ payload: { kind: 'start', vmId: 'i-1' }, entityUrn: 'urn:sites:SIM0001A:vms:i-1', entityName, user: 'u', hostName });

describe('simulator tasks', () => {
  it('completes a task when due and reports progress until then', () => {
    const { tasks, clock, log } = engine();
    const task = start(tasks);
    clock.now += 40;
    assert.equal(tasks.tick(), 0);
    assert.deepEqual([tasks.view(task).status, tasks.view(task).progress], ['running', 40]);
    clock.now += 60;
    assert.equal(tasks.tick(), 1);
    const done = tasks.view(task);
    assert.deepEqual([done.status, done.progress, done.reason], ['success', 100, '']);
    assert.ok(done.finishTime >= done.startTime);
    assert.deepEqual(log, [`complete ${task.id}`]);
  });

  it('uses the per-kind latency and the slow-host factor', () => {
    const { tasks, store, clock } = engine({ start: 300 });
    store.state.faults = mergeFaults(store.state.faults, { slowHosts: { 'CNA-02': 2 } });
    const slow = start(tasks, 'vm', 'CNA-02');
    const normal = start(tasks, 'vm', 'CNA-01');
    assert.equal(slow.dueAt - clock.now, 600);
    assert.equal(normal.dueAt - clock.now, 300);
  });

  it('fails injected tasks through the handler and names the fault', () => {
    const { tasks, store, clock, log } = engine();
    store.state.faults = mergeFaults(store.state.faults, { failNext: { start: 1 } });
    const failing = start(tasks);
    const fine = start(tasks);
    clock.now += 100;
    tasks.tick();
    assert.deepEqual([tasks.view(failing).status, tasks.view(failing).reason], ['failed', DcsCodes.injectedFailure]);
    assert.match(tasks.view(failing).reasonDes, /injected fault/);
    assert.equal(tasks.view(fine).status, 'success');
    assert.deepEqual(log, [`fail ${failing.id}`, `complete ${fine.id}`]);
  });

  it('turns an ApiError from the completion into a failed task', () => {
    const { tasks, clock, log } = engine();
    const task = start(tasks, 'explodes');
    clock.now += 100;
    tasks.tick();
    assert.deepEqual([tasks.view(task).status, tasks.view(task).reason, tasks.view(task).reasonDes], ['failed', DcsCodes.wrongState, 'boom']);
    assert.deepEqual(log, [`fail ${task.id}`]);
  });

  it('holds a stuck task at its progress until released', () => {
    const { tasks, store, clock } = engine();
    store.state.faults = mergeFaults(store.state.faults, { stickNext: { start: 1 }, stuckProgress: 63 });
    const task = start(tasks);
    clock.now += 10_000;
    tasks.tick();
    assert.deepEqual([tasks.view(task).status, tasks.view(task).progress], ['running', 63]);
    tasks.release(task);
    tasks.tick();
    assert.equal(tasks.view(task).status, 'success');
  });

  it('supersedes a running task without calling its handler', () => {
    const { tasks, log } = engine();
    const task = start(tasks);
    tasks.supersede(task, 'replaced');
    assert.deepEqual([tasks.view(task).status, tasks.view(task).reasonDes], ['failed', 'replaced']);
    assert.deepEqual(log, []);
  });

  it('keeps only the newest 500 finished tasks', () => {
    const { tasks, store, clock } = engine();
    for (let i = 0; i < 520; i++) start(tasks);
    clock.now += 100;
    tasks.tick();
    assert.equal(Object.keys(store.state.tasks).length, 500);
  });
});
