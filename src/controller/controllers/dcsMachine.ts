// The DCSMachine reconciler (CAPI InfraMachine contract): wait for the Machine owner reference,
// find the Cluster, honour pause, then provision (wait for cluster infrastructure and bootstrap
// data, claim a pool slot together with the finalizer, bring the VM up, set providerID, addresses
// and ready) or delete (see dcsMachineDelete.ts). The finalizer goes on with the claim, before
// anything exists in DCS. The status is written once, at the end.

import type { DCSIpHostnamePool } from '../../shared/api/dcs.generated';
import { ConditionTypes, Reasons } from '../api/conditions';
import { Finalizers } from '../api/names';
import { Kinds, type Cluster, type DCSCluster, type DCSMachine, type Machine } from '../api/kinds';
import { done, requeueAfter, type ReconcileResult } from '../runtime/controller';
import type { EventSink } from '../runtime/events';
import type { Informer } from '../runtime/informer';
import type { KubeClient } from '../runtime/kubeClient';
import { KubeApiError } from '../runtime/kubeErrors';
import { errorMessage, type Logger } from '../runtime/log';
import type { ObjectWriter } from '../runtime/objectWriter';
import { splitKey } from '../runtime/resources';
import { MachineScope } from '../scope/machineScope';
import type { DcsConnections } from '../services/dcsConnections';
import type { SlotAllocator } from '../services/slotClaims';
import type { VmProvisioner } from '../services/vmProvisioner';
import type { VmTeardown } from '../services/vmTeardown';
import { reconcileMachineDelete } from './dcsMachineDelete';
import { reconcileMachineNormal } from './dcsMachineNormal';
import { describeFailure } from './failures';
import { clusterNameOf, isPaused, ownerName } from './ownership';
import type { PersistentDisks } from './persistentDisks';

export interface MachineTiming {
  /** Poll interval for DCS tasks that outlast a reconcile. */
  readonly pollMs: number;
  /** Retry interval while the pool has no free entry. */
  readonly slotRetryMs: number;
  /** Re-check a provisioned machine's VM this often. */
  readonly resyncMs: number;
  /** How long DCS is not asked again with a refused credential (failed logins lock accounts). */
  readonly authRetryMs: number;
  /** Retry interval while the credential is refused: cheap (no login) until the Secret changes. */
  readonly credentialRecheckMs: number;
}

export interface MachineDeps {
  readonly log: Logger;
  readonly kube: KubeClient;
  readonly dcsMachines: Informer<DCSMachine>;
  readonly machines: Informer<Machine>;
  readonly clusters: Informer<Cluster>;
  readonly dcsClusters: Informer<DCSCluster>;
  readonly pools: Informer<DCSIpHostnamePool>;
  readonly writer: ObjectWriter<DCSMachine>;
  readonly connections: DcsConnections;
  readonly slots: SlotAllocator;
  readonly provisioner: VmProvisioner;
  readonly teardown: VmTeardown;
  readonly disks: PersistentDisks;
  /** Kubernetes Events about the DCSMachines. */
  readonly events: EventSink;
  /** Wakes the machines waiting for a slot of this pool. */
  readonly wakePoolWaiters: (namespace: string, pool: string) => void;
  readonly timing: MachineTiming;
}

export async function reconcileDcsMachine(key: string, deps: MachineDeps): Promise<ReconcileResult> {
  const { namespace, name } = splitKey(key);
  const dcsMachine = deps.dcsMachines.get(namespace, name);
  if (!dcsMachine) return done;
  const deleting = dcsMachine.metadata.deletionTimestamp !== undefined;
  if (deleting && !dcsMachine.metadata.finalizers?.includes(Finalizers.dcsMachine)) return done;

  const machineName = ownerName(dcsMachine, 'Machine');
  const machine = machineName === undefined ? undefined : deps.machines.get(namespace, machineName);
  const log = deps.log.child({ kind: 'DCSMachine', namespace, name });
  if (!machine && !deleting) {
    log.debug('waiting for the owner Machine', { machine: machineName ?? '(no owner reference yet)' });
    return done; // the Machine informer enqueues this object when its owner appears
  }
  const clusterName = clusterNameOf(dcsMachine, machine);
  const cluster = clusterName === undefined ? undefined : deps.clusters.get(namespace, clusterName);
  if (!cluster && !deleting) {
    log.debug('waiting for the Cluster', { cluster: clusterName ?? '(no cluster-name label)' });
    return done;
  }

  if (isPaused(cluster, dcsMachine)) {
    const scope = new MachineScope(deps.writer, dcsMachine, machine, cluster, log);
    scope.setCondition({ type: ConditionTypes.paused, status: 'True', reason: Reasons.paused, message: 'the Cluster or this object is paused' });
    await scope.close();
    log.debug('paused: leaving the machine alone');
    return done;
  }
  const scope = new MachineScope(deps.writer, dcsMachine, machine, cluster, log);
  scope.setCondition({ type: ConditionTypes.paused, status: 'False', reason: Reasons.notPaused, message: '' });
  let failed = false;
  try {
    return deleting ? await reconcileMachineDelete(scope, deps) : await reconcileMachineNormal(scope, deps);
  } catch (err: unknown) {
    failed = true;
    const failure = describeFailure(err);
    // DCS and provisioning failures are news for `kubectl describe`; API write conflicts are not.
    if (!(err instanceof KubeApiError)) deps.events.event(Kinds.dcsMachine, dcsMachine, 'Warning', failure.reason, failure.message);
    if (deleting) {
      scope.setCondition({ type: ConditionTypes.ready, status: 'False', reason: Reasons.deleting, message: `deletion is retried: ${failure.message}`, severity: 'Warning' });
    } else {
      scope.setProvisioning({ status: 'False', reason: failure.reason, message: failure.message, severity: failure.severity });
    }
    if (failure.isAuth) {
      log.error('DCS refused the login; retrying slowly', { error: failure.message, retryInMs: deps.timing.credentialRecheckMs });
      return requeueAfter(deps.timing.credentialRecheckMs);
    }
    throw err;
  } finally {
    await scope.close().catch((err: unknown) => {
      if (!failed) throw err;
      log.warn('could not write the status', { error: errorMessage(err) });
    });
  }
}
