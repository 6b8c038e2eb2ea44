// The cluster explorer against the real local API server: informers list and watch CAPI v1beta2 and
// DCS v1beta1 objects; the tree model and its labels follow creates, changes and deletes;
// a user whose RBAC forbids some kinds gets clear items instead of a crash.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import * as L from '../../src/explorer/labels';
import type { ClusterModel } from '../../src/explorer/modelTypes';
import { ExplorerSession } from '../../src/explorer/session';
import { childrenOf, type Element } from '../../src/explorer/tree';
import { loadKubeConfig } from '../../src/kube/kubeconfig';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { clusterScenario, cond, type Obj } from '../unit/explorerFixtures';
import { applyAll, applyObject, applyStatus, deleteObject, ensureNamespace, loadKubeconfig, waitUntil } from './explorerLab';

const NS = 'fleet';
const CONTEXT = 'capi-dcs-lab';

function sessionFor(kubeconfigPath: string): ExplorerSession {
  const session = new ExplorerSession({ loadKubeConfig: () => loadKubeConfig(kubeconfigPath), shownContexts: () => [], informerOptions: { coalesceMs: 50 } });
  session.connect(CONTEXT);
  return session;
}

function clusterIn(session: ExplorerSession, name: string): ClusterModel | undefined {
  return session.view(CONTEXT)?.model?.clusters.find((c) => c.name === name);
}

const labels = (session: ExplorerSession, e: Element): string[] =>
  childrenOf(session, e).map((c) => (c.type === 'message' ? c.label : c.type === 'cluster' ? c.cluster.name : c.type));

