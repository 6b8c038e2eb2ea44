// capi-dcs-controller under DCS faults: failed clone tasks reported in conditions and retried
// with growing delays, a safe stop that never ends followed by a force stop, refused credentials
// reported without locking the DCS account and used at once when fixed, and leader election
// handing over to a standby.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sampleValue } from '../../src/controller/runtime/metrics';
import { DCS_USER, launchController, simCall, simState, startLab, vmsNamed, waitFor, type Lab, type LaunchedController } from './controllerHarness';
import { condition, entry, LabObjects } from './controllerObjects';

const NS = 'dcs-faults';

describe('capi-dcs-controller: faults and leader election', () => {
  let lab: Lab;
  let objects: LabObjects;
  let controller: LaunchedController;

  const ready = (o: LabObjects, name: string): Promise<true> =>
    waitFor(async () => ((await o.dcsMachine(name))?.status?.ready === true ? true : undefined), `${name} ready`, 60_000);

  before(async () => {
    lab = await startLab(NS);
    objects = new LabObjects(lab.admin, NS);
    await objects.createCluster(lab.sim.url);
    await objects.createPool('fault-pool', [1, 2, 3, 4, 5].map((n) => entry(n)));
    controller = await launchController(lab);
  });

  after(async () => {
    await controller.stop();
    await lab.stop();
  });

  it('reports failed clone tasks as TaskFailed with the DCS error, retries with backoff, then provisions', async () => {
    await simCall(lab.sim, 'POST', '/sim/faults', { failNext: { clone: 2 } });
    await objects.createMachine('f-1', 'fault-pool');
    const seen = new Set<string>();
    let failedMessage = '';
    await waitFor(async () => {
      const dm = await objects.dcsMachine('f-1');
      const c = condition(dm, 'VMProvisioned');
      if (c?.reason) seen.add(c.reason);
      if (c?.reason === 'TaskFailed') failedMessage = c.message ?? '';
      return dm?.status?.ready === true ? true : undefined;
    }, 'f-1 ready after two failed clones', 60_000);
    assert.ok(seen.has('TaskFailed'), `reasons seen: ${[...seen].join(', ')}`);
    assert.match(failedMessage, /DCS task clone on lab-node-1 failed: injected fault.*\(DCS 10000599\); retrying with backoff/);
    const failures = controller.lines().filter((l) => l.msg === 'reconcile failed' && l.name === 'f-1');
    assert.equal(failures.length, 2);
    assert.deepEqual(failures.map((l) => l.retryInMs), [500, 1000], 'each retry waits twice as long');
    assert.equal(sampleValue(await controller.metrics(), 'capi_dcs_reconcile_errors_total', { controller: 'dcsmachine' }), 2);
    assert.equal(condition(await objects.dcsMachine('f-1'), 'Ready')?.status, 'True');
    assert.equal((await vmsNamed(lab.sim, 'lab-node-1')).length, 1, 'the failed clones left no VM behind');
  });

  it('force-stops a VM whose safe stop hangs past the deadline, then deletes it', async () => {
    await simCall(lab.sim, 'POST', '/sim/faults', { stuckStoppingVms: ['lab-node-1'] });
    await objects.deleteMachine('f-1');
    const pending = await waitFor(async () => {
      const c = condition(await objects.dcsMachine('f-1'), 'VMStopPending');
      return c?.reason === 'WaitingForStop' ? c : undefined;
    }, 'VMStopPending=False/WaitingForStop');
    assert.equal(pending.status, 'False');
    await waitFor(async () => ((await objects.dcsMachine('f-1')) === undefined ? true : undefined), 'f-1 deleted', 30_000);
    await controller.waitForLog((l) => l.msg === 'safe stop timed out, issued force StopVm' && l.name === 'f-1', 'the force stop', 1_000);
    assert.deepEqual(await vmsNamed(lab.sim, 'lab-node-1'), []);
    await simCall(lab.sim, 'POST', '/sim/faults', { stuckStoppingVms: [] });
  });

  it('reports refused credentials on the DCSCluster and its machines without locking the account', async () => {
    const bad = new LabObjects(lab.admin, NS, 'badcreds');
    await bad.createCluster(lab.sim.url, { authKey: 'not-the-key' });
    await bad.createMachine('b-1', 'fault-pool');
    const dc = await waitFor(async () => {
      const got = await bad.dcsCluster();
      return condition(got, 'DCSConnected')?.reason === 'LoginFailed' ? got : undefined;
    }, 'DCSConnected=False/LoginFailed');
    assert.equal(dc.status?.ready, undefined);
    assert.match(condition(dc, 'DCSConnected')?.message ?? '', /DCS refused the login/);
    const machine = await waitFor(async () => {
      const got = await bad.dcsMachine('b-1');
      // Before the DCSCluster's login has failed, the machine may wait on it without a reason yet.
      const c = condition(got, 'VMProvisioned');
      return c?.reason === 'WaitingForDCS' && (c.message ?? '').includes('refused the login') ? got : undefined;
    }, 'b-1 WaitingForDCS because the login was refused');
    assert.match(condition(machine, 'VMProvisioned')?.message ?? '', /DCSCluster badcreds is not ready: DCS refused the login/);
    // Reconciles keep coming (events, resyncs); the refused login must not be retried for a while.
    await bad.api.mergePatch(bad.path('dcsclusters', 'badcreds'), { metadata: { labels: { touched: 'yes' } } });
    await controller.waitForLog((l) => l.msg === 'DCS refused the login; retrying slowly' && l.name === 'badcreds', 'the slow retry');
    const logins = (await simState(lab.sim)) as unknown as { logins: Record<string, { failures: number; lockedUntil: number }> };
    assert.ok((logins.logins['capi-test']?.failures ?? 0) <= 1, JSON.stringify(logins.logins));
    assert.equal(logins.logins['capi-test']?.lockedUntil ?? 0, 0, 'the account is not locked');
    assert.ok(!controller.logs().includes('not-the-key'));

    // The Secret is read again every second (--credential-recheck): unchanged, DCS is not asked again.
    await sleep(3_000);
    const later = (await simState(lab.sim)) as unknown as { logins: Record<string, { failures: number }> };
    assert.ok((later.logins['capi-test']?.failures ?? 0) <= 1, `no login retried with the same Secret: ${JSON.stringify(later.logins)}`);
    // Fixed, it is used at once: not after the 5 minutes a refused credential is left alone.
    await bad.api.mergePatch(bad.path('secrets', 'badcreds-dcs'), { data: { authKey: Buffer.from(DCS_USER.authKey).toString('base64') } });
    await waitFor(async () => ((await bad.dcsCluster())?.status?.ready === true ? true : undefined), 'badcreds ready after the Secret was fixed', 15_000);
    await ready(bad, 'b-1');
    assert.ok(!controller.logs().includes(DCS_USER.authKey), 'the fixed key is not logged');
  });

  it('runs the controllers on one leader only and hands over when the leader dies', async () => {
    await controller.stop();
    const election = ['--leader-elect', '--leader-elect-lease-duration', '3s', '--leader-elect-renew-deadline', '2s', '--leader-elect-retry-period', '500ms'];
    const first = await launchController(lab, election);
    await first.waitForLog((l) => l.msg === 'became leader', 'the first leader');
    const second = await launchController(lab, election);
    controller = second;
    await second.waitForLog((l) => l.msg === 'waiting for the leader lease', 'the standby');
    await objects.createMachine('l-1', 'fault-pool');
    await ready(objects, 'l-1');
    assert.ok(first.lines().some((l) => l.msg === 'machine provisioned' && l.name === 'l-1'));
    assert.ok(!second.lines().some((l) => l.msg === 'became leader' || l.msg === 'machine provisioned'));
    assert.equal(sampleValue(await second.metrics(), 'capi_dcs_leader'), 0);

    await first.kill();
    await second.waitForLog((l) => l.msg === 'became leader', 'the standby taking over', 15_000);
    await objects.createMachine('l-2', 'fault-pool');
    await ready(objects, 'l-2');
    assert.ok(second.lines().some((l) => l.msg === 'machine provisioned' && l.name === 'l-2'));
    assert.equal(sampleValue(await second.metrics(), 'capi_dcs_leader'), 1);
  });
});
