// A stacked-etcd control plane needs an odd number of members to keep quorum through a rollout.
import { get, getNumber } from '../objects';
import type { Finding, Rule } from '../rule';
import type { IndexedObject } from '../workspaceIndex';

export const kcpReplicasOdd: Rule = {
  id: 'kcp-replicas-odd',
  defaultSeverity: 'error',
  description: 'KubeadmControlPlane replicas are odd with stacked etcd.',
  check(o: IndexedObject): Finding[] {
    if (o.kind !== 'KubeadmControlPlane') return [];
    const replicas = getNumber(o.object, ['spec', 'replicas']);
    const externalEtcd = get(o.object, ['spec', 'kubeadmConfigSpec', 'clusterConfiguration', 'etcd', 'external']) !== undefined;
    if (replicas === undefined || externalEtcd || replicas % 2 === 1) return [];
    return [{
      path: ['spec', 'replicas'],
      message: `${replicas} control-plane replicas with stacked etcd: etcd needs an odd number of members (1, 3 or 5) to keep quorum; CAPI rejects an even count.`,
    }];
  },
};

export const kcpSingleReplica: Rule = {
  id: 'kcp-single-replica',
  defaultSeverity: 'info',
  description: 'A single control-plane machine has no redundancy.',
  check(o: IndexedObject): Finding[] {
    if (o.kind !== 'KubeadmControlPlane' || getNumber(o.object, ['spec', 'replicas']) !== 1) return [];
    return [{ path: ['spec', 'replicas'], message: 'One control-plane machine: the cluster API is down while it is replaced. Use 3 for high availability.' }];
  },
};
