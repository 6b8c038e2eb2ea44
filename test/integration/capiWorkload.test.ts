// Stage 2 of issue #11: Cluster API's own managers, our DCS controller and simulator, and the workload
// emulator (src/lab/workloadEmulator.ts) that does what kubeadm and the kubelet would do on the booted
// VMs: a real workload kube-apiserver at the controlPlaneEndpoint signed by the cluster CA, the
// kubeadm-config ConfigMap, Nodes with the VMs' providerIDs, control-plane mirror pods.
// A cluster of 1 control-plane machine (KubeadmControlPlane) and 2 workers reaches Running, then a
// MachineDeployment upgrade (new DCSMachineTemplate, new version, maxSurge 1) replaces both workers, and
// the workers' persistent disks keep their data.
//
// Where it stops: KCP's etcd checks go through the API server's port-forward to the etcd pod, which
// needs a kubelet on the node; none listens, so KCP reports etcd members unhealthy and could not scale
// or roll out a stacked-etcd control plane (hence 1 control-plane machine here). The third test pins
// that boundary down.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../src/controller/runtime/kubeClient';
import { startCapiManagers, type CapiManagers } from '../../src/lab/capiManagers';
import { applyObjects, exampleForSimulator, kubeadmFilesSecret, manifestObjects } from '../../src/lab/exampleCluster';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { freePort } from '../../src/lab/ports';
import { isAlive } from '../../src/lab/processes';
import { startWorkloadEmulator, type WorkloadEmulator } from '../../src/lab/workloadEmulator';
import { launchSimulator, type LaunchedSimulator } from '../fixtures/simulator/launch';
import { launchController, simCall, simState, waitFor, type Lab } from './controllerHarness';
import { printLabMemory } from './labMemory';

const NS = 'cpaas-system';
const CLUSTER = 'lab-b';
const MD = 'lab-b-md-0';
const ENDPOINT_HOST = '127.0.11.5';
const OLD_VERSION = 'v1.34.4';
const NEW_VERSION = 'v1.34.5-3'; // the control plane's: workers never newer than it
const OLD_TEMPLATE = 'lab-b-wk-k8s1345';
const NEW_TEMPLATE = 'lab-b-wk-k8s1345-2';
/** Cold builds of the managers run inside before(); 2 busy cores need a lot of room. */
const SETUP_TIMEOUT_MS = 60 * 60_000;
const STEP_TIMEOUT_MS = 10 * 60_000;
const CORE = '/apis/cluster.x-k8s.io/v1beta2';
const KCP_PATH = `/apis/controlplane.cluster.x-k8s.io/v1beta2/namespaces/${NS}/kubeadmcontrolplanes/lab-b-kcp`;
const INFRA = '/apis/infrastructure.cluster.x-k8s.io/v1beta1';

interface Obj {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}
type MachineObj = Obj & {
  spec: { version?: string; providerID?: string; infrastructureRef: { name: string } };
  status?: { phase?: string; nodeRef?: { name: string } };
};
interface NodeObj {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { providerID?: string };
  status: { conditions?: { type: string; status: string }[] };
}

/** The example for this lab: 1 control-plane replica, a free endpoint port, a third worker pool entry and maxSurge 1. */
function labManifests(simulatorUrl: string, endpointPort: number): string {
  const edits: [string, string][] = [
    ['  replicas: 3\n', '  replicas: 1\n'],
    ['rollingUpdate: {maxSurge: 0}\n', 'rollingUpdate: {maxSurge: 1}\n'], // scale-in (maxSurge 0) needs 3 replicas
    [`host: ${ENDPOINT_HOST}, port: 6443}`, `host: ${ENDPOINT_HOST}, port: ${endpointPort}}`],
    ['      clusterName: lab-b\n      version: v1.34.5-3\n', `      clusterName: lab-b\n      version: ${OLD_VERSION}\n`],
    ['rollingUpdate: {maxSurge: 0, maxUnavailable: 1}', 'rollingUpdate: {maxSurge: 1, maxUnavailable: 0}'],
    ['minReadySeconds: 30', 'minReadySeconds: 5'],
    [
      '      machineName: lab-b-wk-2\n      persistentDisk:\n        - {slot: 0, quantityGB: 50, datastoreClusterName: dsc-gold, path: /var/cpaas, format: xfs}\n',
      '      machineName: lab-b-wk-2\n      persistentDisk:\n        - {slot: 0, quantityGB: 50, datastoreClusterName: dsc-gold, path: /var/cpaas, format: xfs}\n    - {ip: 127.0.11.23, mask: "24", gateway: 127.0.11.1, dns: 127.0.0.53, hostname: lab-b-wk-3, machineName: lab-b-wk-3}\n',
    ],
  ];
  let text = exampleForSimulator(simulatorUrl);
  for (const [from, to] of edits) {
    const count = text.split(from).length - 1;
    if (count < 1) throw new Error(`the example changed: "${from.trim()}" not found`);
    text = text.replaceAll(from, to);
  }
  return `${text}\n---\n${kubeadmFilesSecret(NS)}`;
}

