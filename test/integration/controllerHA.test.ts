// Control plane anti-affinity (DCSCluster spec.controlPlaneHA) against the real API server and the
// simulator: the controller writes one DRS mutual exclusion rule listing the control plane VMs,
// DCS (the simulator's DRS) moves a VM that shared a host, ControlPlaneHAReady turns True with
// the rule in status; a control plane machine leaving updates the rule; turning HA off deletes it, and
// so does deleting the DCSCluster.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchController, simCall, simState, startLab, waitFor, type Lab, type LaunchedController } from './controllerHarness';
import { condition, entry, LabObjects } from './controllerObjects';

const NS = 'dcs-ha';
const RULE = `capi-${NS}-lab-cp`;

interface SimCluster {
  name: string;
  drsRules: { ruleIndex: number; ruleName: string; ruleType: number; vms: string[] }[];
}
interface SimVmPlacement {
  id: string;
  name: string;
  hostId: string;
  isTemplate: boolean;
}

describe('capi-dcs-controller: control plane anti-affinity (DRS rule)', () => {
  let lab: Lab;
  let objects: LabObjects;
  let controller: LaunchedController;

  const rules = async (): Promise<SimCluster['drsRules']> => {
    const state = (await simState(lab.sim)) as unknown as { clusters: Record<string, SimCluster> };
    return Object.values(state.clusters).flatMap((c) => c.drsRules);
  };
  const vms = async (): Promise<SimVmPlacement[]> => Object.values((await simState(lab.sim)).vms as unknown as Record<string, SimVmPlacement>).filter((vm) => !vm.isTemplate);
  const urnOf = (vm: SimVmPlacement): string => `urn:sites:SIM0001A:vms:${vm.id}`;

  before(async () => {
    lab = await startLab(NS);
    objects = new LabObjects(lab.admin, NS);
    await objects.createCluster(lab.sim.url, { controlPlaneHA: false });
    await objects.createPool('cp-pool', [1, 2, 3].map((n) => entry(n)));
    controller = await launchController(lab);
    for (const n of [1, 2, 3]) await objects.createMachine(`cp-${n}`, 'cp-pool', { controlPlane: true });
    for (const n of [1, 2, 3]) await waitFor(async () => ((await objects.dcsMachine(`cp-${n}`))?.status?.ready === true ? true : undefined), `cp-${n} ready`, 60_000);
  });

  after(async () => {
    await controller.stop();
    await lab.stop();
  });

  it('keeps no rule and reports nothing while controlPlaneHA is off', async () => {
    assert.deepEqual(await rules(), []);
    assert.equal(condition(await objects.dcsCluster(), 'ControlPlaneHAReady'), undefined);
  });

  it('writes the rule with the three control plane VMs; DRS separates two that shared a host', async () => {
    // An operator put two control plane VMs on one host (no rule yet, nothing prevents it).
    const [first, second] = (await vms()).sort((a, b) => a.name.localeCompare(b.name));
    assert.ok(first && second);
    const hostName = (id: string): Promise<string> =>
      simState(lab.sim).then((s) => ((s as unknown as { hosts: Record<string, { name: string }> }).hosts[id]?.name ?? ''));
    await simCall(lab.sim, 'POST', `/sim/vms/${second.id}/host`, { host: await hostName(first.hostId) });
    assert.equal((await vms()).filter((vm) => vm.hostId === first.hostId).length, 2);

    await lab.admin.mergePatch(objects.path('dcsclusters', 'lab'), { spec: { controlPlaneHA: { enabled: true } } });
    const dc = await waitFor(async () => {
      const got = await objects.dcsCluster();
      return condition(got, 'ControlPlaneHAReady')?.status === 'True' ? got : undefined;
    }, 'ControlPlaneHAReady=True', 60_000);
    assert.match(condition(dc, 'ControlPlaneHAReady')?.message ?? '', new RegExp(`DRS rule ${RULE}: 3 control plane VMs on 3 hosts`));

    const found = await rules();
    assert.equal(found.length, 1, 'one rule');
    const rule = found.at(0);
    assert.equal(rule?.ruleName, RULE);
    assert.equal(rule.ruleType, 2, 'mutual exclusion');
    const all = await vms();
    assert.deepEqual([...rule.vms].sort(), all.map(urnOf).sort());
    assert.equal(new Set(all.map((vm) => vm.hostId)).size, 3, 'every control plane VM on its own host');

    const ha = dc.status?.controlPlaneHA;
    assert.equal(ha?.ruleName, RULE);
    assert.equal(ha.ruleIndex, rule.ruleIndex);
    assert.match(ha.clusterUrn ?? '', /^urn:sites:SIM0001A:clusters:/);
    assert.deepEqual(ha.members?.map((m) => m.machineName), ['cp-1', 'cp-2', 'cp-3']);
    const events = await lab.admin.get<{ items: { reason: string; message: string }[] }>(`/api/v1/namespaces/${NS}/events`, { fieldSelector: 'involvedObject.kind=DCSCluster' });
    assert.ok(events.items.some((e) => e.reason === 'ControlPlaneHARuleCreated' && e.message.includes(RULE)), JSON.stringify(events.items.map((e) => e.reason)));
  });

  it('takes a deleted control plane machine out of the rule', async () => {
    await objects.deleteMachine('cp-3');
    const rule = await waitFor(async () => {
      const [r] = await rules();
      return r?.vms.length === 2 ? r : undefined;
    }, 'the rule with two VMs', 60_000);
    const left = (await vms()).map(urnOf).sort();
    assert.deepEqual([...rule.vms].sort(), left);
    const dc = await waitFor(async () => {
      const got = await objects.dcsCluster();
      return got?.status?.controlPlaneHA?.members?.length === 2 ? got : undefined;
    }, 'status with two members');
    assert.equal(condition(dc, 'ControlPlaneHAReady')?.status, 'True');
  });

  it('deletes the rule when controlPlaneHA is turned off', async () => {
    await lab.admin.mergePatch(objects.path('dcsclusters', 'lab'), { spec: { controlPlaneHA: { enabled: false } } });
    await waitFor(async () => ((await rules()).length === 0 ? true : undefined), 'no DRS rule', 60_000);
    const dc = await waitFor(async () => {
      const got = await objects.dcsCluster();
      return got?.status?.controlPlaneHA === undefined && condition(got, 'ControlPlaneHAReady') === undefined ? got : undefined;
    }, 'status without the rule');
    assert.equal(dc.status?.ready, true);
  });

  it('deletes the rule with the DCSCluster, once its machines are gone', async () => {
    await lab.admin.mergePatch(objects.path('dcsclusters', 'lab'), { spec: { controlPlaneHA: { enabled: true } } });
    await waitFor(async () => ((await rules()).at(0)?.vms.length === 2 ? true : undefined), 'the rule back with two VMs', 60_000);
    for (const name of ['cp-1', 'cp-2']) await objects.deleteMachine(name);
    for (const name of ['cp-1', 'cp-2']) await waitFor(async () => ((await objects.dcsMachine(name)) === undefined ? true : undefined), `${name} gone`, 60_000);
    assert.equal((await rules()).length, 1, 'the rule outlives the machines while the cluster exists');
    await lab.admin.request('DELETE', objects.path('dcsclusters', 'lab'));
    await waitFor(async () => ((await objects.dcsCluster()) === undefined ? true : undefined), 'the DCSCluster gone', 60_000);
    assert.deepEqual(await rules(), []);
  });
});
