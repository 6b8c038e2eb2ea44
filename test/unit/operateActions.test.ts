// Scale, rollout restart, pause/resume, delete machine and roll back: the patches and the reasons to refuse.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OperateAnnotations } from '../../src/operate/ids';
import { planDeleteMachine, planPause, planRestart, planRollback, planScale, previousTemplate } from '../../src/operate/rolloutActions';
import { exampleState, find, machineSet } from './operateFixtures';

describe('rollout actions', () => {
  const state = exampleState();
  const kcp = state.controlPlane;
  const md = find(state.deployments, 'MachineDeployment');
  assert.ok(kcp);

  it('scales, refusing an even stacked-etcd control plane and warning about the pool size', () => {
    const up = planScale(md, 4, state);
    assert.deepEqual(up.patch, { spec: { replicas: 4 } });
    assert.deepEqual(up.errors, []);
    assert.match(up.warnings.join(), /IP pool of its template has 2 entries/);
    assert.match(planScale(kcp, 4, state).errors.join(), /odd number of machines \(3 or 5\)/);
    assert.deepEqual(planScale(kcp, 5, state).errors, []);
    assert.match(planScale(md, 2, state).errors.join(), /already has 2 replicas/);
    assert.match(planScale(md, 1, state).warnings.join(), /1 machine will be drained and deleted/);
    assert.match(planScale(md, -1, state).errors.join(), /not a number of replicas/);
  });

  it('restarts with rollout.after (v1beta2) or rolloutAfter (v1beta1)', () => {
    const now = new Date('2026-11-25T10:00:00.123Z');
    assert.deepEqual(planRestart(md, now).patch, { spec: { rollout: { after: '2026-11-25T10:00:00Z' } } });
    const old = { ...kcp, apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', spec: { version: 'v1.34.5', machineTemplate: { infrastructureRef: { name: 'x' } } } };
    const restart = planRestart(old, now);
    assert.deepEqual(restart.patch, { spec: { rolloutAfter: '2026-11-25T10:00:00Z' } });
    assert.equal(restart.ref.apiVersion, 'controlplane.cluster.x-k8s.io/v1beta1');
  });

  it('pauses and resumes the Cluster', () => {
    assert.deepEqual(planPause(state.cluster, true).patch, { spec: { paused: true } });
    assert.deepEqual(planPause(state.cluster, false).errors, ['Cluster lab-b is already running (not paused).']);
    const paused = { ...state.cluster, spec: { ...(state.cluster.spec as object), paused: true } };
    assert.deepEqual(planPause(paused, false).patch, { spec: { paused: null } });
    // Paused by annotation, as the explorer shows it: Resume is the action that applies, and it drops the annotation.
    const annotated = { ...state.cluster, metadata: { ...state.cluster.metadata, annotations: { 'cluster.x-k8s.io/paused': '' } } };
    assert.deepEqual(planPause(annotated, true).errors, ['Cluster lab-b is already paused.']);
    assert.deepEqual(planPause(annotated, false).patch, { spec: { paused: null }, metadata: { annotations: { 'cluster.x-k8s.io/paused': null } } });
  });

  it('deletes a machine for remediation, but never the only control-plane machine', () => {
    const worker = state.machines.find((m) => m.metadata.name === 'lab-b-md-0-abcde-h5k2p');
    const cpMachine = state.machines.find((m) => m.metadata.name === 'lab-b-kcp-7x2lq');
    assert.ok(worker && cpMachine);
    const plan = planDeleteMachine(worker, state);
    assert.equal(plan.patch, undefined);
    assert.deepEqual(plan.errors, []);
    assert.match(plan.warnings.join(' '), /MachineSet creates a replacement.*system disk/);
    const single = exampleState((objects) => {
      (find(objects, 'KubeadmControlPlane').spec as { replicas: number }).replicas = 1;
    });
    assert.match(planDeleteMachine(cpMachine, single).errors.join(), /only control-plane machine/);
  });

  it('rolls back to the template our upgrade recorded, else to the newest older MachineSet', () => {
    const upgraded = {
      ...md,
      metadata: { ...md.metadata, annotations: { [OperateAnnotations.previous]: '{"name":"lab-b-wk-k8s1345","version":"v1.34.5-3"}' } },
      spec: { ...(md.spec as object), template: { spec: { version: 'v1.34.5-4', infrastructureRef: { name: 'lab-b-wk-k8s1345-v2' } } } },
    };
    const withNew = exampleState((objects) => {
      const t = structuredClone(find(objects, 'DCSMachineTemplate', 'lab-b-wk-k8s1345'));
      objects.push({ ...t, metadata: { ...t.metadata, name: 'lab-b-wk-k8s1345-v2' } });
    });
    const back = planRollback(upgraded, withNew);
    assert.deepEqual(back.errors, []);
    assert.deepEqual(back.patch, {
      metadata: { annotations: { [OperateAnnotations.previous]: '{"name":"lab-b-wk-k8s1345-v2","version":"v1.34.5-4"}' } },
      spec: { template: { spec: { infrastructureRef: { name: 'lab-b-wk-k8s1345' }, version: 'v1.34.5-3' } } },
    });
    const fromSets = { ...withNew, machineSets: [machineSet('a', 'lab-b-md-0', 'old-1', 'v1.34.1', 1), machineSet('b', 'lab-b-md-0', 'old-2', 'v1.34.2', 2), machineSet('c', 'lab-b-md-0', 'lab-b-wk-k8s1345', 'v1.34.5-3', 3)] };
    assert.deepEqual(previousTemplate(md, fromSets), { name: 'old-2', version: 'v1.34.2' });
    assert.match(planRollback(md, fromSets).errors.join(), /previous template old-2 no longer exists/);
    assert.match(planRollback(md, { ...withNew, machineSets: [] }).errors.join(), /No previous template is known/);
  });
});
