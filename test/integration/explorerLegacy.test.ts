// A management cluster with CAPI before v1.11: only v1beta1 is served. The lab's CRDs are switched to
// serve and store v1beta1 alone; the informers find v1beta2 missing (404), fall back to v1beta1, and the
// model reads the legacy fields: updatedReplicas, v1beta1 conditions with severity, status.v1beta2.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import * as L from '../../src/explorer/labels';
import { ExplorerSession } from '../../src/explorer/session';
import { loadKubeConfig } from '../../src/kube/kubeconfig';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { T0 } from '../unit/explorerFixtures';
import { ensureNamespace, kubeRequest, loadKubeconfig, waitUntil } from './explorerLab';

const NS = 'legacy';
const CONTEXT = 'capi-dcs-lab';
const LEGACY_CRDS = ['clusters.cluster.x-k8s.io', 'machinedeployments.cluster.x-k8s.io', 'machines.cluster.x-k8s.io', 'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io'];

interface Crd {
  spec: { versions: { name: string; served: boolean; storage: boolean }[] };
}

/** Serves and stores v1beta1 only, as CAPI v1.10 did. */
async function serveOnlyV1beta1(admin: KubeConfig, name: string): Promise<void> {
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`;
  const crd = JSON.parse((await kubeRequest(admin, 'GET', path)).body) as Crd;
  for (const v of crd.spec.versions) {
    v.served = v.name === 'v1beta1';
    v.storage = v.name === 'v1beta1';
  }
  const res = await kubeRequest(admin, 'PUT', path, { type: 'application/json', data: JSON.stringify(crd) });
  assert.equal(res.status, 200, res.body);
}

async function create(admin: KubeConfig, plural: string, group: string, object: { metadata: { name: string; namespace: string; labels?: Record<string, string> } } & Record<string, unknown>, status: Record<string, unknown>): Promise<void> {
  const base = `/apis/${group}/v1beta1/namespaces/${NS}/${plural}`;
  const created = await kubeRequest(admin, 'POST', base, { type: 'application/json', data: JSON.stringify(object) });
  assert.equal(created.status, 201, created.body);
  const current = JSON.parse(created.body) as Record<string, unknown>;
  const res = await kubeRequest(admin, 'PUT', `${base}/${object.metadata.name}/status`, { type: 'application/json', data: JSON.stringify({ ...current, status }) });
  assert.equal(res.status, 200, res.body);
}

const legacyCondition = (type: string, status: string, extra: Record<string, string> = {}): Record<string, string> => ({ type, status, lastTransitionTime: T0, ...extra });

describe('cluster explorer on a v1beta1-only management cluster (CAPI before v1.11)', () => {
  let plane: ManagementPlane;
  let admin: KubeConfig;
  let session: ExplorerSession;

  before(async () => {
    plane = await startManagementPlane({ crds: true });
    admin = loadKubeconfig(plane.kubeconfigPath);
    for (const name of LEGACY_CRDS) await serveOnlyV1beta1(admin, name);
    await waitUntil('v1beta2 to be gone', async () => (await kubeRequest(admin, 'GET', '/apis/cluster.x-k8s.io/v1beta2/machinedeployments')).status === 404, 30_000, 200);
    await ensureNamespace(admin, NS);

    const capi = 'cluster.x-k8s.io';
    await create(admin, 'clusters', capi, {
      apiVersion: `${capi}/v1beta1`, kind: 'Cluster', metadata: { name: 'old', namespace: NS },
      spec: {
        controlPlaneRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', name: 'old-cp', namespace: NS },
        infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSCluster', name: 'old', namespace: NS },
      },
    }, { phase: 'Provisioned', infrastructureReady: true, controlPlaneReady: true, conditions: [legacyCondition('Ready', 'False', { severity: 'Warning', reason: 'ScalingUp', message: 'Scaling up control plane to 3 replicas' })] });
    await create(admin, 'kubeadmcontrolplanes', 'controlplane.cluster.x-k8s.io', {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', metadata: { name: 'old-cp', namespace: NS, labels: { 'cluster.x-k8s.io/cluster-name': 'old' } },
      spec: { replicas: 3, version: 'v1.30.4', kubeadmConfigSpec: {}, machineTemplate: { infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSMachineTemplate', name: 'old-cp' } } },
    }, { observedGeneration: 1, replicas: 3, updatedReplicas: 2, readyReplicas: 3, unavailableReplicas: 0, version: 'v1.30.3', ready: true, initialized: true, conditions: [legacyCondition('Ready', 'True')] });
    await create(admin, 'machinedeployments', capi, {
      apiVersion: `${capi}/v1beta1`, kind: 'MachineDeployment', metadata: { name: 'old-md', namespace: NS },
      spec: {
        clusterName: 'old', replicas: 2, selector: { matchLabels: { pool: 'old' } },
        template: { metadata: { labels: { pool: 'old' } }, spec: { clusterName: 'old', version: 'v1.30.4', bootstrap: { dataSecretName: 'x' }, infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSMachineTemplate', name: 'old-md' } } },
      },
    }, { observedGeneration: 1, replicas: 2, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2, conditions: [legacyCondition('Ready', 'True')], v1beta2: { upToDateReplicas: 1, readyReplicas: 2, availableReplicas: 2 } });
    for (const [name, version] of [['old-md-a', 'v1.30.4'], ['old-md-b', 'v1.30.3']] as const) {
      await create(admin, 'machines', capi, {
        apiVersion: `${capi}/v1beta1`, kind: 'Machine', metadata: { name, namespace: NS, labels: { 'cluster.x-k8s.io/cluster-name': 'old', 'cluster.x-k8s.io/deployment-name': 'old-md' } },
        spec: { clusterName: 'old', version, bootstrap: { dataSecretName: 'x' }, infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSMachine', name } },
      }, { phase: 'Running', nodeRef: { apiVersion: 'v1', kind: 'Node', name: `node-${name}` }, infrastructureReady: true, bootstrapReady: true, conditions: [legacyCondition('Ready', 'True')] });
    }

    session = new ExplorerSession({ loadKubeConfig: () => loadKubeConfig(plane.kubeconfigPath), shownContexts: () => [], informerOptions: { coalesceMs: 50 } });
    session.connect(CONTEXT);
  });

  after(async () => {
    session.dispose();
    await plane.stop();
  });

  it('falls back to v1beta1 for the kinds the server does not serve at v1beta2, and keeps v1beta2 for the others', async () => {
    const informersReady = (): boolean => session.view(CONTEXT)?.state === 'ready' && (session.view(CONTEXT)?.model?.clusters[0]?.deployments[0]?.machines.length ?? 0) === 2;
    await waitUntil('the legacy cluster', informersReady, 30_000);
    const c = session.view(CONTEXT)?.model?.clusters[0];
    assert.equal(c?.ref.apiVersion, 'cluster.x-k8s.io/v1beta1');
    assert.deepEqual(session.view(CONTEXT)?.model?.problems, {}, 'MachineSets are still served at v1beta2 here; nothing is missing');
  });

  it('reads legacy counters, severities and node references', () => {
    const c = session.view(CONTEXT)?.model?.clusters[0];
    assert.ok(c?.controlPlane);
    assert.equal(c.health, 'progressing', 'the control plane rolls out');
    assert.deepEqual(c.conditions.map((x) => [x.type, x.status, x.severity]), [['Ready', 'False', 'Warning']]);
    assert.equal(c.ready, false);
    assert.equal(c.infrastructureProvisioned, true);
    assert.equal(c.version, 'v1.30.4');
    assert.equal(L.replicatedDescription(c.controlPlane, false), 'old-cp · 3 ready · 2 updated / 3 · v1.30.4 · rolling out 66%');
    assert.deepEqual(c.controlPlane.runningVersions, ['v1.30.3']);
    const md = c.deployments[0];
    assert.ok(md);
    assert.deepEqual([md.rollout.newMachines, md.rollout.oldMachines, md.rollout.percent], [1, 1, 50]);
    assert.deepEqual(md.machines.map((m) => [m.name, m.nodeName, m.upToDate, m.available]), [['old-md-a', 'node-old-md-a', true, true], ['old-md-b', 'node-old-md-b', false, true]]);
  });
});
