// Provisioning a DCSMachine: the gates (cluster infrastructure, bootstrap data), the pool slot,
// the VM, then the contract fields: spec.providerID (dcs://<name>) and spec.vmUrn,
// status.addresses, status.ready and status.initialization.provisioned.

import type { MachineAddress } from '../../shared/api/dcs.generated';
import { DcsAuthError } from '../../shared/dcs/errors';
import { Reasons } from '../api/conditions';
import { Kinds, type Secret } from '../api/kinds';
import { Annotations, Finalizers, providerIdFor } from '../api/names';
import { done, requeueAfter, type ReconcileResult } from '../runtime/controller';
import { isNotFound } from '../runtime/kubeErrors';
import { errorMessage } from '../runtime/log';
import { objectPath } from '../runtime/resources';
import type { MachineScope } from '../scope/machineScope';
import { ProvisioningError } from '../services/dcsInventory';
import { annotatedIp, hostnameOf, vmNameOf, type SlotClaim } from '../services/slotClaims';
import { isWait } from '../services/wait';
import type { MachineDeps } from './dcsMachine';
import { clusterNameOf, dcsClusterOf } from './ownership';

export async function reconcileMachineNormal(scope: MachineScope, deps: MachineDeps): Promise<ReconcileResult> {
  const { machine, cluster, dcsMachine } = scope;
  if (!machine || !cluster) return done;
  if (cluster.status?.initialization?.infrastructureProvisioned !== true) {
    scope.setProvisioning({ status: 'False', reason: Reasons.waitingForClusterInfrastructure, message: `waiting for Cluster ${cluster.metadata.name ?? ''} infrastructure` });
    return done;
  }
  const secretName = machine.spec.bootstrap.dataSecretName;
  if (!secretName) {
    scope.setProvisioning({ status: 'False', reason: Reasons.waitingForBootstrapData, message: `waiting for Machine ${machine.metadata.name ?? ''} bootstrap data` });
    return done;
  }
  const dcsCluster = dcsClusterOf(cluster, clusterNameOf(dcsMachine, machine) ?? '', scope.namespace, deps.dcsClusters);
  if (!dcsCluster) {
    scope.setProvisioning({ status: 'False', reason: Reasons.waitingForDcs, message: `DCSCluster of Cluster ${cluster.metadata.name ?? ''} not found` });
    return done;
  }
  if (dcsCluster.status?.ready !== true) {
    const why = dcsCluster.status?.conditions?.find((c) => c.type === 'DCSConnected' && c.status === 'False')?.message;
    scope.setProvisioning({ status: 'False', reason: Reasons.waitingForDcs, message: `DCSCluster ${dcsCluster.metadata.name ?? ''} is not ready${why ? `: ${why}` : ''}` });
    return done; // the DCSCluster informer wakes this machine when that changes
  }
  // Bootstrap providers name the Secret before (or while) they write it: until it exists, wait
  // (as other CAPI providers do) and claim no slot. Secrets are not watched: poll for it.
  const readBootstrap = (): Promise<Secret | undefined> => readSecret(deps, scope.namespace, secretName);
  let bootstrap: Secret | undefined;
  if (annotatedIp(dcsMachine) === undefined) {
    bootstrap = await readBootstrap();
    if (!bootstrap) {
      const message = `waiting for Machine ${machine.metadata.name ?? ''} bootstrap data: Secret ${secretName} does not exist yet`;
      scope.setProvisioning({ status: 'False', reason: Reasons.waitingForBootstrapData, message });
      scope.log.debug('bootstrap data Secret not found yet', { secret: secretName });
      return requeueAfter(deps.timing.slotRetryMs);
    }
  }
  const conn = await deps.connections.forCluster(dcsCluster);
  conn.auth.check();

  const claim = await claimSlot(scope, deps);
  if (!claim) return requeueAfter(deps.timing.slotRetryMs);
  recordNetwork(scope, claim);

  const providerId = providerIdFor(scope.name);
  let progress;
  try {
    progress = await deps.provisioner.provision({
      conn,
      machine: dcsMachine,
      claim,
      providerId,
      readBootstrap: async () => {
        const secret = bootstrap ?? (await readBootstrap());
        if (!secret) throw new ProvisioningError(`bootstrap data Secret ${secretName} does not exist`, Reasons.waitingForBootstrapData);
        return secret;
      },
      provisionedBefore: scope.status.ready === true,
      recordMedium: (medium) => {
        scope.status.cdRomFile = medium.fileName;
        scope.status.cdRomDatastoreUrn = medium.datastoreUrn;
      },
      announce: (reason, message) => deps.events.event(Kinds.dcsMachine, scope.dcsMachine, 'Normal', reason, message),
    });
  } catch (err: unknown) {
    if (err instanceof DcsAuthError) {
      // Each refused login counts towards the DCS lockout: stop every machine of this Secret for a while.
      conn.auth.block(err, deps.timing.authRetryMs);
      deps.connections.invalidate(dcsCluster);
    }
    throw err;
  }
  if (isWait(progress)) {
    scope.setProvisioning({ status: 'False', reason: progress.reason, message: progress.message, severity: progress.severity });
    return requeueAfter(progress.requeueAfterMs);
  }
  const vm = progress;
  if (dcsMachine.spec.providerID !== providerId || dcsMachine.spec.vmUrn !== vm.urn) {
    await scope.patchSpec({ providerID: providerId, vmUrn: vm.urn });
  }
  scope.status.addresses = addressesOf(claim, scope.name);
  scope.status.vmStatus = vm.status;
  if (vm.hostName) scope.status.hostName = vm.hostName;
  if (scope.status.ready !== true) scope.log.info('machine provisioned', { vm: vm.name, vmUrn: vm.urn, ip: claim.entry.ip });
  scope.status.ready = true;
  scope.status.initialization = { ...scope.status.initialization, provisioned: true };
  scope.setProvisioning({ status: 'True', reason: Reasons.provisioned, message: `VM ${vm.name} is running` });

  // Once the node joined, the bootstrap medium is no longer needed (reference ≥ 1.0.21: a mounted
  // CD-ROM blocks DRS migration); it also holds the join token, so it goes.
  if (machine.status?.nodeRef?.name && scope.status.cdRomDetached !== true) {
    const detached = await deps.provisioner.removeMedium(conn, dcsMachine, vm, scope.status);
    if (detached) return requeueAfter(detached.requeueAfterMs);
    scope.status.cdRomDetached = true;
    scope.status.cdRomFileDeleted = true;
    scope.log.info('bootstrap medium detached and deleted', { vm: vm.name, node: machine.status.nodeRef.name });
  }
  return requeueAfter(deps.timing.resyncMs);
}

