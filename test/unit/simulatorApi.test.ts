// The simulator's DCS API in process (Simulator.handle) with a hand-driven clock.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { DcsCodes } from '../../src/shared/dcs/errors';
import { Harness } from '../fixtures/simulator/harness';

describe('simulator sessions', () => {
  it('hands out a token and expires it after the idle time', () => {
    const h = new Harness();
    assert.equal(h.login().status, 200);
    assert.match(h.token, /^[0-9a-f]{64}$/);
    h.advance(1_799_000);
    assert.equal(h.api('GET', '/clusters').status, 200);
    h.advance(1_799_000);
    assert.equal(h.api('GET', '/clusters').status, 200, 'each call resets the idle timer');
    h.advance(1_800_001);
    const expired = h.api('GET', '/clusters');
    assert.equal(expired.status, 401);
    assert.equal(expired.body.errorCode, DcsCodes.notLoggedIn);
  });

  it('accepts the key as its SHA-256 digest with X-ENCRYPT-ALGORITHM 1 only', () => {
    const h = new Harness();
    const digest = createHash('sha256').update('test-Key-1').digest('hex');
    assert.equal(h.login('capi-test', digest, { 'X-ENCRYPT-ALGORITHM': '1' }).status, 200);
    assert.equal(h.login('capi-test', digest).status, 401);
    assert.equal(h.login('capi-test', 'test-Key-1', { 'X-ENCRYPT-ALGORITHM': '1' }).status, 401);
  });

  it('locks after the failed-login limit and keeps the lock alive while retried', () => {
    const h = new Harness();
    for (let i = 0; i < 3; i++) assert.equal(h.login('capi-test', 'bad').body.errorCode, DcsCodes.badCredentials);
    assert.equal(h.login().body.errorCode, DcsCodes.accountLocked);
    h.advance(299_000);
    assert.equal(h.login().body.errorCode, DcsCodes.accountLocked, 'a retry during the lockout extends it');
    h.advance(299_000);
    assert.equal(h.login().body.errorCode, DcsCodes.accountLocked);
    h.advance(300_001);
    assert.equal(h.login().status, 200);
  });

  it('refuses every DCS call without a token but leaves /sim/ open', () => {
    const h = new Harness();
    assert.equal(h.call('GET', '/service/sites').body.errorCode, DcsCodes.notLoggedIn);
    assert.equal(h.call('GET', '/sim/health').status, 200);
  });
});

describe('simulator routing', () => {
  it('answers unknown paths, wrong methods and other sites with DCS errors', () => {
    const h = new Harness();
    h.login();
    assert.equal(h.api('GET', '/nothing-here').status, 404);
    const wrongMethod = h.api('PATCH', '/volumes');
    assert.equal(wrongMethod.status, 405);
    assert.match(String(wrongMethod.body.errorDes), /GET|POST/);
    const otherSite = h.call('GET', '/service/sites/OTHER01/clusters', undefined, { 'X-Auth-Token': h.token });
    assert.equal(otherSite.status, 404);
    assert.equal(h.api('POST', '/volumes', undefined).body.errorCode, DcsCodes.invalidRequest);
    const badJson = h.simulator.handle({ method: 'POST', path: `/service/sites/SIM0001A/volumes`, query: new URLSearchParams(), headers: { 'x-auth-token': h.token }, body: Buffer.from('{oops') });
    assert.equal(badJson.status, 400);
  });

  it('lists inventory in the reference shapes', () => {
    const h = new Harness();
    h.login();
    const hosts = h.ok('GET', '/hosts').hosts as { name: string; ip: string }[];
    assert.deepEqual(hosts.map((x) => x.name), ['CNA-01', 'CNA-02', 'CNA-03', 'CNA-11']);
    assert.ok(hosts.every((x) => x.ip.startsWith('127.')));
    const dvs = h.ok('GET', '/dvswitchs').dvSwitchs as { urn: string; uri: string; name: string }[];
    const prod = dvs.find((d) => d.name === 'dvs-prod');
    assert.ok(prod);
    const groups = h.call('GET', `${prod.uri}/portgroups`, undefined, { 'X-Auth-Token': h.token }).body.portGroups as { urn: string; vlanId: number }[];
    assert.match(groups[0]?.urn ?? '', /^urn:sites:SIM0001A:dvswitchs:\d+:portgroups:\d+$/);
    assert.equal(groups[0]?.vlanId, 100);
    const ds = (h.ok('GET', '/datastores').datastores as { name: string; capacityGB: number; usedSizeGB: number; freeSizeGB: number }[]).find((d) => d.name === 'ds-gold');
    assert.deepEqual(ds && [ds.capacityGB, ds.usedSizeGB, ds.freeSizeGB], [2000, 240, 1760], 'pre-used 100 GB + two template disks');
    assert.deepEqual((h.ok('GET', '/folder?type=1').folders as { name: string }[]).map((f) => f.name), ['k8s-prod-a']);
  });
});

