// Finalizers, labels and annotations the controller reads or writes, in one place.

export const Finalizers = {
  dcsMachine: 'dcsmachine.infrastructure.cluster.x-k8s.io',
  dcsCluster: 'dcscluster.infrastructure.cluster.x-k8s.io',
  /** Held while DCSMachines claim entries of the pool (their deletion needs it). */
  dcsPool: 'dcsiphostnamepool.infrastructure.cluster.x-k8s.io',
} as const;

export const Labels = {
  /** Set by Cluster API on every object of a workload cluster. */
  clusterName: 'cluster.x-k8s.io/cluster-name',
  /** Set by KubeadmControlPlane on its Machines and their infrastructure machines. */
  controlPlane: 'cluster.x-k8s.io/control-plane',
} as const;

export const Annotations = {
  /** Cluster API: leave the object alone. */
  paused: 'cluster.x-k8s.io/paused',
  /** Alauda: on deletion keep the VM, its pool entry and disks; only drop the finalizer. */
  retainVm: 'cpaas.io/retain-vm',
  /** Ours: the pool entry a DCSMachine claimed, `<pool>/<ip>`; written before its VM is created. */
  poolEntry: 'capi-dcs.io/pool-entry',
} as const;

/** The field manager (and user agent) of the controller's writes. */
export const FIELD_MANAGER = 'capi-dcs-controller';

/** providerID of a DCSMachine, as the reference defines it. */
export function providerIdFor(machineName: string): string {
  return `dcs://${machineName}`;
}
