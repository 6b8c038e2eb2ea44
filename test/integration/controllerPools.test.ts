// capi-dcs-controller and its pools: exhaustion reported clearly and resolved by adding an entry,
// a persistent disk (and its data) surviving the replacement of its machine, machines deleted
// cleanly after their pool (kept until they are gone, or already gone), and a paused cluster left
// alone until it is unpaused.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { volumeNameFor } from '../../src/controller/controllers/persistentDisks';
import { isNotFound } from '../../src/controller/runtime/kubeErrors';
import { launchController, simCall, simState, startLab, vmsNamed, waitFor, type Lab, type LaunchedController } from './controllerHarness';
import { condition, entry, LabObjects } from './controllerObjects';

const NS = 'dcs-pools';
const idOf = (urn: string): string => urn.split(':').pop() ?? '';

describe('capi-dcs-controller: pools, persistent disks, pause', () => {
  let lab: Lab;
  let objects: LabObjects;
  let controller: LaunchedController;

  const ready = (name: string): Promise<true> =>
    waitFor(async () => ((await objects.dcsMachine(name))?.status?.ready === true ? true : undefined), `${name} ready`, 60_000);
  const gone = (name: string): Promise<true> =>
    waitFor(async () => ((await objects.dcsMachine(name)) === undefined ? true : undefined), `${name} deleted`, 60_000);

  before(async () => {
    lab = await startLab(NS);
    objects = new LabObjects(lab.admin, NS);
    await objects.createCluster(lab.sim.url);
    controller = await launchController(lab);
  });

  after(async () => {
    await controller.stop();
    await lab.stop();
  });

  it('reports an exhausted pool with its name and counts, and provisions once an entry is added', async () => {
    await objects.createPool('tiny', [entry(1)]);
    await objects.createMachine('t-1', 'tiny');
    await ready('t-1');
    await objects.createMachine('t-2', 'tiny');
    const waiting = await waitFor(async () => {
      const got = await objects.dcsMachine('t-2');
      return condition(got, 'VMProvisioned')?.reason === 'WaitingForPoolSlot' ? got : undefined;
    }, 'WaitingForPoolSlot on t-2');
    assert.match(condition(waiting, 'VMProvisioned')?.message ?? '', /^pool tiny has no free entry: 1 of 1 in use/);
    assert.equal(condition(waiting, 'Ready')?.status, 'False');
    assert.deepEqual(await vmsNamed(lab.sim, 'lab-node-2'), [], 'no VM without a slot');

    await objects.setPoolEntries('tiny', [entry(1), entry(2)]);
    await ready('t-2');
    const pool = await objects.poolWhen('tiny', (p) => p.status?.used === 2, 'two entries used');
    assert.deepEqual(pool.status?.allocations?.map((a) => [a.dcsMachineName, a.ip]).sort(), [['t-1', '127.0.12.11'], ['t-2', '127.0.12.12']]);
    assert.deepEqual([pool.status.size, pool.status.used, pool.status.free], [2, 2, 0]);
  });

  it('keeps a persistent disk and its data across the replacement of its machine', async () => {
    const disk = { slot: 0, quantityGB: 5, datastoreClusterName: 'dsc-gold', path: '/var/cpaas', format: 'xfs' };
    await objects.createPool('pd-pool', [entry(5, { persistentDisk: [disk] })]);
    await objects.createMachine('pd-1', 'pd-pool');
    await ready('pd-1');

    const attached = (await objects.poolWhen('pd-pool', (p) => p.status?.persistentDiskStatus?.[0]?.phase === 'Attached', 'the disk recorded')).status?.persistentDiskStatus?.[0];
    assert.ok(attached?.volumeUrn);
    assert.match(attached.name ?? '', /^pd-pool-[0-9a-f]{8}$/);
    assert.equal(attached.phase, 'Attached');
    assert.equal(attached.ownerMachineName, 'pd-1');
    const firstVm = (await objects.dcsMachine('pd-1'))?.spec.vmUrn ?? '';
    assert.equal(attached.attachedVmUrn, firstVm);
    const [vm1] = await vmsNamed(lab.sim, 'lab-node-5');
    assert.deepEqual(vm1?.disks.map((d) => [d.sequenceNum, d.volumeId]).at(-1), [3, idOf(attached.volumeUrn)], 'the slot volume follows the two template disks');
    await simCall(lab.sim, 'PUT', `/sim/volumes/${idOf(attached.volumeUrn)}/files/marker`, { content: 'etcd-backup-42' });

    const medium = (await objects.dcsMachine('pd-1'))?.status?.cdRomFile ?? '';
    assert.notEqual(medium, '');
    await objects.deleteMachine('pd-1');
    await gone('pd-1');
    const files = Object.values((await simState(lab.sim)).datastores).flatMap((d) => Object.keys(d.files));
    assert.ok(!files.includes(medium), 'the bootstrap medium is deleted with the machine');
    const released = (await objects.pool('pd-pool'))?.status?.persistentDiskStatus?.[0];
    assert.equal(released?.phase, 'Available');
    assert.equal(released.attachedVmUrn, undefined);
    assert.equal(released.volumeUrn, attached.volumeUrn);
    assert.equal(released.ownerMachineUID, attached.ownerMachineUID, 'the last owner is remembered');
    assert.equal((await simState(lab.sim)).volumes[idOf(attached.volumeUrn)]?.status, 'available');

    await objects.createMachine('pd-2', 'pd-pool');
    await ready('pd-2');
    const secondVm = (await objects.dcsMachine('pd-2'))?.spec.vmUrn ?? '';
    assert.notEqual(secondVm, firstVm);
    const [vm2] = await vmsNamed(lab.sim, 'lab-node-5');
    assert.ok(vm2);
    const marker = await simCall<{ content: string }>(lab.sim, 'GET', `/sim/vms/${vm2.id}/disks/3/files/marker`);
    assert.equal(marker.content, 'etcd-backup-42');
    const reattached = (await objects.poolWhen('pd-pool', (p) => p.status?.persistentDiskStatus?.[0]?.ownerMachineName === 'pd-2', 'the disk re-recorded')).status?.persistentDiskStatus;
    assert.equal(reattached?.length, 1);
    assert.deepEqual([reattached[0]?.phase, reattached[0]?.attachedVmUrn, reattached[0]?.ownerMachineName], ['Attached', secondVm, 'pd-2']);
    const volumes = Object.values((await simState(lab.sim)).volumes).filter((v) => v.name === attached.name);
    assert.equal(volumes.length, 1, 'no second volume was created');
  });

  // kubectl delete -f cluster.yaml deletes the pool with (or before) its machines.
  const disk0 = { slot: 0, quantityGB: 5, datastoreClusterName: 'dsc-gold', path: '/var/cpaas', format: 'xfs' };
  const deletePool = (name: string): Promise<unknown> => lab.admin.request('DELETE', objects.path('dcsiphostnamepools', name));
  const poolGone = (name: string): Promise<true> => waitFor(async () => ((await objects.pool(name)) === undefined ? true : undefined), `pool ${name} deleted`, 60_000);
  /** The machine's slot volume is kept, free, and was detached before its VM was deleted. */
  const assertVolumeKept = async (pool: string, ip: string): Promise<void> => {
    const state = await simState(lab.sim);
    const volumes = Object.values(state.volumes).filter((v) => v.name === volumeNameFor(pool, ip, 0));
    assert.equal(volumes.length, 1, `one slot volume for ${ip}`);
    assert.deepEqual([volumes[0]?.status, volumes[0]?.vmId], ['available', undefined]);
    const detached = Object.values(state.tasks).filter((t) => t.payload.kind === 'detachvol' && (t.payload as { volumeId?: string }).volumeId === volumes[0]?.id);
    assert.deepEqual(detached.map((t) => t.status), ['success'], `the slot volume of ${ip} was detached before the VM went`);
  };
  const assertNoLeftovers = async (machines: Record<string, string>): Promise<void> => {
    const state = await simState(lab.sim);
    const files = Object.values(state.datastores).flatMap((d) => Object.keys(d.files));
    for (const [vmName, medium] of Object.entries(machines)) {
      assert.deepEqual(await vmsNamed(lab.sim, vmName), [], `VM ${vmName} deleted`);
      assert.ok(!files.includes(medium), `bootstrap medium ${medium} deleted`);
    }
  };

  it('keeps a pool deleted before its machines until they are gone, and deletes them cleanly', async () => {
    await objects.createPool('gone-pool', [entry(8, { persistentDisk: [disk0] }), entry(9, { persistentDisk: [disk0] })]);
    await objects.createMachine('g-1', 'gone-pool');
    await objects.createMachine('g-2', 'gone-pool');
    await Promise.all([ready('g-1'), ready('g-2')]);
    await objects.poolWhen('gone-pool', (p) => p.metadata.finalizers?.includes('dcsiphostnamepool.infrastructure.cluster.x-k8s.io') === true, 'the pool finalizer');
    const media = { 'lab-node-8': (await objects.dcsMachine('g-1'))?.status?.cdRomFile ?? '', 'lab-node-9': (await objects.dcsMachine('g-2'))?.status?.cdRomFile ?? '' };

    await deletePool('gone-pool');
    await sleep(1_000);
    assert.ok((await objects.pool('gone-pool'))?.metadata.deletionTimestamp, 'the pool waits for its machines');
    await objects.deleteMachine('g-1');
    await gone('g-1');
    assert.ok(await objects.pool('gone-pool'), 'the pool waits for its last machine');
    await objects.deleteMachine('g-2');
    await gone('g-2');
    await poolGone('gone-pool');
    await assertVolumeKept('gone-pool', entry(8).ip);
    await assertVolumeKept('gone-pool', entry(9).ip);
    await assertNoLeftovers(media);
  });

  it('deletes machines whose pool is already gone, detaching their persistent volumes first', async () => {
    await objects.createPool('lost-pool', [entry(11, { persistentDisk: [disk0] })]);
    await objects.createMachine('l-1', 'lost-pool');
    await ready('l-1');
    await objects.poolWhen('lost-pool', (p) => p.status?.persistentDiskStatus?.[0]?.phase === 'Attached', 'the disk recorded');
    const medium = (await objects.dcsMachine('l-1'))?.status?.cdRomFile ?? '';
    // A pool from before the finalizer, or one whose finalizer was removed by hand.
    await deletePool('lost-pool');
    await lab.admin.mergePatch(objects.path('dcsiphostnamepools', 'lost-pool'), { metadata: { finalizers: null } }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err; // gone already: a controller without the pool finalizer
    });
    await poolGone('lost-pool');

    await objects.deleteMachine('l-1');
    await gone('l-1');
    await assertVolumeKept('lost-pool', entry(11).ip);
    await assertNoLeftovers({ 'lab-node-11': medium });
  });

  it('leaves a paused cluster alone, and provisions once it is unpaused', async () => {
    const paused = new LabObjects(lab.admin, NS, 'sleepy');
    await paused.createCluster(lab.sim.url, { paused: true });
    await objects.createPool('sleepy-pool', [entry(7)]);
    await paused.createMachine('z-1', 'sleepy-pool');
    const dm = await waitFor(async () => {
      const got = await paused.dcsMachine('z-1');
      return condition(got, 'Paused')?.status === 'True' ? got : undefined;
    }, 'Paused=True on z-1');
    assert.equal(dm.metadata.finalizers, undefined, 'no finalizer while paused');
    assert.equal(dm.status?.ready, undefined);
    assert.equal(condition(await paused.dcsCluster(), 'Paused')?.status, 'True');
    assert.equal((await paused.dcsCluster())?.status?.ready, undefined);
    assert.deepEqual((await objects.pool('sleepy-pool'))?.status?.allocations ?? [], []);
    assert.deepEqual(await vmsNamed(lab.sim, 'lab-node-7'), []);

    await paused.setPaused(false);
    await waitFor(async () => ((await paused.dcsMachine('z-1'))?.status?.ready === true ? true : undefined), 'z-1 ready after unpause', 60_000);
    assert.equal(condition(await paused.dcsMachine('z-1'), 'Paused')?.status, 'False');
    assert.equal((await vmsNamed(lab.sim, 'lab-node-7')).length, 1);
  });
});
