// The shared DCS client against the in-process simulator: name lookups read every page. DCS
// matches `name` as a substring and returns at most `limit` items per reply (with `total`), so a
// lookup of `n-1` among `n-10` … `n-199` must page on to find the one VM actually named `n-1`.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { HttpDcsClient } from '../../src/shared/dcs/http';
import type { DcsTransport, TransportRequest } from '../../src/shared/dcs/transport';
import { fixtureInventory, Harness } from '../fixtures/simulator/harness';

describe('HttpDcsClient name lookups with more than one page of matches', () => {
  // Room for 191 clones of the 80 GB template.
  const inventory = fixtureInventory();
  const h = new Harness({ inventory: { ...inventory, datastores: inventory.datastores.map((d) => ({ ...d, capacityGB: 100_000 })) } });
  const calls: TransportRequest[] = [];
  const transport: DcsTransport = (req) => {
    calls.push(req);
    const url = new URL(req.url);
    const body = typeof req.body === 'string' && req.body !== '' ? (JSON.parse(req.body) as unknown) : undefined;
    const reply = h.call(req.method, `${url.pathname}${url.search}`, body, { ...req.headers });
    return Promise.resolve({ status: reply.status, text: JSON.stringify(reply.body), header: (name: string) => reply.headers[name] });
  };
  const dcs = new HttpDcsClient({ endpoint: 'http://127.0.0.1:1', site: 'SIM0001A', credentials: { authUser: 'capi-test', authKey: 'test-Key-1' }, transport });
  const lookups = (kind: string): number => calls.filter((c) => new URL(c.url).pathname.endsWith(`/${kind}`) && c.method === 'GET').length;

  before(() => {
    h.login();
    // The exact names come last, so the first page holds only the longer names.
    for (let n = 10; n < 200; n++) h.clone(`n-${n}`);
    h.clone('n-1');
    const datastore = h.idByName('/datastores', 'datastores', 'ds-gold');
    for (const name of [...Array.from({ length: 150 }, (_v, i) => `vol-1${i}`), 'vol-1']) {
      h.ok('POST', '/volumes', { name, quantityGB: 1, datastoreUrn: `urn:sites:SIM0001A:datastores:${datastore}` });
    }
    h.advance(60_000);
  });

  it('finds the VM named exactly, behind 190 longer names that contain it', async () => {
    calls.length = 0;
    const vms = await dcs.findVmsByName('n-1');
    assert.deepEqual(vms.map((vm) => vm.name), ['n-1']);
    assert.equal(lookups('vms'), 2, 'two pages of 100 for 191 matches');
    assert.deepEqual((await dcs.findVmsByName('n-199')).map((vm) => vm.name), ['n-199']);
    assert.deepEqual(await dcs.findVmsByName('n-2'), [], 'a name nobody has');
  });

  it('finds the volume named exactly, behind 150 longer names that contain it', async () => {
    calls.length = 0;
    const volume = await dcs.findVolumeByName('vol-1');
    assert.equal(volume?.name, 'vol-1');
    assert.equal(lookups('volumes'), 2);
    assert.equal((await dcs.findVolumeByName('vol-149'))?.name, 'vol-149');
  });
});
