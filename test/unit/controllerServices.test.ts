// Pure logic of the DCS provider: bootstrap rendering, clone requests from a spec and a slot,
// slot defaults and allocations, persistent volume names, conditions, and failure reporting.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { DCSIpHostnamePool, DCSMachine } from '../../src/shared/api/dcs.generated';
import { ownerUidOf, type DcsClient } from '../../src/shared/dcs/client';
import { DcsAuthError, DcsTaskFailedError, DcsTransientError } from '../../src/shared/dcs/errors';
import type { DcsVm } from '../../src/shared/dcs/types';
import { getCondition, setCondition, stampGeneration, type ConditionedStatus } from '../../src/controller/api/conditions';
import { describeFailure } from '../../src/controller/controllers/failures';
import { volumeNameFor } from '../../src/controller/controllers/persistentDisks';
import { isoFileName, renderBootstrap } from '../../src/controller/services/bootstrapIso';
import { buildCloneRequest, diskSequence, persistentSequenceNum, prefixToNetmask, templateDiskCount } from '../../src/controller/services/cloneRequest';
import { DcsInventory, ProvisioningError } from '../../src/controller/services/dcsInventory';
import { allocationFor, annotatedIp, firstFree, hostnameOf, mirrorAllocation, releaseSlot, vmNameOf } from '../../src/controller/services/slotClaims';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const secret = (value: string | undefined, format?: string) => ({
  metadata: { namespace: 'ns', name: 'm-1-bootstrap' },
  data: { ...(value === undefined ? {} : { value: b64(value) }), ...(format === undefined ? {} : { format: b64(format) }) },
});

function dcsMachine(extra: Partial<DCSMachine['spec']> = {}): DCSMachine {
  return {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'DCSMachine',
    metadata: { name: 'm-1', namespace: 'ns', uid: 'uid-1' },
    spec: {
      vmTemplateName: 'tpl',
      ipHostPoolRef: { name: 'pool' },
      vmConfig: {
        dcsMachineCpuSpec: { quantity: 4 },
        dcsMachineMemorySpec: { quantity: 8192 },
        dvSwitchName: 'dvs-prod',
        portGroupName: 'pg-k8s',
        dcsMachineDiskSpec: [
          { systemVolume: true, quantity: 0, datastoreClusterName: 'dsc-gold' },
          { path: '/var/lib/kubelet', quantity: 100, datastoreName: 'ds-1' },
        ],
      },
      ...extra,
    },
  };
}

describe('bootstrap medium', () => {
  it('replaces PROVIDER_ID and NODE_IP in an Ignition payload', () => {
    const medium = renderBootstrap(secret('{"a":"PROVIDER_ID","b":["NODE_IP","NODE_IP"]}', 'ignition'), { providerId: 'dcs://m-1', nodeIp: '127.0.12.11' });
    assert.equal(medium.format, 'ignition');
    assert.equal(medium.bytes.toString(), '{"a":"dcs://m-1","b":["127.0.12.11","127.0.12.11"]}');
    assert.equal(medium.sha256, createHash('sha256').update(medium.bytes).digest('hex'));
  });

  it('accepts cloud-config (also when format is missing) and refuses other formats without quoting the payload', () => {
    assert.equal(renderBootstrap(secret('#cloud-config\nproviderID: PROVIDER_ID\n'), { providerId: 'p', nodeIp: 'i' }).bytes.toString(), '#cloud-config\nproviderID: p\n');
    assert.throws(() => renderBootstrap(secret('x', 'bash'), { providerId: 'p', nodeIp: 'i' }), /neither ignition nor cloud-config/);
    assert.throws(
      () => renderBootstrap(secret('token: abcdef.0123456789abcdef', 'ignition'), { providerId: 'p', nodeIp: 'i' }),
      (err: unknown) => err instanceof ProvisioningError && !err.message.includes('abcdef') && err.message.includes('not JSON'),
    );
    assert.throws(() => renderBootstrap(secret(undefined), { providerId: 'p', nodeIp: 'i' }), /has no "value"/);
  });

  it('names the medium after the VM and the machine UID, in characters DCS accepts', () => {
    assert.equal(isoFileName('lab node/1', '0f3c-4d2e-aa'), 'lab-node-1-0f3c4d2eaa.iso');
  });
});

