// Pool slots (node identities). A DCSMachine claims the first free entry of its pool. The claim
// is made durable before any VM exists by one metadata patch of the DCSMachine that adds the
// finalizer and the annotation `capi-dcs.io/pool-entry: <pool>/<ip>`, so a restarted controller
// finds its slot again and never takes a second. The pool's status.allocations mirrors the claims
// (ip, hostname, VM name, machine name and UID) through the batched pool writer, off the critical
// path: a pool status write is far more expensive for the API server than a DCSMachine patch.
// An entry is taken when the pool status, any DCSMachine annotation, or a reservation in flight
// names it; after a machine is gone its allocation (kept for retained VMs) still holds the entry.
// Defaults for empty entry fields (silent in the reference): VM name = machineName, else
// hostname, else the DCSMachine name; hostname = hostname, else machineName, else the DCSMachine name.

import type { DCSIpHostnameEntry, DCSIpHostnamePool, DCSIpHostnamePoolStatus, DCSMachine, DCSPoolAllocation } from '../../shared/api/dcs.generated';
import { Annotations } from '../api/names';
import type { Informer } from '../runtime/informer';
import { ProvisioningError } from './dcsInventory';
import { isPoolNotFound, POOL_NOT_FOUND, type PoolStatusWriter } from './poolStatusWriter';

export interface SlotClaim {
  readonly entry: DCSIpHostnameEntry;
  readonly allocation: DCSPoolAllocation;
}

export type ReserveOutcome = { readonly claim: SlotClaim } | { readonly claim: undefined; readonly size: number; readonly used: number };

/** Index of DCSMachines by `namespace/pool`. */
export const POOL_INDEX = 'pool';

/** The first value that is set and not empty. */
function firstSet(...values: (string | undefined)[]): string {
  return values.find((v) => v !== undefined && v !== '') ?? '';
}

export function vmNameOf(entry: DCSIpHostnameEntry, machineName: string): string {
  return firstSet(entry.machineName, entry.hostname, machineName);
}

export function hostnameOf(entry: DCSIpHostnameEntry, machineName: string): string {
  return firstSet(entry.hostname, entry.machineName, machineName);
}

/** The IP recorded in a machine's pool-entry annotation (`<pool>/<ip>`) for this pool. */
export function annotatedIp(machine: DCSMachine): string | undefined {
  const value = machine.metadata.annotations?.[Annotations.poolEntry];
  const pool = machine.spec.ipHostPoolRef.name;
  return value?.startsWith(`${pool}/`) ? value.slice(pool.length + 1) : undefined;
}

