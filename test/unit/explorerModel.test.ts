import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshot } from '../../src/explorer/model';
import { ModelCache } from '../../src/explorer/modelCache';
import type { KubeObject } from '../../src/kube/kinds';
import { byKind, clusterScenario, cond, deployment, machine, T0, type Obj } from './explorerFixtures';

const NS = 'fleet';

function only<T>(list: readonly T[] | undefined): T {
  assert.equal(list?.length, 1, `expected exactly one, got ${list?.length ?? 'none'}`);
  const first = list[0];
  assert.ok(first !== undefined);
  return first;
}

describe('explorer model: snapshot()', () => {
  it('builds Cluster > control plane > Machines, deployments > Machines > DCSMachine, and infrastructure', () => {
    const model = snapshot(byKind(clusterScenario(NS, 'demo', { cp: 3, workers: 2 }).objects));
    const c = only(model.clusters);
    assert.equal(c.name, 'demo');
    assert.equal(c.version, 'v1.34.2');
    assert.equal(c.phase, 'Provisioned');
    assert.equal(c.ready, true);
    assert.equal(c.health, 'ok');
    assert.equal(c.controlPlane?.name, 'demo-cp');
    assert.deepEqual(c.controlPlane.machines.map((m) => m.name), ['demo-cp-0', 'demo-cp-1', 'demo-cp-2']);
    assert.ok(c.controlPlane.machines.every((m) => m.controlPlane && m.upToDate === true && m.available));
    const md = only(c.deployments);
    assert.deepEqual(md.machines.map((m) => m.name), ['demo-md-0-0', 'demo-md-0-1']);
    const worker = md.machines[0];
    assert.equal(worker?.nodeName, 'demo-md-0-0');
    assert.equal(worker.providerID, 'dcs://demo-md-0-0');
    assert.deepEqual(worker.addresses, [{ type: 'InternalIP', address: '127.0.10.13' }]);
    assert.equal(worker.infraMachine?.host, 'host-3');
    assert.deepEqual(worker.infraMachine.ips, ['127.0.10.13']);
    assert.equal(worker.infraMachine.vmStatus, 'running');
    assert.deepEqual(worker.infraMachine.disks, ['system on dsc-gold', '/var/lib/kubelet 100 GB on dsc-gold']);
    assert.equal(c.infrastructure.cluster?.endpoint, '127.0.10.5:6443');
    assert.equal(c.infrastructure.cluster.provisioned, true);
    const pool = only(c.infrastructure.pools);
    assert.deepEqual([pool.size, pool.used, pool.free], [6, 5, 1]);
    assert.deepEqual(pool.slots.find((s) => s.ip === '127.0.10.13'), { ip: '127.0.10.13', hostname: 'demo-pool-4', holder: 'demo-md-0-0', machine: 'demo-md-0-0' });
    assert.equal(pool.slots.find((s) => s.ip === '127.0.10.250')?.holder, undefined);
    assert.equal(model.counts.Machine, 5);
  });

  it('shows a machine deployment mid-rollout: old vs new Machines, percentage, progressing health', () => {
    const model = snapshot(byKind(clusterScenario(NS, 'demo', { workers: 3, mdUpToDate: 1 }).objects));
    const c = only(model.clusters);
    const md = only(c.deployments);
    assert.equal(md.rollout.active, true);
    assert.equal(md.rollout.newMachines, 1);
    assert.equal(md.rollout.oldMachines, 2);
    assert.equal(md.rollout.percent, 33);
    assert.deepEqual(md.machines.map((m) => m.upToDate), [true, false, false]);
    assert.equal(md.health, 'progressing');
    assert.equal(c.health, 'progressing', 'a cluster with a rollout in flight is progressing');
    assert.equal(c.controlPlane?.rollout.active, false);
  });

  it('reads v1beta1-shaped objects: legacy counters, severities, ObjectReferences and status.v1beta2', () => {
    const cluster: KubeObject = {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'Cluster',
      metadata: { name: 'old', namespace: NS },
      spec: {
        paused: false,
        controlPlaneRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', name: 'old-cp', namespace: NS },
        infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSCluster', name: 'old', namespace: NS },
      },
      status: {
        phase: 'Provisioned',
        infrastructureReady: true,
        controlPlaneReady: false,
        conditions: [{ type: 'Ready', status: 'False', severity: 'Error', reason: 'Boom', lastTransitionTime: T0 }],
      },
    };
    const kcp: KubeObject = {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
      kind: 'KubeadmControlPlane',
      metadata: { name: 'old-cp', namespace: NS, generation: 2 },
      spec: { replicas: 3, version: 'v1.30.1' },
      status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, version: 'v1.30.1', v1beta2: { upToDateReplicas: 2, availableReplicas: 3, readyReplicas: 3 } },
    };
    const md = deployment(NS, 'old', 'old-md', 'v1.30.1', { replicas: 2 });
    md.status = { observedGeneration: 1, replicas: 2, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 };
    const m = machine(NS, 'old', 'old-md-a', { version: 'v1.30.1', deployment: 'old-md' });
    m.status = { phase: 'Running', nodeRef: { apiVersion: 'v1', kind: 'Node', name: 'node-a' } };
    const model = snapshot(byKind([cluster, kcp, md, m]));
    const c = only(model.clusters);
    assert.equal(c.health, 'error', 'a v1beta1 Ready=False with severity Error is an error');
    assert.equal(c.ready, false);
    assert.equal(c.infrastructureProvisioned, true);
    assert.equal(c.controlPlaneInitialized, false);
    assert.equal(c.version, 'v1.30.1');
    assert.equal(c.controlPlane?.replicas.upToDate, 2, 'status.v1beta2 counters win over legacy ones');
    assert.equal(c.controlPlane.rollout.active, true);
    const d = only(c.deployments);
    assert.equal(d.replicas.upToDate, 1, 'updatedReplicas stands in for upToDateReplicas');
    assert.equal(d.rollout.oldMachines, 1);
    const mm = only(d.machines);
    assert.equal(mm.nodeName, 'node-a');
    assert.equal(mm.available, true, 'Running with a Node counts as available without conditions');
    assert.equal(mm.upToDate, true, 'same version as the deployment template');
  });

  it('follows owner references when labels are missing, and MachineSet revisions for up-to-date', () => {
    const md = deployment(NS, 'own', 'own-md', 'v1.34.2', { replicas: 2, upToDate: 1 });
    const ms = (name: string, revision: string): KubeObject => ({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineSet',
      metadata: {
        name,
        namespace: NS,
        annotations: { 'machinedeployment.clusters.x-k8s.io/revision': revision },
        ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment', name: 'own-md', uid: 'u1', controller: true }],
      },
      spec: { clusterName: 'own' },
    });
    const bare = (name: string, set: string): Obj => {
      const m = machine(NS, 'own', name, { version: 'v1.34.2' });
      m.metadata.labels = { 'cluster.x-k8s.io/cluster-name': 'own' };
      m.metadata.ownerReferences = [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineSet', name: set, uid: 'u2', controller: true }];
      m.status = { phase: 'Running', nodeRef: { name } };
      return m;
    };
    const model = snapshot(byKind([md, ms('own-ms-old', '1'), ms('own-ms-new', '2'), bare('m-old', 'own-ms-old'), bare('m-new', 'own-ms-new')]));
    assert.equal(model.clusters.length, 0, 'no Cluster object, so no cluster node');
    // Build with a Cluster to see the deployment.
    const withCluster = snapshot(byKind([...clusterScenario(NS, 'own', { cp: 1, workers: 0 }).objects.filter((o) => o.kind !== 'MachineDeployment'), md, ms('own-ms-old', '1'), ms('own-ms-new', '2'), bare('m-old', 'own-ms-old'), bare('m-new', 'own-ms-new')]));
    const d = only(only(withCluster.clusters).deployments);
    assert.deepEqual(d.machines.map((m) => [m.name, m.upToDate]), [['m-new', true], ['m-old', false]]);
  });

  it('keeps Machines of no known owner, and passes kind problems through', () => {
    const objects = clusterScenario(NS, 'demo', { cp: 1, workers: 0 }).objects;
    objects.push(machine(NS, 'demo', 'stray', { version: 'v1.34.2' }));
    const model = snapshot(byKind(objects), { MachineDeployment: { state: 'forbidden', message: 'no' } });
    const c = only(model.clusters);
    assert.deepEqual(c.otherMachines.map((m) => m.name), ['stray']);
    assert.deepEqual(model.problems, { MachineDeployment: { state: 'forbidden', message: 'no' } });
  });

  it('derives paused and deleting states', () => {
    const objects = clusterScenario(NS, 'p', { cp: 1, workers: 1 }).objects;
    const c = objects.find((o) => o.kind === 'Cluster');
    assert.ok(c);
    c.spec.paused = true;
    const m = objects.find((o) => o.kind === 'Machine' && o.metadata.name === 'p-md-0-0');
    assert.ok(m);
    m.metadata.deletionTimestamp = T0;
    const model = snapshot(byKind(objects));
    const cl = only(model.clusters);
    assert.equal(cl.paused, true);
    assert.equal(cl.health, 'paused');
    assert.equal(only(cl.deployments).machines[0]?.health, 'deleting');
  });

  it('marks a Machine whose conditions say it is not ready', () => {
    const objects = clusterScenario(NS, 'w', { cp: 1, workers: 1 }).objects;
    const m = objects.find((o) => o.metadata.name === 'w-md-0-0');
    assert.ok(m?.status);
    m.status.phase = 'Running';
    m.status.conditions = [cond('Available', 'False', 'NodeNotReady', 'kubelet stopped posting')];
    const mm = only(only(snapshot(byKind(objects)).clusters).deployments).machines[0];
    assert.equal(mm?.health, 'warning');
    assert.equal(mm.available, false);
  });
});

