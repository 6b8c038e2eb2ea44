// capi-dcs-controller's Kubernetes Events, read back from the real API server: a machine's life
// (pool entry claimed, VM created, powered on, deleted, entry released), failed DCS tasks as one
// Warning whose count grows, the DCSCluster's login, and the least privilege behind them (the
// controller may create and patch Events, not read them).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../src/controller/runtime/kubeClient';
import { KubeApiError } from '../../src/controller/runtime/kubeErrors';
import { launchController, simCall, startLab, waitFor, type Lab, type LaunchedController } from './controllerHarness';
import { entry, LabObjects } from './controllerObjects';

const NS = 'dcs-events';

interface CoreEvent {
  metadata: { name: string };
  involvedObject: { apiVersion: string; kind: string; name: string; uid: string };
  type: string;
  reason: string;
  message: string;
  count: number;
  source: { component: string };
}

describe('capi-dcs-controller: Kubernetes Events', () => {
  let lab: Lab;
  let objects: LabObjects;
  let controller: LaunchedController;

  const eventsOf = async (kind: string, name: string): Promise<CoreEvent[]> => {
    const list = await lab.admin.get<{ items: CoreEvent[] }>(`/api/v1/namespaces/${NS}/events`, {
      fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}`,
    });
    return list.items;
  };
  const waitForEvent = (kind: string, name: string, reason: string, ok: (e: CoreEvent) => boolean = () => true): Promise<CoreEvent> =>
    waitFor(async () => (await eventsOf(kind, name)).find((e) => e.reason === reason && ok(e)), `${kind} ${name} event ${reason}`, 60_000);

  before(async () => {
    lab = await startLab(NS);
    objects = new LabObjects(lab.admin, NS);
    await objects.createCluster(lab.sim.url);
    await objects.createPool('event-pool', [1, 2].map((n) => entry(n)));
    controller = await launchController(lab);
  });

  after(async () => {
    await controller.stop();
    await lab.stop();
  });

  it('posts the login, the claim, the failed clones as one counted Warning, the VM created and powered on', async () => {
    const connected = await waitForEvent('DCSCluster', 'lab', 'Connected');
    assert.equal(connected.type, 'Normal');
    assert.match(connected.message, /^logged in to DCS at http:\/\/127\.0\.0\.1:\d+, site SIM0001A$/);

    await simCall(lab.sim, 'POST', '/sim/faults', { failNext: { clone: 2 } });
    await objects.createMachine('e-1', 'event-pool');
    await waitFor(async () => ((await objects.dcsMachine('e-1'))?.status?.ready === true ? true : undefined), 'e-1 ready', 60_000);
    const dm = await objects.dcsMachine('e-1');
    const poweredOn = await waitForEvent('DCSMachine', 'e-1', 'VMPoweredOn');
    const events = await eventsOf('DCSMachine', 'e-1');
    const byReason = (reason: string): CoreEvent[] => events.filter((e) => e.reason === reason);

    const claimed = byReason('IPAllocated').at(0);
    assert.equal(claimed?.message, 'claimed 127.0.12.11 (VM lab-node-1) from pool event-pool');
    const failed = byReason('TaskFailed');
    assert.equal(failed.length, 1, 'the two identical failures are one Event');
    assert.equal(failed.at(0)?.type, 'Warning');
    assert.equal(failed.at(0)?.count, 2);
    assert.match(failed.at(0)?.message ?? '', /DCS task clone on lab-node-1 failed: injected fault.*\(DCS 10000599\)/);
    const created = byReason('VMCreated').at(0);
    assert.match(created?.message ?? '', /^created VM lab-node-1 \(urn:sites:SIM0001A:vms:[\w-]+\) from template alaudaos-v4\.3\.2-x86$/);
    assert.match(poweredOn.message, /^powered on VM lab-node-1 on host CNA-0\d$/);
    for (const e of events) {
      assert.deepEqual([e.involvedObject.apiVersion, e.involvedObject.uid, e.source.component], ['infrastructure.cluster.x-k8s.io/v1beta1', dm?.metadata.uid, 'capi-dcs-controller']);
    }
    assert.equal(byReason('VMCreated').length + byReason('VMPoweredOn').length, 2, 'each milestone once');
  });

  it('posts the VM deleted and the pool entry released', async () => {
    await objects.deleteMachine('e-1');
    await waitFor(async () => ((await objects.dcsMachine('e-1')) === undefined ? true : undefined), 'e-1 gone', 60_000);
    assert.equal((await waitForEvent('DCSMachine', 'e-1', 'VMDeleted')).message, 'deleted VM lab-node-1');
    assert.equal((await waitForEvent('DCSMachine', 'e-1', 'IPReleased')).message, 'released 127.0.12.11 to pool event-pool');
  });

  it('writes Events with create and patch only: the controller cannot read them', async () => {
    const asController = await KubeClient.create({ kubeconfig: lab.plane.controllerKubeconfigPath, qps: 10, burst: 10 });
    try {
      const refused = await asController.get(`/api/v1/namespaces/${NS}/events`).then(
        () => undefined,
        (err: unknown) => err,
      );
      assert.ok(refused instanceof KubeApiError, 'listing events must be refused');
      assert.equal(refused.status, 403);
    } finally {
      asController.close();
    }
  });
});
