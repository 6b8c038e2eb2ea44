// Memoized per-object parts of the tree model. The informers keep an object's identity until it changes,
// so a rebuild after one event recomputes only what that event touched. Owned by one connection, never global.
import type { KubeObject } from '../kube/kinds';
import type { Lookup } from './modelIndex';
import type { ClusterModel, DcsMachineModel, MachineModel } from './modelTypes';

export interface CachedMachine {
  /** The inputs besides the Machine itself; the model is reused only when all are the same. */
  readonly dcs: KubeObject | undefined;
  readonly fallback: boolean | undefined;
  readonly controlPlane: boolean;
  readonly model: MachineModel;
}

export interface CachedCluster {
  /** Every index lookup the cluster's model made; the model is reused while they all give the same objects. */
  readonly lookups: readonly Lookup[];
  readonly model: ClusterModel;
}

export class ModelCache {
  readonly clusters = new WeakMap<KubeObject, CachedCluster>();
  readonly machines = new WeakMap<KubeObject, CachedMachine>();
  readonly dcsMachines = new WeakMap<KubeObject, DcsMachineModel>();
}