describe('clone request', () => {
  it('converts prefix lengths to dotted masks', () => {
    assert.deepEqual(['24', '16', '32', '0', '', 'x', undefined].map(prefixToNetmask), ['255.255.255.0', '255.255.0.0', '255.255.255.255', '0.0.0.0', '', '', '']);
  });

  it('numbers disks: system 1, the others from 2; persistent disks follow the template disks', () => {
    const disks = dcsMachine().spec.vmConfig.dcsMachineDiskSpec ?? [];
    assert.deepEqual(diskSequence([{ quantity: 10 }, ...disks]).map((d) => d.sequenceNum), [2, 1, 3]);
    const template = { vmConfig: { disks: [{}] } } as unknown as DcsVm;
    assert.equal(templateDiskCount(disks, template), 2);
    assert.equal(templateDiskCount([], template), 1);
    assert.equal(persistentSequenceNum(2, 0), 3);
    assert.equal(persistentSequenceNum(4, 2), 7, 'the reference: slot = sequenceNum - 1 - data disks - 1');
  });

  it('builds the clone from the spec and the slot: VM name, owner, powered off, NICs and guest network', async () => {
    const calls: string[] = [];
    const dcs = {
      findPortGroup: (dvs: string, pg: string) => {
        calls.push(`pg ${dvs}/${pg}`);
        return Promise.resolve({ urn: `urn:sites:S:dvswitchs:1:portgroups:${pg}`, uri: '', name: pg, vlanId: 1 });
      },
      listDatastores: () => Promise.resolve([{ urn: 'urn:sites:S:datastores:1', name: 'ds-1' }]),
      listDatastoreClusters: () => Promise.resolve([{ urn: 'urn:sites:S:datastoreclusters:9', name: 'dsc-gold', datastores: [] }]),
    } as unknown as DcsClient;
    const template = { urn: 'urn:sites:S:vms:t', vmConfig: { disks: [{ sequenceNum: 1 }], nics: [{ portGroupUrn: 'urn:tpl-pg' }] } } as unknown as DcsVm;
    const entry = {
      ip: '127.0.12.11',
      mask: '24',
      gateway: '127.0.12.1',
      dns: '127.0.0.53',
      machineName: 'lab-vm-1',
      additionNic: [{ ip: '127.0.13.11', mask: '24', dvSwitchName: 'dvs-stor', portGroupName: 'pg-stor' }],
    };
    const request = await buildCloneRequest(new DcsInventory(dcs), dcsMachine(), { entry, allocation: allocationFor(entry, dcsMachine()) }, template);
    assert.equal(request.name, 'lab-vm-1');
    assert.equal(ownerUidOf({ description: request.description ?? '' }), 'uid-1');
    assert.equal(request.autoBoot, false);
    assert.deepEqual([request.cpu, request.memoryMB], [4, 8192]);
    assert.deepEqual(request.disks, [
      { sequenceNum: 1, quantityGB: 0, datastoreUrn: 'urn:sites:S:datastoreclusters:9' },
      { sequenceNum: 2, quantityGB: 100, datastoreUrn: 'urn:sites:S:datastores:1' },
    ]);
    assert.deepEqual(request.nics?.map((n) => n.portGroupUrn), ['urn:sites:S:dvswitchs:1:portgroups:pg-k8s', 'urn:sites:S:dvswitchs:1:portgroups:pg-stor']);
    assert.deepEqual(request.nicSpecification, [
      { sequenceNum: 1, ip: '127.0.12.11', netmask: '255.255.255.0', gateway: '127.0.12.1', setdns: '127.0.0.53' },
      { sequenceNum: 2, ip: '127.0.13.11', netmask: '255.255.255.0', gateway: '', setdns: '' },
    ]);
    assert.equal(request.hostname, 'lab-vm-1');
    assert.deepEqual(calls, ['pg dvs-prod/pg-k8s', 'pg dvs-stor/pg-stor']);
  });
});

