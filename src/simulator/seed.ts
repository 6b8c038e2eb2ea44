// Builds the initial state from an inventory: the fixed site objects plus the VM templates and
// their disks. Everything else (VMs, volumes, tasks, sessions) starts empty.

import type { Inventory } from './inventory';
import type { DatastoreRecord, SimState, VmRecord } from './model';

/** A fresh id; VM ids look like DCS ones (`i-0000002A`), the rest are plain numbers. */
export function newId(state: SimState, kind: 'vm' | 'other' = 'other'): string {
  const n = state.nextId++;
  return kind === 'vm' ? `i-${n.toString(16).toUpperCase().padStart(8, '0')}` : String(n);
}

/** A stable, locally administered MAC derived from a number. */
export function macFor(n: number): string {
  const bytes = [0x02, 0x68, (n >> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function seedState(inventory: Inventory, now: number): SimState {
  const state: SimState = {
    schema: 1,
    site: { ...inventory.site },
    nextId: 1,
    clusters: {},
    hosts: {},
    datastores: {},
    datastoreClusters: {},
    dvswitches: {},
    folders: {},
    vms: {},
    volumes: {},
    tasks: {},
    sessions: {},
    logins: {},
    uploads: {},
    faults: structuredClone(inventory.faults),
  };
  const hostIdByName = new Map<string, string>();
  const clusterIdByName = new Map<string, string>();
  for (const c of inventory.clusters) {
    const id = newId(state);
    clusterIdByName.set(c.name, id);
    state.clusters[id] = { id, name: c.name, drsEnabled: c.drsEnabled, drsRules: [] };
    for (const h of c.hosts) {
      const hostId = newId(state);
      hostIdByName.set(h.name, hostId);
      state.hosts[hostId] = { id: hostId, name: h.name, clusterId: id, ip: h.ip, status: h.status };
    }
  }
  const dsByName = new Map<string, DatastoreRecord>();
  for (const d of inventory.datastores) {
    const id = newId(state);
    const hostIds = d.hosts.length > 0 ? d.hosts.map((h) => hostIdByName.get(h) ?? '') : [...hostIdByName.values()];
    const record: DatastoreRecord = {
      id,
      name: d.name,
      capacityGB: d.capacityGB,
      preUsedGB: d.usedGB,
      storageType: d.storageType,
      hostIds,
      files: {},
    };
    dsByName.set(d.name, record);
    state.datastores[id] = record;
  }
  for (const dc of inventory.datastoreClusters) {
    const id = newId(state);
    state.datastoreClusters[id] = { id, name: dc.name, datastoreIds: dc.datastores.map((n) => dsByName.get(n)?.id ?? '') };
  }
  for (const dvs of inventory.dvSwitches) {
    const id = newId(state);
    state.dvswitches[id] = { id, name: dvs.name, portGroups: dvs.portGroups.map((g) => ({ id: newId(state), name: g.name, vlanId: g.vlanId })) };
  }
  for (const name of inventory.folders) {
    const id = newId(state);
    state.folders[id] = { id, name };
  }
  for (const t of inventory.templates) seedTemplate(state, inventory, t.name, clusterIdByName, dsByName, now);
  return state;
}

function seedTemplate(
  state: SimState,
  inventory: Inventory,
  name: string,
  clusterIdByName: Map<string, string>,
  dsByName: Map<string, DatastoreRecord>,
  now: number,
): void {
  const t = inventory.templates.find((x) => x.name === name);
  if (!t) return;
  const id = newId(state, 'vm');
  const vm: VmRecord = {
    id,
    name: t.name,
    description: 'VM template',
    isTemplate: true,
    status: 'stopped',
    clusterId: clusterIdByName.get(t.cluster) ?? '',
    hostId: '',
    folderId: '',
    cpu: t.cpu,
    memoryMB: t.memoryMB,
    guestTools: t.guestTools,
    disks: [],
    nics: [],
    hostname: '',
    nicSpecification: [],
    cdRom: undefined,
    bootedWith: undefined,
    createdAt: now,
  };
  t.disks.forEach((d, i) => {
    const volumeId = newId(state);
    state.volumes[volumeId] = {
      id: volumeId,
      name: `${t.name}-disk${i + 1}`,
      quantityGB: d.sizeGB,
      datastoreId: dsByName.get(d.datastore)?.id ?? '',
      isThin: true,
      type: 'normal',
      indepDisk: false,
      persistentDisk: false,
      pciType: 'VIRTIO',
      status: 'in-use',
      vmId: id,
      sequenceNum: i + 1,
      files: {},
    };
    vm.disks.push({ sequenceNum: i + 1, volumeId });
  });
  t.nics.forEach((n, i) => {
    const dvs = Object.values(state.dvswitches).find((d) => d.name === n.dvSwitch);
    const pg = dvs?.portGroups.find((g) => g.name === n.portGroup);
    vm.nics.push({ sequenceNum: i + 1, dvsId: dvs?.id ?? '', portGroupId: pg?.id ?? '', mac: macFor(state.nextId + i), ip: '' });
  });
  state.vms[id] = vm;
}
