// The kinds the cluster explorer watches, with where the API server serves them.
// No vscode import: the informers, the pure tree model and the benchmark share this table.
import { Groups } from '../shared/gvk';

export const WATCHED_KINDS = [
  'Cluster',
  'KubeadmControlPlane',
  'MachineDeployment',
  'MachineSet',
  'Machine',
  'DCSCluster',
  'DCSMachine',
  'DCSIpHostnamePool',
] as const;

export type WatchedKind = (typeof WATCHED_KINDS)[number];

export interface KindInfo {
  readonly kind: WatchedKind;
  readonly group: string;
  readonly plural: string;
  /** Versions to read, best first: CAPI at its storage version v1beta2, v1beta1 on older servers. */
  readonly versions: readonly string[];
}

const capi = ['v1beta2', 'v1beta1'] as const;
const dcs = ['v1beta1'] as const;

export const KIND_INFO: Readonly<Record<WatchedKind, KindInfo>> = {
  Cluster: { kind: 'Cluster', group: Groups.core, plural: 'clusters', versions: capi },
  KubeadmControlPlane: { kind: 'KubeadmControlPlane', group: Groups.controlPlane, plural: 'kubeadmcontrolplanes', versions: capi },
  MachineDeployment: { kind: 'MachineDeployment', group: Groups.core, plural: 'machinedeployments', versions: capi },
  MachineSet: { kind: 'MachineSet', group: Groups.core, plural: 'machinesets', versions: capi },
  Machine: { kind: 'Machine', group: Groups.core, plural: 'machines', versions: capi },
  DCSCluster: { kind: 'DCSCluster', group: Groups.infrastructure, plural: 'dcsclusters', versions: dcs },
  DCSMachine: { kind: 'DCSMachine', group: Groups.infrastructure, plural: 'dcsmachines', versions: dcs },
  DCSIpHostnamePool: { kind: 'DCSIpHostnamePool', group: Groups.infrastructure, plural: 'dcsiphostnamepools', versions: dcs },
};

/** A Kubernetes object as JSON: only the metadata is typed, the rest is read defensively. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: KubeMeta;
  readonly spec?: unknown;
  readonly status?: unknown;
}

export interface KubeMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly finalizers?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly { readonly apiVersion: string; readonly kind: string; readonly name: string; readonly uid: string; readonly controller?: boolean }[];
  readonly managedFields?: unknown;
}

/** Objects of every watched kind, as the informers hold them. */
export type ObjectsByKind = Readonly<Record<WatchedKind, readonly KubeObject[]>>;

export function emptyObjects(): Record<WatchedKind, KubeObject[]> {
  return Object.fromEntries(WATCHED_KINDS.map((k) => [k, []])) as unknown as Record<WatchedKind, KubeObject[]>;
}

export function resourcePath(info: KindInfo, version: string): string {
  return `/apis/${info.group}/${version}/${info.plural}`;
}
