// Cluster API's own managers (built from the pinned release) against the local management plane, with the
// DCS simulator and our DCS controller: the example cluster (1 control-plane machine through
// KubeadmControlPlane, which makes its first one only, a MachineDeployment of 2 workers) turns into MachineSets, Machines, KubeadmConfigs
// and DCSMachines made by CAPI itself, and our controller provisions the control-plane VM.
//
// Where this lab stops (stage 1 of issue #11; capiWorkload.test.ts adds the workload emulator and goes
// on): nothing serves the workload cluster's API at the controlPlaneEndpoint, so KCP never sees
// kubeadm's ConfigMap, the control plane is never "initialized", the bootstrap provider does not render
// the workers' join data, and the workers' DCSMachines wait for bootstrap data. The fifth test pins that
// boundary down.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../src/controller/runtime/kubeClient';
import { startCapiManagers, type CapiManagers } from '../../src/lab/capiManagers';
import { applyObjects, exampleForSimulator, kubeadmFilesSecret, manifestObjects } from '../../src/lab/exampleCluster';
import { startManagementPlane, type ManagementPlane } from '../../src/lab/mgmtPlane';
import { isAlive } from '../../src/lab/processes';
import { launchSimulator, type LaunchedSimulator } from '../fixtures/simulator/launch';
import { launchController, simState, waitFor, type Lab } from './controllerHarness';
import { printLabMemory } from './labMemory';

const NS = 'cpaas-system';
const CLUSTER = 'lab-b';
const MD = 'lab-b-md-0';
/** Cold builds of the managers run inside before(); 2 busy cores need a lot of room. */
const SETUP_TIMEOUT_MS = 60 * 60_000;
const STEP_TIMEOUT_MS = 5 * 60_000;
const CORE = '/apis/cluster.x-k8s.io/v1beta2';
const BOOTSTRAP = '/apis/bootstrap.cluster.x-k8s.io/v1beta2';
const INFRA = '/apis/infrastructure.cluster.x-k8s.io/v1beta1';

interface Obj {
  metadata: { name: string; labels?: Record<string, string>; ownerReferences?: { kind: string; name: string }[] };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown> & { conditions?: { type: string; status: string; reason?: string }[] };
}
type MachineObj = Obj & {
  spec: { bootstrap: { configRef?: { kind: string; name: string }; dataSecretName?: string }; infrastructureRef: { kind: string; name: string } };
};

