// Scale, rollout restart, pause/resume and delete machine against the real API server: each plan's merge
// patch is previewed with a dry run (nothing changes), then sent, and the server holds the result.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { readClusterState } from '../../src/operate/clusterState';
import { OPERATE_FIELD_MANAGER } from '../../src/operate/ids';
import type { KubeObject, ObjectApi } from '../../src/operate/objectApi';
import { planDeleteMachine, planPause, planRestart, planScale, type ActionPlan } from '../../src/operate/rolloutActions';
import { NS } from '../unit/operateFixtures';
import { applyExample, createMachines, objectApi } from './operateLab';

describe('rollout actions against the real API server', () => {
  let plane: ManagementPlane;
  let api: ObjectApi;

  before(async () => {
    plane = await startManagementPlane({ crds: true });
    api = objectApi(plane.kubeconfigPath);
    await applyExample(api);
    await createMachines(api);
  });

  after(async () => {
    await plane.stop();
  });

  async function send(plan: ActionPlan): Promise<KubeObject> {
    assert.deepEqual(plan.errors, []);
    assert.ok(plan.patch);
    const before = await api.get(plan.ref);
    const dry = await api.mergePatch(plan.ref, plan.patch, { dryRun: true, fieldManager: OPERATE_FIELD_MANAGER });
    assert.equal((await api.get(plan.ref))?.metadata.resourceVersion, before?.metadata.resourceVersion, 'the dry run changes nothing');
    await api.mergePatch(plan.ref, plan.patch, { fieldManager: OPERATE_FIELD_MANAGER });
    const after = await api.get(plan.ref);
    assert.ok(after);
    assert.deepEqual(after.spec, dry.spec, 'the server holds what the preview showed');
    return after;
  }

  it('scales the worker pool and the control plane', async () => {
    const state = await readClusterState(api, NS, 'lab-b');
    const [deployment] = state.deployments;
    assert.ok(deployment);
    const md = await send(planScale(deployment, 1, state));
    assert.equal((md.spec as { replicas: number }).replicas, 1);
    assert.ok(state.controlPlane);
    const kcp = await send(planScale(state.controlPlane, 5, state));
    assert.equal((kcp.spec as { replicas: number }).replicas, 5);
  });

  it('restarts a rollout with spec.rollout.after', async () => {
    const state = await readClusterState(api, NS, 'lab-b');
    const [deployment] = state.deployments;
    assert.ok(deployment);
    const md = await send(planRestart(deployment, new Date('2026-11-25T12:00:00Z')));
    assert.deepEqual((md.spec as { rollout: unknown }).rollout, { after: '2026-11-25T12:00:00Z', strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } });
  });

  it('pauses and resumes the cluster', async () => {
    const paused = await send(planPause((await readClusterState(api, NS, 'lab-b')).cluster, true));
    assert.equal((paused.spec as { paused?: boolean }).paused, true);
    const resumed = await send(planPause((await readClusterState(api, NS, 'lab-b')).cluster, false));
    assert.equal((resumed.spec as { paused?: boolean }).paused, undefined);
    // Paused by the annotation only (the explorer shows it paused): Resume removes it.
    const cluster = (await readClusterState(api, NS, 'lab-b')).cluster;
    await api.mergePatch({ apiVersion: cluster.apiVersion, kind: 'Cluster', namespace: NS, name: 'lab-b' }, { metadata: { annotations: { 'cluster.x-k8s.io/paused': '' } } }, { fieldManager: 'someone-else' });
    const unannotated = await send(planPause((await readClusterState(api, NS, 'lab-b')).cluster, false));
    assert.equal(unannotated.metadata.annotations?.['cluster.x-k8s.io/paused'], undefined);
  });

  it('deletes a machine', async () => {
    const state = await readClusterState(api, NS, 'lab-b');
    const machine = state.machines.find((m) => m.metadata.name === 'lab-b-md-0-abcde-h5k2p');
    assert.ok(machine);
    const plan = planDeleteMachine(machine, state);
    assert.deepEqual(plan.errors, []);
    await api.delete(plan.ref, { dryRun: true });
    assert.ok(await api.get(plan.ref), 'a dry-run delete keeps the machine');
    await api.delete(plan.ref, {});
    assert.equal(await api.get(plan.ref), undefined);
  });
});
