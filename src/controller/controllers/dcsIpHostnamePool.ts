// The DCSIpHostnamePool reconciler: keeps status.size/used/free in step with the entries and the
// allocations, and drops allocations of entries removed from spec.pool (that is how an operator
// frees an entry left behind by a retained VM). Slot claims themselves are written by the
// DCSMachine reconciler through the same batched pool status writer.
// A finalizer keeps a deleted pool until no DCSMachine claims an entry of it any more: deleting
// a machine frees its entry and detaches the entry's persistent volumes, which needs the pool
// (`kubectl delete -f cluster.yaml` deletes the pool and the machines at once, in any order).

import type { DCSIpHostnamePool, DCSMachine } from '../../shared/api/dcs.generated';
import { Finalizers } from '../api/names';
import { done, type ReconcileResult } from '../runtime/controller';
import type { Informer } from '../runtime/informer';
import type { Logger } from '../runtime/log';
import type { ObjectWriter } from '../runtime/objectWriter';
import { splitKey } from '../runtime/resources';
import type { PoolStatusWriter } from '../services/poolStatusWriter';
import { annotatedIp, POOL_INDEX } from '../services/slotClaims';

export interface PoolDeps {
  readonly log: Logger;
  readonly pools: Informer<DCSIpHostnamePool>;
  readonly dcsMachines: Informer<DCSMachine>;
  /** Status: the batched writer; metadata (the finalizer): this one. */
  readonly writer: PoolStatusWriter;
  readonly objects: ObjectWriter<DCSIpHostnamePool>;
}

export async function reconcilePool(key: string, deps: PoolDeps): Promise<ReconcileResult> {
  const { namespace, name } = splitKey(key);
  const pool = deps.pools.get(namespace, name);
  if (!pool) return done;
  const log = deps.log.child({ kind: 'DCSIpHostnamePool', namespace, name });
  if (pool.metadata.deletionTimestamp !== undefined) return reconcileDelete(key, pool, deps, log);
  if (!pool.metadata.finalizers?.includes(Finalizers.dcsPool)) await deps.objects.addFinalizer(pool, Finalizers.dcsPool);

  const dropped = await deps.writer.update(namespace, name, (current, status) => {
    const ips = new Set(current.spec.pool.map((e) => e.ip));
    const stale = (status.allocations ?? []).filter((a) => !ips.has(a.ip));
    if (stale.length > 0) status.allocations = (status.allocations ?? []).filter((a) => ips.has(a.ip));
    return stale;
  });
  for (const allocation of dropped) {
    log.info('dropped the allocation of a removed pool entry', { ip: allocation.ip, machine: allocation.dcsMachineName });
  }
  return done;
}

/** The finalizer goes once no DCSMachine claims an entry; each machine's deletion wakes this. */
async function reconcileDelete(key: string, pool: DCSIpHostnamePool, deps: PoolDeps, log: Logger): Promise<ReconcileResult> {
  if (!pool.metadata.finalizers?.includes(Finalizers.dcsPool)) return done;
  const claimants = deps.dcsMachines.byIndex(POOL_INDEX, key).filter((m) => annotatedIp(m) !== undefined);
  if (claimants.length > 0) {
    log.info('pool deletion waits for the machines that claim its entries', { machines: claimants.map((m) => m.metadata.name).join(',') });
    return done;
  }
  await deps.objects.removeFinalizer(pool, Finalizers.dcsPool);
  log.info('removed DCSIpHostnamePool finalizer');
  return done;
}
