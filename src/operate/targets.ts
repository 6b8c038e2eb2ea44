// What an operate command acts on when it is started from the explorer: the Cluster, the control plane or
// deployment, or the Machine behind a tree element. Pure (no vscode): reads the explorer's elements and cache.
import { clusterTargetOf, type ClusterTarget } from '../explorer/targets';
import type { Element } from '../explorer/tree';
import type { ExplorerSession } from '../explorer/session';

export interface OwnerTarget {
  readonly context: string;
  readonly kind: 'KubeadmControlPlane' | 'MachineDeployment';
  readonly namespace: string;
  readonly name: string;
}

export interface MachineTarget {
  readonly context: string;
  readonly namespace: string;
  readonly name: string;
}

type Cache = Pick<ExplorerSession, 'object'>;

export function ownerTargetOf(e: Element): OwnerTarget | undefined {
  if (e.type !== 'controlPlane' && e.type !== 'deployment' && e.type !== 'rollout') return undefined;
  return { context: e.context, kind: e.owner.kind, namespace: e.owner.ref.namespace, name: e.owner.ref.name };
}

/** The Machine of a machine element, or the Machine that owns a DCSMachine element. */
export function machineTargetOf(e: Element, cache: Cache): MachineTarget | undefined {
  if (e.type === 'machine') return { context: e.context, namespace: e.machine.ref.namespace, name: e.machine.ref.name };
  if (e.type !== 'dcsMachine') return undefined;
  const dcs = cache.object(e.context, 'DCSMachine', e.dcs.ref.namespace, e.dcs.ref.name);
  const owner = dcs?.metadata?.ownerReferences?.find((o) => o.kind === 'Machine');
  return owner ? { context: e.context, namespace: e.dcs.ref.namespace, name: owner.name } : undefined;
}

/** The Cluster an element belongs to; deployments and machines find theirs through the cache. */
export function clusterOf(e: Element, cache: Cache): ClusterTarget | undefined {
  const direct = clusterTargetOf(e);
  if (direct) return direct;
  const owner = ownerTargetOf(e);
  const machine = owner ? undefined : machineTargetOf(e, cache);
  const object = owner
    ? cache.object(e.context, owner.kind, owner.namespace, owner.name)
    : machine ? cache.object(e.context, 'Machine', machine.namespace, machine.name) : undefined;
  const spec = object?.spec as { clusterName?: unknown } | undefined;
  const name = typeof spec?.clusterName === 'string' ? spec.clusterName : object?.metadata?.labels?.['cluster.x-k8s.io/cluster-name'];
  const namespace = object?.metadata?.namespace;
  return name && namespace ? { context: e.context, namespace, name } : undefined;
}