/**
 * The slot this machine holds (its annotation), else a new claim made durable (finalizer and
 * annotation in one patch) before anything is created in DCS. The pool status mirrors it in the
 * background.
 */
async function claimSlot(scope: MachineScope, deps: MachineDeps): Promise<SlotClaim | undefined> {
  const poolName = scope.dcsMachine.spec.ipHostPoolRef.name;
  let claim = deps.slots.held(scope.dcsMachine);
  if (!claim) {
    const outcome = deps.slots.reserve(scope.dcsMachine);
    if (!outcome.claim) {
      scope.setProvisioning({
        status: 'False',
        reason: Reasons.waitingForPoolSlot,
        message: `pool ${poolName} has no free entry: ${outcome.used} of ${outcome.size} in use; add entries to the pool or remove machines`,
        severity: 'Warning',
      });
      scope.log.warn('pool exhausted', { pool: poolName, used: outcome.used, size: outcome.size });
      deps.events.event(Kinds.dcsMachine, scope.dcsMachine, 'Warning', Reasons.waitingForPoolSlot, `pool ${poolName} has no free entry (${outcome.used} of ${outcome.size} in use)`);
      return undefined;
    }
    try {
      await scope.recordClaim(Finalizers.dcsMachine, Annotations.poolEntry, `${poolName}/${outcome.claim.entry.ip}`);
    } finally {
      deps.slots.unreserve(scope.dcsMachine, outcome.claim.entry.ip);
    }
    claim = deps.slots.held(scope.dcsMachine);
    if (!claim) throw new ProvisioningError(`the claim of pool ${poolName} was not recorded`, Reasons.provisioningFailed);
    scope.log.info('claimed pool entry', { pool: poolName, ip: claim.entry.ip, vm: claim.allocation.vmName });
    deps.events.event(Kinds.dcsMachine, scope.dcsMachine, 'Normal', 'IPAllocated', `claimed ${claim.entry.ip} (VM ${claim.allocation.vmName}) from pool ${poolName}`);
  } else if (!scope.dcsMachine.metadata.finalizers?.includes(Finalizers.dcsMachine)) {
    await scope.addFinalizer(Finalizers.dcsMachine);
  }
  const mirrored = claim;
  deps.slots.mirror(scope.dcsMachine, mirrored).catch((err: unknown) => {
    scope.log.warn('could not record the claim in the pool status; retried on the next reconcile', { pool: poolName, error: errorMessage(err) });
  });
  return claim;
}

/** A Secret by name; undefined when it does not exist. */
async function readSecret(deps: MachineDeps, namespace: string, name: string): Promise<Secret | undefined> {
  try {
    return await deps.kube.get<Secret>(objectPath(Kinds.secret, namespace, name));
  } catch (err: unknown) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function recordNetwork(scope: MachineScope, claim: SlotClaim): void {
  const { entry } = claim;
  const { persistentDisk: _disks, additionNic, ...network } = entry;
  scope.status.networkConfig = {
    ...network,
    hostname: hostnameOf(entry, scope.name),
    machineName: vmNameOf(entry, scope.name),
    ...(additionNic ? { additionNic } : {}),
  };
  if (additionNic) scope.status.additionalNic = additionNic;
}

function addressesOf(claim: SlotClaim, machineName: string): MachineAddress[] {
  const addresses: MachineAddress[] = [{ type: 'InternalIP', address: claim.entry.ip }];
  for (const nic of claim.entry.additionNic ?? []) if (nic.ip) addresses.push({ type: 'InternalIP', address: nic.ip });
  addresses.push({ type: 'Hostname', address: hostnameOf(claim.entry, machineName) });
  return addresses;
}
