// Lookups over one management cluster's objects, built once per snapshot: who belongs to whom.
// Membership follows CAPI's labels first and owner references second (objects created by hand may lack either).
import type { KubeObject, ObjectsByKind, WatchedKind } from '../kube/kinds';
import type { ModelCache } from './modelCache';
import { controllerOwner, labelOf, nameOf, namespaceOf, path, str } from './normalize';

export const Labels = {
  clusterName: 'cluster.x-k8s.io/cluster-name',
  controlPlane: 'cluster.x-k8s.io/control-plane',
  controlPlaneName: 'cluster.x-k8s.io/control-plane-name',
  deploymentName: 'cluster.x-k8s.io/deployment-name',
  setName: 'cluster.x-k8s.io/set-name',
} as const;

export const REVISION_ANNOTATION = 'machinedeployment.clusters.x-k8s.io/revision';

export const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;
const objectKey = (o: KubeObject): string => keyOf(namespaceOf(o), nameOf(o));

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export type Relation =
  | 'machinesByCluster'
  | 'machinesByControlPlane'
  | 'machinesByDeployment'
  | 'machineSetsByDeployment'
  | 'deploymentsByCluster'
  | 'controlPlanesByCluster'
  | 'dcsClustersByCluster'
  | 'poolsByCluster';

/**
 * Every lookup the model makes goes through these functions, so a cluster's model can be reused when the
 * same lookups give the same objects again (see recordingIndex).
 */
export interface ObjectIndex {
  /** Per-object results kept between snapshots. */
  readonly cache: ModelCache;
  byName(kind: WatchedKind, namespace: string, name: string): KubeObject | undefined;
  /** Objects related to the `namespace/name` of a Cluster, control plane or deployment. */
  related(relation: Relation, key: string): readonly KubeObject[] | undefined;
  /** The Machine that owns a DCSMachine, by the DCSMachine's `namespace/name`. */
  machineOfDcsMachine(key: string): string | undefined;
  /** The MachineDeployment a Machine belongs to (label, or its MachineSet's owner). */
  deploymentOf(machine: KubeObject): string | undefined;
  /** The KubeadmControlPlane a Machine belongs to. */
  controlPlaneOf(machine: KubeObject): string | undefined;
}

export function clusterNameOf(o: KubeObject): string | undefined {
  return str(path(o.spec, 'clusterName')) ?? labelOf(o, Labels.clusterName) ?? controllerOwner(o, 'Cluster');
}