export function allocationFor(entry: DCSIpHostnameEntry, machine: DCSMachine, now: Date = new Date()): DCSPoolAllocation {
  const name = machine.metadata.name ?? '';
  return {
    ip: entry.ip,
    hostname: hostnameOf(entry, name),
    vmName: vmNameOf(entry, name),
    dcsMachineName: name,
    dcsMachineUID: machine.metadata.uid ?? '',
    claimedAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/** The first entry whose IP is not taken. */
export function firstFree(pool: DCSIpHostnamePool, taken: ReadonlySet<string>): DCSIpHostnameEntry | undefined {
  return pool.spec.pool.find((e) => !taken.has(e.ip));
}

/** Upserts the machine's allocation (by UID); true when the status changed. */
export function mirrorAllocation(status: DCSIpHostnamePoolStatus, allocation: DCSPoolAllocation): boolean {
  const list = status.allocations ?? [];
  const old = list.find((a) => a.dcsMachineUID === allocation.dcsMachineUID);
  if (old?.ip === allocation.ip) return false;
  status.allocations = [...list.filter((a) => a.dcsMachineUID !== allocation.dcsMachineUID && a.ip !== allocation.ip), allocation];
  return true;
}

export function releaseSlot(status: DCSIpHostnamePoolStatus, uid: string): boolean {
  const before = status.allocations ?? [];
  const after = before.filter((a) => a.dcsMachineUID !== uid);
  if (after.length === before.length) return false;
  status.allocations = after;
  return true;
}

export class SlotAllocator {
  /** Reservations whose annotation write is in flight: pool key -> ip -> machine UID. */
  private readonly reserved = new Map<string, Map<string, string>>();

  constructor(
    private readonly pools: Informer<DCSIpHostnamePool>,
    private readonly machines: Informer<DCSMachine>,
    private readonly writer: PoolStatusWriter,
  ) {}

  /** The slot the machine holds by its annotation; throws when the entry left the pool. */
  held(machine: DCSMachine): SlotClaim | undefined {
    const ip = annotatedIp(machine);
    if (ip === undefined) return undefined;
    const pool = this.pools.get(machine.metadata.namespace ?? '', machine.spec.ipHostPoolRef.name);
    const entry = pool?.spec.pool.find((e) => e.ip === ip);
    if (!entry) throw new ProvisioningError(`the entry ${ip} this machine claimed is no longer in pool ${machine.spec.ipHostPoolRef.name}`, 'PoolEntryRemoved');
    return { entry, allocation: allocationFor(entry, machine) };
  }

  /** Reserves the first free entry in memory (until `unreserve`); never two machines the same one. */
  reserve(machine: DCSMachine): ReserveOutcome {
    const namespace = machine.metadata.namespace ?? '';
    const poolName = machine.spec.ipHostPoolRef.name;
    const pool = this.pools.get(namespace, poolName);
    if (!pool) throw new ProvisioningError(`DCSIpHostnamePool ${namespace}/${poolName} does not exist`, POOL_NOT_FOUND);
    if (pool.metadata.deletionTimestamp !== undefined) throw new ProvisioningError(`DCSIpHostnamePool ${namespace}/${poolName} is being deleted`, 'PoolDeleting');
    const key = `${namespace}/${poolName}`;
    // An allocation recorded for this machine before it was annotated (older controller): adopt it.
    const recorded = pool.status?.allocations?.find((a) => a.dcsMachineUID === machine.metadata.uid);
    const adopted = recorded && pool.spec.pool.find((e) => e.ip === recorded.ip);
    if (adopted) return { claim: { entry: adopted, allocation: allocationFor(adopted, machine) } };
    const taken = this.takenIps(key, pool);
    const entry = firstFree(pool, taken);
    if (!entry) {
      const ips = new Set(pool.spec.pool.map((e) => e.ip));
      return { claim: undefined, size: ips.size, used: [...taken].filter((ip) => ips.has(ip)).length };
    }
    let reservations = this.reserved.get(key);
    if (!reservations) this.reserved.set(key, (reservations = new Map<string, string>()));
    reservations.set(entry.ip, machine.metadata.uid ?? '');
    return { claim: { entry, allocation: allocationFor(entry, machine) } };
  }

  unreserve(machine: DCSMachine, ip: string): void {
    this.reserved.get(`${machine.metadata.namespace ?? ''}/${machine.spec.ipHostPoolRef.name}`)?.delete(ip);
  }

  /** Mirrors the claim into the pool status (batched); resolves once written. */
  async mirror(machine: DCSMachine, claim: SlotClaim): Promise<void> {
    const pool = this.pools.get(machine.metadata.namespace ?? '', machine.spec.ipHostPoolRef.name);
    if (pool?.status?.allocations?.some((a) => a.dcsMachineUID === claim.allocation.dcsMachineUID && a.ip === claim.entry.ip)) return;
    await this.writer.update(machine.metadata.namespace ?? '', machine.spec.ipHostPoolRef.name, (_p, status) => {
      mirrorAllocation(status, claim.allocation);
    });
  }

  /** Frees the machine's entry in the pool status; resolves once written. A pool that is gone has nothing to free. */
  async release(machine: DCSMachine): Promise<boolean> {
    try {
      return await this.writer.update(machine.metadata.namespace ?? '', machine.spec.ipHostPoolRef.name, (_pool, status) => releaseSlot(status, machine.metadata.uid ?? ''));
    } catch (err: unknown) {
      if (isPoolNotFound(err)) return false;
      throw err;
    }
  }

  /** Entries in use: the pool status, every machine's annotation, reservations in flight. */
  private takenIps(key: string, pool: DCSIpHostnamePool): Set<string> {
    const taken = new Set((pool.status?.allocations ?? []).map((a) => a.ip));
    for (const m of this.machines.byIndex(POOL_INDEX, key)) {
      const ip = annotatedIp(m);
      if (ip !== undefined) taken.add(ip);
    }
    for (const ip of this.reserved.get(key)?.keys() ?? []) taken.add(ip);
    return taken;
  }
}
