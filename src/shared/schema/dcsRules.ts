// The CEL rules of the DCS CRDs, each with its TypeScript twin. scripts/gen-dcs.ts writes `rule`,
// `message`, `messageExpression` and `fieldPath` into schemas/crds; the catalog finds the twin by
// rule text and message. Ids are stable: they are diagnostic codes.
import { ipv4SubnetContains } from './ip';
import { isObject, jsonEqual, objectItems, show, type CelViolation, type OwnCelRule } from './celRule';

/** Ids of the DCS rules (the catalog's diagnostic codes for them). */
export const DcsRuleIds = {
  uniqueHostname: 'dcs-unique-hostname',
  uniqueMachineName: 'dcs-unique-machine-name',
  uniqueMountPath: 'dcs-unique-mount-path',
  singleSystemDisk: 'dcs-single-system-disk',
  diskSize: 'dcs-disk-size',
  persistentDiskDatastore: 'dcs-persistent-disk-datastore',
  gatewayInSubnet: 'dcs-gateway-in-subnet',
  persistentDiskFormatImmutable: 'dcs-persistent-disk-format-immutable',
  persistentDiskOptionsImmutable: 'dcs-persistent-disk-options-immutable',
  persistentDiskPciTypeImmutable: 'dcs-persistent-disk-pci-type-immutable',
  persistentDiskNotRemovable: 'dcs-persistent-disk-not-removable',
  templateImmutable: 'dcs-template-immutable',
  endpointImmutable: 'dcs-endpoint-immutable',
  providerIdImmutable: 'dcs-provider-id-immutable',
} as const;

/**
 * A CEL rule: every item's `field`, when set, is unique in the list. The message names the first
 * repeating item (two-variable comprehensions and format() need Kubernetes 1.32 or newer).
 */
function uniqueField(id: string, field: string, noun: string): OwnCelRule {
  const repeats = `has(e.${field}) && self.exists(j, x, j < i && has(x.${field}) && x.${field} == e.${field})`;
  return {
    id,
    transition: false,
    rule: `self.all(i, e, !has(e.${field}) || !self.exists(j, x, j < i && has(x.${field}) && x.${field} == e.${field}))`,
    message: `${field} must be unique in the list`,
    // One format() call: concatenating string(int) has no size bound and breaks the CEL cost budget.
    messageExpression:
      `'{{path}}[%d].${field}: this ${noun} is already used by another item of {{path}}'.format([` +
      `self.transformList(i, e, ${repeats}, i)[0]])`,
    check(self) {
      const firstIndex = new Map<unknown, number>();
      const violations: CelViolation[] = [];
      objectItems(self).forEach((item, i) => {
        const value = item[field];
        if (value === undefined) return;
        const first = firstIndex.get(value);
        if (first === undefined) firstIndex.set(value, i);
        else violations.push({ at: [i, field], message: `${noun} ${show(value)} is already used by item [${String(first)}]`, value });
      });
      return violations;
    },
  };
}

/** A transition rule: `field` of a persistent disk keeps its value (and its absence). */
function unchangedDiskField(id: string, field: string, why: string): OwnCelRule {
  return {
    id,
    transition: true,
    rule: `has(self.${field}) == has(oldSelf.${field}) && (!has(self.${field}) || self.${field} == oldSelf.${field})`,
    message: `${field} is immutable: ${why}`,
    fieldPath: `.${field}`,
    check(self, oldSelf) {
      if (!isObject(self) || !isObject(oldSelf) || jsonEqual(self[field], oldSelf[field])) return [];
      return [{ at: [field], message: `${field} cannot change from ${show(oldSelf[field])} to ${show(self[field])}: ${why}`, value: self[field] }];
    },
  };
}

/** A transition rule on a whole value: it cannot change once set. */
function unchanged(id: string, message: string): OwnCelRule {
  return {
    id,
    transition: true,
    rule: 'self == oldSelf',
    message,
    check: (self, oldSelf) => (jsonEqual(self, oldSelf) ? [] : [{ at: [], message }]),
  };
}

const isSystemDisk = (disk: Record<string, unknown>): boolean => disk.systemVolume === true;

const singleSystemDisk: OwnCelRule = {
  id: DcsRuleIds.singleSystemDisk,
  transition: false,
  rule: 'self.filter(d, has(d.systemVolume) && d.systemVolume).size() <= 1',
  message: 'only one disk can be the system disk',
  messageExpression:
    `'{{path}}[%d].systemVolume: only one disk can be the system disk, and {{path}}[%d] already is'.format([` +
    `self.transformList(i, d, has(d.systemVolume) && d.systemVolume, i)[1], ` +
    `self.transformList(i, d, has(d.systemVolume) && d.systemVolume, i)[0]])`,
  check(self) {
    const systemDisks = objectItems(self).flatMap((disk, i) => (isSystemDisk(disk) ? [i] : []));
    return systemDisks.slice(1).map((i) => ({
      at: [i, 'systemVolume'],
      message: `only one disk can be the system disk, and item [${String(systemDisks[0])}] already is`,
    }));
  },
};

