// The DCSCluster reconciler (CAPI InfraCluster contract): wait for the owning Cluster, honour
// pause, add the finalizer, fill spec.controlPlaneEndpoint from the load balancer when it is
// empty, check the DCS credentials (a login and the site listed), then set status.ready and
// status.initialization.provisioned. On deletion it waits until the cluster's DCSMachines are
// gone (they need these credentials to delete their VMs), deletes the control plane DRS rule
// (controlPlaneHA.ts), then drops the finalizer.

import { ConditionTypes, Reasons } from '../api/conditions';
import { Finalizers } from '../api/names';
import { Kinds, type Cluster, type DCSCluster, type DCSMachine } from '../api/kinds';
import { done, requeueAfter, type ReconcileResult } from '../runtime/controller';
import type { EventSink } from '../runtime/events';
import type { Informer } from '../runtime/informer';
import { errorMessage, type Logger } from '../runtime/log';
import type { ObjectWriter } from '../runtime/objectWriter';
import { splitKey } from '../runtime/resources';
import { ClusterScope } from '../scope/clusterScope';
import type { DcsConnection, DcsConnections } from '../services/dcsConnections';
import { DcsAuthError } from '../../shared/dcs/errors';
import { ProvisioningError } from '../services/dcsInventory';
import type { TaskTracker } from '../services/taskTracker';
import { controlPlaneMembers, dropControlPlaneRule, reconcileControlPlaneHA } from './controlPlaneHA';
import { describeFailure } from './failures';
import { clusterNameOf, isPaused } from './ownership';

export interface ClusterDeps {
  readonly log: Logger;
  readonly dcsClusters: Informer<DCSCluster>;
  readonly clusters: Informer<Cluster>;
  readonly dcsMachines: Informer<DCSMachine>;
  readonly writer: ObjectWriter<DCSCluster>;
  readonly connections: DcsConnections;
  readonly events: EventSink;
  /** DCS tasks of the DRS rule, per DCSCluster UID. */
  readonly tasks: TaskTracker;
  readonly timing: { readonly resyncMs: number; readonly authRetryMs: number; readonly credentialRecheckMs: number; readonly pollMs: number };
}

/** Index of DCSMachines (and DCSClusters) by `namespace/cluster-name`. */
export const CLUSTER_INDEX = 'cluster';

export async function reconcileDcsCluster(key: string, deps: ClusterDeps): Promise<ReconcileResult> {
  const { namespace, name } = splitKey(key);
  let dcsCluster = deps.dcsClusters.get(namespace, name);
  if (!dcsCluster) return done;
  const deleting = dcsCluster.metadata.deletionTimestamp !== undefined;
  if (deleting && !dcsCluster.metadata.finalizers?.includes(Finalizers.dcsCluster)) return done;
  const log = deps.log.child({ kind: 'DCSCluster', namespace, name });
  const clusterName = clusterNameOf(dcsCluster);
  const cluster = clusterName === undefined ? undefined : deps.clusters.get(namespace, clusterName);
  if (!cluster && !deleting) {
    log.debug('waiting for the owner Cluster');
    return done;
  }
  if (isPaused(cluster, dcsCluster)) {
    const scope = new ClusterScope(deps.writer, dcsCluster, cluster, log);
    scope.setCondition({ type: ConditionTypes.paused, status: 'True', reason: Reasons.paused, message: 'the Cluster or this object is paused' });
    await scope.close();
    return done;
  }
  if (!deleting) dcsCluster = await deps.writer.addFinalizer(dcsCluster, Finalizers.dcsCluster);

  const scope = new ClusterScope(deps.writer, dcsCluster, cluster, log);
  scope.setCondition({ type: ConditionTypes.paused, status: 'False', reason: Reasons.notPaused, message: '' });
  try {
    return deleting ? await reconcileDelete(scope, deps, clusterName ?? name) : await reconcileNormal(scope, deps, clusterName ?? name);
  } finally {
    await scope.close().catch((err: unknown) => log.warn('could not write the status', { error: errorMessage(err) }));
  }
}

