import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultFaults, faultPatchFromFlags, isDatastoreExhausted, mergeFaults, slowFactor, takeTaskFault } from '../../src/simulator/faults';
import { ShapeError } from '../../src/simulator/json';

describe('simulator faults', () => {
  it('merges counters per kind and replaces lists', () => {
    const a = mergeFaults(defaultFaults(), { failNext: { clone: 2 }, exhaustedDatastores: ['ds-a'] });
    const b = mergeFaults(a, { failNext: { start: 1 }, exhaustedDatastores: ['ds-b'] });
    assert.deepEqual(b.failNext, { clone: 2, start: 1 });
    assert.deepEqual(b.exhaustedDatastores, ['ds-b']);
    assert.deepEqual(mergeFaults(b, { failNext: { clone: 0 } }).failNext, { start: 1 }, '0 removes a counter');
    assert.deepEqual(a.failNext, { clone: 2 }, 'the input is not modified');
  });

  it('names the bad field of a patch', () => {
    assert.throws(() => mergeFaults(defaultFaults(), { failNext: { warp: 1 } }), /failNext\.warp: unknown task kind/);
    assert.throws(() => mergeFaults(defaultFaults(), { failNext: { clone: 1.5 } }), /whole number/);
    assert.throws(() => mergeFaults(defaultFaults(), { stuckProgress: 100 }), /at most 99/);
    assert.throws(() => mergeFaults(defaultFaults(), { bogus: true }), /unknown fault bogus/);
    assert.throws(() => mergeFaults(defaultFaults(), 'x'), ShapeError);
  });

  it('consumes failures before stuck tasks, one per task', () => {
    const faults = mergeFaults(defaultFaults(), { failNext: { clone: 1 }, stickNext: { clone: 1 } });
    assert.equal(takeTaskFault(faults, 'clone'), 'fail');
    assert.equal(takeTaskFault(faults, 'clone'), 'stick');
    assert.equal(takeTaskFault(faults, 'clone'), undefined);
    assert.equal(takeTaskFault(faults, 'start'), undefined);
    assert.deepEqual([faults.failNext, faults.stickNext], [{}, {}]);
  });

  it('reports exhausted datastores and slow hosts', () => {
    const faults = mergeFaults(defaultFaults(), { exhaustedDatastores: ['ds-gold'], slowHosts: { 'CNA-02': 3, 'CNA-03': 1 } });
    assert.equal(isDatastoreExhausted(faults, 'ds-gold'), true);
    assert.equal(isDatastoreExhausted(faults, 'ds-gold-2'), false);
    assert.equal(slowFactor(faults, 'CNA-02'), 3);
    assert.equal(slowFactor(faults, 'CNA-03'), 1);
    assert.equal(slowFactor(faults, undefined), 1);
    assert.deepEqual(faults.slowHosts, { 'CNA-02': 3 });
  });

  it('turns CLI flags into a patch', () => {
    const patch = faultPatchFromFlags({ failNext: ['clone=2,start=1'], stickNext: [], exhaustDatastore: ['ds-a', 'ds-b'], slowHost: ['CNA-01=5'] });
    assert.deepEqual(patch, { failNext: { clone: 2, start: 1 }, slowHosts: { 'CNA-01': 5 }, exhaustedDatastores: ['ds-a', 'ds-b'] });
    assert.deepEqual(mergeFaults(defaultFaults(), patch).failNext, { clone: 2, start: 1 });
    assert.throws(() => faultPatchFromFlags({ failNext: ['clone'], stickNext: [], exhaustDatastore: [], slowHost: [] }), /NAME=NUMBER/);
  });
});