const diskSize: OwnCelRule = {
  id: DcsRuleIds.diskSize,
  transition: false,
  rule: '(has(self.systemVolume) && self.systemVolume) || self.quantity >= 1',
  message: 'quantity must be at least 1 (GB); only the system disk may use 0, meaning the VM template size',
  fieldPath: '.quantity',
  check(self) {
    if (!isObject(self) || isSystemDisk(self) || typeof self.quantity !== 'number' || self.quantity >= 1) return [];
    return [{ at: ['quantity'], message: diskSize.message, value: self.quantity }];
  },
};

const persistentDiskDatastore: OwnCelRule = {
  id: DcsRuleIds.persistentDiskDatastore,
  transition: false,
  rule: 'has(self.datastoreName) != has(self.datastoreClusterName)',
  message: 'exactly one of datastoreName or datastoreClusterName must be set',
  check(self) {
    if (!isObject(self) || (self.datastoreName !== undefined) !== (self.datastoreClusterName !== undefined)) return [];
    const both = self.datastoreName !== undefined;
    return [{ at: [], message: `${persistentDiskDatastore.message} (${both ? 'both are' : 'neither is'} set)` }];
  },
};

const gatewayInSubnet: OwnCelRule = {
  id: DcsRuleIds.gatewayInSubnet,
  transition: false,
  rule:
    "!has(self.ip) || !has(self.mask) || !has(self.gateway) || !isIP(self.ip) || !isIP(self.gateway) || " +
    "!isCIDR(self.ip + '/' + self.mask) || cidr(self.ip + '/' + self.mask).containsIP(self.gateway)",
  message: 'gateway must be inside the subnet given by ip and mask',
  fieldPath: '.gateway',
  check(self) {
    if (!isObject(self)) return [];
    const { ip, mask, gateway } = self;
    if (typeof ip !== 'string' || typeof mask !== 'string' || typeof gateway !== 'string') return [];
    if (ipv4SubnetContains(ip, mask, gateway) !== false) return [];
    return [{ at: ['gateway'], message: `gateway ${show(gateway)} is outside the subnet ${ip}/${mask}`, value: gateway }];
  },
};

const persistentDiskNotRemovable: OwnCelRule = {
  id: DcsRuleIds.persistentDiskNotRemovable,
  transition: true,
  rule:
    '!has(oldSelf.persistentDisk) || (has(self.persistentDisk) && ' +
    'oldSelf.persistentDisk.all(o, self.persistentDisk.exists(n, n.slot == o.slot)))',
  message: 'persistent disks cannot be removed from a pool entry; their volumes hold node data',
  fieldPath: '.persistentDisk',
  check(self, oldSelf) {
    if (!isObject(self) || !isObject(oldSelf)) return [];
    const kept = new Set(objectItems(self.persistentDisk).map((d) => d.slot));
    const removed = objectItems(oldSelf.persistentDisk).filter((d) => !kept.has(d.slot));
    return removed.map((d) => ({
      at: ['persistentDisk'],
      message: `persistent disk slot ${show(d.slot)} cannot be removed from a pool entry; its volume holds node data`,
    }));
  },
};

/** Every rule our CRDs carry, by id. */
export const dcsRules = {
  [DcsRuleIds.uniqueHostname]: uniqueField(DcsRuleIds.uniqueHostname, 'hostname', 'hostname'),
  [DcsRuleIds.uniqueMachineName]: uniqueField(DcsRuleIds.uniqueMachineName, 'machineName', 'VM name'),
  [DcsRuleIds.uniqueMountPath]: uniqueField(DcsRuleIds.uniqueMountPath, 'path', 'mount path'),
  [DcsRuleIds.singleSystemDisk]: singleSystemDisk,
  [DcsRuleIds.diskSize]: diskSize,
  [DcsRuleIds.persistentDiskDatastore]: persistentDiskDatastore,
  [DcsRuleIds.gatewayInSubnet]: gatewayInSubnet,
  [DcsRuleIds.persistentDiskFormatImmutable]: unchangedDiskField(
    DcsRuleIds.persistentDiskFormatImmutable, 'format', 'an existing filesystem is never reformatted'),
  [DcsRuleIds.persistentDiskOptionsImmutable]: unchangedDiskField(
    DcsRuleIds.persistentDiskOptionsImmutable, 'options', 'mkfs options apply only to the first format'),
  [DcsRuleIds.persistentDiskPciTypeImmutable]: unchangedDiskField(
    DcsRuleIds.persistentDiskPciTypeImmutable, 'pciType', 'it must match the existing volume'),
  [DcsRuleIds.persistentDiskNotRemovable]: persistentDiskNotRemovable,
  [DcsRuleIds.templateImmutable]: unchanged(
    DcsRuleIds.templateImmutable,
    'spec.template is immutable: create a new DCSMachineTemplate under a new name and point the KubeadmControlPlane or MachineDeployment at it',
  ),
  [DcsRuleIds.endpointImmutable]: unchanged(
    DcsRuleIds.endpointImmutable,
    'controlPlaneEndpoint cannot change once set: it is embedded in the cluster certificates',
  ),
  [DcsRuleIds.providerIdImmutable]: unchanged(DcsRuleIds.providerIdImmutable, 'providerID cannot change once set'),
} satisfies Record<string, OwnCelRule>;

export type DcsRuleId = keyof typeof dcsRules;
