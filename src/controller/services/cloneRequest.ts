// Turns a DCSMachine spec and its claimed pool slot into a DCS clone request: CPU, memory, the
// template disks by sequenceNum (system disk 1, data disks 2.. in spec order), the primary NIC
// from the slot (else the machine's vmConfig, else the template's) plus the slot's extra NICs,
// guest customization (hostname, static IPs) and the location. The VM is cloned powered off
// (autoBoot false) so the bootstrap CD-ROM and persistent disks are attached before first boot.

import type { DCSMachine, DCSMachineDisk, DCSNic } from '../../shared/api/dcs.generated';
import { ownerDescription, type CloneRequest } from '../../shared/dcs/client';
import type { CloneDiskSpec, DcsVm, NicSpecification } from '../../shared/dcs/types';
import { ProvisioningError, type DcsInventory } from './dcsInventory';
import { hostnameOf, vmNameOf, type SlotClaim } from './slotClaims';

/** "24" -> "255.255.255.0". */
export function prefixToNetmask(prefix: string | undefined): string {
  const bits = Number(prefix ?? '');
  if (prefix === undefined || prefix === '' || !Number.isInteger(bits) || bits < 0 || bits > 32) return '';
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (mask >>> shift) & 0xff).join('.');
}

/** sequenceNum of each spec disk: the system disk is 1, the others follow in order from 2. */
export function diskSequence(disks: readonly DCSMachineDisk[]): { disk: DCSMachineDisk; sequenceNum: number }[] {
  let next = 2;
  return disks.map((disk) => ({ disk, sequenceNum: disk.systemVolume ? 1 : next++ }));
}

/** How many disks the VM has from its template and spec; persistent disks come after them. */
export function templateDiskCount(disks: readonly DCSMachineDisk[], template: Pick<DcsVm, 'vmConfig'>): number {
  const fromSpec = Math.max(0, ...diskSequence(disks).map((d) => d.sequenceNum));
  return Math.max(fromSpec, template.vmConfig.disks.length, 1);
}

/** DCS sequenceNum of a pool persistent disk slot (reference §2.4, §5.4: slot order after template disks). */
export function persistentSequenceNum(templateDisks: number, slot: number): number {
  return templateDisks + 1 + slot;
}

async function nicPortGroup(inv: DcsInventory, nic: Pick<DCSNic, 'portGroupUrn' | 'dvSwitchName' | 'portGroupName'>, what: string): Promise<string | undefined> {
  if (nic.portGroupUrn) return nic.portGroupUrn;
  if (nic.dvSwitchName && nic.portGroupName) return inv.portGroupUrn(nic.dvSwitchName, nic.portGroupName, what);
  return undefined;
}

function nicSpec(sequenceNum: number, nic: Pick<DCSNic, 'ip' | 'mask' | 'gateway' | 'dns'>): NicSpecification | undefined {
  if (!nic.ip) return undefined;
  return { sequenceNum, ip: nic.ip, netmask: prefixToNetmask(nic.mask), gateway: nic.gateway ?? '', setdns: nic.dns ?? '' };
}

export async function buildCloneRequest(inv: DcsInventory, machine: DCSMachine, claim: SlotClaim, template: DcsVm): Promise<CloneRequest> {
  const name = machine.metadata.name ?? '';
  const { vmConfig } = machine.spec;
  const entry = claim.entry;

  const disks: CloneDiskSpec[] = [];
  for (const { disk, sequenceNum } of diskSequence(vmConfig.dcsMachineDiskSpec ?? [])) {
    const placed = disk.datastoreName || disk.datastoreClusterName ? await inv.datastoreUrn(disk, `disk ${sequenceNum}`) : undefined;
    disks.push({ sequenceNum, quantityGB: disk.quantity, ...(placed ? { datastoreUrn: placed } : {}) });
  }

  const primary =
    (await nicPortGroup(inv, entry, `pool entry ${entry.ip}`)) ??
    (await nicPortGroup(inv, vmConfig, 'vmConfig')) ??
    template.vmConfig.nics[0]?.portGroupUrn;
  const extras = entry.additionNic ?? [];
  const nics: { portGroupUrn: string }[] = [];
  if (primary) nics.push({ portGroupUrn: primary });
  for (const [i, nic] of extras.entries()) {
    const urn = await nicPortGroup(inv, nic, `pool entry ${entry.ip} additionNic[${i}]`);
    if (!urn) throw new ProvisioningError(`pool entry ${entry.ip} additionNic[${i}] needs dvSwitchName and portGroupName`, 'PortGroupNotFound');
    nics.push({ portGroupUrn: urn });
  }
  const nicSpecification = [entry, ...extras].map((nic, i) => nicSpec(i + 1, nic)).filter((s): s is NicSpecification => s !== undefined);

  return {
    name: vmNameOf(entry, name),
    description: ownerDescription(machine.metadata.uid ?? ''),
    ...(machine.spec.location ? { locationUrn: await inv.locationUrn(machine.spec.location) } : {}),
    autoBoot: false,
    cpu: vmConfig.dcsMachineCpuSpec.quantity,
    memoryMB: vmConfig.dcsMachineMemorySpec.quantity,
    ...(disks.length > 0 ? { disks } : {}),
    ...(nics.length > 0 ? { nics } : {}),
    hostname: hostnameOf(entry, name),
    nicSpecification,
  };
}