describe('pool slots', () => {
  const pool: DCSIpHostnamePool = {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'DCSIpHostnamePool',
    metadata: { name: 'pool', namespace: 'ns' },
    spec: { pool: [{ ip: '127.0.0.2' }, { ip: '127.0.0.3', hostname: 'h3' }, { ip: '127.0.0.4', machineName: 'vm4', hostname: 'h4' }] },
  };

  it('defaults VM name and hostname from each other, then from the machine name', () => {
    const [e2, e3, e4] = pool.spec.pool;
    assert.ok(e2 && e3 && e4);
    assert.deepEqual([vmNameOf(e2, 'm'), hostnameOf(e2, 'm')], ['m', 'm']);
    assert.deepEqual([vmNameOf(e3, 'm'), hostnameOf(e3, 'm')], ['h3', 'h3']);
    assert.deepEqual([vmNameOf(e4, 'm'), hostnameOf(e4, 'm')], ['vm4', 'h4']);
    assert.deepEqual([vmNameOf({ ip: 'x', machineName: '' }, 'm')], ['m'], 'an empty name counts as unset');
  });

  it('picks the first free entry and reads the claim annotation of its own pool only', () => {
    assert.equal(firstFree(pool, new Set(['127.0.0.2']))?.ip, '127.0.0.3');
    assert.equal(firstFree(pool, new Set(pool.spec.pool.map((e) => e.ip))), undefined);
    const m = dcsMachine();
    m.metadata.annotations = { 'capi-dcs.io/pool-entry': 'pool/127.0.0.3' };
    assert.equal(annotatedIp(m), '127.0.0.3');
    m.metadata.annotations = { 'capi-dcs.io/pool-entry': 'other-pool/127.0.0.3' };
    assert.equal(annotatedIp(m), undefined);
  });

  it('mirrors allocations by machine UID and releases them', () => {
    const status = { allocations: [{ ip: '127.0.0.2', dcsMachineName: 'old', dcsMachineUID: 'u-old' }] };
    const allocation = allocationFor({ ip: '127.0.0.3', hostname: 'h3' }, dcsMachine(), new Date(Date.UTC(2026, 0, 1)));
    assert.deepEqual(allocation, { ip: '127.0.0.3', hostname: 'h3', vmName: 'h3', dcsMachineName: 'm-1', dcsMachineUID: 'uid-1', claimedAt: '2026-01-01T00:00:00Z' });
    assert.ok(mirrorAllocation(status, allocation));
    assert.ok(!mirrorAllocation(status, allocation), 'mirroring twice changes nothing');
    assert.deepEqual(status.allocations.map((a) => a.dcsMachineName), ['old', 'm-1']);
    assert.ok(releaseSlot(status, 'uid-1'));
    assert.ok(!releaseSlot(status, 'uid-1'));
    assert.deepEqual(status.allocations.map((a) => a.dcsMachineName), ['old']);
  });

  it('names a slot volume {pool}-{first 8 hex of sha256("<ip>/<slot>")}', () => {
    const expected = createHash('sha256').update('10.40.12.11/0').digest('hex').slice(0, 8);
    assert.equal(volumeNameFor('prod-a-cp-pool', '10.40.12.11', 0), `prod-a-cp-pool-${expected}`);
    assert.notEqual(volumeNameFor('p', '10.40.12.11', 1), volumeNameFor('p', '10.40.12.11', 0));
  });
});

describe('conditions', () => {
  it('sets both shapes; severity only when False; the transition time moves only with the status', () => {
    const status: ConditionedStatus = {};
    setCondition(status, { type: 'Ready', status: 'False', reason: 'CloningVM', message: 'cloning' }, 1, new Date(Date.UTC(2026, 0, 1)));
    setCondition(status, { type: 'VMProvisioned', status: 'False', reason: 'CloningVM', severity: 'Warning' }, 1, new Date(Date.UTC(2026, 0, 1)));
    setCondition(status, { type: 'Ready', status: 'False', reason: 'PoweringOn', message: 'starting' }, 2, new Date(Date.UTC(2026, 0, 2)));
    assert.deepEqual(getCondition(status, 'Ready'), { type: 'Ready', status: 'False', severity: 'Info', reason: 'PoweringOn', message: 'starting', lastTransitionTime: '2026-01-01T00:00:00Z' });
    setCondition(status, { type: 'Ready', status: 'True', reason: 'Provisioned' }, 2, new Date(Date.UTC(2026, 0, 3)));
    assert.deepEqual(getCondition(status, 'Ready'), { type: 'Ready', status: 'True', reason: 'Provisioned', lastTransitionTime: '2026-01-03T00:00:00Z' });
    assert.deepEqual(status.conditions?.map((c) => c.type), ['Ready', 'VMProvisioned'], 'Ready first');
    assert.deepEqual(status.v1beta2?.conditions?.find((c) => c.type === 'Ready'), { type: 'Ready', status: 'True', observedGeneration: 2, reason: 'Provisioned', message: '', lastTransitionTime: '2026-01-03T00:00:00Z' });
    stampGeneration(status, 3);
    assert.deepEqual(status.v1beta2.conditions.map((c) => c.observedGeneration), [3, 3]);
  });
});

describe('failures', () => {
  it('reports task failures with the DCS code, login failures as slow retries', () => {
    const task = describeFailure(new DcsTaskFailedError('DCS task clone on vm-1 failed: no space', '10000507', 'urn:t'));
    assert.deepEqual([task.reason, task.isAuth], ['TaskFailed', false]);
    assert.match(task.message, /no space \(DCS 10000507\); retrying with backoff/);
    assert.deepEqual([describeFailure(new DcsAuthError('locked', '10100116')).reason, describeFailure(new DcsAuthError('no', '10000401')).isAuth], ['AccountLocked', true]);
    assert.equal(describeFailure(new DcsTransientError('timeout', 'unreachable')).reason, 'DCSUnreachable');
    assert.equal(describeFailure(new ProvisioningError('gone', 'VMTemplateNotFound')).reason, 'VMTemplateNotFound');
    assert.equal(describeFailure(new Error('boom')).reason, 'ProvisioningFailed');
  });
});