export function indexObjects(objects: ObjectsByKind, cache: ModelCache): ObjectIndex {
  const named = new Map<WatchedKind, Map<string, KubeObject>>();
  for (const [kind, list] of Object.entries(objects) as [WatchedKind, readonly KubeObject[]][]) {
    named.set(kind, new Map(list.map((o) => [objectKey(o), o])));
  }
  const byName = (kind: WatchedKind, namespace: string, name: string): KubeObject | undefined => named.get(kind)?.get(keyOf(namespace, name));

  const machineSetOwner = (ms: KubeObject): string | undefined => labelOf(ms, Labels.deploymentName) ?? controllerOwner(ms, 'MachineDeployment');
  const deploymentOf = (m: KubeObject): string | undefined => {
    const direct = labelOf(m, Labels.deploymentName);
    if (direct) return direct;
    const set = labelOf(m, Labels.setName) ?? controllerOwner(m, 'MachineSet');
    const ms = set === undefined ? undefined : byName('MachineSet', namespaceOf(m), set);
    return ms ? machineSetOwner(ms) : undefined;
  };
  const controlPlaneOf = (m: KubeObject): string | undefined =>
    labelOf(m, Labels.controlPlaneName) ?? controllerOwner(m, 'KubeadmControlPlane');

  const machinesByCluster = new Map<string, KubeObject[]>();
  const machinesByControlPlane = new Map<string, KubeObject[]>();
  const machinesByDeployment = new Map<string, KubeObject[]>();
  for (const m of objects.Machine) {
    const ns = namespaceOf(m);
    const cluster = clusterNameOf(m);
    if (cluster) push(machinesByCluster, keyOf(ns, cluster), m);
    const cp = controlPlaneOf(m);
    const md = cp === undefined ? deploymentOf(m) : undefined;
    if (cp) push(machinesByControlPlane, keyOf(ns, cp), m);
    else if (md) push(machinesByDeployment, keyOf(ns, md), m);
  }

  const machineSetsByDeployment = new Map<string, KubeObject[]>();
  for (const ms of objects.MachineSet) {
    const md = machineSetOwner(ms);
    if (md) push(machineSetsByDeployment, keyOf(namespaceOf(ms), md), ms);
  }

  const byCluster = (list: readonly KubeObject[]): Map<string, KubeObject[]> => {
    const map = new Map<string, KubeObject[]>();
    for (const o of list) {
      const cluster = clusterNameOf(o);
      if (cluster) push(map, keyOf(namespaceOf(o), cluster), o);
    }
    return map;
  };

  const machineOfDcsMachine = new Map<string, string>();
  for (const m of objects.Machine) {
    const ref = path(m.spec, 'infrastructureRef');
    const name = str(path(ref, 'name'));
    if (name && str(path(ref, 'kind')) === 'DCSMachine') machineOfDcsMachine.set(keyOf(namespaceOf(m), name), nameOf(m));
  }
  for (const d of objects.DCSMachine) {
    const owner = controllerOwner(d, 'Machine');
    if (owner && !machineOfDcsMachine.has(objectKey(d))) machineOfDcsMachine.set(objectKey(d), owner);
  }

  const relations: Record<Relation, ReadonlyMap<string, readonly KubeObject[]>> = {
    machinesByCluster,
    machinesByControlPlane,
    machinesByDeployment,
    machineSetsByDeployment,
    deploymentsByCluster: byCluster(objects.MachineDeployment),
    controlPlanesByCluster: byCluster(objects.KubeadmControlPlane),
    dcsClustersByCluster: byCluster(objects.DCSCluster),
    poolsByCluster: byCluster(objects.DCSIpHostnamePool),
  };
  return {
    cache,
    byName,
    related: (relation, key) => relations[relation].get(key),
    machineOfDcsMachine: (key) => machineOfDcsMachine.get(key),
    deploymentOf,
    controlPlaneOf,
  };
}

export interface Lookup {
  readonly method: 'byName' | 'related' | 'machineOfDcsMachine' | 'deploymentOf' | 'controlPlaneOf';
  readonly args: readonly unknown[];
  readonly result: unknown;
}

/** An index that records every lookup and its result, to check later whether they still hold. */
export function recordingIndex(index: ObjectIndex): { index: ObjectIndex; lookups: Lookup[] } {
  const lookups: Lookup[] = [];
  const record = <T>(method: Lookup['method'], args: readonly unknown[], result: T): T => {
    lookups.push({ method, args, result });
    return result;
  };
  return {
    lookups,
    index: {
      cache: index.cache,
      byName: (kind, ns, name) => record('byName', [kind, ns, name], index.byName(kind, ns, name)),
      related: (relation, key) => record('related', [relation, key], index.related(relation, key)),
      machineOfDcsMachine: (key) => record('machineOfDcsMachine', [key], index.machineOfDcsMachine(key)),
      deploymentOf: (m) => record('deploymentOf', [m], index.deploymentOf(m)),
      controlPlaneOf: (m) => record('controlPlaneOf', [m], index.controlPlaneOf(m)),
    },
  };
}

/** True when every recorded lookup gives the same answer (the same objects, by identity) on `index`. */
export function lookupsHold(lookups: readonly Lookup[], index: ObjectIndex): boolean {
  for (const l of lookups) {
    const now: unknown = (index[l.method] as (...args: unknown[]) => unknown)(...l.args);
    if (!sameResult(now, l.result)) return false;
  }
  return true;
}

function sameResult(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
