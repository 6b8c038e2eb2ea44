// Machines and their DCSMachines in the tree model.
import type { KubeObject, WatchedKind } from '../kube/kinds';
import type { DCSMachineDisk, DCSMachineSpec, DCSMachineStatus } from '../shared/api/dcs.generated';
import { objectHealth } from './health';
import type { ModelCache } from './modelCache';
import type { ObjectIndex } from './modelIndex';
import type { DcsMachineModel, LiveRef, MachineModel } from './modelTypes';
import {
  bool,
  initialized,
  isDeleting,
  isPaused,
  loose,
  nameOf,
  namespaceOf,
  num,
  path,
  pickCondition,
  readConditions,
  str,
  type Loose,
} from './normalize';
import type { MachineFacts } from './progress';

export function liveRef(kind: WatchedKind, o: KubeObject): LiveRef {
  return { kind, apiVersion: o.apiVersion ?? '', namespace: namespaceOf(o), name: nameOf(o) };
}

export const modelId = (kind: WatchedKind, o: KubeObject): string => `${kind}/${namespaceOf(o)}/${nameOf(o)}`;

/** How the owner decides whether a Machine runs its current spec, when the Machine has no UpToDate condition. */
export type UpToDateFallback = (machine: KubeObject) => boolean | undefined;

export function machineModel(m: KubeObject, index: ObjectIndex, fallback: UpToDateFallback): MachineModel {
  const dcs = dcsObjectOf(m, index);
  const fallbackValue = fallback(m);
  const controlPlane = m.metadata?.labels?.['cluster.x-k8s.io/control-plane'] !== undefined || index.controlPlaneOf(m) !== undefined;
  const hit = index.cache.machines.get(m);
  if (hit && hit.dcs === dcs && hit.fallback === fallbackValue && hit.controlPlane === controlPlane) return hit.model;

  const conditions = readConditions(m);
  const upToDateCondition = pickCondition(conditions, 'UpToDate');
  const availability = pickCondition(conditions, 'Available', 'Ready');
  const phase = str(path(m.status, 'phase'));
  const nodeName = str(path(m.status, 'nodeRef', 'name'));
  const available = availability ? availability.status === 'True' : phase === 'Running' && nodeName !== undefined;
  const deleting = isDeleting(m);
  const model: MachineModel = {
    id: modelId('Machine', m),
    ref: liveRef('Machine', m),
    name: nameOf(m),
    health: objectHealth({ deleting, paused: isPaused(m), phase, readiness: availability }),
    conditions: conditions.current,
    phase,
    version: str(path(m.spec, 'version')),
    nodeName,
    providerID: str(path(m.spec, 'providerID')),
    addresses: addressesOf(path(m.status, 'addresses')),
    createdAt: m.metadata?.creationTimestamp,
    upToDate: upToDateCondition ? upToDateCondition.status === 'True' : fallbackValue,
    available,
    deleting,
    controlPlane,
    infraMachine: dcs ? dcsMachineModel(dcs, index.cache) : undefined,
  };
  index.cache.machines.set(m, { dcs, fallback: fallbackValue, controlPlane, model });
  return model;
}

/** What the progress model needs from a Machine. */
export function machineFacts(m: MachineModel): MachineFacts {
  return { name: m.name, upToDate: m.upToDate, available: m.available, deleting: m.deleting, createdAt: m.createdAt, conditions: m.conditions };
}

function dcsObjectOf(m: KubeObject, index: ObjectIndex): KubeObject | undefined {
  const ref = path(m.spec, 'infrastructureRef');
  const name = str(path(ref, 'name'));
  return name && str(path(ref, 'kind')) === 'DCSMachine' ? index.byName('DCSMachine', namespaceOf(m), name) : undefined;
}

export function dcsMachineModel(d: KubeObject, cache?: ModelCache): DcsMachineModel {
  const hit = cache?.dcsMachines.get(d);
  if (hit) return hit;
  const model = buildDcsMachineModel(d);
  cache?.dcsMachines.set(d, model);
  return model;
}

function buildDcsMachineModel(d: KubeObject): DcsMachineModel {
  const spec = loose<DCSMachineSpec>(d.spec);
  const status = loose<DCSMachineStatus>(d.status);
  const conditions = readConditions(d);
  const provisioned = initialized(d, 'provisioned', 'ready');
  const vmStatus = str(status?.vmStatus);
  const health = objectHealth({
    deleting: isDeleting(d),
    paused: isPaused(d),
    readiness: pickCondition(conditions, 'Ready'),
    readyFlag: provisioned,
  });
  return {
    id: modelId('DCSMachine', d),
    ref: liveRef('DCSMachine', d),
    name: nameOf(d),
    health: vmStatus === 'stopped' && health === 'ok' ? 'warning' : health,
    conditions: conditions.current.length > 0 ? conditions.current : conditions.legacy,
    vmName: str(status?.networkConfig?.machineName) ?? str(spec?.vmUrn),
    vmStatus,
    host: str(status?.hostName),
    ips: ipsOf(status),
    disks: disksOf(spec?.vmConfig?.dcsMachineDiskSpec),
    providerID: str(spec?.providerID),
    provisioned,
    pool: str(spec?.ipHostPoolRef?.name),
  };
}

function addressesOf(value: unknown): { type: string; address: string }[] {
  if (!Array.isArray(value)) return [];
  return (value as unknown[]).flatMap((a) => {
    const type = str(path(a, 'type'));
    const address = str(path(a, 'address'));
    return type && address ? [{ type, address }] : [];
  });
}

function ipsOf(status: Loose<DCSMachineStatus>): string[] {
  const ips = new Set<string>();
  for (const a of addressesOf(status?.addresses)) if (a.type.endsWith('IP')) ips.add(a.address);
  const main = str(status?.networkConfig?.ip);
  if (main) ips.add(main);
  const extra = status?.additionalNic;
  if (Array.isArray(extra)) for (const nic of extra) {
    const ip = str(nic?.ip);
    if (ip) ips.add(ip);
  }
  return [...ips];
}

function disksOf(value: Loose<DCSMachineDisk[]>): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((disk) => {
    const size = num(disk?.quantity);
    const where = str(disk?.datastoreName) ?? str(disk?.datastoreClusterName);
    const what = bool(disk?.systemVolume) === true ? 'system' : (str(disk?.path) ?? 'raw');
    return `${what}${size ? ` ${size} GB` : ''}${where ? ` on ${where}` : ''}`;
  });
}

/** Machines of `owner` sorted by name, with the owner's fallback for machines without an UpToDate condition. */
export function machinesOf(list: readonly KubeObject[] | undefined, index: ObjectIndex, fallback: UpToDateFallback): MachineModel[] {
  return (list ?? []).map((m) => machineModel(m, index, fallback)).sort((a, b) => a.name.localeCompare(b.name));
}
