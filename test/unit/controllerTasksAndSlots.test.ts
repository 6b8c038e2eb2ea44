// DCS task tracking (started once, polled inline then later, failures surfaced once) and the
// slot allocator (first free entry, never one entry for two machines, annotations as claims).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DCSIpHostnamePool, DCSMachine } from '../../src/shared/api/dcs.generated';
import type { DcsClient } from '../../src/shared/dcs/client';
import { DcsNotFoundError, DcsTaskFailedError } from '../../src/shared/dcs/errors';
import type { DcsTask, TaskRef } from '../../src/shared/dcs/types';
import { Informer } from '../../src/controller/runtime/informer';
import type { KubeClient } from '../../src/controller/runtime/kubeClient';
import { jsonLogger } from '../../src/controller/runtime/log';
import { PoolStatusWriter } from '../../src/controller/services/poolStatusWriter';
import { POOL_INDEX, SlotAllocator } from '../../src/controller/services/slotClaims';
import { TaskTracker } from '../../src/controller/services/taskTracker';

function fakeDcs(states: (DcsTask['status'] | 'gone')[]): { dcs: DcsClient; polls: () => number } {
  let polls = 0;
  const getTask = (): Promise<DcsTask> => {
    const state = states[Math.min(polls, states.length - 1)] ?? 'success';
    polls++;
    if (state === 'gone') return Promise.reject(new DcsNotFoundError('task gone'));
    return Promise.resolve({ urn: 'urn:t', uri: '/t', type: 'clone', entityUrn: '', entityName: 'vm-1', status: state, progress: 50, reason: state === 'failed' ? '10000599' : '', reasonDes: 'injected', startTime: '', finishTime: '', user: '' });
  };
  return { dcs: { getTask } as unknown as DcsClient, polls: () => polls };
}

const ref: TaskRef = { taskUrn: 'urn:t', taskUri: '/t' };

describe('TaskTracker', () => {
  it('starts a step once and reports it pending when it outlasts the inline wait, done later', async () => {
    const tracker = new TaskTracker({ inlineWaitMs: 30, firstPollMs: 5, maxPollMs: 10 });
    const { dcs } = fakeDcs(['running', 'running', 'running', 'running', 'running', 'running', 'success']);
    let started = 0;
    const start = (): Promise<TaskRef> => {
      started++;
      return Promise.resolve(ref);
    };
    assert.equal(await tracker.run(dcs, 'uid', 'clone', start), 'pending');
    assert.ok(tracker.has('uid', 'clone'));
    let outcome = await tracker.run(dcs, 'uid', 'clone', start);
    while (outcome === 'pending') outcome = await tracker.resume(dcs, 'uid', 'clone');
    assert.equal(outcome, 'done');
    assert.equal(started, 1, 'never started twice');
    assert.ok(!tracker.has('uid', 'clone'));
  });

  it('surfaces a failed task once with its DCS code, then forgets it', async () => {
    const tracker = new TaskTracker({ inlineWaitMs: 100, firstPollMs: 1, maxPollMs: 1 });
    const { dcs } = fakeDcs(['failed']);
    await assert.rejects(tracker.run(dcs, 'uid', 'start', () => Promise.resolve(ref)), (err: unknown) => err instanceof DcsTaskFailedError && err.code === '10000599' && err.message.includes('task clone on vm-1 failed: injected'));
    assert.ok(!tracker.has('uid', 'start'));
    assert.equal(await tracker.resume(dcs, 'uid', 'start'), 'done', 'nothing tracked any more');
  });

  it('treats a task DCS no longer knows as done, so the caller looks at the resource again', async () => {
    const tracker = new TaskTracker({ inlineWaitMs: 100, firstPollMs: 1, maxPollMs: 1 });
    assert.equal(await tracker.run(fakeDcs(['gone']).dcs, 'uid', 'delete', () => Promise.resolve(ref)), 'done');
  });
});

describe('SlotAllocator', () => {
  const silent = jsonLogger(() => undefined);
  const noClient = {} as unknown as KubeClient;
  const pool: DCSIpHostnamePool = {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'DCSIpHostnamePool',
    metadata: { name: 'pool', namespace: 'ns', resourceVersion: '1' },
    spec: { pool: [{ ip: '127.0.0.2' }, { ip: '127.0.0.3' }, { ip: '127.0.0.4' }] },
    status: { allocations: [{ ip: '127.0.0.2', dcsMachineName: 'kept', dcsMachineUID: 'u-kept' }] },
  };
  const machine = (name: string, annotation?: string): DCSMachine => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'DCSMachine',
    metadata: { name, namespace: 'ns', uid: `u-${name}`, resourceVersion: '1', ...(annotation ? { annotations: { 'capi-dcs.io/pool-entry': annotation } } : {}) },
    spec: { vmTemplateName: 't', ipHostPoolRef: { name: 'pool' }, vmConfig: { dcsMachineCpuSpec: { quantity: 1 }, dcsMachineMemorySpec: { quantity: 1 } } },
  });
  const setup = (machines: DCSMachine[]): SlotAllocator => {
    const pools = new Informer<DCSIpHostnamePool>(noClient, { group: 'g', version: 'v', plural: 'pools', kind: 'P' }, 'ns', silent);
    const dcsMachines = new Informer<DCSMachine>(noClient, { group: 'g', version: 'v', plural: 'machines', kind: 'M' }, 'ns', silent);
    dcsMachines.addIndex(POOL_INDEX, (m) => [`${m.metadata.namespace ?? ''}/${m.spec.ipHostPoolRef.name}`]);
    pools.recordWrite(pool);
    for (const m of machines) dcsMachines.recordWrite(m);
    return new SlotAllocator(pools, dcsMachines, new PoolStatusWriter(noClient, pools));
  };

  it('skips entries held by the pool status, by annotations and by reservations in flight', () => {
    const slots = setup([machine('a', 'pool/127.0.0.3')]);
    const b = slots.reserve(machine('b'));
    assert.equal(b.claim?.entry.ip, '127.0.0.4');
    const c = slots.reserve(machine('c'));
    assert.ok(c.claim === undefined);
    assert.deepEqual([c.used, c.size], [3, 3], 'exhaustion reports the counts');
    slots.unreserve(machine('b'), '127.0.0.4');
    assert.equal(slots.reserve(machine('c')).claim?.entry.ip, '127.0.0.4');
  });

  it('returns the held slot from the annotation and refuses one whose entry left the pool', () => {
    const slots = setup([]);
    assert.equal(slots.held(machine('a', 'pool/127.0.0.3'))?.allocation.dcsMachineUID, 'u-a');
    assert.equal(slots.held(machine('a')), undefined);
    assert.throws(() => slots.held(machine('a', 'pool/127.0.0.99')), /no longer in pool pool/);
  });

  it('adopts an allocation recorded for the machine before it was annotated', () => {
    const slots = setup([]);
    const kept = machine('kept');
    assert.equal(slots.reserve(kept).claim?.entry.ip, '127.0.0.2');
  });
});
