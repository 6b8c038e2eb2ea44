// The local management plane is a real kube-apiserver + etcd: these tests use it as a client would.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ApiException,
  ApiextensionsV1Api,
  CoreV1Api,
  type KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { isAlive } from '../../src/lab/processes';
import { pinnedVersions } from '../../src/lab/projectPaths';
import { httpsGet, loadKubeconfig, waitUntil } from './mgmtPlaneHelpers';

const NAMESPACE = 'lab-test';
const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: labwidgets.lab.capi-dcs.test}
spec:
  group: lab.capi-dcs.test
  scope: Namespaced
  names: {plural: labwidgets, singular: labwidget, kind: LabWidget, listKind: LabWidgetList}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {size: {type: integer}}}}}}
`;

/** A plain object for KubernetesObjectApi, which serializes it by apiVersion and kind. */
function configMap(name: string, data: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NAMESPACE }, data };
}

describe('local management plane', () => {
  let plane: ManagementPlane;
  let admin: KubeConfig;
  let crdDir = '';

  before(async () => {
    crdDir = mkdtempSync(join(tmpdir(), 'capi-dcs-widget-crd-'));
    writeFileSync(join(crdDir, 'labwidget.yaml'), WIDGET_CRD);
    plane = await startManagementPlane({ crds: true, extraCrdDirs: [crdDir], log: (line) => console.log(line) });
    admin = loadKubeconfig(plane.kubeconfigPath);
    await KubernetesObjectApi.makeApiClient(admin).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  });

  after(async () => {
    await plane.stop();
    rmSync(crdDir, { recursive: true, force: true });
  });

  it('answers /readyz on 127.0.0.1 with a verified certificate and stamps its version', async () => {
    assert.match(plane.serverUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(await httpsGet(admin, '/readyz'), { status: 200, body: 'ok' });
    const version = JSON.parse((await httpsGet(admin, '/version')).body) as { gitVersion: string };
    assert.equal(version.gitVersion, pinnedVersions.kubernetes, 'the release is stamped, not v0.0.0-master');
  });

  it('serves the CAPI CRDs, Established, in v1beta1 and v1beta2', async () => {
    const crds = await admin.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition();
    const byName = new Map(crds.items.map((crd) => [crd.metadata?.name, crd]));
    for (const name of [
      'clusters.cluster.x-k8s.io',
      'machines.cluster.x-k8s.io',
      'machinedeployments.cluster.x-k8s.io',
      'clusterclasses.cluster.x-k8s.io',
      'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io',
      'kubeadmconfigs.bootstrap.cluster.x-k8s.io',
      'kubeadmconfigtemplates.bootstrap.cluster.x-k8s.io',
    ]) {
      const crd = byName.get(name);
      assert.ok(crd, `${name} is installed`);
      assert.ok(crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'), `${name} Established`);
      const served = crd.spec.versions.filter((v) => v.served).map((v) => v.name).sort();
      assert.deepEqual(served, ['v1beta1', 'v1beta2'], name);
    }
    for (const version of ['v1beta1', 'v1beta2']) {
      const res = await httpsGet(admin, `/apis/cluster.x-k8s.io/${version}/clusters`);
      assert.equal(res.status, 200, `${version}: ${res.body}`);
    }
  });

  it('installs CRDs from extra folders and serves their objects', async () => {
    const objects = KubernetesObjectApi.makeApiClient(admin);
    // (A kind named like a built-in model, e.g. v1 "Probe", would be serialized by client-node as that model.)
    const widget = { apiVersion: 'lab.capi-dcs.test/v1', kind: 'LabWidget', metadata: { name: 'w1', namespace: NAMESPACE }, spec: { size: 3 } };
    const created = await objects.create(widget);
    assert.equal(created.spec.size, 3);
  });

  it('tracks field managers in server-side apply: conflict without force, ownership with force', async () => {
    const objects = KubernetesObjectApi.makeApiClient(admin);
    const apply = async (manager: string, data: Record<string, string>, force: boolean): Promise<V1ConfigMap> => {
      const applied: unknown = await objects.patch(configMap('ssa-demo', data), undefined, undefined, manager, force, PatchStrategy.ServerSideApply);
      return applied as V1ConfigMap;
    };

    await apply('manager-a', { color: 'red' }, false);
    await assert.rejects(apply('manager-b', { color: 'blue' }, false), (err: unknown) => {
      assert.ok(err instanceof ApiException, String(err));
      assert.equal(err.code, 409);
      assert.match(String(err.body), /conflict.*manager-a/is);
      return true;
    });
    const forced = await apply('manager-b', { color: 'blue' }, true);
    assert.equal(forced.data?.color, 'blue');
    const owners = (forced.metadata?.managedFields ?? []).filter((f) => JSON.stringify(f.fieldsV1).includes('f:color')).map((f) => f.manager);
    assert.deepEqual(owners, ['manager-b']);
  });

  it('delivers watch events from a list resourceVersion', async () => {
    const core = admin.makeApiClient(CoreV1Api);
    const list = await core.listNamespacedConfigMap({ namespace: NAMESPACE });
    const events: { type: string; name: string; color: string }[] = [];
    const controller = await new Watch(admin).watch(
      `/api/v1/namespaces/${NAMESPACE}/configmaps`,
      { resourceVersion: list.metadata?.resourceVersion },
      (type, obj: V1ConfigMap) => events.push({ type, name: obj.metadata?.name ?? '', color: obj.data?.color ?? '' }),
      () => undefined,
    );
    try {
      await KubernetesObjectApi.makeApiClient(admin).create(configMap('watched', { color: 'green' }));
      await core.patchNamespacedConfigMap({ namespace: NAMESPACE, name: 'watched', body: [{ op: 'replace', path: '/data/color', value: 'teal' }] });
      await waitUntil(() => events.some((e) => e.type === 'MODIFIED' && e.name === 'watched'), 'MODIFIED event', 10_000);
      assert.deepEqual(events.filter((e) => e.name === 'watched'), [
        { type: 'ADDED', name: 'watched', color: 'green' },
        { type: 'MODIFIED', name: 'watched', color: 'teal' },
      ]);
    } finally {
      controller.abort();
    }
  });

  it('gives the controller user its ClusterRole and nothing more', async () => {
    const controller = loadKubeconfig(plane.controllerKubeconfigPath);
    assert.equal(controller.getCurrentUser()?.name, 'capi-dcs-controller');
    assert.equal((await httpsGet(controller, '/apis/cluster.x-k8s.io/v1beta2/clusters')).status, 200);
    // Secrets: one by name (credentials, bootstrap data), never a list of every cluster's keys.
    await KubernetesObjectApi.makeApiClient(loadKubeconfig(plane.kubeconfigPath)).create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'dcs-credentials', namespace: NAMESPACE },
      stringData: { authUser: 'u' },
    });
    assert.equal((await httpsGet(controller, `/api/v1/namespaces/${NAMESPACE}/secrets/dcs-credentials`)).status, 200);
    assert.equal((await httpsGet(controller, `/api/v1/namespaces/${NAMESPACE}/secrets`)).status, 403);
    assert.equal((await httpsGet(controller, '/api/v1/nodes')).status, 403);
    await assert.rejects(controller.makeApiClient(CoreV1Api).deleteNamespace({ name: NAMESPACE }), (err: unknown) => {
      assert.ok(err instanceof ApiException);
      assert.equal(err.code, 403);
      return true;
    });
    const secretWrite = KubernetesObjectApi.makeApiClient(controller).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: NAMESPACE } });
    await assert.rejects(secretWrite, (err: unknown) => err instanceof ApiException && err.code === 403);
  });

  it('stop() ends exactly its processes and removes the data folder', async () => {
    const { pids, dataDir } = plane;
    assert.ok(isAlive(pids.kubeApiserver) && isAlive(pids.etcd));
    const started = Date.now();
    await plane.stop();
    console.log(`[test] stop() took ${Date.now() - started} ms`);
    assert.ok(!isAlive(pids.kubeApiserver), 'kube-apiserver ended');
    assert.ok(!isAlive(pids.etcd), 'etcd ended');
    assert.ok(!existsSync(dataDir), 'data folder removed');
    assert.ok(process.pid > 0 && isAlive(process.pid), 'the test process itself is untouched');
  });
});