describe('explorer model: rebuilding with a cache', () => {
  it('gives the same model as a fresh build, reusing clusters whose objects did not change', () => {
    const objects = [...clusterScenario(NS, 'a', { workers: 2 }).objects, ...clusterScenario(NS, 'b', { workers: 2, ipBase: '127.0.11' }).objects];
    const cache = new ModelCache();
    const first = snapshot(byKind(objects), {}, cache);
    // The informers replace a changed object with a new instance; everything else keeps its identity.
    const i = objects.findIndex((o) => o.kind === 'Machine' && o.metadata.name === 'b-md-0-1');
    const changed = structuredClone(objects[i]);
    assert.ok(changed?.status);
    changed.status.phase = 'Deleting';
    objects[i] = changed;
    const second = snapshot(byKind(objects), {}, cache);
    assert.deepEqual(second, snapshot(byKind(objects)), 'same as without the cache');
    const [a1, b1, a2, b2] = [first.clusters[0], first.clusters[1], second.clusters[0], second.clusters[1]];
    assert.ok(a1 && b1 && a2 && b2);
    assert.equal(a2, a1, 'cluster a is reused');
    assert.notEqual(b2, b1, 'cluster b is rebuilt');
    const [mdBefore, mdAfter] = [b1.deployments[0], b2.deployments[0]];
    assert.ok(mdBefore && mdAfter);
    assert.equal(mdAfter.machines[1]?.phase, 'Deleting');
    assert.equal(mdAfter.machines[0], mdBefore.machines[0], 'unchanged Machines are reused');
  });

  it('notices a new object that joins a cluster', () => {
    const objects = clusterScenario(NS, 'a', { workers: 1 }).objects;
    const cache = new ModelCache();
    snapshot(byKind(objects), {}, cache);
    objects.push(machine(NS, 'a', 'a-md-0-9', { version: 'v1.34.2', deployment: 'a-md-0' }));
    assert.equal(snapshot(byKind(objects), {}, cache).clusters[0]?.deployments[0]?.machines.length, 2);
  });
});
