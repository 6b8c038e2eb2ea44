import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Condition, ReplicaCounts } from '../../src/explorer/normalize';
import { progressSummary, rolloutProgress, type MachineFacts } from '../../src/explorer/progress';
import { RolloutTracker, type TrackedRollout } from '../../src/explorer/rolloutTracker';

const counts = (desired: number, current: number, upToDate: number, available: number, gen: [number, number] = [1, 1]): ReplicaCounts => ({
  desired, current, upToDate, ready: available, available, generation: gen[0], observedGeneration: gen[1],
});
const c = (type: string, status: Condition['status'], message?: string): Condition => ({ type, status, message });
const m = (name: string, upToDate: boolean | undefined, available: boolean, extra: Partial<MachineFacts> = {}): MachineFacts => ({
  name, upToDate, available, deleting: false, createdAt: `2026-08-01T10:0${name.length % 10}:00Z`, conditions: [], ...extra,
});

describe('rollout progress', () => {
  it('is done when every counter equals desired, RollingOut is False and the generation is observed', () => {
    const p = rolloutProgress({ counts: counts(3, 3, 3, 3), machines: [], conditions: [c('RollingOut', 'False')], paused: false });
    assert.equal(p.active, false);
    assert.equal(p.fraction, 1);
    assert.equal(p.percent, 100);
    assert.equal(p.current, undefined);
  });

  it('counts new = upToDate, old = replicas − upToDate, and the fraction from new available Machines', () => {
    const machines = [m('a', true, true), m('b', true, false), m('c', false, true), m('d', false, true)];
    const p = rolloutProgress({ counts: counts(3, 4, 2, 3), machines, conditions: [c('RollingOut', 'True')], paused: false });
    assert.equal(p.active, true);
    assert.equal(p.newMachines, 2);
    assert.equal(p.oldMachines, 2);
    assert.equal(p.percent, 33, 'one of three desired Machines is new and available');
    assert.deepEqual(p.current, { machine: 'b', action: 'creating' });
    assert.equal(progressSummary(p), '2 new · 2 old · 33%');
  });

  it('names an old Machine being deleted as the one being replaced', () => {
    const machines = [m('new1', true, true), m('old1', false, true, { deleting: true, createdAt: '2026-01-01T00:00:00Z' }), m('old2', false, true)];
    const p = rolloutProgress({ counts: counts(2, 3, 1, 2), machines, conditions: [], paused: false });
    assert.deepEqual(p.current, { machine: 'old1', action: 'deleting' });
  });

  it('stays active while the generation is not observed or the KCP runs two versions', () => {
    assert.equal(rolloutProgress({ counts: counts(3, 3, 3, 3, [2, 1]), machines: [], conditions: [], paused: false }).active, true);
    const kcp = { counts: counts(3, 3, 3, 3), machines: [], conditions: [], paused: false, specVersion: 'v1.34.2' };
    assert.equal(rolloutProgress({ ...kcp, statusVersions: [{ version: 'v1.33.5' }, { version: 'v1.34.2' }] }).active, true);
    assert.equal(rolloutProgress({ ...kcp, statusVersions: [{ version: 'v1.34.2' }] }).active, false);
  });

  it('explains a blocked rollout with ScalingUp, else with the newest Machine\'s failing condition', () => {
    const blocked = rolloutProgress({ counts: counts(3, 3, 1, 3), machines: [], conditions: [c('ScalingUp', 'True', 'MachineSet preflight: ControlPlaneIsStable')], paused: false });
    assert.equal(blocked.blocking, 'ScalingUp: MachineSet preflight: ControlPlaneIsStable');
    const machines = [m('old', false, true, { createdAt: '2026-01-01T00:00:00Z' }), m('new', true, false, { createdAt: '2026-02-01T00:00:00Z', conditions: [c('InfrastructureReady', 'False', 'VM creation failed:\n  quota exceeded')] })];
    const p = rolloutProgress({ counts: counts(1, 2, 1, 1), machines, conditions: [], paused: false });
    assert.equal(p.blocking, 'Machine new InfrastructureReady: VM creation failed: quota exceeded');
    assert.equal(rolloutProgress({ counts: counts(1, 2, 1, 1), machines, conditions: [], paused: true }).blocking, 'Paused');
  });

  it('uses the counters when Machines say nothing about being up to date', () => {
    const p = rolloutProgress({ counts: counts(4, 4, 2, 4), machines: [m('x', undefined, true)], conditions: [], paused: false });
    assert.equal(p.percent, 50);
  });

  it('changes its signature when the rollout moves, and only then', () => {
    const a = rolloutProgress({ counts: counts(3, 4, 1, 3), machines: [], conditions: [], paused: false });
    const same = rolloutProgress({ counts: counts(3, 4, 1, 3), machines: [], conditions: [], paused: false });
    const moved = rolloutProgress({ counts: counts(3, 4, 2, 3), machines: [], conditions: [], paused: false });
    assert.equal(a.signature, same.signature);
    assert.notEqual(a.signature, moved.signature);
  });
});

describe('rollout tracker', () => {
  const active = (key: string, upToDate: number): TrackedRollout => ({
    key, label: key, progress: rolloutProgress({ counts: counts(3, 4, upToDate, 3), machines: [], conditions: [], paused: false }),
  });
  const done = (key: string): TrackedRollout => ({ key, label: key, progress: rolloutProgress({ counts: counts(3, 3, 3, 3), machines: [], conditions: [], paused: false }) });

  it('reports started, then finished once, and ignores rollouts that were never active', () => {
    const t = new RolloutTracker(60_000);
    assert.deepEqual(t.update([done('quiet')], 0), []);
    assert.deepEqual(t.update([active('md', 1)], 0).map((e) => e.type), ['started']);
    assert.deepEqual(t.update([active('md', 2)], 1000), []);
    assert.deepEqual(t.update([done('md')], 2000).map((e) => e.type), ['finished']);
    assert.deepEqual(t.update([done('md')], 3000), []);
    assert.equal(t.active().length, 0);
  });

  it('reports a stall once per stall, after the configured time without progress', () => {
    const t = new RolloutTracker(10_000);
    t.update([active('md', 1)], 0);
    assert.deepEqual(t.update([active('md', 1)], 9_999), []);
    const stuck = t.update([active('md', 1)], 10_000);
    assert.equal(stuck[0]?.type, 'stuck');
    assert.deepEqual(t.update([active('md', 1)], 50_000), [], 'one notification per stall');
    assert.equal(t.active()[0]?.stuck, true);
    t.update([active('md', 2)], 51_000);
    assert.equal(t.active()[0]?.stuck, false, 'progress clears the stuck mark');
    assert.equal(t.update([active('md', 2)], 61_000)[0]?.type, 'stuck', 'a new stall is reported again');
  });

  it('forgets rollouts whose objects vanished without announcing them', () => {
    const t = new RolloutTracker(1000);
    t.update([active('a', 1), active('b', 1)], 0);
    assert.deepEqual(t.update([active('a', 1)], 10), []);
    assert.deepEqual(t.active().map((a) => a.rollout.key), ['a']);
  });

  it('applies a new stuck time to running rollouts', () => {
    const t = new RolloutTracker(60_000);
    t.update([active('md', 1)], 0);
    t.setStuckAfter(1_000);
    assert.equal(t.update([active('md', 1)], 1_000)[0]?.type, 'stuck');
  });
});