describe('simulator clone', () => {
  it('moves the clone task by time: progress grows, then the VM runs', () => {
    const h = new Harness();
    h.login();
    const reply = h.ok('POST', `/vms/${h.templateId()}/action/clone`, { name: 'timed', vmConfig: { cpu: { quantity: 2 }, memory: { quantityMB: 2048 } } });
    h.advance(100);
    const halfway = h.task(reply.taskUri);
    assert.deepEqual([halfway.status, halfway.progress], ['running', 66]);
    h.advance(50);
    assert.deepEqual([h.task(reply.taskUri).status, h.task(reply.taskUri).progress], ['success', 100]);
    assert.equal(h.call('GET', String(reply.uri), undefined, { 'X-Auth-Token': h.token }).body.status, 'running');
  });

  it('multiplies latency on slow hosts', () => {
    const h = new Harness();
    h.login();
    h.call('POST', '/sim/faults', { slowHosts: { 'CNA-01': 4, 'CNA-02': 4, 'CNA-03': 4 } });
    const reply = h.ok('POST', `/vms/${h.templateId()}/action/clone`, { name: 'slow', vmConfig: { cpu: { quantity: 2 }, memory: { quantityMB: 2048 } } });
    h.advance(599);
    assert.equal(h.task(reply.taskUri).status, 'running');
    h.advance(1);
    assert.equal(h.task(reply.taskUri).status, 'success');
  });

  it('refuses a disk smaller than the template disk and unknown port groups', () => {
    const h = new Harness();
    h.login();
    const small = h.api('POST', `/vms/${h.templateId()}/action/clone`, { name: 'x', vmConfig: { cpu: { quantity: 1 }, memory: { quantityMB: 1 }, disks: [{ sequenceNum: 1, quantityGB: 50 }] } });
    assert.equal(small.status, 400);
    assert.match(String(small.body.errorDes), /50 GB is smaller than the template's 80 GB/);
    const pg = h.api('POST', `/vms/${h.templateId()}/action/clone`, {
      name: 'x',
      vmConfig: { cpu: { quantity: 1 }, memory: { quantityMB: 1 }, nics: [{ portGroupUrn: 'urn:sites:SIM0001A:dvswitchs:999:portgroups:1' }] },
    });
    assert.equal(pg.status, 404);
    assert.equal(h.api('POST', `/vms/${h.clone('plain')}/action/clone`, { name: 'y' }).status, 400, 'only templates clone');
  });

  it('fails the clone task when the target cluster cannot see the template datastore', () => {
    const h = new Harness();
    h.login();
    const clusterB = h.idByName('/clusters', 'clusters', 'cluster-b');
    const reply = h.ok('POST', `/vms/${h.templateId()}/action/clone`, { name: 'far', location: `urn:sites:SIM0001A:clusters:${clusterB}`, vmConfig: {} });
    h.advance(1000);
    const task = h.task(reply.taskUri);
    assert.equal(task.status, 'failed');
    assert.match(String(task.reasonDes), /ds-gold is not visible from host CNA-11/);
    assert.equal(h.call('GET', String(reply.uri), undefined, { 'X-Auth-Token': h.token }).status, 404);
  });

  it('hides templates named by the fault, as if they did not exist', () => {
    const h = new Harness();
    h.login();
    h.call('POST', '/sim/faults', { hiddenTemplates: ['alaudaos-v4.2.1-x86'] });
    assert.equal((h.ok('GET', '/vms?isTemplate=true&name=alaudaos-v4.2.1-x86').vms as unknown[]).length, 0);
    assert.equal(h.templateId('alaudaos-v4.3.2-x86') !== '', true);
  });
});

describe('simulator power and delete', () => {
  it('rejects stop and delete of a paused VM with clear codes', () => {
    const h = new Harness();
    h.login();
    const id = h.clone('pausy');
    h.call('POST', `/sim/vms/${id}/status`, { status: 'paused' });
    assert.equal(h.api('POST', `/vms/${id}/action/stop`).body.errorCode, DcsCodes.wrongState);
    assert.equal(h.api('DELETE', `/vms/${id}`).body.errorCode, DcsCodes.deleteRequiresStopped);
    assert.equal(h.call('POST', `/sim/vms/${id}/status`, { status: 'sleepy' }).status, 400);
  });

  it('hangs a safe stop of a VM named by the stuck-stopping fault until a force stop', () => {
    const h = new Harness();
    h.login();
    const id = h.clone('sticky');
    h.call('POST', '/sim/faults', { stuckStoppingVms: ['sticky'] });
    const safe = h.ok('POST', `/vms/${id}/action/stop?mode=safe`);
    h.advance(60_000);
    assert.deepEqual([h.task(safe.taskUri).status, h.ok('GET', `/vms/${id}`).status], ['running', 'stopping']);
    assert.equal(h.api('POST', `/vms/${id}/action/stop`, { mode: 'safe' }).status, 409, 'only a force stop may follow');
    h.ok('POST', `/vms/${id}/action/stop`, { mode: 'force' });
    h.advance(1000);
    assert.equal(h.ok('GET', `/vms/${id}`).status, 'stopped');
    assert.deepEqual([h.task(safe.taskUri).status, h.task(safe.taskUri).reasonDes], ['failed', 'superseded by a later stop of the same VM']);
  });

  it('deletes a running VM when the site policy allows it, keeping persistent volumes', () => {
    const h = new Harness();
    h.login();
    h.call('POST', '/sim/faults', { deleteRequiresStopped: false });
    const id = h.clone('doomed');
    const dsId = h.idByName('/datastores', 'datastores', 'ds-gold');
    const vol = h.ok('POST', '/volumes', { name: 'keep-me', quantityGB: 5, datastoreUrn: `urn:sites:SIM0001A:datastores:${dsId}` });
    h.advance(1000);
    h.ok('POST', `/vms/${id}/action/attachvol`, { volUrn: vol.urn });
    h.advance(1000);
    h.ok('DELETE', `/vms/${id}`);
    h.advance(1000);
    assert.equal(h.api('GET', `/vms/${id}`).status, 404);
    const volume = h.call('GET', String(vol.uri), undefined, { 'X-Auth-Token': h.token }).body;
    assert.deepEqual([volume.status, volume.vmUrn, volume.sequenceNum], ['available', '', 0]);
  });

  it('refuses hot attach without guest tools and detaching the system disk', () => {
    const h = new Harness();
    h.login();
    const noTools = h.clone('no-tools', {}, 'legacy-no-tools');
    const dsId = h.idByName('/datastores', 'datastores', 'ds-silver');
    const vol = h.ok('POST', '/volumes', { name: 'v', quantityGB: 1, datastoreUrn: `urn:sites:SIM0001A:datastores:${dsId}` });
    h.advance(1000);
    const hot = h.api('POST', `/vms/${noTools}/action/attachvol`, { volUrn: vol.urn });
    assert.equal(hot.status, 409);
    assert.match(String(hot.body.errorDes), /guest tools/);
    const vm = h.ok('GET', `/vms/${noTools}`) as { vmConfig: { disks: { volumeUrn: string }[] } };
    const system = h.api('POST', `/vms/${noTools}/action/detachvol`, { volUrn: vm.vmConfig.disks[0]?.volumeUrn });
    assert.equal(system.status, 400);
    assert.equal(h.api('POST', `/vms/${h.clone('tools')}/action/attachvol`, { volUrn: vol.urn, sequenceNum: 1 }).status, 400);
  });
});

describe('simulator DRS rules', () => {
  it('creates, modifies and deletes an anti-affinity rule when its task completes', () => {
    const h = new Harness();
    h.login();
    const clusterA = h.idByName('/clusters', 'clusters', 'cluster-a');
    const vms = [h.clone('cp-1'), h.clone('cp-2'), h.clone('cp-3')].map((id) => `urn:sites:SIM0001A:vms:${id}`);
    const rules = (): { ruleIndex: number; ruleName: string; vms: string[] }[] =>
      (h.ok('GET', `/clusters/${clusterA}`).drsSetting as { drsRules: { ruleIndex: number; ruleName: string; vms: string[] }[] }).drsRules;
    h.ok('PUT', `/clusters/${clusterA}`, { drsSetting: { drsRules: [{ operationType: 2, ruleName: 'prod-a-cp', ruleType: 2, vms: vms.slice(0, 2) }] } });
    assert.deepEqual(rules(), [], 'applied only when the task completes');
    h.advance(1000);
    assert.deepEqual(rules(), [{ ruleIndex: 1, ruleName: 'prod-a-cp', ruleType: 2, vms: vms.slice(0, 2) }]);
    assert.equal(h.api('PUT', `/clusters/${clusterA}`, { drsSetting: { drsRules: [{ operationType: 2, ruleName: 'prod-a-cp', vms }] } }).status, 409);
    h.ok('PUT', `/clusters/${clusterA}`, { drsSetting: { drsRules: [{ operationType: 1, ruleIndex: 1, ruleName: 'prod-a-cp', ruleType: 2, vms }] } });
    h.advance(1000);
    assert.deepEqual(rules()[0]?.vms, vms);
    assert.equal(h.api('PUT', `/clusters/${clusterA}`, { drsSetting: { drsRules: [{ operationType: 0, ruleIndex: 1, ruleName: 'other' }] } }).status, 404);
    h.ok('PUT', `/clusters/${clusterA}`, { drsSetting: { drsRules: [{ operationType: 0, ruleIndex: 1, ruleName: 'prod-a-cp' }] } });
    h.advance(1000);
    assert.deepEqual(rules(), []);
    const clusterB = h.idByName('/clusters', 'clusters', 'cluster-b');
    assert.match(String(h.api('PUT', `/clusters/${clusterB}`, { drsSetting: { drsRules: [] } }).body.errorDes), /DRS is disabled/);
  });
});

describe('simulator admin endpoints', () => {
  it('dumps state without session hashes, upload tickets or file bytes', () => {
    const h = new Harness({ baseUrl: () => 'http://127.0.0.1:9' });
    h.login();
    const dsId = h.idByName('/datastores', 'datastores', 'ds-gold');
    const grant = h.ok('POST', `/datastores/${dsId}/action/applyUpload`, { fileName: 'a.iso' });
    const uploadUrl = new URL(String(grant.uploadUrl));
    assert.equal(uploadUrl.origin, 'http://127.0.0.1:9');
    const upload = h.simulator.handle({ method: 'PUT', path: uploadUrl.pathname, query: new URLSearchParams(), headers: {}, body: Buffer.from('SECRET-IGNITION') });
    assert.equal(upload.status, 200);
    const reused = h.simulator.handle({ method: 'PUT', path: uploadUrl.pathname, query: new URLSearchParams(), headers: {}, body: Buffer.from('x') });
    assert.equal(reused.status, 404, 'tickets are one-time');
    const dump = JSON.stringify(h.call('GET', '/sim/state').body);
    assert.ok(!dump.includes(h.token) && !dump.includes(createHash('sha256').update(h.token).digest('hex')));
    assert.ok(!dump.includes(Buffer.from('SECRET-IGNITION').toString('base64')));
    assert.ok(!dump.includes(uploadUrl.pathname.split('/').pop() ?? 'none'));
    assert.match(dump, /"a\.iso"/);
  });

  it('resets to the seeded inventory', () => {
    const h = new Harness();
    h.login();
    h.clone('gone-after-reset');
    h.call('POST', '/sim/faults', { failNext: { start: 3 } });
    h.call('POST', '/sim/reset');
    assert.equal(h.api('GET', '/clusters').status, 401, 'sessions are dropped');
    h.login();
    assert.deepEqual((h.ok('GET', '/vms?name=gone-after-reset').vms as unknown[]).length, 0);
    assert.deepEqual((h.call('GET', '/sim/faults').body as { failNext: unknown }).failNext, {});
  });

  it('rejects malformed fault patches with the field named', () => {
    const h = new Harness();
    const reply = h.call('POST', '/sim/faults', { failNext: { teleport: 1 } });
    assert.equal(reply.status, 400);
    assert.match(String(reply.body.errorDes), /failNext\.teleport: unknown task kind/);
  });
});