describe('Cluster API with a workload cluster emulated on the simulator VMs', { timeout: SETUP_TIMEOUT_MS + 6 * STEP_TIMEOUT_MS }, () => {
  let plane: ManagementPlane;
  let sim: LaunchedSimulator;
  let admin: KubeClient;
  let managers: CapiManagers;
  let emulator: WorkloadEmulator;
  let endpointPort: number;
  const stops: (() => Promise<void>)[] = [];
  const procs: [string, number][] = [];
  const setupStarted = Date.now();
  let printed = false;
  const log = (line: string): void => {
    process.stdout.write(`# ${line}\n`);
  };
  const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

  const list = async <T extends Obj = Obj>(path: string, selector?: string): Promise<T[]> =>
    (await admin.request<{ items: T[] }>('GET', `${path}${selector ? `?labelSelector=${encodeURIComponent(selector)}` : ''}`)).items;
  const machines = (selector = `cluster.x-k8s.io/cluster-name=${CLUSTER}`): Promise<MachineObj[]> => list<MachineObj>(`${CORE}/namespaces/${NS}/machines`, selector);
  const workloadNodes = async (): Promise<NodeObj[]> => {
    const api = emulator.apiServers.get(`${ENDPOINT_HOST}:${endpointPort}`);
    if (!api) return [];
    const res = await api.http.request('GET', '/api/v1/nodes');
    return res.status === 200 ? (JSON.parse(res.body) as { items: NodeObj[] }).items : [];
  };
  /** waitFor, with the machines' phases and the emulator's last error added to a timeout. */
  const waitLab = async <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> => {
    try {
      return await waitFor(probe, what, STEP_TIMEOUT_MS);
    } catch (err) {
      const phases = (await machines()).map((m) => `${m.metadata.name}: ${m.status?.phase ?? '?'} node=${m.status?.nodeRef?.name ?? '-'}`);
      throw new Error(`${err instanceof Error ? err.message : String(err)}; machines: ${phases.join(', ')}; emulator: ${emulator.lastError() ?? 'no error'}`, { cause: err });
    }
  };

  before(
    async () => {
      endpointPort = await freePort(ENDPOINT_HOST);
      sim = await launchSimulator(['--port', '0']);
      stops.push(async () => {
        await sim.stop();
      });
      procs.push(['dcs-simulator', sim.pid]);
      plane = await startManagementPlane({ log });
      stops.push(() => plane.stop());
      procs.push(['kube-apiserver', plane.pids.kubeApiserver], ['etcd', plane.pids.etcd]);
      managers = await startCapiManagers({ kubeconfig: plane.kubeconfigPath, log });
      stops.push(() => managers.stop());
      procs.push(...managers.managers.map((m): [string, number] => [m.name, m.pid]));
      emulator = startWorkloadEmulator({ simulatorUrl: sim.url, log });
      stops.push(() => emulator.stop());
      admin = await KubeClient.create({ kubeconfig: plane.kubeconfigPath, qps: 100, burst: 100 });
      stops.push(() => {
        admin.close();
        return Promise.resolve();
      });
      await applyObjects(plane.kubeconfigPath, undefined, manifestObjects(labManifests(sim.url, endpointPort)), () => undefined);
      const lab = { plane, admin, sim, namespace: NS, stop: () => Promise.resolve() } satisfies Lab;
      const controller = await launchController(lab);
      stops.push(async () => {
        await controller.stop();
      });
      procs.push(['dcs-controller', controller.pid]);
      log(`setup done after ${seconds(setupStarted)} (cold builds ${((plane.timings.buildMs + managers.timings.buildMs) / 1000).toFixed(0)} s)`);
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    if (!printed) printLab();
    for (const stop of stops.reverse()) await stop();
  });

  function printLab(): void {
    printed = true;
    const workload = [...emulator.apiServers.values()].flatMap((api): [string, number][] => [['workload kube-apiserver', api.pids.kubeApiserver], ['workload etcd', api.pids.etcd]]);
    printLabMemory([...procs, ...workload], setupStarted, log);
  }

  it('kubeadm init on the control-plane VM: the workload API answers at the endpoint to CAPI\'s kubeconfig, and KCP is initialized', { timeout: STEP_TIMEOUT_MS + 30_000 }, async () => {
    const started = Date.now();
    await waitLab(async () => {
      const kcp = await admin.request<{ status?: { initialization?: { controlPlaneInitialized?: boolean } } }>('GET', KCP_PATH);
      return kcp.status?.initialization?.controlPlaneInitialized === true || undefined;
    }, 'KubeadmControlPlane initialized');
    // The kubeconfig Secret Cluster API wrote (a client certificate of the cluster CA) against the emulated API.
    const secret = await admin.request<{ data: { value: string } }>('GET', `/api/v1/namespaces/${NS}/secrets/${CLUSTER}-kubeconfig`);
    const dir = await mkdtemp(join(tmpdir(), 'capi-dcs-workload-test-'));
    try {
      const path = join(dir, 'kubeconfig');
      await writeFile(path, Buffer.from(secret.data.value, 'base64'), { mode: 0o600 });
      const workload = await KubeClient.create({ kubeconfig: path, qps: 10, burst: 10 });
      try {
        const config = await workload.request<{ data: { ClusterConfiguration: string } }>('GET', '/api/v1/namespaces/kube-system/configmaps/kubeadm-config');
        assert.match(config.data.ClusterConfiguration, new RegExp(`controlPlaneEndpoint: ${ENDPOINT_HOST.replaceAll('.', '\\.')}:${endpointPort}`));
        assert.match(config.data.ClusterConfiguration, /kind: ClusterConfiguration/);
      } finally {
        workload.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    log(`control plane initialized after ${seconds(started)}`);
  });

  it('every Machine reaches Running with a Node that carries its providerID; the workers got join data and VMs', { timeout: STEP_TIMEOUT_MS + 30_000 }, async () => {
    const started = Date.now();
    const all = await waitLab(async () => {
      const found = await machines();
      return found.length === 3 && found.every((m) => m.status?.phase === 'Running' && m.status.nodeRef) ? found : undefined;
    }, '3 Machines Running with nodeRefs');
    const nodes = await workloadNodes();
    assert.equal(nodes.length, 3);
    for (const machine of all) {
      const dcsMachine = await admin.request<Obj & { spec: { providerID?: string } }>('GET', `${INFRA}/namespaces/${NS}/dcsmachines/${machine.spec.infrastructureRef.name}`);
      const node = nodes.find((n) => n.metadata.name === machine.status?.nodeRef?.name);
      assert.ok(node, `the Node of ${machine.metadata.name}`);
      assert.equal(node.spec.providerID, dcsMachine.spec.providerID);
      assert.equal(node.spec.providerID, machine.spec.providerID);
      assert.equal(node.status.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
      const controlPlane = machine.metadata.labels?.['cluster.x-k8s.io/control-plane'] !== undefined;
      assert.equal(node.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined, controlPlane, `${node.metadata.name} control-plane label`);
    }
    const vms = Object.values((await simState(sim)).vms).filter((vm) => !vm.isTemplate);
    assert.deepEqual(vms.map((vm) => vm.status), ['running', 'running', 'running']);
    log(`3 Machines Running after ${seconds(started)}`);
  });

  it('KCP sees the mirror pods of the static pods as healthy, and stops at etcd: no kubelet to port-forward to', { timeout: STEP_TIMEOUT_MS + 30_000 }, async () => {
    const [cp] = await machines(`cluster.x-k8s.io/control-plane,cluster.x-k8s.io/cluster-name=${CLUSTER}`);
    assert.ok(cp, 'the control-plane Machine');
    const conditions = await waitLab(async () => {
      const machine = await admin.request<{ status?: { conditions?: { type: string; status: string; reason?: string }[] } }>('GET', `${CORE}/namespaces/${NS}/machines/${cp.metadata.name}`);
      const found = machine.status?.conditions ?? [];
      const status = (type: string): string | undefined => found.find((c) => c.type === type)?.status;
      const podsHealthy = ['APIServerPodHealthy', 'ControllerManagerPodHealthy', 'SchedulerPodHealthy', 'EtcdPodHealthy'].every((type) => status(type) === 'True');
      return podsHealthy && status('EtcdMemberHealthy') !== undefined ? found : undefined;
    }, 'KCP conditions on the control-plane Machine');
    // The boundary of the emulation: KCP reaches etcd through pods/portforward, which the API server
    // forwards to the kubelet on the node's InternalIP; nothing listens there.
    assert.notEqual(conditions.find((c) => c.type === 'EtcdMemberHealthy')?.status, 'True');
  });

  it('upgrade: a new DCSMachineTemplate and version with maxSurge 1 replace both workers one at a time; their persistent disks keep their data', { timeout: STEP_TIMEOUT_MS + 30_000 }, async () => {
    const started = Date.now();
    const before = await machines(`cluster.x-k8s.io/deployment-name=${MD}`);
    assert.equal(before.length, 2);
    // A data marker on each worker's persistent disk (the pool gives every entry one), read back after the rollout.
    const persistentDisks = async () => Object.values((await simState(sim)).volumes).filter((v) => v.persistentDisk && v.name.startsWith('lab-b-worker-pool-'));
    const disksBefore = await persistentDisks();
    assert.equal(disksBefore.length, 2);
    for (const disk of disksBefore) await simCall(sim, 'PUT', `/sim/volumes/${disk.id}/files/marker`, { content: `data-${disk.id}` });
    const old = await admin.request<Obj & { spec: unknown }>('GET', `${INFRA}/namespaces/${NS}/dcsmachinetemplates/${OLD_TEMPLATE}`);
    await admin.request('POST', `${INFRA}/namespaces/${NS}/dcsmachinetemplates`, {
      body: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DCSMachineTemplate', metadata: { name: NEW_TEMPLATE, namespace: NS, labels: old.metadata.labels }, spec: old.spec },
    });
    await admin.request('PATCH', `${CORE}/namespaces/${NS}/machinedeployments/${MD}`, {
      contentType: 'application/merge-patch+json',
      body: { spec: { template: { spec: { version: NEW_VERSION, infrastructureRef: { name: NEW_TEMPLATE } } } } },
    });
    let most = 0;
    const oldNames = new Set(before.map((m) => m.metadata.name));
    await waitLab(async () => {
      const now = await machines(`cluster.x-k8s.io/deployment-name=${MD}`);
      most = Math.max(most, now.length);
      const done = now.length === 2 && now.every((m) => !oldNames.has(m.metadata.name) && m.spec.version === NEW_VERSION && m.status?.phase === 'Running' && m.status.nodeRef);
      return done || undefined;
    }, 'both workers replaced and Running');
    assert.ok(most <= 3, `at most 3 worker Machines at a time (maxSurge 1), saw ${most}`);
    for (const machine of await machines(`cluster.x-k8s.io/deployment-name=${MD}`)) {
      const dcsMachine = await admin.request<Obj>('GET', `${INFRA}/namespaces/${NS}/dcsmachines/${machine.spec.infrastructureRef.name}`);
      assert.equal(dcsMachine.metadata.annotations?.['cluster.x-k8s.io/cloned-from-name'], NEW_TEMPLATE);
    }
    // The old workers' Nodes are gone; the control plane's is untouched.
    const nodes = await waitLab(async () => {
      const found = await workloadNodes();
      return found.length === 3 ? found : undefined;
    }, '3 Nodes after the rollout');
    const running = await machines();
    assert.deepEqual(new Set(nodes.map((n) => n.spec.providerID)), new Set(running.map((m) => m.spec.providerID)));
    // Both disks and their data survived; the pool entry a new machine took gave its VM the old disk.
    const state = await simState(sim);
    const newVmIds = new Set(Object.values(state.vms).filter((vm) => !vm.isTemplate).map((vm) => vm.id));
    const fates: string[] = [];
    for (const disk of disksBefore) {
      const now = state.volumes[disk.id];
      assert.ok(now, `persistent disk ${disk.name} still exists`);
      assert.equal((await simCall<{ content: string }>(sim, 'GET', `/sim/volumes/${disk.id}/files/marker`)).content, `data-${disk.id}`);
      if (now.vmId !== undefined && newVmIds.has(now.vmId)) fates.push('reattached');
      else fates.push(now.vmId === undefined && now.status === 'available' ? 'kept detached' : `${now.status} on ${now.vmId ?? '-'}`);
    }
    // The first new worker took the free third entry (no disk); the second took the entry (and
    // disk) of the first old worker deleted; the last old worker's entry stays free, its disk
    // detached and kept for the next machine on that entry.
    assert.deepEqual(fates.sort(), ['kept detached', 'reattached']);
    log(`rollout of 2 workers done after ${seconds(started)} (at most ${most} worker Machines at once)`);
  });

  it('stop() ends the workload API servers by PID', async () => {
    printLab(); // while everything still runs
    const pids = [...emulator.apiServers.values()].flatMap((api) => [api.pids.kubeApiserver, api.pids.etcd]);
    assert.equal(pids.length, 2);
    await emulator.stop();
    for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} still runs`);
  });
});