describe('cluster explorer against the real API server', () => {
  let plane: ManagementPlane;
  let admin: KubeConfig;
  let session: ExplorerSession;
  const scenario = clusterScenario(NS, 'alpha', { cp: 3, workers: 3, mdUpToDate: 1 });
  const find = (kind: string, name: string): Obj => {
    const o = scenario.objects.find((x) => x.kind === kind && x.metadata.name === name);
    assert.ok(o, `${kind} ${name} in the scenario`);
    return o;
  };

  before(async () => {
    plane = await startManagementPlane({ crds: true });
    admin = loadKubeconfig(plane.kubeconfigPath);
    await ensureNamespace(admin, NS);
    session = sessionFor(plane.kubeconfigPath);
    await waitUntil('the informers to sync', () => session.view(CONTEXT)?.state === 'ready', 30_000);
  });

  after(async () => {
    session.dispose();
    await plane.stop();
  });

  it('shows created objects with their labels, states and rollout figures', async () => {
    await applyAll(admin, scenario.objects);
    // Objects and their status arrive in separate writes: wait for the last status (the pool's) and the counters.
    await waitUntil('alpha with its Machines and status', () => {
      const c = clusterIn(session, 'alpha');
      return c?.controlPlane?.replicas.upToDate === 3 && c.deployments[0]?.replicas.upToDate === 1 && c.deployments[0].machines.length === 3
        && c.infrastructure.pools[0]?.used === 6 && c.deployments[0].machines.every((m) => m.infraMachine?.host !== undefined);
    });
    const c = clusterIn(session, 'alpha');
    assert.ok(c?.controlPlane);
    assert.equal(L.clusterDescription(c), 'fleet · v1.34.2 · Provisioned · ready');
    assert.equal(c.health, 'progressing');
    assert.equal(L.replicatedDescription(c.controlPlane, false), 'alpha-cp · 3 ready · 3 updated / 3 · v1.34.2 · rolled out');
    const md = c.deployments[0];
    assert.ok(md);
    assert.equal(L.replicatedDescription(md, false), '3/3 replicas · 1 updated · 3 ready · 3 available · v1.34.2 · rolling out 33%');
    assert.deepEqual(L.rolloutRow(md), { label: 'Rollout 33%', description: '1 new · 2 old · 33%' });
    assert.deepEqual(md.machines.map((m) => [m.name, m.upToDate, m.version]), [['alpha-md-0-0', true, 'v1.34.2'], ['alpha-md-0-1', false, 'v1.33.5'], ['alpha-md-0-2', false, 'v1.33.5']]);
    const worker = md.machines[1];
    assert.equal(worker?.infraMachine?.host, 'host-0');
    assert.deepEqual(worker.infraMachine.ips, ['127.0.10.14']);
    assert.equal(c.infrastructure.cluster?.endpoint, '127.0.10.5:6443');
    const pool = c.infrastructure.pools[0];
    assert.deepEqual([pool?.used, pool?.free, pool?.slots.find((s) => s.ip === '127.0.10.14')?.machine], [6, 1, 'alpha-md-0-1']);

    const root: Element = { type: 'context', context: CONTEXT };
    assert.deepEqual(labels(session, root), ['alpha']);
    const clusterElement = childrenOf(session, root)[0];
    assert.ok(clusterElement);
    assert.deepEqual(labels(session, clusterElement), ['controlPlane', 'deployments', 'infrastructure', 'conditions']);
  });

  it('follows status changes: the rollout moves, then finishes', async () => {
    const md = find('MachineDeployment', 'alpha-md-0');
    const moved = { ...md.status, upToDateReplicas: 2 };
    await applyStatus(admin, md, moved);
    await waitUntil('66%', () => clusterIn(session, 'alpha')?.deployments[0]?.rollout.percent === 66 || clusterIn(session, 'alpha')?.deployments[0]?.rollout.newMachines === 2);
    assert.equal(clusterIn(session, 'alpha')?.deployments[0]?.rollout.oldMachines, 1);

    for (const name of ['alpha-md-0-1', 'alpha-md-0-2']) {
      const m = find('Machine', name);
      m.spec.version = 'v1.34.2';
      const status = { ...m.status, conditions: [cond('Available', 'True'), cond('Ready', 'True'), cond('UpToDate', 'True'), cond('InfrastructureReady', 'True')] };
      await applyObject(admin, { ...m, status });
    }
    await applyStatus(admin, md, { ...md.status, upToDateReplicas: 3, conditions: [cond('Available', 'True'), cond('RollingOut', 'False', 'NotRollingOut'), cond('ScalingUp', 'False', 'NotScalingUp')] });
    await waitUntil('the rollout to finish', () => clusterIn(session, 'alpha')?.deployments[0]?.rollout.active === false);
    const finished = clusterIn(session, 'alpha')?.deployments[0];
    assert.ok(finished);
    assert.equal(clusterIn(session, 'alpha')?.health, 'ok');
    assert.deepEqual(finished.machines.map((m) => m.upToDate), [true, true, true]);
    assert.match(L.replicatedDescription(finished, false), /rolled out$/);
  });

  it('drops deleted objects from the tree', async () => {
    await deleteObject(admin, find('Machine', 'alpha-md-0-2'));
    await waitUntil('the Machine to vanish', () => clusterIn(session, 'alpha')?.deployments[0]?.machines.length === 2);
    await deleteObject(admin, find('MachineDeployment', 'alpha-md-0'));
    await waitUntil('the deployment to vanish', () => clusterIn(session, 'alpha')?.deployments.length === 0);
    assert.deepEqual(clusterIn(session, 'alpha')?.otherMachines.map((m) => m.name), ['alpha-md-0-0', 'alpha-md-0-1'], 'orphaned Machines stay visible under the Cluster');
  });

  it('gives a user whose RBAC forbids kinds clear items, and still shows what it may read', async () => {
    const restricted = sessionFor(plane.controllerKubeconfigPath);
    try {
      await waitUntil('the restricted informers to settle', () => restricted.view(CONTEXT)?.state === 'ready' && Object.keys(restricted.view(CONTEXT)?.model?.problems ?? {}).length === 3, 30_000);
      const model = restricted.view(CONTEXT)?.model;
      assert.ok(model);
      assert.deepEqual(Object.keys(model.problems).sort(), ['KubeadmControlPlane', 'MachineDeployment', 'MachineSet']);
      assert.equal(model.problems.MachineDeployment?.state, 'forbidden');
      assert.match(model.problems.MachineDeployment.message, /forbidden/i);
      const root: Element = { type: 'context', context: CONTEXT };
      assert.deepEqual(labels(restricted, root), ['KubeadmControlPlanes: access denied', 'MachineDeployments: access denied', 'MachineSets: access denied', 'alpha']);
      const cluster = childrenOf(restricted, root).find((e) => e.type === 'cluster');
      assert.ok(cluster);
      assert.deepEqual(labels(restricted, cluster).slice(0, 2), ['KubeadmControlPlanes: access denied', 'deployments']);
      assert.equal(clusterIn(restricted, 'alpha')?.otherMachines.length, 5, 'Machines are readable and shown under the Cluster');
    } finally {
      restricted.dispose();
    }
  });
});
