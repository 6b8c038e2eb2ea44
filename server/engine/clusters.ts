// Which objects make up one workload cluster: its Cluster, control plane and worker deployments.
import { get, getString } from './objects';
import type { IndexedObject, WorkspaceIndex } from './workspaceIndex';

const CAPI_CORE = 'cluster.x-k8s.io';
const CP_GROUP = 'controlplane.cluster.x-k8s.io';

/** The KubeadmControlPlane of the Cluster named `clusterName`, through Cluster.spec.controlPlaneRef. */
export function controlPlaneOf(index: WorkspaceIndex, namespace: string, clusterName: string): IndexedObject | undefined {
  for (const cluster of index.find(CAPI_CORE, 'Cluster', namespace, clusterName)) {
    const name = getString(get(cluster.object, ['spec', 'controlPlaneRef']), ['name']);
    if (name) return index.find(CP_GROUP, 'KubeadmControlPlane', namespace, name)[0];
  }
  return undefined;
}

/** The Cluster that points at this control plane. */
export function clusterOfControlPlane(index: WorkspaceIndex, kcp: IndexedObject): string | undefined {
  return index.referencesTo(kcp).find((r) => r.from.kind === 'Cluster')?.from.name;
}

/** The MachineDeployments and KubeadmControlPlanes whose machine template uses this pool (through their templates). */
export function poolUsers(index: WorkspaceIndex, pool: IndexedObject): IndexedObject[] {
  const users: IndexedObject[] = [];
  for (const { from: template } of index.referencesTo(pool)) {
    if (template.kind !== 'DCSMachineTemplate') continue;
    for (const { from } of index.referencesTo(template)) {
      if (from.kind === 'MachineDeployment' || from.kind === 'KubeadmControlPlane') users.push(from);
    }
  }
  return users;
}
