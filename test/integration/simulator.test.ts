// The DCS simulator as a real process, driven through the shared HTTP DCS client.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ownerDescription, ownerUidOf, type DcsClient } from '../../src/shared/dcs/client';
import { DcsAuthError, DcsCodes, DcsError, DcsNotFoundError, DcsTaskFailedError, DcsTransientError } from '../../src/shared/dcs/errors';
import { HttpDcsClient } from '../../src/shared/dcs/http';
import { fetchTransport, nodeTransport, type DcsTransport } from '../../src/shared/dcs/transport';
import type { DcsVm } from '../../src/shared/dcs/types';
import { launchSimulator, runSimulatorToExit, type LaunchedSimulator } from '../fixtures/simulator/launch';

const INVENTORY = 'test/fixtures/simulator/inventory.yaml';
const SITE = 'SIM0001A';
const USER = { authUser: 'capi-test', authKey: 'test-Key-1' };
const FAST = { intervalMs: 20, timeoutMs: 10_000 };

function clientFor(url: string, credentials = USER, transport: DcsTransport = fetchTransport): HttpDcsClient {
  return new HttpDcsClient({ endpoint: url, site: SITE, credentials, transport, timeoutMs: 5_000 });
}

async function sim(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const idOf = (urn: string): string => urn.split(':').pop() ?? '';

async function cloneVm(dcs: DcsClient, name: string, extra: { autoBoot?: boolean; template?: string } = {}): Promise<DcsVm> {
  const template = await dcs.findTemplateByName(extra.template ?? 'alaudaos-v4.3.2-x86');
  assert.ok(template, 'template exists');
  const created = await dcs.cloneVm(template.urn, { name, cpu: 2, memoryMB: 4096, autoBoot: extra.autoBoot });
  await dcs.waitForTask(created.task, FAST);
  return dcs.getVm(created.urn);
}

describe('DCS simulator over HTTP', () => {
  let dir: string;
  let server: LaunchedSimulator;
  let dcs: HttpDcsClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'capi-dcs-sim-'));
    server = await launchSimulator(['--port', '0', '--inventory', INVENTORY, '--state', join(dir, 'state.json')]);
    dcs = clientFor(server.url);
  });

  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with the right key and lists the site', async () => {
    const login = await dcs.login();
    assert.equal(login.userName, 'capi-test');
    const sites = await dcs.listSites();
    assert.deepEqual(sites.map((s) => s.urn), [`urn:sites:${SITE}`]);
  });

  it('refuses a bad key with an auth error that names no credential', async () => {
    const bad = clientFor(server.url, { authUser: 'capi-test', authKey: 'wrong-key' });
    const err = await bad.login().then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof DcsAuthError);
    assert.equal(err.code, DcsCodes.badCredentials);
    assert.ok(!err.message.includes('wrong-key') && !err.message.includes('test-Key-1'));
  });

  it('locks an account after repeated bad logins, even for the right key', async () => {
    const bad = clientFor(server.url, { authUser: 'lockout-victim', authKey: 'nope' });
    for (let i = 0; i < 3; i++) await assert.rejects(bad.login(), (e: unknown) => e instanceof DcsAuthError && e.code === DcsCodes.badCredentials);
    const good = clientFor(server.url, { authUser: 'lockout-victim', authKey: 'victim-Key-4' });
    await assert.rejects(good.login(), (e: unknown) => e instanceof DcsAuthError && e.isLockout);
  });

  it('refuses a user who must change the password first', async () => {
    const fresh = clientFor(server.url, { authUser: 'fresh-user', authKey: 'fresh-Key-3' });
    await assert.rejects(fresh.login(), (e: unknown) => e instanceof DcsAuthError && e.code === DcsCodes.passwordChangeRequired);
  });

  it('logs in again once after the token expired (10000002), over the node transport', async () => {
    const seen: string[] = [];
    const base = nodeTransport();
    const recording: DcsTransport = async (request) => {
      const response = await base(request);
      seen.push(`${request.method} ${new URL(request.url).pathname} ${response.status}`);
      return response;
    };
    const client = clientFor(server.url, USER, recording);
    await client.listClusters();
    await sim(server.url, 'POST', '/sim/sessions/expire');
    const clusters = await client.listClusters();
    assert.deepEqual(clusters.map((c) => c.name).sort(), ['cluster-a', 'cluster-b']);
    const clusterPath = `/service/sites/${SITE}/clusters`;
    assert.deepEqual(seen, [
      'POST /service/session 200',
      `GET ${clusterPath} 200`,
      `GET ${clusterPath} 401`,
      'POST /service/session 200',
      `GET ${clusterPath} 200`,
    ]);
  });

  it('clones a template into a running VM with the requested CPU, memory, disks and NICs', async () => {
    const template = await dcs.findTemplateByName('alaudaos-v4.3.2-x86');
    assert.ok(template);
    const k8s = await dcs.findPortGroup('dvs-prod', 'pg-k8s');
    const stor = await dcs.findPortGroup('dvs-stor', 'pg-stor');
    const gold = (await dcs.listDatastoreClusters()).find((d) => d.name === 'dsc-gold');
    assert.ok(k8s && stor && gold);
    const freeBefore = (await dcs.listDatastores()).filter((d) => gold.datastores.includes(d.urn)).reduce((n, d) => n + d.freeSizeGB, 0);

    const created = await dcs.cloneVm(template.urn, {
      name: 'prod-a-cp-1',
      description: ownerDescription('uid-cp-1'),
      cpu: 8,
      memoryMB: 16384,
      disks: [
        { sequenceNum: 1, quantityGB: 0, datastoreUrn: gold.urn },
        { sequenceNum: 2, quantityGB: 100, datastoreUrn: gold.urn },
        { sequenceNum: 3, quantityGB: 20, datastoreUrn: gold.urn },
      ],
      nics: [{ portGroupUrn: k8s.urn }, { portGroupUrn: stor.urn }],
      hostname: 'prod-a-cp-1',
      nicSpecification: [{ sequenceNum: 1, ip: '127.0.12.11', netmask: '255.255.255.0', gateway: '127.0.12.1' }],
    });
    assert.equal((await dcs.getVm(created.urn)).status, 'creating');
    const task = await dcs.waitForTask(created.task, FAST);
    assert.equal(task.progress, 100);

    const [vm, ...others] = await dcs.findVmsByName('prod-a-cp-1');
    assert.ok(vm);
    assert.equal(others.length, 0);
    assert.equal(vm.status, 'running');
    assert.equal(ownerUidOf(vm), 'uid-cp-1');
    assert.equal(vm.vmConfig.cpu.quantity, 8);
    assert.equal(vm.vmConfig.memory.quantityMB, 16384);
    assert.deepEqual(vm.vmConfig.disks.map((d) => [d.sequenceNum, d.quantityGB]), [[1, 80], [2, 100], [3, 20]]);
    assert.ok(vm.vmConfig.disks.every((d) => gold.datastores.includes(d.datastoreUrn)));
    assert.deepEqual(vm.vmConfig.nics.map((n) => n.portGroupUrn), [k8s.urn, stor.urn]);
    assert.equal(vm.vmConfig.nics[0]?.ip, '127.0.12.11');
    assert.equal(vm.pvDriverStatus, 'running');
    const freeAfter = (await dcs.listDatastores()).filter((d) => gold.datastores.includes(d.urn)).reduce((n, d) => n + d.freeSizeGB, 0);
    assert.equal(freeBefore - freeAfter, 200);
  });

  it('stops, starts and deletes a VM; deleting a running VM is refused with 102212808', async () => {
    const vm = await cloneVm(dcs, 'power-cycle-1');
    const refused = await dcs.deleteVm(vm.urn).then(() => undefined, (e: unknown) => e);
    assert.ok(refused instanceof DcsTransientError);
    assert.equal(refused.code, DcsCodes.deleteRequiresStopped);

    await dcs.waitForTask(await dcs.stopVm(vm.urn, 'safe'), FAST);
    assert.equal((await dcs.getVm(vm.urn)).status, 'stopped');
    await dcs.waitForTask(await dcs.startVm(vm.urn), FAST);
    assert.equal((await dcs.getVm(vm.urn)).status, 'running');
    await dcs.waitForTask(await dcs.stopVm(vm.urn, 'force'), FAST);
    await dcs.waitForTask(await dcs.deleteVm(vm.urn), FAST);
    await assert.rejects(dcs.getVm(vm.urn), DcsNotFoundError);
    const systemDisk = vm.vmConfig.disks[0]?.volumeUrn ?? '';
    await assert.rejects(dcs.getVolume(systemDisk), DcsNotFoundError);
    assert.deepEqual(await dcs.findVmsByName('power-cycle-1'), []);
  });

  it('hangs a safe stop without guest tools until a force stop', async () => {
    const vm = await cloneVm(dcs, 'no-tools-1', { template: 'legacy-no-tools' });
    const safe = await dcs.stopVm(vm.urn, 'safe');
    await assert.rejects(dcs.waitForTask(safe, { intervalMs: 20, timeoutMs: 400 }), (e: unknown) => e instanceof DcsTransientError && e.code === 'timeout');
    assert.equal((await dcs.getVm(vm.urn)).status, 'stopping');
    await dcs.waitForTask(await dcs.stopVm(vm.urn, 'force'), FAST);
    assert.equal((await dcs.getVm(vm.urn)).status, 'stopped');
    await assert.rejects(dcs.waitForTask(safe, FAST), DcsTaskFailedError);
  });

  it('keeps a volume and its data marker across detach and attach to another VM', async () => {
    const gold = (await dcs.listDatastoreClusters()).find((d) => d.name === 'dsc-gold');
    assert.ok(gold);
    const volume = await dcs.createVolume({ name: 'prod-a-wk-pool-1a2b3c4d', quantityGB: 50, datastoreUrn: gold.urn });
    await dcs.waitForTask(volume.task, FAST);
    assert.equal((await dcs.findVolumeByName('prod-a-wk-pool-1a2b3c4d'))?.urn, volume.urn);
    const first = await cloneVm(dcs, 'wk-old');
    const second = await cloneVm(dcs, 'wk-new');

    await dcs.waitForTask(await dcs.attachVolume(first.urn, volume.urn, { sequenceNum: 3 }), FAST);
    assert.equal((await dcs.getVolume(volume.urn)).vmUrn, first.urn);
    await sim(server.url, 'PUT', `/sim/vms/${idOf(first.urn)}/disks/3/files/marker`, { content: 'written-by-wk-old' });
    await assert.rejects(dcs.deleteVolume(volume.urn), (e: unknown) => e instanceof DcsError && e.code === DcsCodes.wrongState);

    await dcs.waitForTask(await dcs.detachVolume(first.urn, volume.urn), FAST);
    await dcs.waitForTask(await dcs.stopVm(first.urn, 'safe'), FAST);
    await dcs.waitForTask(await dcs.deleteVm(first.urn), FAST);
    assert.equal((await dcs.getVolume(volume.urn)).status, 'available');

    await dcs.waitForTask(await dcs.attachVolume(second.urn, volume.urn, { sequenceNum: 3 }), FAST);
    const read = (await sim(server.url, 'GET', `/sim/vms/${idOf(second.urn)}/disks/3/files/marker`)) as { content: string };
    assert.equal(read.content, 'written-by-wk-old');
    const disks = (await dcs.getVm(second.urn)).vmConfig.disks;
    assert.deepEqual(disks.find((d) => d.sequenceNum === 3)?.volumeUrn, volume.urn);
  });

  it('delivers the bootstrap ISO: upload, mount as CD-ROM before first boot, read by the guest', async () => {
    const gold = (await dcs.listDatastores()).find((d) => d.name === 'ds-gold');
    assert.ok(gold);
    const payload = Buffer.from('{"ignition":{"version":"3.4.0"}}');
    const file = await dcs.uploadFile(gold.urn, 'boot-1.iso', payload);
    assert.equal(file.sha256, createHash('sha256').update(payload).digest('hex'));
    const vm = await cloneVm(dcs, 'boot-1', { autoBoot: false });
    assert.equal(vm.status, 'stopped');
    await dcs.waitForTask(await dcs.attachCdrom(vm.urn, file.devicePath), FAST);
    await dcs.waitForTask(await dcs.startVm(vm.urn), FAST);
    assert.equal((await dcs.getVm(vm.urn)).cdRomStatus, 'mounted');
    const seen = (await sim(server.url, 'GET', `/sim/vms/${idOf(vm.urn)}/bootstrap`)) as { sha256: string; contentBase64: string };
    assert.equal(seen.sha256, file.sha256);
    assert.equal(Buffer.from(seen.contentBase64, 'base64').toString(), payload.toString());
    await assert.rejects(dcs.deleteDatastoreFile(gold.urn, 'boot-1.iso'), (e: unknown) => e instanceof DcsError && e.code === DcsCodes.wrongState);
    await dcs.waitForTask(await dcs.detachCdrom(vm.urn), FAST);
    await dcs.deleteDatastoreFile(gold.urn, 'boot-1.iso');
    assert.deepEqual((await dcs.listDatastoreFiles(gold.urn)).map((f) => f.name), []);
    assert.ok(!server.logs().includes(payload.toString('base64')) && !server.logs().includes('ignition'));
  });

  it('fails the next N clone tasks when told to, then succeeds', async () => {
    await sim(server.url, 'POST', '/sim/faults', { failNext: { clone: 2 } });
    for (const name of ['flaky-1', 'flaky-2']) {
      await assert.rejects(cloneVm(dcs, name), (e: unknown) => e instanceof DcsTaskFailedError && e.code === DcsCodes.injectedFailure);
      assert.deepEqual(await dcs.findVmsByName(name), []);
    }
    const vm = await cloneVm(dcs, 'flaky-3');
    assert.equal(vm.status, 'running');
  });

  it('holds a stuck clone at one progress until released', async () => {
    await sim(server.url, 'POST', '/sim/faults', { stickNext: { clone: 1 }, stuckProgress: 37 });
    const template = await dcs.findTemplateByName('alaudaos-v4.3.2-x86');
    assert.ok(template);
    const created = await dcs.cloneVm(template.urn, { name: 'stuck-1', cpu: 2, memoryMB: 2048 });
    await assert.rejects(dcs.waitForTask(created.task, { intervalMs: 20, timeoutMs: 400 }), DcsTransientError);
    const task = await dcs.getTask(created.task.taskUri);
    assert.deepEqual([task.status, task.progress], ['running', 37]);
    assert.equal((await dcs.getVm(created.urn)).status, 'creating');
    await sim(server.url, 'POST', `/sim/tasks/${idOf(created.task.taskUrn)}/release`);
    await dcs.waitForTask(created.task, FAST);
    assert.equal((await dcs.getVm(created.urn)).status, 'running');
  });

  it('reports an exhausted datastore clearly', async () => {
    await sim(server.url, 'POST', '/sim/faults', { exhaustedDatastores: ['ds-silver'] });
    const silver = (await dcs.listDatastores()).find((d) => d.name === 'ds-silver');
    assert.ok(silver);
    assert.equal(silver.freeSizeGB, 0);
    const err = await dcs.createVolume({ name: 'too-big', quantityGB: 10, datastoreUrn: silver.urn }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof DcsError);
    assert.equal(err.code, DcsCodes.insufficientSpace);
    assert.match(err.message, /datastore ds-silver cannot hold a 10 GB disk \(ds-silver has 0 GB free\)/);
    await sim(server.url, 'DELETE', '/sim/faults');
  });

  it('keeps VMs, volumes and data across a restart with the same state file', async () => {
    const gold = (await dcs.listDatastores()).find((d) => d.name === 'ds-gold');
    assert.ok(gold);
    const vm = await cloneVm(dcs, 'survivor-1');
    const volume = await dcs.createVolume({ name: 'survivor-vol', quantityGB: 5, datastoreUrn: gold.urn });
    await dcs.waitForTask(volume.task, FAST);
    await sim(server.url, 'PUT', `/sim/volumes/${idOf(volume.urn)}/files/marker`, { content: 'before-restart' });
    await sim(server.url, 'POST', '/sim/faults', { failNext: { delete: 1 } });

    assert.equal(await server.stop(), 0);
    server = await launchSimulator(['--port', '0', '--inventory', INVENTORY, '--state', join(dir, 'state.json')]);
    dcs = clientFor(server.url);

    assert.equal((await dcs.getVm(vm.urn)).status, 'running');
    assert.equal((await dcs.getVolume(volume.urn)).name, 'survivor-vol');
    const marker = (await sim(server.url, 'GET', `/sim/volumes/${idOf(volume.urn)}/files/marker`)) as { content: string };
    assert.equal(marker.content, 'before-restart');
    const faults = (await sim(server.url, 'GET', '/sim/faults')) as { failNext: Record<string, number> };
    assert.deepEqual(faults.failNext, { delete: 1 });
  });

  it('never writes the key or tokens to its logs', () => {
    assert.ok(!server.logs().includes(USER.authKey));
    assert.ok(!/[0-9a-f]{64}/.test(server.logs()));
  });
});

describe('capi-dcs-sim command line', () => {
  for (const host of ['0.0.0.0', '10.0.0.1', '::1']) {
    it(`refuses to bind ${host}`, async () => {
      const result = await runSimulatorToExit(['--host', host, '--port', '0']);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /127\.0\.0\.0\/8/);
      assert.equal(result.stdout.includes('"ready"'), false);
    });
  }

  it('starts with the built-in inventory and no flags but a free port', async () => {
    const server = await launchSimulator(['--port', '0']);
    try {
      const dcs = new HttpDcsClient({ endpoint: server.url, site: 'SIM0001A', credentials: { authUser: 'capi-sim', authKey: 'sim-Passw0rd!' } });
      assert.ok(await dcs.findTemplateByName('alaudaos-v4.3.2-x86'));
      assert.ok(await dcs.findTemplateByName('alaudaos-v4.2.1-x86'));
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
