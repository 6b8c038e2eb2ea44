// The explorer's tree model: an immutable snapshot of one management cluster, built by model.ts.
import type { WatchedKind } from '../kube/kinds';
import type { Condition, ReplicaCounts } from './normalize';
import type { RolloutProgress } from './progress';

/** What an icon colour says. */
export type Health = 'ok' | 'progressing' | 'warning' | 'error' | 'paused' | 'deleting' | 'unknown';

/** Enough to find the live object again: for YAML, the workspace file, the clipboard. */
export interface LiveRef {
  readonly kind: WatchedKind;
  readonly apiVersion: string;
  readonly namespace: string;
  readonly name: string;
}

interface ObjectModel {
  /** Unique within one management cluster: kind/namespace/name. */
  readonly id: string;
  readonly ref: LiveRef;
  readonly name: string;
  readonly health: Health;
  readonly conditions: readonly Condition[];
}

export interface ClusterModel extends ObjectModel {
  readonly phase: string | undefined;
  readonly version: string | undefined;
  readonly paused: boolean;
  /** Available (v1beta2) or Ready (v1beta1); undefined before the controller said anything. */
  readonly ready: boolean | undefined;
  readonly infrastructureProvisioned: boolean | undefined;
  readonly controlPlaneInitialized: boolean | undefined;
  readonly controlPlane: ControlPlaneModel | undefined;
  readonly deployments: readonly MachineDeploymentModel[];
  /** Machines that belong to the Cluster but to no control plane or deployment we know. */
  readonly otherMachines: readonly MachineModel[];
  readonly infrastructure: InfrastructureModel;
}

export interface ReplicatedModel extends ObjectModel {
  readonly kind: 'KubeadmControlPlane' | 'MachineDeployment';
  readonly replicas: ReplicaCounts;
  /** spec.version (KCP) or spec.template.spec.version (MD). */
  readonly version: string | undefined;
  readonly paused: boolean;
  readonly rollout: RolloutProgress;
  readonly machines: readonly MachineModel[];
}

export interface ControlPlaneModel extends ReplicatedModel {
  readonly kind: 'KubeadmControlPlane';
  /** Versions the Machines run (status.versions), for a KCP upgrade half done. */
  readonly runningVersions: readonly string[];
}

export interface MachineDeploymentModel extends ReplicatedModel {
  readonly kind: 'MachineDeployment';
}

export interface MachineModel extends ObjectModel {
  readonly phase: string | undefined;
  readonly version: string | undefined;
  readonly nodeName: string | undefined;
  readonly providerID: string | undefined;
  readonly addresses: readonly { readonly type: string; readonly address: string }[];
  readonly createdAt: string | undefined;
  readonly upToDate: boolean | undefined;
  readonly available: boolean;
  readonly deleting: boolean;
  readonly controlPlane: boolean;
  readonly infraMachine: DcsMachineModel | undefined;
}

export interface DcsMachineModel extends ObjectModel {
  readonly vmName: string | undefined;
  readonly vmStatus: string | undefined;
  readonly host: string | undefined;
  readonly ips: readonly string[];
  readonly disks: readonly string[];
  readonly providerID: string | undefined;
  readonly provisioned: boolean | undefined;
  readonly pool: string | undefined;
}

export interface InfrastructureModel {
  readonly cluster: DcsClusterModel | undefined;
  readonly pools: readonly IpPoolModel[];
}

export interface DcsClusterModel extends ObjectModel {
  readonly endpoint: string | undefined;
  readonly loadBalancer: string | undefined;
  readonly provisioned: boolean | undefined;
}

export interface IpPoolModel extends ObjectModel {
  readonly size: number;
  readonly used: number;
  readonly free: number;
  readonly slots: readonly IpSlot[];
}

export interface IpSlot {
  readonly ip: string;
  readonly hostname: string | undefined;
  /** The DCSMachine that holds the slot, and its Machine. */
  readonly holder: string | undefined;
  readonly machine: string | undefined;
}

/** Why a kind is missing from the model. */
export interface KindProblem {
  readonly state: 'forbidden' | 'notInstalled' | 'unauthorized' | 'error';
  /** One plain sentence for the tree. */
  readonly message: string;
}

export interface ContextModel {
  readonly clusters: readonly ClusterModel[];
  readonly counts: Readonly<Record<WatchedKind, number>>;
  readonly problems: Readonly<Partial<Record<WatchedKind, KindProblem>>>;
}
