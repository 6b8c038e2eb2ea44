// Where things go: datastore capacity (every volume counts at full size, thin or not: a
// simplification), datastore-cluster member choice, and host choice inside a compute cluster.

import { parseDcsUrn } from '../shared/dcs/urn';
import { invalid, noSpace, notFound, wrongState } from './apiError';
import { isDatastoreExhausted } from './faults';
import type { DatastoreRecord, HostRecord, SimState } from './model';

export function usedGB(state: SimState, datastore: DatastoreRecord): number {
  let used = datastore.preUsedGB;
  for (const v of Object.values(state.volumes)) if (v.datastoreId === datastore.id) used += v.quantityGB;
  return used;
}

/** Free space as DCS reports it; an exhausted datastore (fault) reports none. */
export function freeGB(state: SimState, datastore: DatastoreRecord): number {
  if (isDatastoreExhausted(state.faults, datastore.name)) return 0;
  return Math.max(0, datastore.capacityGB - usedGB(state, datastore));
}

export interface DiskRequest {
  /** Datastore or datastore-cluster URN. */
  readonly urn: string;
  readonly gb: number;
}

function candidatesFor(state: SimState, urn: string): { label: string; members: DatastoreRecord[] } {
  const ref = parseDcsUrn(urn);
  if (ref?.site !== state.site.id) throw invalid(`"${urn}" is not a datastore URN of site ${state.site.id}`);
  if (ref.kind === 'datastores') {
    const ds = state.datastores[ref.id];
    if (!ds) throw notFound(`datastore ${urn} does not exist`);
    return { label: `datastore ${ds.name}`, members: [ds] };
  }
  if (ref.kind === 'datastoreclusters') {
    const dc = state.datastoreClusters[ref.id];
    if (!dc) throw notFound(`datastore cluster ${urn} does not exist`);
    const members = dc.datastoreIds.map((id) => state.datastores[id]).filter((d): d is DatastoreRecord => d !== undefined);
    return { label: `datastore cluster ${dc.name}`, members };
  }
  throw invalid(`"${urn}" names a ${ref.kind}, not a datastore or datastore cluster`);
}

/**
 * Chooses a datastore for each disk, counting earlier disks of the same request, so that a
 * request either fits as a whole or fails with one clear message. A cluster gives the member
 * with the most free space that fits.
 */
export function placeDisks(state: SimState, requests: readonly DiskRequest[]): DatastoreRecord[] {
  const pending = new Map<string, number>();
  const free = (ds: DatastoreRecord): number => freeGB(state, ds) - (pending.get(ds.id) ?? 0);
  return requests.map((request) => {
    const { label, members } = candidatesFor(state, request.urn);
    const fitting = members.filter((ds) => free(ds) >= request.gb).sort((a, b) => free(b) - free(a));
    const chosen = fitting[0];
    if (!chosen) {
      const detail = members.map((ds) => `${ds.name} has ${free(ds)} GB free`).join(', ');
      throw noSpace(`${label} cannot hold a ${request.gb} GB disk (${detail || 'no member datastores'})`);
    }
    pending.set(chosen.id, (pending.get(chosen.id) ?? 0) + request.gb);
    return chosen;
  });
}

/** The usable host of a cluster running the fewest VMs (DCS placement, simplified). */
export function pickHost(state: SimState, clusterId: string): HostRecord {
  const hosts = Object.values(state.hosts).filter((h) => h.clusterId === clusterId && h.status === 'normal');
  const load = (h: HostRecord): number => Object.values(state.vms).filter((vm) => vm.hostId === h.id && !vm.isTemplate).length;
  const host = hosts.sort((a, b) => load(a) - load(b) || a.name.localeCompare(b.name))[0];
  if (!host) throw wrongState(`cluster ${state.clusters[clusterId]?.name ?? clusterId} has no usable host`);
  return host;
}

export function isVisibleFrom(datastore: DatastoreRecord, hostId: string): boolean {
  return datastore.hostIds.includes(hostId);
}
