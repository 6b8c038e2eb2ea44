// capi-dcs-controller killed (SIGKILL, whole process group) at each step of provisioning and of
// deletion, then restarted: every machine still ends with exactly one VM and one volume per
// persistent disk slot, holding the same pool entry, and a deleted machine leaves no VM (and no
// bootstrap medium, recorded or not) behind.
// Steps are frozen with the simulator's stuck-task fault, so the kill lands exactly in them.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isoFileName } from '../../src/controller/services/bootstrapIso';
import { ownerUidOf } from '../../src/shared/dcs/client';
import { launchController, runningTask, simCall, simState, startLab, TEMPLATE, vmsNamed, waitFor, type Lab, type LaunchedController } from './controllerHarness';
import { entry, LabObjects } from './controllerObjects';

const NS = 'dcs-crash';
const DISK = { slot: 0, quantityGB: 2, datastoreClusterName: 'dsc-gold', path: '/var/cpaas' };

describe('capi-dcs-controller: killed at each step and restarted', () => {
  let lab: Lab;
  let objects: LabObjects;
  let controller: LaunchedController;

  const ready = (name: string): Promise<true> =>
    waitFor(async () => ((await objects.dcsMachine(name))?.status?.ready === true ? true : undefined), `${name} ready`, 60_000);
  const allocationOf = async (name: string): Promise<string | undefined> =>
    (await objects.pool('crash-pool'))?.status?.allocations?.find((a) => a.dcsMachineName === name)?.ip;
  const annotationOf = async (name: string): Promise<string | undefined> => (await objects.dcsMachine(name))?.metadata.annotations?.['capi-dcs.io/pool-entry'];

  /** Kills the running controller and starts a new one. */
  const crashAndRestart = async (): Promise<void> => {
    await controller.kill();
    controller = await launchController(lab);
  };

  /** Exactly one VM (owned by the machine) and one slot volume, whatever happened. */
  const assertSingleVm = async (machine: string, vmName: string): Promise<void> => {
    const uid = (await objects.dcsMachine(machine))?.metadata.uid;
    const vms = await vmsNamed(lab.sim, vmName);
    assert.equal(vms.length, 1, `VMs named ${vmName}: ${vms.map((v) => v.id).join(', ')}`);
    assert.equal(ownerUidOf(vms[0] ?? { description: '' }), uid);
    assert.equal(vms[0]?.status, 'running');
    const pool = await objects.poolWhen('crash-pool', (p) => p.status?.persistentDiskStatus?.some((d) => d.ownerMachineName === machine) === true, `the disk of ${machine}`);
    const volumeName = pool.status?.persistentDiskStatus?.find((d) => d.ownerMachineName === machine)?.name;
    assert.ok(volumeName, `a persistent disk record for ${machine}`);
    assert.equal(Object.values((await simState(lab.sim)).volumes).filter((v) => v.name === volumeName).length, 1);
    const all = Object.values((await simState(lab.sim)).vms).filter((vm) => !vm.isTemplate);
    assert.equal(new Set(all.map((vm) => vm.name)).size, all.length, 'no VM name appears twice');
  };

  before(async () => {
    lab = await startLab(NS);
    objects = new LabObjects(lab.admin, NS);
    await objects.createCluster(lab.sim.url);
    await objects.createPool('crash-pool', [1, 2, 3, 4, 5, 6, 7, 8].map((n) => entry(n, { persistentDisk: [DISK] })));
    controller = await launchController(lab);
  });

  after(async () => {
    await controller.stop();
    await lab.stop();
  });

  it('after the slot claim, before the clone', async () => {
    await simCall(lab.sim, 'POST', '/sim/faults', { hiddenTemplates: [TEMPLATE] });
    await objects.createMachine('c-0', 'crash-pool');
    await waitFor(async () => {
      const dm = await objects.dcsMachine('c-0');
      return dm?.status?.conditions?.some((c) => c.reason === 'VMTemplateNotFound') && (await allocationOf('c-0'));
    }, 'the claim recorded and the clone refused');
    const claimed = await allocationOf('c-0');
    assert.equal(await annotationOf('c-0'), `crash-pool/${claimed ?? ''}`);
    await crashAndRestart();
    await simCall(lab.sim, 'POST', '/sim/faults', { hiddenTemplates: [] });
    await ready('c-0');
    assert.equal(await allocationOf('c-0'), claimed, 'the restarted controller kept the recorded slot');
    assert.equal(await annotationOf('c-0'), `crash-pool/${claimed ?? ''}`);
    assert.equal((await objects.pool('crash-pool'))?.status?.allocations?.length, 1);
    await assertSingleVm('c-0', 'lab-node-1');
  });

  const provisioningSteps = ['clone', 'createvol', 'attachvol', 'attachcdrom', 'start'] as const;
  provisioningSteps.forEach((step, i) => {
    it(`during the ${step} task`, async () => {
      const name = `c-${i + 1}`;
      await simCall(lab.sim, 'POST', '/sim/faults', { stickNext: { [step]: 1 } });
      await objects.createMachine(name, 'crash-pool');
      const task = await waitFor(() => runningTask(lab.sim, step), `a stuck ${step} task`);
      await crashAndRestart();
      await simCall(lab.sim, 'POST', `/sim/tasks/${task.id}/release`);
      await ready(name);
      await assertSingleVm(name, `lab-node-${i + 2}`);
      const vm = (await vmsNamed(lab.sim, `lab-node-${i + 2}`))[0];
      const booted = await simCall<{ contentBase64: string }>(lab.sim, 'GET', `/sim/vms/${vm?.id ?? ''}/bootstrap`);
      assert.match(Buffer.from(booted.contentBase64, 'base64').toString(), new RegExp(`"providerId":"dcs://${name}"`), 'booted with its own bootstrap data');
    });
  });

  it('deletes a bootstrap medium that was uploaded but never recorded in the status', async () => {
    // c-4 is ready (the attachcdrom step; killed there, it often lost that status write already).
    // A crash between the upload and the status write leaves no status.cdRomFile: made sure by hand
    // while no controller runs.
    const medium = isoFileName('lab-node-5', (await objects.dcsMachine('c-4'))?.metadata.uid ?? '');
    await controller.kill();
    await objects.api.mergePatch(`${objects.path('dcsmachines', 'c-4')}/status`, { status: { cdRomFile: null, cdRomDatastoreUrn: null } });
    controller = await launchController(lab);
    const files = async (): Promise<string[]> => Object.values((await simState(lab.sim)).datastores).flatMap((d) => Object.keys(d.files));
    assert.ok((await files()).includes(medium), 'the medium is on a datastore');
    await objects.deleteMachine('c-4');
    await waitFor(async () => ((await objects.dcsMachine('c-4')) === undefined ? true : undefined), 'c-4 deleted', 60_000);
    assert.deepEqual(await vmsNamed(lab.sim, 'lab-node-5'), []);
    assert.ok(!(await files()).includes(medium), `${medium} deleted by its name`);
  });

  (['stop', 'delete'] as const).forEach((step) => {
    it(`during the ${step} task of a deletion`, async () => {
      const name = step === 'stop' ? 'c-1' : 'c-2';
      const vmName = step === 'stop' ? 'lab-node-2' : 'lab-node-3';
      await simCall(lab.sim, 'POST', '/sim/faults', { stickNext: { [step]: 1 } });
      await objects.deleteMachine(name);
      const task = await waitFor(() => runningTask(lab.sim, step), `a stuck ${step} task`);
      await crashAndRestart();
      await simCall(lab.sim, 'POST', `/sim/tasks/${task.id}/release`);
      await waitFor(async () => ((await objects.dcsMachine(name)) === undefined ? true : undefined), `${name} deleted`, 60_000);
      assert.deepEqual(await vmsNamed(lab.sim, vmName), []);
      assert.equal(await allocationOf(name), undefined, 'the slot is free again');
      assert.equal(await annotationOf(name), undefined);
      const record = (await objects.pool('crash-pool'))?.status?.persistentDiskStatus?.find((d) => d.ownerMachineName === name);
      assert.equal(record?.phase, 'Available');
      assert.equal(Object.values((await simState(lab.sim)).volumes).filter((v) => v.name === record.name).length, 1, 'the volume is kept');
    });
  });
});
