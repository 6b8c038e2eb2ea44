// DCSIpHostnamePool rules that need more than one object: enough slots for every machine that uses the
// pool (and for the surge of a rollout), and no IP, hostname or VM name claimed by two pools.
import { poolUsers } from '../clusters';
import { get, getString, maxSurgeOf, replicasOf } from '../objects';
import { hasPlaceholder } from '../../../src/shared/schema/clusterctlTemplate';
import type { Finding, Rule } from '../rule';
import type { IndexedObject, WorkspaceIndex } from '../workspaceIndex';

function entries(pool: IndexedObject): unknown[] {
  const list = get(pool.object, ['spec', 'pool']);
  return Array.isArray(list) ? list : [];
}

interface Demand {
  readonly steady: number;
  readonly surge: number;
  readonly users: string[];
}

function demandOn(index: WorkspaceIndex, pool: IndexedObject): Demand | undefined {
  let steady = 0;
  let surge = 0;
  const users: string[] = [];
  for (const user of poolUsers(index, pool)) {
    // A templated replica count (${WORKER_MACHINE_COUNT}) is unknown until clusterctl renders it.
    if (hasPlaceholder(get(user.object, ['spec', 'replicas']))) return undefined;
    const replicas = replicasOf(user.object);
    steady += replicas;
    surge += maxSurgeOf(user.object, replicas);
    users.push(`${user.kind} ${user.name} (${replicas})`);
  }
  return users.length > 0 ? { steady, surge, users } : undefined;
}

export const poolExhausted: Rule = {
  id: 'pool-exhausted',
  defaultSeverity: 'error',
  description: 'A DCSIpHostnamePool has fewer entries than the machines that claim from it.',
  check(pool: IndexedObject, index: WorkspaceIndex): Finding[] {
    if (pool.kind !== 'DCSIpHostnamePool') return [];
    const demand = demandOn(index, pool);
    const size = entries(pool).length;
    if (!demand || size >= demand.steady) return [];
    return [{
      path: ['spec', 'pool'],
      target: 'key',
      message: `${size} entries for ${demand.steady} machines (${demand.users.join(', ')}): ${demand.steady - size} machine(s) will wait for a free IP forever. Add entries or lower replicas.`,
    }];
  },
};

export const poolSurgeCapacity: Rule = {
  id: 'pool-surge-capacity',
  defaultSeverity: 'warning',
  description: 'A DCSIpHostnamePool has no free entry for the extra machines of a rolling update (maxSurge).',
  check(pool: IndexedObject, index: WorkspaceIndex): Finding[] {
    if (pool.kind !== 'DCSIpHostnamePool') return [];
    const demand = demandOn(index, pool);
    const size = entries(pool).length;
    if (!demand || size < demand.steady || size >= demand.steady + demand.surge) return [];
    return [{
      path: ['spec', 'pool'],
      target: 'key',
      message: `${size} entries: enough for ${demand.steady} machines, but a rollout with maxSurge creates up to ${demand.surge} more before deleting old ones, and they would wait for an IP. Add ${demand.steady + demand.surge - size} entries or set maxSurge: 0.`,
    }];
  },
};

const IDENTITY_FIELDS = ['ip', 'hostname', 'machineName'] as const;

/** field + value -> the pools whose entries claim it. */
function poolIdentities(index: WorkspaceIndex): Map<string, IndexedObject[]> {
  return index.derived('pool-identities', () => {
    const owners = new Map<string, IndexedObject[]>();
    for (const pool of index.ofKind('DCSIpHostnamePool')) {
      for (const entry of entries(pool)) {
        for (const field of IDENTITY_FIELDS) {
          const value = getString(entry, [field]);
          if (!value) continue;
          const key = `${field}\u0000${value}`;
          const list = owners.get(key) ?? [];
          if (!list.includes(pool)) list.push(pool);
          owners.set(key, list);
        }
      }
    }
    return owners;
  });
}

export const poolAddressShared: Rule = {
  id: 'pool-address-shared',
  defaultSeverity: 'error',
  description: 'Two DCSIpHostnamePools claim the same IP, hostname or VM name.',
  check(pool: IndexedObject, index: WorkspaceIndex): Finding[] {
    if (pool.kind !== 'DCSIpHostnamePool') return [];
    const owners = poolIdentities(index);
    const findings: Finding[] = [];
    entries(pool).forEach((entry, i) => {
      for (const field of IDENTITY_FIELDS) {
        const value = getString(entry, [field]);
        if (!value || hasPlaceholder(value)) continue;
        const owner = owners.get(`${field}\u0000${value}`)?.find((p) => p !== pool && p.group === pool.group);
        if (owner) {
          findings.push({
            path: ['spec', 'pool', i, field],
            message: `${field} ${value} is also in pool ${owner.name} (${owner.namespace}): two VMs would get the same ${field === 'ip' ? 'address' : 'name'}.`,
          });
        }
      }
    });
    return findings;
  },
};

export const persistentDiskSurge: Rule = {
  id: 'persistent-disk-surge',
  defaultSeverity: 'warning',
  description: 'Machines whose pool declares persistent disks roll out with maxSurge above 0.',
  check(pool: IndexedObject, index: WorkspaceIndex): Finding[] {
    if (pool.kind !== 'DCSIpHostnamePool') return [];
    const withDisks = entries(pool).some((e) => Array.isArray(get(e, ['persistentDisk'])) && (get(e, ['persistentDisk']) as unknown[]).length > 0);
    if (!withDisks) return [];
    const surging = poolUsers(index, pool).filter((u) => maxSurgeOf(u.object, replicasOf(u.object)) > 0);
    if (surging.length === 0) return [];
    return [{
      path: ['spec', 'pool'],
      target: 'key',
      message: `Entries of this pool carry persistent disks, but ${surging.map((u) => `${u.kind} ${u.name}`).join(', ')} roll out with maxSurge above 0: a surge machine takes another entry, so the disks do not follow the replaced node. Set maxSurge: 0 (and maxUnavailable: 1 on MachineDeployments).`,
    }];
  },
};
