// The Infrastructure branch of a Cluster: its DCSCluster and the IP pools its Machines draw from.
import type { KubeObject } from '../kube/kinds';
import type { DCSClusterSpec, DCSIpHostnamePoolSpec, DCSIpHostnamePoolStatus, DCSMachineSpec } from '../shared/api/dcs.generated';
import { objectHealth } from './health';
import { keyOf, type ObjectIndex } from './modelIndex';
import { liveRef, modelId } from './modelMachines';
import type { DcsClusterModel, InfrastructureModel, IpPoolModel, IpSlot } from './modelTypes';
import { initialized, isDeleting, isPaused, loose, nameOf, namespaceOf, num, pickCondition, readConditions, refAt, str } from './normalize';

export function infrastructureOf(cluster: KubeObject, index: ObjectIndex): InfrastructureModel {
  const ns = namespaceOf(cluster);
  const ref = refAt(cluster, 'spec', 'infrastructureRef');
  const dcsCluster = ref?.kind === 'DCSCluster'
    ? index.byName('DCSCluster', ns, ref.name)
    : index.related('dcsClustersByCluster', keyOf(ns, nameOf(cluster)))?.[0];

  // Pools labelled with the cluster, plus pools its DCSMachines claim from.
  const pools = new Map<string, KubeObject>();
  for (const p of index.related('poolsByCluster', keyOf(ns, nameOf(cluster))) ?? []) pools.set(nameOf(p), p);
  for (const m of index.related('machinesByCluster', keyOf(ns, nameOf(cluster))) ?? []) {
    const infra = refAt(m, 'spec', 'infrastructureRef');
    const d = infra?.kind === 'DCSMachine' ? index.byName('DCSMachine', ns, infra.name) : undefined;
    const poolName = str(loose<DCSMachineSpec>(d?.spec)?.ipHostPoolRef?.name);
    const pool = poolName === undefined || pools.has(poolName) ? undefined : index.byName('DCSIpHostnamePool', ns, poolName);
    if (pool) pools.set(poolName ?? '', pool);
  }
  return {
    cluster: dcsCluster ? dcsClusterModel(dcsCluster) : undefined,
    pools: [...pools.values()].map((p) => poolModel(p, index)).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function dcsClusterModel(d: KubeObject): DcsClusterModel {
  const conditions = readConditions(d);
  const provisioned = initialized(d, 'provisioned', 'ready');
  const spec = loose<DCSClusterSpec>(d.spec);
  const host = str(spec?.controlPlaneEndpoint?.host);
  const port = num(spec?.controlPlaneEndpoint?.port);
  const lbHost = str(spec?.controlPlaneLoadBalancer?.host);
  const lbType = str(spec?.controlPlaneLoadBalancer?.type);
  return {
    id: modelId('DCSCluster', d),
    ref: liveRef('DCSCluster', d),
    name: nameOf(d),
    health: objectHealth({ deleting: isDeleting(d), paused: isPaused(d), readiness: pickCondition(conditions, 'Ready'), readyFlag: provisioned }),
    conditions: conditions.current.length > 0 ? conditions.current : conditions.legacy,
    endpoint: host ? `${host}:${port ?? 6443}` : undefined,
    loadBalancer: lbHost ? `${lbType ?? 'load balancer'} ${lbHost}` : undefined,
    provisioned,
  };
}

function poolModel(p: KubeObject, index: ObjectIndex): IpPoolModel {
  const ns = namespaceOf(p);
  const spec = loose<DCSIpHostnamePoolSpec>(p.spec);
  const status = loose<DCSIpHostnamePoolStatus>(p.status);
  const holders = new Map<string, string>();
  const allocations = status?.allocations;
  if (Array.isArray(allocations)) {
    for (const a of allocations) {
      const ip = str(a?.ip);
      const holder = str(a?.dcsMachineName);
      if (ip && holder) holders.set(ip, holder);
    }
  }
  const entries = spec?.pool;
  const slots: IpSlot[] = Array.isArray(entries)
    ? entries.flatMap((e) => {
        const ip = str(e?.ip);
        if (!ip) return [];
        const holder = holders.get(ip);
        return [{ ip, hostname: str(e?.hostname), holder, machine: holder ? index.machineOfDcsMachine(keyOf(ns, holder)) : undefined }];
      })
    : [];
  const used = num(status?.used) ?? holders.size;
  const size = num(status?.size) ?? slots.length;
  const free = num(status?.free) ?? Math.max(0, size - used);
  const conditions = readConditions(p);
  return {
    id: modelId('DCSIpHostnamePool', p),
    ref: liveRef('DCSIpHostnamePool', p),
    name: nameOf(p),
    health: isDeleting(p) ? 'deleting' : 'ok',
    conditions: conditions.current,
    size,
    used,
    free,
    slots,
  };
}
