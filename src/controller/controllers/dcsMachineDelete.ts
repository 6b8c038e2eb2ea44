// Deleting a DCSMachine: with `cpaas.io/retain-vm: "true"` only the finalizer goes (VM, pool
// entry and disks stay for manual cleanup). Otherwise the VM is stopped and deleted with its
// persistent volumes detached and kept, the bootstrap medium is removed, the pool entry is freed
// (waking machines that wait for one), and the finalizer is dropped last.

import { DcsError } from '../../shared/dcs/errors';
import { ConditionTypes, Reasons } from '../api/conditions';
import { Kinds } from '../api/kinds';
import { Finalizers } from '../api/names';
import { done, requeueAfter, type ReconcileResult } from '../runtime/controller';
import { errorMessage } from '../runtime/log';
import type { MachineScope } from '../scope/machineScope';
import type { DcsConnection } from '../services/dcsConnections';
import { isoFileName } from '../services/bootstrapIso';
import { ProvisioningError } from '../services/dcsInventory';
import { annotatedIp, type SlotClaim } from '../services/slotClaims';
import { deleteMediumFile } from '../services/vmProvisioner';
import type { MachineDeps } from './dcsMachine';
import { clusterNameOf, dcsClusterOf, isRetained } from './ownership';

export async function reconcileMachineDelete(scope: MachineScope, deps: MachineDeps): Promise<ReconcileResult> {
  const { dcsMachine, machine } = scope;
  scope.setCondition({ type: ConditionTypes.ready, status: 'False', reason: Reasons.deleting, message: 'deleting the VM' });
  scope.setCondition({ type: ConditionTypes.vmProvisioned, status: 'False', reason: Reasons.deleting, message: 'deleting the VM' });

  if (isRetained(dcsMachine, machine)) {
    // The allocation outlives the machine so that nobody else takes the entry of the kept VM.
    const kept = heldClaim(scope, deps);
    if (kept) await deps.slots.mirror(dcsMachine, kept);
    scope.log.info('retain-vm set: keeping the VM, its pool entry and disks');
    await finish(scope, deps);
    return done;
  }

  const poolName = dcsMachine.spec.ipHostPoolRef.name;
  const claim = heldClaim(scope, deps);
  const vmName = claim?.allocation.vmName ?? scope.status.networkConfig?.machineName;

  if (vmName) {
    const conn = await connectionFor(scope, deps);
    const wait = await deps.teardown.run({
      conn,
      machine: dcsMachine,
      vmName,
      stopIssuedAt: scope.stopIssuedAt(),
      setCondition: (condition) => scope.setCondition(condition),
      detachDisks: (vm) => deps.disks.detachAll(conn, dcsMachine, claim, vm),
      log: scope.log,
    });
    if (wait) {
      scope.setCondition({ type: ConditionTypes.ready, status: 'False', reason: Reasons.deleting, message: wait.message, severity: wait.severity });
      return requeueAfter(wait.requeueAfterMs);
    }
    await removeMedium(scope, conn, vmName);
    deps.events.event(Kinds.dcsMachine, dcsMachine, 'Normal', 'VMDeleted', `deleted VM ${vmName}`);
  }

  // The allocation goes first; the annotation (the other record of the claim) goes with the object.
  const released = await deps.slots.release(dcsMachine);
  if (released || annotatedIp(dcsMachine) !== undefined) {
    const ip = annotatedIp(dcsMachine) ?? claim?.entry.ip;
    scope.log.info('released pool entry', { pool: poolName, ip });
    deps.events.event(Kinds.dcsMachine, dcsMachine, 'Normal', 'IPReleased', `released ${ip ?? 'its entry'} to pool ${poolName}`);
  }
  await finish(scope, deps);
  deps.wakePoolWaiters(scope.namespace, poolName);
  return done;
}

/** The slot by the machine's annotation; undefined when there is none or its entry left the pool. */
function heldClaim(scope: MachineScope, deps: MachineDeps): SlotClaim | undefined {
  try {
    return deps.slots.held(scope.dcsMachine);
  } catch {
    return undefined;
  }
}

async function finish(scope: MachineScope, deps: MachineDeps): Promise<void> {
  deps.provisioner.forget(scope.uid);
  await scope.removeFinalizer(Finalizers.dcsMachine);
  scope.log.info('removed DCSMachine finalizer');
}

async function connectionFor(scope: MachineScope, deps: MachineDeps): Promise<DcsConnection> {
  const clusterName = clusterNameOf(scope.dcsMachine, scope.machine) ?? '';
  const dcsCluster = dcsClusterOf(scope.cluster, clusterName, scope.namespace, deps.dcsClusters);
  if (!dcsCluster) {
    throw new ProvisioningError(`cannot delete the VM: DCSCluster of Cluster ${clusterName} is gone, so are the DCS credentials`, Reasons.waitingForDcs);
  }
  const conn = await deps.connections.forCluster(dcsCluster);
  conn.auth.check();
  return conn;
}

/** Deletes the uploaded bootstrap medium (after the VM, which held it as CD-ROM, is gone), recorded or not. */
async function removeMedium(scope: MachineScope, conn: DcsConnection, vmName: string): Promise<void> {
  if (scope.status.cdRomFileDeleted) return;
  const fileName = isoFileName(vmName, scope.uid);
  try {
    await deleteMediumFile(conn.client, scope.status, fileName);
  } catch (err: unknown) {
    // Not worth blocking the deletion: a leftover file is visible in DCS and harmless.
    scope.log.warn('could not delete the bootstrap medium', { file: scope.status.cdRomFile ?? fileName, error: err instanceof DcsError ? err.message : errorMessage(err) });
    return;
  }
  scope.status.cdRomFileDeleted = true;
}