async function reconcileNormal(scope: ClusterScope, deps: ClusterDeps, clusterName: string): Promise<ReconcileResult> {
  const { spec } = scope.dcsCluster;
  if (!spec.controlPlaneEndpoint?.host) {
    const { host, port } = spec.controlPlaneLoadBalancer;
    await scope.patchSpec({ controlPlaneEndpoint: { host, port } });
    scope.log.info('set the control plane endpoint from the load balancer', { host, port });
  }
  let conn: DcsConnection | undefined;
  try {
    conn = await deps.connections.forCluster(scope.dcsCluster);
    await verifySite(conn);
  } catch (err: unknown) {
    const failure = describeFailure(err);
    deps.events.event(Kinds.dcsCluster, scope.dcsCluster, 'Warning', failure.reason, failure.message);
    scope.setCondition({ type: ConditionTypes.dcsConnected, status: 'False', reason: failure.reason, message: failure.message, severity: failure.severity });
    scope.setCondition({ type: ConditionTypes.ready, status: 'False', reason: failure.reason, message: failure.message, severity: failure.severity });
    if (failure.isAuth) {
      // Each refused login counts towards the DCS lockout: nobody tries this Secret content again
      // for a while. The Secret itself is read again soon: a fixed one logs in at once.
      const fresh = conn && err instanceof DcsAuthError ? conn.auth.block(err, deps.timing.authRetryMs) : true;
      deps.connections.invalidate(scope.dcsCluster);
      if (fresh) scope.log.error('DCS refused the login; retrying slowly', { error: failure.message });
      else scope.log.debug('the credential Secret is unchanged; not logging in again yet');
      return requeueAfter(deps.timing.credentialRecheckMs);
    }
    throw err;
  }
  scope.setCondition({ type: ConditionTypes.dcsConnected, status: 'True', reason: Reasons.connected, message: '' });
  scope.setCondition({ type: ConditionTypes.ready, status: 'True', reason: Reasons.connected, message: '' });
  if (scope.status.ready !== true) {
    scope.log.info('cluster infrastructure ready');
    deps.events.event(Kinds.dcsCluster, scope.dcsCluster, 'Normal', Reasons.connected, `logged in to DCS at ${conn.endpoint}, site ${conn.site}`);
  }
  scope.status.ready = true;
  scope.status.initialization = { ...scope.status.initialization, provisioned: true };
  const members = controlPlaneMembers(deps.dcsMachines.byIndex(CLUSTER_INDEX, `${scope.namespace}/${clusterName}`));
  const haRecheckMs = await reconcileControlPlaneHA(scope, deps, conn, members);
  return requeueAfter(Math.min(deps.timing.resyncMs, haRecheckMs ?? Infinity));
}

/** Logs in (on demand) and checks that the site exists. */
async function verifySite(conn: DcsConnection): Promise<void> {
  conn.auth.check();
  const sites = await conn.client.listSites();
  if (!sites.some((s) => s.urn === `urn:sites:${conn.site}` || s.name === conn.site)) {
    throw new ProvisioningError(`DCS at ${conn.endpoint} has no site ${conn.site}`, Reasons.credentialSecretInvalid);
  }
}

async function reconcileDelete(scope: ClusterScope, deps: ClusterDeps, clusterName: string): Promise<ReconcileResult> {
  const machines = deps.dcsMachines.byIndex(CLUSTER_INDEX, `${scope.namespace}/${clusterName}`);
  if (machines.length > 0) {
    const message = `waiting for ${machines.length} DCSMachine(s) to be deleted first`;
    scope.setCondition({ type: ConditionTypes.ready, status: 'False', reason: Reasons.waitingForMachines, message });
    return requeueAfter(deps.timing.pollMs * 5);
  }
  const ruleWait = await deleteControlPlaneRule(scope, deps);
  if (ruleWait !== undefined) return requeueAfter(ruleWait);
  await scope.removeFinalizer(Finalizers.dcsCluster);
  scope.log.info('removed DCSCluster finalizer');
  return done;
}

/** The control plane DRS rule goes with the cluster; best effort: DCS trouble never blocks the deletion. */
async function deleteControlPlaneRule(scope: ClusterScope, deps: ClusterDeps): Promise<number | undefined> {
  const rule = scope.status.controlPlaneHA?.ruleName;
  if (!rule) return undefined;
  try {
    const conn = await deps.connections.forCluster(scope.dcsCluster);
    conn.auth.check();
    return await dropControlPlaneRule(scope, deps, conn);
  } catch (err: unknown) {
    const message = `could not delete DRS rule ${rule}; delete it in DCS: ${errorMessage(err)}`;
    scope.log.warn('could not delete the control plane DRS rule', { rule, error: errorMessage(err) });
    deps.events.event(Kinds.dcsCluster, scope.dcsCluster, 'Warning', Reasons.controlPlaneHAFailed, message);
    return undefined;
  }
}
