// capi-dcs-controller end to end: a real API server (least-privilege controller user), the DCS
// simulator, and the controller as a process. Machines go from creation to a running VM booted
// with their bootstrap data, and back to nothing on deletion; a paused cluster is left alone.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeClient } from '../../src/controller/runtime/kubeClient';
import { KubeApiError } from '../../src/controller/runtime/kubeErrors';
import { ownerUidOf } from '../../src/shared/dcs/client';
import { launchController, simCall, simState, startLab, vmsNamed, waitFor, DCS_USER, type Lab, type LaunchedController } from './controllerHarness';
import { bootstrapPayload, condition, entry, LabObjects } from './controllerObjects';

const NS = 'dcs-lifecycle';

describe('capi-dcs-controller: machine lifecycle', () => {
  let lab: Lab;
  let objects: LabObjects;
  let controller: LaunchedController;

  before(async () => {
    lab = await startLab(NS);
    objects = new LabObjects(lab.admin, NS);
    await objects.createCluster(lab.sim.url);
    await objects.createPool('lab-pool', [entry(1), entry(2)]);
    controller = await launchController(lab);
  });

  after(async () => {
    await controller.stop();
    await lab.stop();
  });

  it('makes the DCSCluster ready and fills the endpoint from the load balancer', async () => {
    const dc = await waitFor(async () => {
      const got = await objects.dcsCluster();
      return got?.status?.ready === true ? got : undefined;
    }, 'DCSCluster ready');
    assert.deepEqual(dc.spec.controlPlaneEndpoint, { host: '127.0.12.5', port: 6443 });
    assert.equal(dc.status?.initialization?.provisioned, true);
    assert.equal(condition(dc, 'DCSConnected')?.status, 'True');
    assert.ok(dc.metadata.finalizers?.includes('dcscluster.infrastructure.cluster.x-k8s.io'));
  });

  it('provisions a machine: slot, VM booted with its rendered bootstrap data, providerID, addresses, ready', async () => {
    await objects.createMachine('m-1', 'lab-pool');
    const dm = await waitFor(async () => {
      const got = await objects.dcsMachine('m-1');
      return got?.status?.ready === true ? got : undefined;
    }, 'DCSMachine m-1 ready', 60_000);

    assert.equal(dm.spec.providerID, 'dcs://m-1');
    assert.match(dm.spec.vmUrn ?? '', /^urn:sites:SIM0001A:vms:/);
    assert.equal(dm.status?.initialization?.provisioned, true);
    assert.deepEqual(dm.status.addresses, [
      { type: 'InternalIP', address: '127.0.12.11' },
      { type: 'Hostname', address: 'lab-node-1' },
    ]);
    assert.equal(dm.status.networkConfig?.ip, '127.0.12.11');
    assert.equal(condition(dm, 'Ready')?.status, 'True');
    assert.equal(condition(dm, 'VMProvisioned')?.reason, 'Provisioned');
    assert.ok(dm.metadata.finalizers?.includes('dcsmachine.infrastructure.cluster.x-k8s.io'));

    assert.equal(dm.metadata.annotations?.['capi-dcs.io/pool-entry'], 'lab-pool/127.0.12.11', 'the claim is recorded on the machine');
    const pool = await objects.poolWhen('lab-pool', (p) => (p.status?.allocations?.length ?? 0) > 0, 'the claim mirrored');
    assert.deepEqual(
      pool.status?.allocations?.map((a) => [a.ip, a.dcsMachineName, a.dcsMachineUID, a.vmName]),
      [['127.0.12.11', 'm-1', dm.metadata.uid, 'lab-node-1']],
    );
    assert.deepEqual([pool.status.size, pool.status.used, pool.status.free], [2, 1, 1]);

    const [vm, ...more] = await vmsNamed(lab.sim, 'lab-node-1');
    assert.ok(vm);
    assert.equal(more.length, 0);
    assert.equal(vm.status, 'running');
    assert.equal(ownerUidOf(vm), dm.metadata.uid);
    assert.deepEqual(vm.disks.map((d) => d.sequenceNum), [1, 2]);
    const booted = await simCall<{ contentBase64: string; sha256: string }>(lab.sim, 'GET', `/sim/vms/${vm.id}/bootstrap`);
    const expected = bootstrapPayload('m-1').replace('PROVIDER_ID', 'dcs://m-1').replace('NODE_IP', '127.0.12.11');
    assert.equal(Buffer.from(booted.contentBase64, 'base64').toString('utf8'), expected);
    assert.equal(booted.sha256, createHash('sha256').update(expected).digest('hex'));
  });

  it('detaches and deletes the bootstrap medium once the node has joined', async () => {
    const before = await objects.dcsMachine('m-1');
    const file = before?.status?.cdRomFile ?? '';
    assert.notEqual(file, '');
    assert.equal((await vmsNamed(lab.sim, 'lab-node-1'))[0]?.cdRom?.fileName, file, 'mounted until then');
    await objects.api.mergePatch(`${objects.path('machines', 'm-1')}/status`, { status: { nodeRef: { name: 'lab-node-1' } } });
    const after = await waitFor(async () => {
      const got = await objects.dcsMachine('m-1');
      return got?.status?.cdRomDetached === true ? got : undefined;
    }, 'cdRomDetached');
    assert.equal(after.status?.cdRomFileDeleted, true);
    assert.equal((await vmsNamed(lab.sim, 'lab-node-1'))[0]?.cdRom, undefined);
    const files = Object.values((await simState(lab.sim)).datastores).flatMap((d) => Object.keys(d.files));
    assert.ok(!files.includes(file), `${file} is still on a datastore`);
  });

  it('deletes a machine: VM stopped and deleted, medium removed, slot freed, finalizer gone', async () => {
    const dm = await objects.dcsMachine('m-1');
    assert.ok(dm?.status?.cdRomFile);
    await objects.deleteMachine('m-1');
    await waitFor(async () => ((await objects.dcsMachine('m-1')) === undefined ? true : undefined), 'DCSMachine m-1 gone', 60_000);
    assert.deepEqual(await vmsNamed(lab.sim, 'lab-node-1'), []);
    const pool = await objects.pool('lab-pool');
    assert.deepEqual(pool?.status?.allocations ?? [], []);
    assert.deepEqual([pool?.status?.used, pool?.status?.free], [0, 2]);
    const files = Object.values((await simState(lab.sim)).datastores).flatMap((d) => Object.keys(d.files));
    assert.ok(!files.includes(dm.status.cdRomFile), `${dm.status.cdRomFile} is still on a datastore: ${files.join(', ')}`);
    await controller.waitForLog((l) => l.msg === 'issued safe StopVm' && l.name === 'm-1', 'the safe stop log line', 5_000);
    await controller.waitForLog((l) => l.msg === 'removed DCSMachine finalizer' && l.name === 'm-1', 'the finalizer log line', 5_000);
  });

  it('waits for the bootstrap data, then provisions', async () => {
    await objects.createMachine('m-2', 'lab-pool', { noBootstrap: true });
    const waiting = await waitFor(async () => {
      const got = await objects.dcsMachine('m-2');
      return condition(got, 'VMProvisioned')?.reason === 'WaitingForBootstrapData' ? got : undefined;
    }, 'WaitingForBootstrapData');
    assert.equal(condition(waiting, 'Ready')?.status, 'False');
    assert.equal((await objects.pool('lab-pool'))?.status?.allocations?.length ?? 0, 0, 'no slot is claimed before the bootstrap data exists');
    assert.equal(waiting.metadata.finalizers, undefined, 'no finalizer before anything exists in DCS');
    await objects.provideBootstrap('m-2');
    await waitFor(async () => ((await objects.dcsMachine('m-2'))?.status?.ready === true ? true : undefined), 'm-2 ready', 60_000);
  });

  it('waits for a named bootstrap Secret that does not exist yet, claiming no slot, then provisions', async () => {
    await objects.createPool('late-pool', [entry(3)]);
    await objects.createMachine('m-3', 'late-pool', { absentBootstrap: true });
    const waiting = await waitFor(async () => {
      const got = await objects.dcsMachine('m-3');
      return condition(got, 'VMProvisioned')?.reason === 'WaitingForBootstrapData' ? got : undefined;
    }, 'WaitingForBootstrapData on m-3');
    assert.match(condition(waiting, 'VMProvisioned')?.message ?? '', /Secret m-3-bootstrap does not exist yet/);
    await sleep(1_500); // past one retry (--slot-retry 1s): still waiting, still nothing claimed
    const still = await objects.dcsMachine('m-3');
    assert.equal(condition(still, 'VMProvisioned')?.reason, 'WaitingForBootstrapData');
    assert.equal(still?.metadata.annotations?.['capi-dcs.io/pool-entry'], undefined, 'no slot claimed');
    assert.equal(still?.metadata.finalizers, undefined);
    assert.deepEqual(await vmsNamed(lab.sim, 'lab-node-3'), []);
    await objects.createBootstrapSecret('m-3');
    await waitFor(async () => ((await objects.dcsMachine('m-3'))?.status?.ready === true ? true : undefined), 'm-3 ready', 60_000);
    await objects.deleteMachine('m-3');
    await waitFor(async () => ((await objects.dcsMachine('m-3')) === undefined ? true : undefined), 'DCSMachine m-3 gone', 60_000);
  });

  it('keeps the VM and the slot of a machine annotated cpaas.io/retain-vm', async () => {
    await objects.api.mergePatch(objects.path('dcsmachines', 'm-2'), { metadata: { annotations: { 'cpaas.io/retain-vm': 'true' } } });
    const vmName = (await objects.dcsMachine('m-2'))?.status?.networkConfig?.machineName ?? '';
    await objects.deleteMachine('m-2');
    await waitFor(async () => ((await objects.dcsMachine('m-2')) === undefined ? true : undefined), 'DCSMachine m-2 gone');
    const [vm] = await vmsNamed(lab.sim, vmName);
    assert.equal(vm?.status, 'running');
    const pool = await objects.poolWhen('lab-pool', (p) => (p.status?.allocations?.length ?? 0) > 0, 'the kept allocation');
    assert.deepEqual(pool.status?.allocations?.map((a) => a.dcsMachineName), ['m-2']);
  });

  it('serves health, readiness and metrics', async () => {
    assert.equal((await fetch(`${controller.healthUrl}/healthz`)).status, 200);
    assert.equal((await fetch(`${controller.healthUrl}/readyz`)).status, 200);
    const metrics = await controller.metrics();
    assert.match(metrics, /^capi_dcs_reconcile_total\{controller="dcsmachine",result="success"\} \d+$/m);
    assert.match(metrics, /^capi_dcs_kube_api_requests_total\{code="200",resource="dcsmachines\/status",verb="patch"\} \d+$/m);
    assert.match(metrics, /^capi_dcs_dcs_api_requests_total\{code="200",method="POST"\} \d+$/m);
    assert.match(metrics, /^capi_dcs_workqueue_depth\{name="dcsmachine"\} 0$/m);
  });

  it('runs with a least-privilege role: no listing of Secrets, no DCSMachineTemplates, no writes to CAPI objects', async () => {
    const asController = await KubeClient.create({ kubeconfig: lab.plane.controllerKubeconfigPath, qps: 100, burst: 100 });
    try {
      const status = (path: string, method = 'GET', body?: unknown): Promise<number> =>
        asController.request(method, path, body === undefined ? {} : { body, contentType: 'application/merge-patch+json' }).then(
          () => 200,
          (err: unknown) => (err instanceof KubeApiError ? err.status : 0),
        );
      assert.equal(await status(`/api/v1/namespaces/${NS}/secrets/lab-dcs`), 200, 'one Secret by name');
      assert.equal(await status(`/api/v1/namespaces/${NS}/secrets`), 403);
      assert.equal(await status(`/apis/infrastructure.cluster.x-k8s.io/v1beta1/namespaces/${NS}/dcsmachinetemplates`), 403);
      assert.equal(await status(objects.path('machines', 'm-1'), 'PATCH', { metadata: { labels: { x: 'y' } } }), 403);
    } finally {
      asController.close();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    assert.equal(await controller.stop(), 0);
    const lines = controller.lines();
    assert.equal(lines.at(-1)?.msg, 'stopped');
    assert.ok(lines.some((l) => l.msg === 'shutting down' && l.reason === 'SIGTERM'));
  });

  it('never writes the DCS key or bootstrap data to its logs', () => {
    const logs = controller.logs();
    assert.ok(logs.length > 1000, 'the controller logged');
    assert.ok(!logs.includes(DCS_USER.authKey));
    assert.ok(!logs.includes(createHash('sha256').update(DCS_USER.authKey).digest('hex')));
    assert.ok(!logs.includes('abcdef.0123456789abcdef'), 'the join token of the bootstrap data');
    assert.ok(!logs.includes(Buffer.from(bootstrapPayload('m-1')).toString('base64')));
  });
});
