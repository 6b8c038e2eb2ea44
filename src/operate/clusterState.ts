// Reads one workload cluster's objects from the management cluster: the Cluster, its KubeadmControlPlane,
// MachineDeployments, MachineSets and Machines, and the DCS templates and pools of its namespace.
import { getString } from '../../server/engine/objects';
import { Groups } from '../shared/gvk';
import { UnknownKindError, type KubeObject, type ObjectApi } from './objectApi';

export interface ClusterState {
  readonly namespace: string;
  readonly cluster: KubeObject;
  readonly controlPlane: KubeObject | undefined;
  readonly deployments: readonly KubeObject[];
  readonly machineSets: readonly KubeObject[];
  readonly machines: readonly KubeObject[];
  /** Every DCSMachineTemplate of the namespace (new names must not clash with any of them). */
  readonly templates: readonly KubeObject[];
  readonly pools: readonly KubeObject[];
}

export const DCS_API_VERSION = `${Groups.infrastructure}/v1beta1`;
const CAPI_VERSIONS = ['v1beta2', 'v1beta1'];
const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';

export class ClusterNotFoundError extends Error {
  override readonly name = 'ClusterNotFoundError';
}

export async function readClusterState(api: ObjectApi, namespace: string, name: string, signal?: AbortSignal): Promise<ClusterState> {
  const capi = await capiVersion(api, signal);
  const core = `${Groups.core}/${capi}`;
  const cluster = await api.get({ apiVersion: core, kind: 'Cluster', namespace, name }, signal);
  if (!cluster) throw new ClusterNotFoundError(`Cluster ${namespace}/${name} does not exist`);
  const cpName = getString(cluster, ['spec', 'controlPlaneRef', 'name']);
  const cpKind = getString(cluster, ['spec', 'controlPlaneRef', 'kind']);
  const controlPlane = cpName && cpKind === 'KubeadmControlPlane'
    ? await api.get({ apiVersion: `${Groups.controlPlane}/${capi}`, kind: 'KubeadmControlPlane', namespace, name: cpName }, signal)
    : undefined;
  const belongs = (o: KubeObject): boolean => getString(o, ['spec', 'clusterName']) === name || o.metadata.labels?.[CLUSTER_NAME_LABEL] === name;
  const [deployments, machineSets, machines, templates, pools] = await Promise.all([
    api.list(core, 'MachineDeployment', namespace, undefined, signal),
    api.list(core, 'MachineSet', namespace, undefined, signal),
    api.list(core, 'Machine', namespace, undefined, signal),
    api.list(DCS_API_VERSION, 'DCSMachineTemplate', namespace, undefined, signal),
    api.list(DCS_API_VERSION, 'DCSIpHostnamePool', namespace, undefined, signal),
  ]);
  return {
    namespace,
    cluster,
    controlPlane,
    deployments: deployments.filter(belongs).sort(byName),
    machineSets: machineSets.filter(belongs),
    machines: machines.filter(belongs).sort(byName),
    templates,
    pools,
  };
}

/** v1beta2 when the server serves it (CAPI ≥ v1.11), else v1beta1. */
async function capiVersion(api: ObjectApi, signal?: AbortSignal): Promise<string> {
  for (const version of CAPI_VERSIONS) {
    try {
      await api.resource(`${Groups.core}/${version}`, 'Cluster', signal);
      return version;
    } catch (error) {
      if (!(error instanceof UnknownKindError)) throw error;
    }
  }
  throw new UnknownKindError('this API server serves no Cluster API (cluster.x-k8s.io) kinds');
}

/** Clusters of a namespace (or every namespace), for pickers that have no explorer model. */
export async function listClusters(api: ObjectApi, namespace: string | undefined, signal?: AbortSignal): Promise<KubeObject[]> {
  const capi = await capiVersion(api, signal);
  return (await api.list(`${Groups.core}/${capi}`, 'Cluster', namespace, undefined, signal)).sort(byName);
}

export function machinesOfControlPlane(state: ClusterState): KubeObject[] {
  const cp = state.controlPlane;
  if (!cp) return [];
  return state.machines.filter((m) => m.metadata.labels?.['cluster.x-k8s.io/control-plane'] !== undefined || ownedBy(m, 'KubeadmControlPlane', cp.metadata.name));
}

export function machinesOfDeployment(state: ClusterState, deployment: string): KubeObject[] {
  const sets = new Set(state.machineSets.filter((s) => s.metadata.labels?.['cluster.x-k8s.io/deployment-name'] === deployment || ownedBy(s, 'MachineDeployment', deployment)).map((s) => s.metadata.name));
  return state.machines.filter((m) => m.metadata.labels?.['cluster.x-k8s.io/deployment-name'] === deployment || [...sets].some((s) => ownedBy(m, 'MachineSet', s)));
}

function ownedBy(object: KubeObject, kind: string, name: string): boolean {
  const owners = object.metadata.ownerReferences;
  return Array.isArray(owners) && owners.some((o: unknown) => typeof o === 'object' && o !== null && (o as { kind?: unknown }).kind === kind && (o as { name?: unknown }).name === name);
}

function byName(a: KubeObject, b: KubeObject): number {
  return a.metadata.name.localeCompare(b.metadata.name);
}
