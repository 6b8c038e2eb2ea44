// Reads a clone request (`POST {templateUri}/action/clone`) against its template: CPU and
// memory, disks merged by sequenceNum (0 GB = template size, never smaller than the template),
// NICs overriding the template's in order, and where the clone lands.

import { parseDcsUrn } from '../shared/dcs/urn';
import type { NicSpecification } from '../shared/dcs/types';
import { invalid, notFound } from './apiError';
import { asArray, asObject, optBoolean, optNumber, optString, reqString, type Json } from './json';
import type { SimState, VmRecord } from './model';

export interface ClonePlan {
  readonly name: string;
  readonly description: string;
  readonly autoBoot: boolean;
  readonly cpu: number;
  readonly memoryMB: number;
  readonly clusterId: string;
  readonly folderId: string;
  readonly hostId: string | undefined;
  /** Sorted by sequenceNum; `sourceVolumeId` is the template disk copied, if any. */
  readonly disks: readonly { sequenceNum: number; gb: number; datastoreUrn: string; isThin: boolean; sourceVolumeId: string | undefined }[];
  readonly nics: readonly { dvsId: string; portGroupId: string }[];
  readonly hostname: string;
  readonly nicSpecification: NicSpecification[];
}

function wholeNumber(obj: Json, key: string, path: string, fallback: number, min: number): number {
  const n = optNumber(obj, key, path, fallback, min);
  if (!Number.isInteger(n)) throw invalid(`${path}.${key} must be a whole number`);
  return n;
}

function resolvePortGroup(state: SimState, urn: string, path: string): { dvsId: string; portGroupId: string } {
  const ref = parseDcsUrn(urn);
  if (ref?.kind !== 'portgroups' || ref.site !== state.site.id) throw invalid(`${path}: "${urn}" is not a port group URN of this site`);
  const dvs = state.dvswitches[ref.dvsId ?? ''];
  if (!dvs?.portGroups.some((g) => g.id === ref.id)) throw notFound(`${path}: port group ${urn} does not exist`);
  return { dvsId: dvs.id, portGroupId: ref.id };
}

function resolveLocation(state: SimState, template: VmRecord, location: string): Pick<ClonePlan, 'clusterId' | 'folderId' | 'hostId'> {
  if (location === '') return { clusterId: template.clusterId, folderId: '', hostId: undefined };
  const ref = parseDcsUrn(location);
  if (ref?.site !== state.site.id) throw invalid(`location "${location}" is not a URN of this site`);
  if (ref.kind === 'clusters' && state.clusters[ref.id]) return { clusterId: ref.id, folderId: '', hostId: undefined };
  if (ref.kind === 'folders' && state.folders[ref.id]) return { clusterId: template.clusterId, folderId: ref.id, hostId: undefined };
  const host = ref.kind === 'hosts' ? state.hosts[ref.id] : undefined;
  if (host) return { clusterId: host.clusterId, folderId: '', hostId: host.id };
  throw notFound(`location ${location} does not exist (a cluster, folder or host URN is expected)`);
}

function readNicSpecs(value: unknown): NicSpecification[] {
  return asArray(value, 'vmCustomization.nicSpecification').map((item, i) => {
    const path = `vmCustomization.nicSpecification[${i}]`;
    const spec = asObject(item, path);
    return {
      sequenceNum: wholeNumber(spec, 'sequenceNum', path, i + 1, 1),
      ip: reqString(spec, 'ip', path),
      netmask: reqString(spec, 'netmask', path),
      gateway: optString(spec, 'gateway', path, ''),
      setdns: optString(spec, 'setdns', path, ''),
    };
  });
}

export function planClone(state: SimState, template: VmRecord, body: unknown): ClonePlan {
  const req = asObject(body, 'body');
  const name = reqString(req, 'name', 'body');
  if (name.length > 256) throw invalid('body.name is longer than 256 characters');
  const vmConfig = asObject(req.vmConfig, 'vmConfig');
  const customization = asObject(req.vmCustomization, 'vmCustomization');
  const location = resolveLocation(state, template, optString(req, 'location', 'body', ''));

  const templateDisks = [...template.disks].sort((a, b) => a.sequenceNum - b.sequenceNum);
  const systemDs = state.volumes[templateDisks[0]?.volumeId ?? '']?.datastoreId ?? '';
  const requested = new Map<number, Json>();
  asArray(vmConfig.disks, 'vmConfig.disks').forEach((item, i) => {
    const disk = asObject(item, `vmConfig.disks[${i}]`);
    const seq = wholeNumber(disk, 'sequenceNum', `vmConfig.disks[${i}]`, i + 1, 1);
    if (requested.has(seq)) throw invalid(`vmConfig.disks: sequenceNum ${seq} appears twice`);
    requested.set(seq, disk);
  });
  const sequenceNums = [...new Set([...templateDisks.map((d) => d.sequenceNum), ...requested.keys()])].sort((a, b) => a - b);
  const disks = sequenceNums.map((seq) => {
    const source = templateDisks.find((d) => d.sequenceNum === seq);
    const sourceVolume = source ? state.volumes[source.volumeId] : undefined;
    const disk = requested.get(seq) ?? {};
    const path = `vmConfig.disks[sequenceNum=${seq}]`;
    const templateGB = sourceVolume?.quantityGB ?? 0;
    const asked = wholeNumber(disk, 'quantityGB', path, 0, 0);
    if (!sourceVolume && asked === 0) throw invalid(`${path}.quantityGB must be > 0 for a disk the template does not have`);
    if (sourceVolume && asked > 0 && asked < templateGB) {
      throw invalid(`${path}: ${asked} GB is smaller than the template's ${templateGB} GB disk`);
    }
    const defaultDs = `urn:sites:${state.site.id}:datastores:${sourceVolume?.datastoreId ?? systemDs}`;
    return {
      sequenceNum: seq,
      gb: asked === 0 ? templateGB : asked,
      datastoreUrn: optString(disk, 'datastoreUrn', path, '') || defaultDs,
      isThin: optBoolean(disk, 'isThin', path, sourceVolume?.isThin ?? true),
      sourceVolumeId: sourceVolume?.id,
    };
  });

  const nics: { dvsId: string; portGroupId: string }[] = template.nics.map((n) => ({ dvsId: n.dvsId, portGroupId: n.portGroupId }));
  asArray(vmConfig.nics, 'vmConfig.nics').forEach((item, i) => {
    const urn = reqString(asObject(item, `vmConfig.nics[${i}]`), 'portGroupUrn', `vmConfig.nics[${i}]`);
    nics[i] = resolvePortGroup(state, urn, `vmConfig.nics[${i}].portGroupUrn`);
  });

  return {
    name,
    description: optString(req, 'description', 'body', ''),
    autoBoot: optBoolean(req, 'autoBoot', 'body', true),
    cpu: wholeNumber(asObject(vmConfig.cpu, 'vmConfig.cpu'), 'quantity', 'vmConfig.cpu', template.cpu, 1),
    memoryMB: wholeNumber(asObject(vmConfig.memory, 'vmConfig.memory'), 'quantityMB', 'vmConfig.memory', template.memoryMB, 1),
    ...location,
    disks,
    nics,
    hostname: optString(customization, 'hostname', 'vmCustomization', ''),
    nicSpecification: readNicSpecs(customization.nicSpecification),
  };
}
