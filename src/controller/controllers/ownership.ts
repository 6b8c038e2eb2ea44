// Who owns what: the Machine behind a DCSMachine (controller owner reference), the Cluster
// (cluster-name label, else the Machine's clusterName), the DCSCluster behind a Cluster
// (infrastructureRef, else the same name), and whether Cluster API asks us to pause.

import { Annotations, Labels } from '../api/names';
import type { Cluster, DCSCluster, DCSMachine, Machine } from '../api/kinds';
import type { Informer } from '../runtime/informer';
import type { KubeObject } from '../runtime/resources';

export function ownerName(obj: KubeObject, kind: 'Machine' | 'Cluster'): string | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.kind === kind && r.apiVersion.startsWith('cluster.x-k8s.io/'))?.name;
}

export function clusterNameOf(obj: KubeObject, machine?: Machine): string | undefined {
  return obj.metadata.labels?.[Labels.clusterName] ?? machine?.spec.clusterName ?? ownerName(obj, 'Cluster');
}

export function dcsClusterOf(cluster: Cluster | undefined, clusterName: string, namespace: string, dcsClusters: Informer<DCSCluster>): DCSCluster | undefined {
  const ref = cluster?.spec?.infrastructureRef;
  const name = ref?.kind === 'DCSCluster' ? ref.name : clusterName;
  return dcsClusters.get(namespace, name);
}

/** Cluster.spec.paused or the paused annotation on the object itself. */
export function isPaused(cluster: Cluster | undefined, obj: KubeObject): boolean {
  return cluster?.spec?.paused === true || obj.metadata.annotations?.[Annotations.paused] !== undefined;
}

/** `cpaas.io/retain-vm: "true"` on the DCSMachine or its Machine. */
export function isRetained(dcsMachine: DCSMachine, machine: Machine | undefined): boolean {
  return [dcsMachine, machine].some((o) => o?.metadata.annotations?.[Annotations.retainVm] === 'true');
}
