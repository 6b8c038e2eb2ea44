// The DCSIpHostnamePool reconciler: keeps status.size/used/free in step with the entries and the
// allocations, and drops allocations of entries removed from spec.pool (that is how an operator
// frees an entry left behind by a retained VM). Slot claims themselves are written by the
// DCSMachine reconciler through the same batched pool status writer.

import type { DCSIpHostnamePool } from '../../shared/api/dcs.generated';
import { done, type ReconcileResult } from '../runtime/controller';
import type { Informer } from '../runtime/informer';
import type { Logger } from '../runtime/log';
import { splitKey } from '../runtime/resources';
import type { PoolStatusWriter } from '../services/poolStatusWriter';

export interface PoolDeps {
  readonly log: Logger;
  readonly pools: Informer<DCSIpHostnamePool>;
  readonly writer: PoolStatusWriter;
}

export async function reconcilePool(key: string, deps: PoolDeps): Promise<ReconcileResult> {
  const { namespace, name } = splitKey(key);
  if (!deps.pools.get(namespace, name)) return done;
  const dropped = await deps.writer.update(namespace, name, (pool, status) => {
    const ips = new Set(pool.spec.pool.map((e) => e.ip));
    const stale = (status.allocations ?? []).filter((a) => !ips.has(a.ip));
    if (stale.length > 0) status.allocations = (status.allocations ?? []).filter((a) => ips.has(a.ip));
    return stale;
  });
  for (const allocation of dropped) {
    deps.log.info('dropped the allocation of a removed pool entry', { kind: 'DCSIpHostnamePool', namespace, name, ip: allocation.ip, machine: allocation.dcsMachineName });
  }
  return done;
}