describe('Cluster API managers in the local lab', { timeout: SETUP_TIMEOUT_MS + 20 * STEP_TIMEOUT_MS }, () => {
  let plane: ManagementPlane;
  let sim: LaunchedSimulator;
  let admin: KubeClient;
  let managers: CapiManagers;
  const stops: (() => Promise<void>)[] = [];
  /** Every process of the lab, for the memory report. */
  const procs: [string, number][] = [];
  const setupStarted = Date.now();
  let printed = false;
  const log = (line: string): void => {
    process.stdout.write(`# ${line}\n`);
  };

  const list = async <T extends Obj = Obj>(path: string, selector?: string): Promise<T[]> =>
    (await admin.request<{ items: T[] }>('GET', `${path}${selector ? `?labelSelector=${encodeURIComponent(selector)}` : ''}`)).items;

  before(
    async () => {
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
      admin = await KubeClient.create({ kubeconfig: plane.kubeconfigPath, qps: 100, burst: 100 });
      stops.push(() => {
        admin.close();
        return Promise.resolve();
      });
      // KCP asks for 3 replicas but creates one machine until the control plane is initialized.
      const objects = manifestObjects(`${exampleForSimulator(sim.url)}\n---\n${kubeadmFilesSecret(NS)}`);
      const lab = { plane, admin, sim, namespace: NS, stop: () => Promise.resolve() } satisfies Lab;
      await applyObjects(plane.kubeconfigPath, undefined, objects, () => undefined);
      const controller = await launchController(lab);
      stops.push(async () => {
        await controller.stop();
      });
      procs.push(['dcs-controller', controller.pid]);
      log(`setup (plane ${(plane.timings.crdsEstablishedMs / 1000).toFixed(1)} s, managers ready ${(managers.timings.readyMs / 1000).toFixed(1)} s, cold builds ${((plane.timings.buildMs + managers.timings.buildMs) / 1000).toFixed(0)} s) done after ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    if (!printed) printLab();
    // Reverse start order; each part was registered as soon as it ran (a failed setup stops what it started).
    for (const stop of stops.reverse()) await stop();
  });

  /** Memory of every process of the lab and how long it has run. */
  function printLab(): void {
    printed = true;
    printLabMemory(procs, setupStarted, log);
  }

  it('registers conversion: a v1beta2 Cluster reads back as v1beta1 with v1beta1-shaped references', async () => {
    const v1beta1 = await admin.request<{ spec: { infrastructureRef: { apiVersion?: string; kind: string } } }>('GET', `/apis/cluster.x-k8s.io/v1beta1/namespaces/${NS}/clusters/${CLUSTER}`);
    assert.equal(v1beta1.spec.infrastructureRef.kind, 'DCSCluster');
    assert.equal(v1beta1.spec.infrastructureRef.apiVersion, 'infrastructure.cluster.x-k8s.io/v1beta1');
  });

  it('registers admission: the MachineDeployment webhook refuses a template whose clusterName differs', async () => {
    const bad = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment', metadata: { name: 'refused', namespace: NS }, spec: { clusterName: CLUSTER, template: { spec: { clusterName: 'other', bootstrap: { dataSecretName: 'x' }, infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'DCSMachineTemplate', name: 'lab-b-wk-k8s1345' } } } } };
    await assert.rejects(admin.request('POST', `${CORE}/namespaces/${NS}/machinedeployments?dryRun=All`, { body: bad }), /denied the request|clusterName/i);
  });

  it('turns the MachineDeployment into a MachineSet and 2 Machines, each with a KubeadmConfig and a DCSMachine', { timeout: STEP_TIMEOUT_MS + 30_000 }, async () => {
    const started = Date.now();
    const machines = await waitFor(async () => {
      const found = await list<MachineObj>(`${CORE}/namespaces/${NS}/machines`, `cluster.x-k8s.io/deployment-name=${MD}`);
      return found.length === 2 ? found : undefined;
    }, 'two worker Machines', STEP_TIMEOUT_MS);
    const machineSets = await list(`${CORE}/namespaces/${NS}/machinesets`, `cluster.x-k8s.io/deployment-name=${MD}`);
    assert.equal(machineSets.length, 1);
    assert.ok(machineSets[0]?.metadata.ownerReferences?.some((o) => o.kind === 'MachineDeployment' && o.name === MD));
    const ownedBy = (o: Obj, kind: string, name: string | undefined): boolean => o.metadata.ownerReferences?.some((r) => r.kind === kind && r.name === name) === true;
    for (const machine of machines) {
      assert.ok(ownedBy(machine, 'MachineSet', machineSets[0]?.metadata.name), `${machine.metadata.name} is owned by the MachineSet`);
      const configRef = machine.spec.bootstrap.configRef;
      assert.equal(configRef?.kind, 'KubeadmConfig');
      assert.equal(machine.spec.infrastructureRef.kind, 'DCSMachine');
      // The Machine controller adopts both objects the MachineSet made from the templates.
      await waitFor(async () => {
        const config = await admin.request<Obj>('GET', `${BOOTSTRAP}/namespaces/${NS}/kubeadmconfigs/${configRef.name}`);
        const dcsMachine = await admin.request<Obj & { spec: { vmTemplateName?: string } }>('GET', `${INFRA}/namespaces/${NS}/dcsmachines/${machine.spec.infrastructureRef.name}`);
        assert.equal(dcsMachine.spec.vmTemplateName, 'alaudaos-v4.3.2-x86'); // cloned from the DCSMachineTemplate
        return ownedBy(config, 'Machine', machine.metadata.name) && ownedBy(dcsMachine, 'Machine', machine.metadata.name);
      }, `the KubeadmConfig and DCSMachine of ${machine.metadata.name} owned by it`, STEP_TIMEOUT_MS);
    }
    log(`worker Machines, KubeadmConfigs, DCSMachines after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('provisions the control-plane machine: KCP and CABPK make its ignition bootstrap data, our controller clones its VM', { timeout: STEP_TIMEOUT_MS + 30_000 }, async () => {
    const started = Date.now();
    const cp = await waitFor(async () => {
      const [machine] = await list<MachineObj>(`${CORE}/namespaces/${NS}/machines`, `cluster.x-k8s.io/control-plane,cluster.x-k8s.io/cluster-name=${CLUSTER}`);
      return machine?.spec.bootstrap.dataSecretName && (machine.status?.initialization as { infrastructureProvisioned?: boolean } | undefined)?.infrastructureProvisioned ? machine : undefined;
    }, 'the control-plane Machine with bootstrap data and provisioned infrastructure', STEP_TIMEOUT_MS);
    const secret = await admin.request<{ data: { format: string; value: string } }>('GET', `/api/v1/namespaces/${NS}/secrets/${cp.spec.bootstrap.dataSecretName ?? ''}`);
    assert.equal(Buffer.from(secret.data.format, 'base64').toString(), 'ignition');
    // CABPK rendered kubeadm's init (not a join); never print the data: it holds the cluster's CA keys.
    const bootstrap = decodeURIComponent(Buffer.from(secret.data.value, 'base64').toString());
    assert.ok(bootstrap.includes('kind: InitConfiguration'), 'the bootstrap data carries an InitConfiguration');
    assert.ok(!bootstrap.includes('kind: JoinConfiguration'), 'the bootstrap data carries no JoinConfiguration');
    const dcsMachine = await admin.request<Obj & { spec: { providerID?: string } }>('GET', `${INFRA}/namespaces/${NS}/dcsmachines/${cp.spec.infrastructureRef.name}`);
    assert.match(dcsMachine.spec.providerID ?? '', /^dcs:\/\//);
    const vms = Object.values((await simState(sim)).vms).filter((vm) => !vm.isTemplate);
    assert.deepEqual(vms.map((vm) => vm.name), ['lab-b-cp-1']); // the pool's first entry names the VM
    assert.equal(vms[0]?.status, 'running');
    log(`control-plane VM running after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('stops where the lab stops: without a workload API the workers wait for join data, and no worker VM exists', async () => {
    const configs = await list(`${BOOTSTRAP}/namespaces/${NS}/kubeadmconfigs`, `cluster.x-k8s.io/deployment-name=${MD}`);
    assert.equal(configs.length, 2);
    for (const config of configs) assert.equal((config.status as { dataSecretName?: string } | undefined)?.dataSecretName, undefined);
    await waitFor(async () => {
      const dcsMachines = await list(`${INFRA}/namespaces/${NS}/dcsmachines`, `cluster.x-k8s.io/deployment-name=${MD}`);
      return dcsMachines.length === 2 && dcsMachines.every((m) => m.status?.conditions?.some((c) => c.reason === 'WaitingForBootstrapData'));
    }, 'worker DCSMachines waiting for bootstrap data', STEP_TIMEOUT_MS);
    const vms = Object.values((await simState(sim)).vms).filter((vm) => !vm.isTemplate);
    assert.equal(vms.length, 1);
  });

  it('stop() ends the managers by PID and takes their webhooks off the API server', async () => {
    printLab(); // while everything still runs
    await managers.stop();
    for (const m of managers.managers) assert.equal(isAlive(m.pid), false, `${m.name} (pid ${m.pid}) still runs`);
    for (const plural of ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations']) {
      const configs = await list(`/apis/admissionregistration.k8s.io/v1/${plural}`);
      assert.deepEqual(configs.map((c) => c.metadata.name), []);
    }
    const crd = await admin.request<{ spec: { conversion: { strategy: string } } }>('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/clusters.cluster.x-k8s.io');
    assert.equal(crd.spec.conversion.strategy, 'None');
  });
});
