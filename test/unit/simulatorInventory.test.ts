import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_INVENTORY_YAML } from '../../src/simulator/defaultInventory';
import { isLoopbackIPv4, parseInventory } from '../../src/simulator/inventory';
import { seedState } from '../../src/simulator/seed';
import { fixtureInventory } from '../fixtures/simulator/harness';

const MINIMAL = `
site: {id: LAB01}
clusters: [{name: c1, hosts: [{name: h1, ip: 127.0.0.5}]}]
datastores: [{name: d1, capacityGB: 100}]
dvSwitches: [{name: dvs, portGroups: [{name: pg, vlanId: 7}]}]
templates: [{name: t1, disks: [{sizeGB: 10, datastore: d1}], nics: [{dvSwitch: dvs, portGroup: pg}]}]
`;

describe('simulator inventory', () => {
  it('reads the test fixture and the built-in default', () => {
    const fixture = fixtureInventory();
    assert.equal(fixture.site.id, 'SIM0001A');
    assert.deepEqual(fixture.templates.map((t) => t.name), ['alaudaos-v4.3.2-x86', 'alaudaos-v4.2.1-x86', 'legacy-no-tools']);
    assert.equal(fixture.auth.maxFailedLogins, 3);
    const builtIn = parseInventory(DEFAULT_INVENTORY_YAML);
    assert.deepEqual(builtIn.datastoreClusters, [{ name: 'dsc-gold', datastores: ['ds-gold', 'ds-gold-2'] }]);
    assert.equal(builtIn.users.length, 1);
  });

  it('fills defaults for a minimal inventory', () => {
    const inv = parseInventory(MINIMAL);
    assert.deepEqual(inv.auth, { tokenIdleSeconds: 1800, maxFailedLogins: 5, lockoutSeconds: 300 });
    const [template] = inv.templates;
    assert.ok(template);
    assert.equal(template.cluster, 'c1');
    assert.equal(template.guestTools, true);
    assert.equal(inv.faults.deleteRequiresStopped, true);
    assert.equal(inv.datastores[0]?.usedGB, 0);
  });

  it('names the first problem', () => {
    const broken = (from: string, to: string): string => MINIMAL.replace(from, to);
    assert.throws(() => parseInventory(broken('127.0.0.5', '10.1.2.3')), /ip must be a 127\.x\.y\.z address/);
    assert.throws(() => parseInventory(broken('datastore: d1', 'datastore: d9')), /unknown datastore "d9"/);
    assert.throws(() => parseInventory(broken('portGroup: pg}', 'portGroup: nope}')), /unknown port group "nope"/);
    assert.throws(() => parseInventory(broken('{id: LAB01}', '{id: "LAB 01"}')), /site\.id must be letters and digits/);
    assert.throws(() => parseInventory(`${MINIMAL}users: [{name: a, key: k}, {name: a, key: k}]\n`), /duplicate name "a"/);
    assert.throws(() => parseInventory(`${MINIMAL}faults: {failNext: {fly: 1}}\n`), /faults\.failNext\.fly/);
    assert.throws(() => parseInventory('site: [oops'), /not valid YAML/);
  });

  it('recognises loopback IPv4 addresses only', () => {
    assert.ok(isLoopbackIPv4('127.0.0.1'));
    assert.ok(isLoopbackIPv4('127.255.3.4'));
    for (const bad of ['0.0.0.0', '128.0.0.1', '127.0.0', '127.0.0.256', 'localhost', '::1', '127.0.0.1 ']) assert.equal(isLoopbackIPv4(bad), false, bad);
  });

  it('seeds templates with their disks on the named datastores', () => {
    const state = seedState(parseInventory(MINIMAL), 5);
    const template = Object.values(state.vms)[0];
    assert.ok(template?.isTemplate);
    assert.match(template.id, /^i-[0-9A-F]{8}$/);
    const disk = state.volumes[template.disks[0]?.volumeId ?? ''];
    assert.deepEqual([disk?.quantityGB, state.datastores[disk?.datastoreId ?? '']?.name, disk?.sequenceNum], [10, 'd1', 1]);
    assert.equal(template.nics[0]?.mac.startsWith('02:68:'), true);
  });
});
