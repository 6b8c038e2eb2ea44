// The DCS CRDs from schemas/crds/ as the real API server serves them: status subresource, OpenAPI
// validation by the server, and the controller user's rights on them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiException, CoreV1Api, CustomObjectsApi, KubernetesObjectApi, type KubeConfig } from '@kubernetes/client-node';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { httpsGet, loadKubeconfig } from './mgmtPlaneHelpers';

const NAMESPACE = 'dcs-test';
const GROUP = 'infrastructure.cluster.x-k8s.io';
const VERSION = 'v1beta1';
const PLURAL = 'dcsmachines';

interface DcsMachine {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; generation?: number };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

function dcsMachine(name: string, cpus: unknown): DcsMachine {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: 'DCSMachine',
    metadata: { name, namespace: NAMESPACE },
    spec: {
      vmTemplateName: 'alauda-os-k8s',
      ipHostPoolRef: { name: 'lab-pool' },
      vmConfig: { dcsMachineCpuSpec: { quantity: cpus }, dcsMachineMemorySpec: { quantity: 8192 } },
    },
  };
}

/** The server's Status message of a failed request. */
function serverMessage(err: unknown): string {
  assert.ok(err instanceof ApiException, String(err));
  const body: unknown = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
  return String((body as { message?: unknown }).message);
}

describe('DCS CRDs on the local management plane', () => {
  let plane: ManagementPlane;
  let admin: KubeConfig;
  let controller: KubeConfig;

  before(async () => {
    plane = await startManagementPlane({ crds: true, log: (line) => console.log(line) });
    admin = loadKubeconfig(plane.kubeconfigPath);
    controller = loadKubeconfig(plane.controllerKubeconfigPath);
    await KubernetesObjectApi.makeApiClient(admin).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  });

  after(async () => {
    await plane.stop();
  });

  it('serves every DCS kind from schemas/crds', async () => {
    for (const plural of ['dcsclusters', 'dcsmachines', 'dcsmachinetemplates', 'dcsiphostnamepools']) {
      const res = await httpsGet(admin, `/apis/${GROUP}/${VERSION}/${plural}`);
      assert.equal(res.status, 200, `${plural}: ${res.body}`);
    }
  });

  it('keeps status apart from spec: the status subresource', async () => {
    const objects = KubernetesObjectApi.makeApiClient(admin);
    const created = await objects.create({ ...dcsMachine('m-status', 4), status: { ready: true } });
    assert.equal(created.status, undefined, 'status is dropped on create');

    // The controller user writes status through /status, as the provider does.
    const custom = controller.makeApiClient(CustomObjectsApi);
    const patch = [{ op: 'add', path: '/status', value: { ready: true, vmStatus: 'running', initialization: { provisioned: true } } }];
    await custom.patchNamespacedCustomObjectStatus({ group: GROUP, version: VERSION, namespace: NAMESPACE, plural: PLURAL, name: 'm-status', body: patch });

    const read = (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: NAMESPACE, plural: PLURAL, name: 'm-status' })) as DcsMachine;
    assert.deepEqual(read.status, { ready: true, vmStatus: 'running', initialization: { provisioned: true } });
    assert.equal(read.metadata.generation, created.metadata.generation, 'a status change does not bump generation');

    // A spec change sent to /status is ignored by the server.
    const specThroughStatus = [{ op: 'replace', path: '/spec/vmTemplateName', value: 'other-template' }];
    const after = (await custom.patchNamespacedCustomObjectStatus({ group: GROUP, version: VERSION, namespace: NAMESPACE, plural: PLURAL, name: 'm-status', body: specThroughStatus })) as DcsMachine;
    assert.equal(after.spec.vmTemplateName, 'alauda-os-k8s');
  });

  it('rejects an object that violates the OpenAPI schema, naming the field', async () => {
    const objects = KubernetesObjectApi.makeApiClient(admin);
    await assert.rejects(objects.create(dcsMachine('m-zero-cpus', 0)), (err: unknown) => {
      assert.equal((err as ApiException<unknown>).code, 422);
      assert.match(serverMessage(err), /spec\.vmConfig\.dcsMachineCpuSpec\.quantity.*greater than or equal to 1/);
      return true;
    });
    await assert.rejects(objects.create(dcsMachine('m-text-cpus', 'eight')), (err: unknown) => {
      assert.match(serverMessage(err), /spec\.vmConfig\.dcsMachineCpuSpec\.quantity.*integer/);
      return true;
    });
    const missing = dcsMachine('m-no-template', 2);
    delete missing.spec.vmTemplateName;
    await assert.rejects(objects.create(missing), (err: unknown) => {
      assert.match(serverMessage(err), /spec\.vmTemplateName.*Required/);
      return true;
    });
  });

  it('lets the controller list DCS machines but not create them or delete namespaces', async () => {
    const custom = controller.makeApiClient(CustomObjectsApi);
    const list = (await custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL })) as { items: DcsMachine[] };
    assert.ok(list.items.some((m) => m.metadata.name === 'm-status'));
    await assert.rejects(KubernetesObjectApi.makeApiClient(controller).create(dcsMachine('m-by-controller', 2)), (err: unknown) => {
      assert.equal((err as ApiException<unknown>).code, 403);
      return true;
    });
    const deleteNamespace = controller.makeApiClient(CoreV1Api).deleteNamespace({ name: NAMESPACE });
    await assert.rejects(deleteNamespace, (err: unknown) => err instanceof ApiException && err.code === 403);
  });
});
